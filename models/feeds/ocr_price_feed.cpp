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
      spec.observe_async = [this, decimals](std::function<void(std::optional<ocr::Value>)> done) {
        fetch(settings_.observe_timeout, [done = std::move(done), decimals](std::optional<double> median) {
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
  ocr::OcrAggregatorConfig ac;
  ac.config_digest = proto_.config_digest;
  ac.f = proto_.f;
  ac.signers = ocr_->signer_addresses();
  for (auto* n : raw) ac.transmitters.push_back(n->address());
  auto agg = std::make_shared<ocr::OcrAggregator>(ac, ocr_->directory().registry());
  aggregator_addr_ = chain_.deploy(cfg_.name + "/ocr-aggregator", agg);
  binding_->bind(aggregator_addr_, *ocr_);
  reader_ = std::make_unique<OcrRoundReader>(*agg, decimals);
  proxy_ = std::make_unique<contracts::AggregatorProxy>(reader_.get());

  const ocr::OcrBilling billing = ac.billing;
  conns_.push_back(chain_.log_emitted.connect([this](const chain::Log& log, const chain::Receipt& r) {
    if (log.emitter != aggregator_addr_) return;
    if (const auto* ev = std::any_cast<ocr::OcrNewTransmission>(&log.payload)) {
      answer_changed.emit(r.block_time, ev->answer, (std::uint64_t{proxy_->phase_id()} << 32) | ev->aggregator_round);
    }
  }));
  for (auto& n : nodes_) {
    node::ChainlinkNode* nd = n.get();
    conns_.push_back(nd->txm().included.connect([this, nd, billing](const chain::Receipt& r) {
      if (r.label != "ocr/transmit") return;
      FeedTx tx{r, 0};
      for (const auto& log : r.logs) {
        if (log.emitter != aggregator_addr_) continue;
        if (const auto* ev = std::any_cast<ocr::OcrNewTransmission>(&log.payload)) {
          // LINK earned by the report: gas reimbursement + transmission reward to the transmitter, and the
          // observation rewards of every observer (juels; 1 LINK-gwei = 1e9 juels).
          const double obs = static_cast<double>(ev->observations.size()) *
                             static_cast<double>(billing.link_gwei_per_observation) * 1e9;
          tx.juels_paid = static_cast<double>(ev->reimbursement_juels) + obs;
          nd->credit_link(ev->reimbursement_juels);
          // Each observer is owed its observation reward (OffchainAggregatorBilling: linkGweiPerObservation).
          for (const auto& o : ev->observations)
            if (o.observer >= 0 && static_cast<std::size_t>(o.observer) < nodes_.size())
              nodes_[static_cast<std::size_t>(o.observer)]->credit_link(
                  chain::Amount{billing.link_gwei_per_observation} * chain::kGwei);
        }
      }
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

void OcrPriceFeed::attach_link(contracts::LinkToken& link) {
  if (link_) throw std::logic_error("OcrPriceFeed::attach_link: a token is attached already");
  link_ = &link;
  link_->mint(aggregator_addr_, contracts::Juels{kOcrFundingLink} * contracts::kJuelsPerLink);
  conns_.push_back(chain_.reorged.connect([this](const chain::Reorg&) { reorged_ = true; }));
}

FeedLinkAccounting OcrPriceFeed::link_accounting() const {
  FeedLinkAccounting a;
  std::string v;
  const std::string name = cfg_.name + "/ocr-aggregator";
  const ocr::OcrAggregator& agg = aggregator();
  bool saturated = false;  // an observation count stopped at its uint16 maximum: the contract owes less than earned
  for (int i = 0; i < ocr_->size(); ++i) {
    a.owed += agg.owed_payment(i);
    saturated = saturated || agg.observation_count(i) == 0xffff;
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
  struct Fetch {
    std::size_t pending;
    std::vector<double> prices;
    bool done;
  };
  auto f = std::make_shared<Fetch>(Fetch{providers_.size(), {}, false});
  auto finish = [this, f, done = std::move(done)] {
    if (f->done) return;
    f->done = true;
    if (f->prices.size() < std::max<std::size_t>(1, cfg_.flux.min_quotes)) return done(std::nullopt);
    done(median_price(f->prices));
  };
  if (providers_.empty()) return finish();
  for (auto* p : providers_) {
    p->query([f, finish](const providers::Quote& q) {
      if (f->done) return;
      if (q.ok) f->prices.push_back(q.price);
      if (--f->pending == 0) finish();
    });
  }
  sim_.after(timeout, finish, "ocr/observe-timeout");
}

}  // namespace models::feeds
