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
  FeedConfig with_settings = cfg_;
  with_settings.ocr = settings_;
  confs_ = configurations(with_settings);
  contract_members_ = confs_.front().members;
  const std::uint32_t members = member_count(with_settings);
  std::vector<node::ChainlinkNode*> raw;
  std::vector<ocr::OcrOracleSpec> specs;
  const int decimals = static_cast<int>(cfg_.decimals);
  // OCR2 bounds the Observation call (the data source) by MaxDurationObservation; OCR1 by the node's timeout.
  const sim::Duration observe_timeout =
      proto_.version == ocr::OcrVersion::ocr2 ? proto_.max_duration_observation : settings_.observe_timeout;
  observers_.resize(members);
  for (std::uint32_t i = 0; i < members; ++i) {
    const std::string name = fmt::format("{}/node-{}", cfg_.name, i);
    nodes_.push_back(std::make_unique<node::ChainlinkNode>(sim_, chain_, name, cfg_.node));
    if (i < cfg_.oracles) raw.push_back(nodes_.back().get());
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
    note_answer(r.block_time);  // the first report under a new configuration
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
  for (int i = 0; i < ocr_->member_count(); ++i) {
    ocr::OcrNode& on = ocr_->member(i);
    conns_.push_back(on.decided.connect([this, &on](ocr::OracleId, const ocr::ShouldReportDecision& d) {
      if (!d.report() || !on.honest()) return;
      const std::uint64_t key = (std::uint64_t{proxy_->phase_id()} << 32) | (binding_->aggregator().latest_round() + 1ULL);
      if (key == last_trigger_key_) return;
      last_trigger_key_ = key;
      triggered.emit(sim_.now(), key);
    }));
  }
  schedule_changes(sim_, chain_, cfg_, "ocr/set-config", [this](std::size_t j) { return change_tx(j); },
                   [this](std::size_t j, const chain::Receipt& r) { on_config_set(j, r); });
  if (!cfg_.changes.empty())
    switch_timer_ = std::make_unique<sim::Timer>(sim_, [this] { switch_config(pending_switch_); }, "ocr/config-switch");
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
    auto agg = std::make_shared<ocr::Ocr2Aggregator>(ac, ocr_->key_registry());
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
  auto agg = std::make_shared<ocr::OcrAggregator>(ac, ocr_->key_registry());
  aggregator_addr_ = chain_.deploy(cfg_.name + "/ocr-aggregator", agg);
  return agg;
}

const ocr::OcrAggregator* OcrPriceFeed::ocr1_aggregator() const { return chain_.contract<ocr::OcrAggregator>(aggregator_addr_); }
const ocr::Ocr2Aggregator* OcrPriceFeed::ocr2_aggregator() const { return chain_.contract<ocr::Ocr2Aggregator>(aggregator_addr_); }

