#include "models/streams/automation.hpp"

#include <utility>

#include "sim/hash.hpp"

namespace models::streams {
namespace {
enum Var : std::uint64_t { kUpkeep = 1, kDedup, kStats };
constexpr std::uint64_t kTriggerDomain = 0x747269676765722eULL;  // "trigger."

chain::SlotKey slot(chain::Address a, std::uint64_t var, std::uint64_t index = 0) {
  return {a, chain::slot_of(var, index & ((std::uint64_t{1} << 48) - 1))};
}
}  // namespace

std::uint64_t trigger_key(std::uint64_t upkeep_id, chain::TxHash tx, std::uint64_t log_index) {
  return sim::hash_combine(sim::hash_combine(sim::hash_combine(kTriggerDomain, upkeep_id), tx.id), log_index);
}

chain::Calldata perform_calldata(const PerformData& data) {
  chain::CalldataBuilder b;
  b.selector().uint(0).bytes32().uint(data.extra_data).uint(160).uint(data.reports.size());
  for (const auto& r : data.reports) {
    const std::uint64_t size = encoded_size(r);
    const std::uint64_t nonzero = std::min<std::uint64_t>(encoded_nonzero_bytes(r), size);
    b.uint(size).raw(size - nonzero, nonzero);
  }
  return b.build();
}

// ---------------------------------------------------------------------------------------------------------------
// AutomationRegistry

AutomationRegistry::AutomationRegistry(chain::Address transmitter) : transmitter_(transmitter) {}

std::uint64_t AutomationRegistry::register_upkeep(chain::Address target, chain::Gas gas_limit) {
  state_.upkeeps.push_back(UpkeepInfo{target, gas_limit, 0, 0, 0});
  return state_.upkeeps.size() - 1;
}

void AutomationRegistry::perform_upkeep(chain::ExecContext& c, std::uint64_t upkeep_id, const PerformData& data) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  g.charge(AutomationGas::registry_fixed, "automation");
  c.require(c.sender() == transmitter_, "OnlyTransmitter");
  c.require(upkeep_id < state_.upkeeps.size(), "UpkeepNotFound");
  g.sload(slot(self, kUpkeep, upkeep_id));
  g.sload(slot(self, kDedup, data.trigger));
  if (state_.dedup_keys.count(data.trigger) != 0) {
    c.emit({.event = "StaleUpkeepReport", .topics = 2, .data_bytes = 32, .payload = upkeep_id});
    return;
  }
  g.sstore(slot(self, kDedup, data.trigger), 0, 1);
  state_.dedup_keys.insert(data.trigger);

  const UpkeepInfo info = state_.upkeeps[upkeep_id];
  const chain::Gas before = g.used();
  const auto outcome = c.call(
      info.target,
      [&](chain::ExecContext& cc) {
        auto* upkeep = dynamic_cast<StreamsLookupUpkeep*>(&cc.self_as<chain::Contract>());
        if (upkeep == nullptr) cc.revert("target is not an upkeep");
        upkeep->perform_upkeep(cc, data);
        // The registry forwards exactly the upkeep's gas limit: beyond it the call runs out of gas.
        if (cc.gas().used() - before > info.gas_limit) cc.revert("out of gas (upkeep gas limit)");
      },
      /*catch_revert=*/true);
  const chain::Gas used = std::min(g.used() - before, info.gas_limit);
  UpkeepInfo& u = state_.upkeeps[upkeep_id];
  g.sstore(slot(self, kStats, upkeep_id), u.performs + u.failed_performs + 1, u.performs + u.failed_performs + 2);
  if (outcome.ok) ++u.performs;
  else ++u.failed_performs;
  u.last_perform_gas = used;
  c.emit({.event = "UpkeepPerformed", .topics = 3, .data_bytes = 128,
          .payload = UpkeepPerformed{upkeep_id, outcome.ok, used, data.trigger, outcome.reason}});
}

// ---------------------------------------------------------------------------------------------------------------
// AutomationNode

AutomationNode::AutomationNode(sim::Simulation& sim, chain::Chain& chain, chain::Address registry, chain::Address key,
                               ReportFetcher fetcher, const AutomationNodeConfig& cfg, std::string name)
    : sim_(sim),
      chain_(chain),
      registry_(registry),
      fetcher_(std::move(fetcher)),
      cfg_(cfg),
      control_(std::move(name), "automation-node"),
      txm_(sim, chain, key, cfg.node) {
  chain_.fund(key, cfg_.node.eth_balance);
  log_conn_ = chain_.log_emitted.connect([this](const chain::Log& log, const chain::Receipt& r) {
    log_index_ = r.hash == last_tx_ && r.block_number == last_block_ ? log_index_ + 1 : 0;
    last_tx_ = r.hash;
    last_block_ = r.block_number;
    on_log(log, r, log_index_);
  });
  block_conn_ = chain_.block_produced.connect([this](const chain::Block& b) { on_block(b); });
  control_.on_crash = [this] {
    ++epoch_;
    waiting_.clear();
    active_.clear();
    txm_.crash();
  };
  control_.on_restart = [this] {
    txm_.restart();
    backfill();
  };
}

void AutomationNode::watch(std::uint64_t upkeep_id, chain::Address upkeep) { upkeeps_[upkeep] = upkeep_id; }

