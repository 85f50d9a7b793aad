#include "models/feeds/ocr_price_feed.hpp"

#include <any>
#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "models/feeds/flux_monitor.hpp"
#include "models/providers/price_process.hpp"
#include "sim/distributions.hpp"
#include "sim/hash.hpp"

namespace models::feeds {

std::optional<contracts::RoundData> OcrRoundReader::latest_round_data() const {
  const std::uint32_t r = agg_.latest_round();
  if (r == 0) return std::nullopt;
  return contracts::RoundData{.round_id = r,
                              .answer = agg_.latest_answer(),
                              .started_at = agg_.latest_timestamp(),
                              .updated_at = agg_.latest_timestamp(),
                              .answered_in_round = r};
}

std::optional<contracts::RoundData> OcrRoundReader::get_round_data(std::uint64_t round_id) const {
  auto d = latest_round_data();
  if (!d || round_id != static_cast<std::uint64_t>(d->round_id)) return std::nullopt;
  return d;
}

OcrPriceFeed::OcrPriceFeed(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, const FeedConfig& feed,
                           const OcrSettings& ocr, std::vector<providers::DataProvider*> providers,
                           const providers::TruePrice* truth)
    : sim_(sim), chain_(chain), cfg_(feed), settings_(ocr), proto_(resolve_ocr(feed, ocr)), providers_(std::move(providers)) {
  std::vector<node::ChainlinkNode*> raw;
  std::vector<ocr::OcrOracleSpec> specs;
  const int decimals = static_cast<int>(cfg_.decimals);
  // OCR2 bounds the Observation call (the data source) by MaxDurationObservation; OCR1 by the node's timeout.
  const sim::Duration observe_timeout =
      proto_.version == ocr::OcrVersion::ocr2 ? proto_.max_duration_observation : settings_.observe_timeout;
  observers_.resize(cfg_.oracles);
  for (std::uint32_t i = 0; i < cfg_.oracles; ++i) {
    const std::string name = fmt::format("{}/node-{}", cfg_.name, i);
    nodes_.push_back(std::make_unique<node::ChainlinkNode>(sim_, chain_, name, cfg_.node));
    raw.push_back(nodes_.back().get());
    ocr::OcrOracleSpec spec{name, "", {}, {}};
    if (settings_.observe_cache) {
      observers_[i].timer = std::make_unique<sim::Timer>(sim_, [this, i] { poll(i); }, "ocr/observe-poll");
      spec.observe = [this, i, decimals](sim::Time now) -> std::optional<ocr::Value> {
        const Observer& o = observers_[i];
        if (!o.median || now - o.at > settings_.observe_max_age) return std::nullopt;
        return providers::to_answer(*o.median, decimals);
      };
    } else {
      // On demand: the providers are asked when the observe-req arrives, for at most observe_timeout.
      spec.observe_async = [this, decimals, observe_timeout](std::function<void(std::optional<ocr::Value>)> done) {
        fetch(observe_timeout, [done = std::move(done), decimals](std::optional<double> median) {
          done(median ? std::optional<ocr::Value>(providers::to_answer(*median, decimals)) : std::nullopt);
        });
      };
    }
    specs.push_back(std::move(spec));
  }
  ocr::OcrNode::Observe truth_view;
  if (truth != nullptr)
    truth_view = [truth, decimals](sim::Time) -> std::optional<ocr::Value> { return providers::to_answer(truth->price(), decimals); };
  binding_ = std::make_unique<OcrChainBinding>(chain_, raw, cfg_.flux.gas_limit);
  ocr_ = std::make_unique<ocr::OcrFeed>(sim_, net, proto_, std::move(specs), *binding_,
                                        sim::fnv1a64(cfg_.name), std::move(truth_view));
  std::shared_ptr<ocr::AggregatorReadout> agg = deploy_aggregator(raw);
  binding_->bind(aggregator_addr_, *ocr_);
  reader_ = std::make_unique<OcrRoundReader>(*agg, decimals);
  proxy_ = std::make_unique<contracts::AggregatorProxy>(reader_.get());

  conns_.push_back(chain_.log_emitted.connect([this](const chain::Log& log, const chain::Receipt& r) {
    if (log.emitter != aggregator_addr_) return;
    std::uint32_t round = 0;
    ocr::Value answer = 0;
    if (const auto* ev = std::any_cast<ocr::OcrNewTransmission>(&log.payload)) {
      round = ev->aggregator_round;
      answer = ev->answer;
    } else if (const auto* ev2 = std::any_cast<ocr::Ocr2NewTransmission>(&log.payload)) {
      round = ev2->aggregator_round;
      answer = ev2->answer;
    } else {
      return;
    }
    answer_changed.emit(r.block_time, answer, (std::uint64_t{proxy_->phase_id()} << 32) | round);
  }));
  for (auto& n : nodes_) {
    node::ChainlinkNode* nd = n.get();
    conns_.push_back(nd->txm().included.connect([this, nd](const chain::Receipt& r) {
      if (r.label != "ocr/transmit") return;
      FeedTx tx{r, 0};
      for (const auto& log : r.logs)
        if (log.emitter == aggregator_addr_) tx.juels_paid += credit_report(*nd, log.payload);
      tx_included.emit(tx);
    }));
  }
  for (std::size_t i = 0; i < static_cast<std::size_t>(ocr_->size()); ++i) {
    ocr::OcrNode& on = ocr_->node(static_cast<ocr::OracleId>(i));
    conns_.push_back(on.decided.connect([this, &on](ocr::OracleId, const ocr::ShouldReportDecision& d) {
      if (!d.report() || !on.honest()) return;
      const std::uint64_t key = (std::uint64_t{proxy_->phase_id()} << 32) | (binding_->aggregator().latest_round() + 1ULL);
      if (key == last_trigger_key_) return;
      last_trigger_key_ = key;
      triggered.emit(sim_.now(), key);
    }));
  }
  for (const auto& c : cfg_.consumers) {
    consumers_.push_back(std::make_unique<contracts::FeedConsumer>(
        sim_, contracts::ConsumerConfig{cfg_.name + "/" + c.name, c.read_every}, *proxy_));
    conns_.push_back(consumers_.back()->read.connect([this](const contracts::ConsumerRead& r) { consumer_read.emit(r); }));
  }
}

std::shared_ptr<ocr::AggregatorReadout> OcrPriceFeed::deploy_aggregator(const std::vector<node::ChainlinkNode*>& nodes) {
  std::vector<chain::Address> transmitters;
  for (auto* n : nodes) transmitters.push_back(n->address());
  if (proto_.version == ocr::OcrVersion::ocr2) {
    ocr::Ocr2AggregatorConfig ac;
    ac.config_digest = proto_.config_digest;
    ac.f = proto_.f;
    ac.signers = ocr_->signer_addresses();
    ac.transmitters = std::move(transmitters);
    ac.min_answer = proto_.min_answer;  // the onchain config the plugin reads is the contract's own
    ac.max_answer = proto_.max_answer;
    auto agg = std::make_shared<ocr::Ocr2Aggregator>(ac, ocr_->directory().registry());
    aggregator_addr_ = chain_.deploy(cfg_.name + "/ocr2-aggregator", agg);
    return agg;
  }
  ocr::OcrAggregatorConfig ac;
  ac.config_digest = proto_.config_digest;
  ac.f = proto_.f;
  ac.signers = ocr_->signer_addresses();
  ac.transmitters = std::move(transmitters);
  ac.min_answer = proto_.min_answer;
  ac.max_answer = proto_.max_answer;
  auto agg = std::make_shared<ocr::OcrAggregator>(ac, ocr_->directory().registry());
  aggregator_addr_ = chain_.deploy(cfg_.name + "/ocr-aggregator", agg);
  return agg;
}

const ocr::OcrAggregator* OcrPriceFeed::ocr1_aggregator() const { return chain_.contract<ocr::OcrAggregator>(aggregator_addr_); }
const ocr::Ocr2Aggregator* OcrPriceFeed::ocr2_aggregator() const { return chain_.contract<ocr::Ocr2Aggregator>(aggregator_addr_); }

double OcrPriceFeed::credit_report(node::ChainlinkNode& transmitter, const std::any& payload) {
  auto owed_to = [this](std::size_t i, chain::Amount juels) {
    if (i < nodes_.size()) nodes_[i]->credit_link(juels);
  };
  if (const auto* ev = std::any_cast<ocr::OcrNewTransmission>(&payload)) {
    // OffchainAggregatorBilling: gas reimbursement + transmission reward to the transmitter, and each observer in
    // the report its linkGweiPerObservation (1 LINK-gwei = 1e9 juels).
    const chain::Amount per_observation = chain::Amount{ocr1_aggregator()->config().billing.link_gwei_per_observation} * chain::kGwei;
    transmitter.credit_link(ev->reimbursement_juels);
    for (const auto& o : ev->observations)
      if (o.observer >= 0) owed_to(static_cast<std::size_t>(o.observer), per_observation);
    return static_cast<double>(ev->reimbursement_juels) +
           static_cast<double>(ev->observations.size()) * static_cast<double>(per_observation);
  }
  if (const auto* ev = std::any_cast<ocr::Ocr2NewTransmission>(&payload)) {
    // OCR2Aggregator's lazy billing: every oracle is owed observationPaymentGjuels for each new aggregator round,
    // observer or not; the transmitter its reimbursement and transmission payment.
    const chain::Amount per_round = chain::Amount{ocr2_aggregator()->config().billing.observation_payment_gjuels} * chain::kGwei;
    transmitter.credit_link(ev->payment_juels);
    for (std::size_t i = 0; i < nodes_.size(); ++i) owed_to(i, per_round);
    return static_cast<double>(ev->payment_juels) + static_cast<double>(nodes_.size()) * static_cast<double>(per_round);
  }
  return 0;
}

void OcrPriceFeed::attach_link(contracts::LinkToken& link) {
  if (link_) throw std::logic_error("OcrPriceFeed::attach_link: a token is attached already");
  link_ = &link;
  link_->mint(aggregator_addr_, contracts::Juels{kOcrFundingLink} * contracts::kJuelsPerLink);
  conns_.push_back(chain_.reorged.connect([this](const chain::Reorg&) { reorged_ = true; }));
}

FeedLinkAccounting OcrPriceFeed::link_accounting() const {
  FeedLinkAccounting a;
  std::string v;
  const std::string name = chain_.contracts().name(aggregator_addr_);
  const ocr::AggregatorReadout& agg = aggregator();
  const ocr::OcrAggregator* v1 = ocr1_aggregator();
  bool saturated = false;  // OCR1: an observation count stopped at its uint16 maximum (the contract owes less than earned)
  for (int i = 0; i < ocr_->size(); ++i) {
    a.owed += agg.owed_payment(i);
    saturated = saturated || (v1 != nullptr && v1->observation_count(i) == 0xffff);
  }
  if (link_) {
    a.minted = contracts::Juels{kOcrFundingLink} * contracts::kJuelsPerLink;
    a.balance = link_->balance_of(aggregator_addr_);
    if (a.balance != a.minted)
      v += fmt::format("{}: holds {} juels of LINK but was minted {}; ", name, chain::to_string_amount(a.balance),
                       chain::to_string_amount(a.minted));
    // linkAvailableForPayment = balance - owed; the model never lets it go negative (the feed would be insolvent).
    if (a.owed > a.balance)
      v += fmt::format("{}: owes its oracles {} juels but holds {}; ", name, chain::to_string_amount(a.owed),
                       chain::to_string_amount(a.balance));
    else
      a.available = a.balance - a.owed;
  }
  for (const auto& n : nodes_) a.credited += n->link_earned();
  if (!reorged_ && !saturated && a.credited != a.owed)
    v += fmt::format("{}: its nodes were credited {} juels but the aggregator owes them {}; ", cfg_.name,
                     chain::to_string_amount(a.credited), chain::to_string_amount(a.owed));
  a.violation = v;
  return a;
}

void OcrPriceFeed::start() {
  for (std::size_t i = 0; i < observers_.size() && settings_.observe_cache; ++i) {
    sim::Rng rng = sim_.stream(fmt::format("feeds/{}/node-{}/observe-phase", cfg_.name, i));
    observers_[i].timer->arm(sim::Duration::nanoseconds(
        static_cast<std::int64_t>(sim::uniform_index(rng, static_cast<std::uint64_t>(settings_.observe_poll.ns())))));
  }
  ocr_->start();
  for (auto& c : consumers_) c->start();
}

void OcrPriceFeed::poll(std::size_t i) {
  observers_[i].timer->arm(settings_.observe_poll);
  const sim::Time asked = sim_.now();
  fetch(cfg_.flux.provider_timeout, [this, i, asked](std::optional<double> median) {
    if (!median) return;  // keep the older view
    observers_[i].median = median;
    observers_[i].at = asked;
  });
}

void OcrPriceFeed::fetch(sim::Duration timeout, std::function<void(std::optional<double>)> done) {
  const std::size_t min_quotes = std::max<std::size_t>(1, cfg_.flux.min_quotes);
  providers::fetch_quotes(sim_, providers_, timeout, [min_quotes, done = std::move(done)](std::vector<double> prices) {
    done(prices.size() < min_quotes ? std::nullopt : median_price(std::move(prices)));
  }, "ocr/observe-fetch");
}

}  // namespace models::feeds