double OcrPriceFeed::credit_report(node::ChainlinkNode& transmitter, const std::any& payload) {
  // Oracle i of the contract's configuration is member contract_members_[i].
  auto owed_to = [this](std::size_t i, chain::Amount juels) {
    if (i < contract_members_.size()) nodes_[static_cast<std::size_t>(contract_members_[i])]->credit_link(juels);
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
    for (std::size_t i = 0; i < contract_members_.size(); ++i) owed_to(i, per_round);
    return static_cast<double>(ev->payment_juels) + static_cast<double>(contract_members_.size()) * static_cast<double>(per_round);
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
  for (int i = 0; i < agg.oracles(); ++i) {
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
  // What setConfig paid out (payOracles) was earned under earlier configurations.
  if (!reorged_ && !saturated && a.credited != a.owed + agg.paid_juels())
    v += fmt::format("{}: its nodes were credited {} juels but the aggregator owes them {} and paid {} at reconfigurations; ",
                     cfg_.name, chain::to_string_amount(a.credited), chain::to_string_amount(a.owed),
                     chain::to_string_amount(agg.paid_juels()));
  a.violation = v;
  return a;
}

void OcrPriceFeed::start() {
  // observe_cache: the members of the first configuration poll from the start, one that joins later from its switch.
  for (std::size_t i = 0; i < cfg_.oracles && settings_.observe_cache; ++i) {
    sim::Rng rng = sim_.stream(fmt::format("feeds/{}/node-{}/observe-phase", cfg_.name, i));
    observers_[i].timer->arm(sim::Duration::nanoseconds(
        static_cast<std::int64_t>(sim::uniform_index(rng, static_cast<std::uint64_t>(settings_.observe_poll.ns())))));
  }
  ocr_->start();
  for (auto& c : consumers_) c->start();
  arm_changes(cfg_);
}

std::vector<node::ChainlinkNode*> OcrPriceFeed::nodes_of(const std::vector<int>& members) const {
  std::vector<node::ChainlinkNode*> out;
  for (int m : members) out.push_back(nodes_.at(static_cast<std::size_t>(m)).get());
  return out;
}

node::TxRequest OcrPriceFeed::change_tx(std::size_t j) const {
  const FeedConfiguration& next = confs_.at(j + 1);
  const std::vector<ocr::Address> signers = ocr_->signer_addresses(next.members);
  std::vector<chain::Address> transmitters;
  for (auto* n : nodes_of(next.members)) transmitters.push_back(n->address());
  const int f = next.ocr.f;
  const bool v2 = proto_.version == ocr::OcrVersion::ocr2;
  const chain::Calldata calldata = ocr::set_config_calldata(signers.size(), v2);
  return node::TxRequest{.to = aggregator_addr_, .gas_limit = kSetConfigGasLimit, .calldata = calldata,
                           .call = [signers, transmitters, f, v2](chain::ExecContext& c) {
                             if (v2) c.self_as<ocr::Ocr2Aggregator>().set_config(c, signers, transmitters, f);
                             else c.self_as<ocr::OcrAggregator>().set_config(c, signers, transmitters, f);
                           },
                           .label = "ocr/set-config"};
}

void OcrPriceFeed::on_config_set(std::size_t j, const chain::Receipt& r) {
  if (!record_change(j, r, aggregator().latest_timestamp())) return;
  Reconfiguration& rc = reconfigs_[j];
  for (const auto& log : r.logs)
    if (const auto* ev = std::any_cast<ocr::OcrConfigSet>(&log.payload)) {
      rc.config_count = ev->config_count;
      rc.config_digest = ev->config_digest;
    }
  contract_members_ = confs_.at(j + 1).members;  // the contract bills the new set from now on
  switch_timer_->cancel();                       // an earlier change still waiting: the nodes go straight to this one
  block_conn_ = chain_.block_produced.connect([this, j](const chain::Block&) { check_confirmations(j); });
  check_confirmations(j);
}

void OcrPriceFeed::check_confirmations(std::size_t j) {
  const Reconfiguration& rc = reconfigs_[j];
  if (chain_.head_number() + 1 < rc.block + settings_.contract_confirmations) return;
  block_conn_.disconnect();
  // The nodes check when the log arrives (the block's time) and every config_check after it while they wait.
  const std::int64_t check = settings_.config_check.ns();
  const std::int64_t waited = (sim_.now() - rc.included).ns();
  const std::int64_t k = (waited + check - 1) / check;
  pending_switch_ = j;
  switch_timer_->arm_at(rc.included + sim::Duration::nanoseconds(k * check));
}

void OcrPriceFeed::switch_config(std::size_t j) {
  const Reconfiguration& rc = reconfigs_[j];
  const FeedConfiguration& next = confs_.at(j + 1);
  FeedConfig sized = cfg_;
  sized.oracles = next.oracles;
  ocr::OcrConfig proto = resolve_ocr(sized, next.ocr);
  proto.config_digest = rc.config_digest;
  // libocr draws new leader and transmission-order keys for every configuration; here they are derived from it.
  proto.leader_key = sim::hash_combine(proto_.leader_key, rc.config_count);
  proto.transmission_key = sim::hash_combine(proto_.transmission_key, rc.config_count);
  proto_ = proto;
  binding_->set_nodes(nodes_of(next.members));
  if (settings_.observe_cache)
    for (int m : next.members)
      if (!observers_[static_cast<std::size_t>(m)].timer->armed()) poll(static_cast<std::size_t>(m));
  ocr_->reconfigure(proto_, next.members);
  for (std::size_t i = 0; i <= j; ++i) {  // this change, and an earlier one it overtook
    Reconfiguration& done = reconfigs_[i];
    if (done.is_included && !done.is_switched) {
      done.is_switched = true;
      done.switched = sim_.now();
    }
  }
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