StreamsLookupUpkeep* AutomationNode::upkeep_at(chain::Address a) const {
  return dynamic_cast<StreamsLookupUpkeep*>(chain_.contracts().find(a));
}

void AutomationNode::on_log(const chain::Log& log, const chain::Receipt& r, std::uint64_t log_index) {
  const auto it = upkeeps_.find(log.emitter);
  if (it == upkeeps_.end()) return;
  if (!control_.admit()) return;
  const std::uint64_t key = trigger_key(it->second, r.hash, log_index);
  if (handled_.count(key) != 0 || waiting_.count(key) != 0 || active_.count(key) != 0) return;
  waiting_.emplace(key, Trigger{key, it->second, log.emitter, log, r, 0});
}

void AutomationNode::on_block(const chain::Block& b) {
  if (waiting_.empty() || !control_.admit()) return;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (b.number + 1 < it->second.receipt.block_number + cfg_.confirmations) {
      ++it;
      continue;
    }
    const std::uint64_t key = it->first;
    active_.emplace(key, std::move(it->second));
    it = waiting_.erase(it);
    const std::uint64_t epoch = epoch_;
    sim_.after(cfg_.check_delay, [this, key, epoch] {
      if (epoch != epoch_ || !control_.admit()) return;
      check(key);
    }, "streams/automation/check");
  }
}

void AutomationNode::check(std::uint64_t key) {
  const auto it = active_.find(key);
  if (it == active_.end()) return;
  const StreamsLookupUpkeep* upkeep = upkeep_at(it->second.upkeep);
  const auto lookup = upkeep != nullptr ? upkeep->check_log(it->second.log, it->second.receipt) : std::nullopt;
  if (!lookup) {  // checkLog: not a log this upkeep acts on
    handled_.insert(key);
    active_.erase(it);
    return;
  }
  fetch(key, *lookup);
}

void AutomationNode::fetch(std::uint64_t key, const StreamsLookup& lookup) {
  const auto it = active_.find(key);
  if (it == active_.end()) return;
  ++it->second.attempts;
  ++lookups_;
  const std::uint64_t epoch = epoch_;
  fetcher_(lookup.feeds, lookup.timestamp, [this, key, epoch, lookup](std::vector<SignedReport> reports) {
    on_reports(key, epoch, lookup, std::move(reports));
  });
}

void AutomationNode::on_reports(std::uint64_t key, std::uint64_t epoch, const StreamsLookup& lookup,
                                std::vector<SignedReport> reports) {
  if (epoch != epoch_ || !control_.admit()) return;
  const auto it = active_.find(key);
  if (it == active_.end()) return;
  Trigger& t = it->second;
  auto give_up = [&](const char* what) {
    event.emit(AutomationEvent{t.upkeep_id, lookup.extra_data, what, sim_.now()});
    handled_.insert(key);
    active_.erase(it);
  };
  if (reports.empty()) {
    if (t.attempts >= cfg_.max_attempts) return give_up("lookup_failed");
    sim_.after(cfg_.retry_every, [this, key, epoch, lookup] {
      if (epoch != epoch_ || !control_.admit()) return;
      fetch(key, lookup);
    }, "streams/automation/retry");
    return;
  }
  const StreamsLookupUpkeep* upkeep = upkeep_at(t.upkeep);
  if (upkeep == nullptr) return give_up("not_needed");
  CheckResult res = upkeep->check_callback(reports, lookup.extra_data);
  if (!res.upkeep_needed) return give_up("not_needed");
  PerformData data = std::move(res.perform_data);
  data.trigger = key;
  const auto* registry = chain_.contract<AutomationRegistry>(registry_);
  const chain::Gas gas_limit = registry->upkeep(t.upkeep_id).gas_limit + AutomationGas::tx_overhead;
  const std::uint64_t upkeep_id = t.upkeep_id;
  const std::uint64_t extra = lookup.extra_data;
  const chain::Calldata calldata = perform_calldata(data);
  node::TxRequest req{.to = registry_, .gas_limit = gas_limit, .calldata = calldata,
                      .call = [upkeep_id, data](chain::ExecContext& c) {
                        c.self_as<AutomationRegistry>().perform_upkeep(c, upkeep_id, data);
                      },
                      .label = "streams/automation/perform"};
  const bool sent = txm_.send(std::move(req), [this, upkeep_id, extra](const chain::Receipt& r) {
    perform_included.emit(r);
    bool ok = r.status == chain::TxStatus::success;
    for (const auto& l : r.logs) {
      if (const auto* p = std::any_cast<UpkeepPerformed>(&l.payload)) ok = ok && p->success;
    }
    if (!ok) event.emit(AutomationEvent{upkeep_id, extra, "perform_failed", sim_.now()});
  });
  if (!sent) return give_up("send_failed");
  ++performs_sent_;
  handled_.insert(key);
  active_.erase(it);
}

void AutomationNode::backfill() {
  for (const chain::Block& b : chain_.recent_blocks()) {
    for (const chain::TxHash h : b.txs) {
      const chain::Receipt* r = chain_.receipt(h);
      if (r == nullptr || r->status != chain::TxStatus::success) continue;
      for (std::size_t i = 0; i < r->logs.size(); ++i) on_log(r->logs[i], *r, i);
    }
  }
  if (const chain::Block* head = chain_.head()) on_block(*head);
}

}  // namespace models::streams
