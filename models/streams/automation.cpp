#include "models/streams/automation.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sim/distributions.hpp"
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

std::uint64_t perform_data_bytes(const PerformData& d) {
  if (d.opaque_bytes) return *d.opaque_bytes;
  std::uint64_t bytes = 4 * 32;  // offsets, extraData, the array's length
  for (const auto& r : d.reports) bytes += 32 + (encoded_size(r) + 31) / 32 * 32;
  return bytes;
}

chain::Calldata transmit_calldata(const std::vector<Perform>& performs, std::size_t signatures) {
  chain::CalldataBuilder b;
  // selector, reportContext (3 words), offsets, the report (upkeep ids, triggers, performData), rs, ss, rawVs.
  b.selector().bytes32().bytes32().bytes32().uint(192).uint(0).uint(0).bytes32();
  b.uint(performs.size());
  for (const Perform& p : performs) {
    b.uint(p.upkeep_id).bytes32().bytes32();
    if (p.data.opaque_bytes) {
      b.uint(*p.data.opaque_bytes).raw(0, *p.data.opaque_bytes);
      continue;
    }
    b.uint(p.data.extra_data).uint(p.data.reports.size());
    for (const auto& r : p.data.reports) {
      const std::uint64_t size = encoded_size(r);
      const std::uint64_t nonzero = std::min<std::uint64_t>(encoded_nonzero_bytes(r), size);
      b.uint(size).raw(size - nonzero, nonzero);
    }
  }
  b.uint(signatures).uint(signatures);
  for (std::size_t i = 0; i < 2 * signatures; ++i) b.bytes32();  // r and s
  b.bytes32();                                                    // the v bytes
  return b.build();
}

// ---------------------------------------------------------------------------------------------------------------
// AutomationRegistry

AutomationRegistry::AutomationRegistry(std::vector<chain::Address> transmitters, int f)
    : transmitters_(std::move(transmitters)), f_(f) {
  if (f_ < 1 || static_cast<int>(transmitters_.size()) <= 3 * f_)
    throw std::invalid_argument("AutomationRegistry: needs f > 0 and more than 3f transmitters");
}

std::uint64_t AutomationRegistry::register_upkeep(chain::Address target, chain::Gas gas_limit) {
  state_.upkeeps.push_back(UpkeepInfo{target, gas_limit, 0, 0, 0});
  return state_.upkeeps.size() - 1;
}

void AutomationRegistry::transmit(chain::ExecContext& c, const std::vector<Perform>& performs,
                                  const std::vector<int>& signers) {
  c.require(std::find(transmitters_.begin(), transmitters_.end(), c.sender()) != transmitters_.end(),
            "OnlyActiveTransmitters");
  c.require(static_cast<int>(signers.size()) == f_ + 1, "IncorrectNumberOfSignatures");
  std::set<int> distinct;
  for (const int s : signers) {
    c.require(s >= 0 && s < static_cast<int>(transmitters_.size()), "OnlyActiveSigners");
    c.require(distinct.insert(s).second, "DuplicateSigners");
  }
  ++state_.reports;
  c.gas().charge(AutomationGas::transmit + AutomationGas::per_signature * signers.size(), "automation");
  for (const Perform& p : performs) perform(c, p);
}

void AutomationRegistry::perform(chain::ExecContext& c, const Perform& p) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  const std::uint64_t upkeep_id = p.upkeep_id;
  const PerformData& data = p.data;
  g.charge(AutomationGas::perform + AutomationGas::perform_byte * perform_data_bytes(data), "automation");
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
// AutomationDon

namespace {
constexpr std::uint32_t kSmallMessage = 64;  // bytes of a request or a signature message; assumption
}  // namespace

struct AutomationDon::Lookup {
  Trigger trigger;
  StreamsLookup lookup;
  int request = 0;   // plugin retries so far (0: the first check)
  int attempt = 0;   // HTTP attempts in this request
};

struct AutomationDon::Node {
  Node(AutomationDon& don, int i, sim::Simulation& sim, chain::Chain& chain, chain::Address key)
      : id(i),
        control(automation_actor_name(i), "automation-node"),
        txm(sim, chain, key, don.cfg_.node),
        rng(sim.stream(automation_actor_name(i) + "/ticks")),
        poll_timer(sim, [&don, i] { don.poll(i); }, "streams/automation/poll"),
        read_timer(sim, [&don, i] { don.provide(i); }, "streams/automation/read"),
        check_timer(sim, [&don, i] { don.check(i); }, "streams/automation/check") {}
  int id;
  faults::ActorControl control;
  node::TxManager txm;
  sim::Rng rng;
  sim::HostId host = 0;
  sim::Duration poll_phase, read_phase, check_phase;
  sim::Timer poll_timer, read_timer, check_timer;
  std::uint64_t polled_to = 0;                 // highest block the log poller has read
  std::vector<Trigger> db;                      // logs read, not yet taken by the provider
  std::vector<Trigger> queue;                   // provided, not yet checked
  std::set<std::uint64_t> seen;                 // triggers queued since the last restart
  std::map<std::uint64_t, Lookup> lookups;      // by lookup id
  std::map<std::uint64_t, Result> results;      // checkCallback said needed, by trigger
  std::map<std::uint64_t, sim::Time> locks;     // trigger -> signed in a report, not observed before this time
  std::uint64_t epoch = 0;                      // bumped by a crash: late callbacks are dropped
};

struct AutomationDon::Round {
  std::uint64_t number = 0;
  int leader = 0;
  sim::Time started{};
  std::map<int, std::vector<std::pair<std::uint64_t, Result>>> observations;  // by node
  bool building = false;
  std::vector<Perform> report;
  std::set<int> signers;
  bool done = false;  // transmitted, or nothing agreed
};

AutomationDon::AutomationDon(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, chain::Address registry,
                             ReportFetcher fetcher, const AutomationDonConfig& cfg)
    : sim_(sim),
      chain_(chain),
      net_(net),
      registry_(registry),
      fetcher_(std::move(fetcher)),
      cfg_(cfg),
      round_timer_(sim, [this] { run_round(); }, "streams/automation/round") {
  const auto* reg = chain_.contract<AutomationRegistry>(registry_);
  if (reg == nullptr) throw std::invalid_argument("AutomationDon: no AutomationRegistry at the given address");
  if (static_cast<int>(reg->transmitters().size()) != cfg_.n || reg->f() != cfg_.f)
    throw std::invalid_argument("AutomationDon: the registry's transmitters and f do not match the DON");
  k_observe_req_ = net_.kind("automation/observe-req");
  k_observation_ = net_.kind("automation/observation");
  k_report_req_ = net_.kind("automation/report-req");
  k_signature_ = net_.kind("automation/signature");
  for (int i = 0; i < cfg_.n; ++i) {
    const chain::Address key = reg->transmitters()[static_cast<std::size_t>(i)];
    chain_.fund(key, cfg_.node.eth_balance);
    nodes_.push_back(std::make_unique<Node>(*this, i, sim_, chain_, key));
    Node& n = *nodes_.back();
    n.host = net_.add_host(automation_actor_name(i), cfg_.region);
    auto phase = [&n](sim::Duration period) {
      return sim::Duration::nanoseconds(static_cast<std::int64_t>(sim::uniform_index(n.rng, static_cast<std::uint64_t>(period.ns()))));
    };
    n.poll_phase = phase(cfg_.log_poll_interval);
    n.read_phase = phase(cfg_.read_interval);
    n.check_phase = phase(cfg_.check_interval);
    n.control.on_crash = [this, i] {
      Node& m = node(i);
      ++m.epoch;
      m.poll_timer.cancel();
      m.read_timer.cancel();
      m.check_timer.cancel();
      m.db.clear();
      m.queue.clear();
      m.seen.clear();
      m.lookups.clear();
      m.results.clear();
      m.locks.clear();
      m.txm.crash();
    };
    n.control.on_restart = [this, i] {
      Node& m = node(i);
      m.txm.restart();
      const std::uint64_t head = chain_.head_number();
      m.polled_to = head > cfg_.lookback_blocks ? head - cfg_.lookback_blocks - 1 : 0;  // read back lookback_blocks
      arm_on_grid(m.poll_timer, m.poll_phase, cfg_.log_poll_interval);
    };
  }
}

AutomationDon::~AutomationDon() = default;

faults::ActorControl& AutomationDon::control(int i) { return node(i).control; }
node::TxManager& AutomationDon::txm(int i) { return node(i).txm; }

const AutomationRegistry& AutomationDon::registry() const { return *chain_.contract<AutomationRegistry>(registry_); }

void AutomationDon::watch(std::uint64_t upkeep_id, chain::Address upkeep) { upkeeps_[upkeep] = upkeep_id; }

void AutomationDon::start() {
  for (auto& n : nodes_) {
    n->polled_to = chain_.head_number();
    arm_on_grid(n->poll_timer, n->poll_phase, cfg_.log_poll_interval);
  }
}

void AutomationDon::arm_on_grid(sim::Timer& t, sim::Duration phase, sim::Duration period) {
  if (t.armed()) return;
  const std::int64_t now = sim_.now().ns(), p = period.ns(), ph = phase.ns();
  const std::int64_t k = now < ph ? 0 : (now - ph) / p + 1;  // the first grid point after now
  t.arm_at(sim::Time::from_ns(ph + k * p));
}

void AutomationDon::send(int from, int to, std::uint32_t bytes, sim::MessageKind kind, std::function<void()> deliver) {
  if (from == to) {  // local: its own event, now
    sim_.after(sim::Duration{}, std::move(deliver), "streams/automation/local");
    return;
  }
  net_.send(node(from).host, node(to).host, bytes, kind, std::move(deliver));
}

void AutomationDon::report_event(std::uint64_t key, std::uint64_t upkeep_id, std::uint64_t extra, const char* what) {
  if (!reported_.insert({key, what}).second) return;
  event.emit(AutomationEvent{upkeep_id, extra, what, sim_.now()});
}

// --- the log pipeline ---------------------------------------------------------------------------------------------

void AutomationDon::poll(int i) {
  Node& n = node(i);
  if (!n.control.admit()) return;
  const std::uint64_t head = chain_.head_number();
  const std::uint64_t to = head > cfg_.block_query_delay ? head - cfg_.block_query_delay : 0;
  for (std::uint64_t b = n.polled_to + 1; b <= to; ++b) {
    const chain::Block* block = chain_.block(b);
    if (block == nullptr) continue;  // older than the chain's history
    for (const chain::TxHash h : block->txs) {
      const chain::Receipt* r = chain_.receipt(h);
      if (r == nullptr || r->status != chain::TxStatus::success) continue;
      for (std::size_t li = 0; li < r->logs.size(); ++li) {
        const auto it = upkeeps_.find(r->logs[li].emitter);
        if (it == upkeeps_.end()) continue;
        const std::uint64_t key = trigger_key(it->second, r->hash, li);
        if (!n.seen.insert(key).second) continue;
        n.db.push_back(Trigger{key, it->second, it->first, r->logs[li], *r});
      }
    }
  }
  n.polled_to = std::max(n.polled_to, to);
  if (!n.db.empty()) arm_on_grid(n.read_timer, n.read_phase, cfg_.read_interval);
  arm_on_grid(n.poll_timer, n.poll_phase, cfg_.log_poll_interval);
}

void AutomationDon::provide(int i) {
  Node& n = node(i);
  if (!n.control.admit()) return;
  for (auto& t : n.db) n.queue.push_back(std::move(t));
  n.db.clear();
  if (!n.queue.empty()) arm_on_grid(n.check_timer, n.check_phase, cfg_.check_interval);
}

void AutomationDon::check(int i) {
  Node& n = node(i);
  if (!n.control.admit()) return;
  std::vector<Trigger> queue;
  queue.swap(n.queue);
  for (const Trigger& t : queue) {
    if (registry().performed(t.key)) continue;
    start_lookup(i, t, 0);
  }
}

void AutomationDon::start_lookup(int i, const Trigger& t, int request) {
  Node& n = node(i);
  const auto* upkeep = dynamic_cast<const StreamsLookupUpkeep*>(chain_.contracts().find(t.upkeep));
  const auto lookup = upkeep != nullptr ? upkeep->check_log(t.log, t.receipt) : std::nullopt;
  if (!lookup) return;  // checkLog: not a log this upkeep acts on
  const std::uint64_t id = next_lookup_++;
  n.lookups.emplace(id, Lookup{t, *lookup, request, 0});
  // The request's timeout: the whole DoRequest (every HTTP attempt) within request_timeout; not retried.
  const std::uint64_t epoch = n.epoch;
  sim_.after(cfg_.request_timeout, [this, i, id, epoch] {
    if (node(i).epoch != epoch || !node(i).control.admit()) return;
    finish_lookup(i, id, "timeout");
  }, "streams/automation/timeout");
  http_attempt(i, id);
}

void AutomationDon::http_attempt(int i, std::uint64_t id) {
  Node& n = node(i);
  const auto it = n.lookups.find(id);
  if (it == n.lookups.end()) return;
  Lookup& l = it->second;
  const std::uint64_t attempt = static_cast<std::uint64_t>(++l.attempt);
  ++lookups_;
  const std::uint64_t epoch = n.epoch;
  fetcher_(i, l.lookup.feeds, l.lookup.timestamp, [this, i, id, attempt, epoch](std::vector<SignedReport> reports) {
    if (node(i).epoch != epoch || !node(i).control.admit()) return;
    on_answer(i, id, attempt, std::move(reports));
  });
}

void AutomationDon::on_answer(int i, std::uint64_t id, std::uint64_t attempt, std::vector<SignedReport> reports) {
  Node& n = node(i);
  const auto it = n.lookups.find(id);
  if (it == n.lookups.end() || static_cast<std::uint64_t>(it->second.attempt) != attempt) return;
  Lookup& l = it->second;
  bool complete = !reports.empty();
  for (const FeedId f : l.lookup.feeds)
    complete = complete && std::any_of(reports.begin(), reports.end(), [f](const SignedReport& r) { return r.report.feed_id == f; });
  if (complete) {
    const auto* upkeep = dynamic_cast<const StreamsLookupUpkeep*>(chain_.contracts().find(l.trigger.upkeep));
    CheckResult res = upkeep != nullptr ? upkeep->check_callback(reports, l.lookup.extra_data) : CheckResult{};
    const Trigger t = l.trigger;
    const std::uint64_t extra = l.lookup.extra_data;
    n.lookups.erase(it);
    if (!res.upkeep_needed) {
      if (!registry().performed(t.key)) report_event(t.key, t.upkeep_id, extra, "not_needed");
      return;
    }
    res.perform_data.trigger = t.key;
    add_result(i, t.key, Result{t.upkeep_id, t.receipt.block_number, sim_.now(), std::move(res.perform_data)});
    return;
  }
  // Empty or partial (HTTP 5xx / 206): retried with exponential backoff and jitter, http_attempts in all.
  if (l.attempt < cfg_.http_attempts) {
    const std::int64_t base = cfg_.http_retry_delay.ns() << (l.attempt - 1);
    const auto jitter = static_cast<std::int64_t>(sim::uniform_index(n.rng, static_cast<std::uint64_t>(std::max<std::int64_t>(cfg_.http_jitter.ns(), 1))));
    const std::uint64_t epoch = n.epoch;
    sim_.after(sim::Duration::nanoseconds(base + jitter), [this, i, id, epoch] {
      if (node(i).epoch != epoch || !node(i).control.admit()) return;
      http_attempt(i, id);
    }, "streams/automation/http-retry");
    return;
  }
  finish_lookup(i, id, nullptr);
}

void AutomationDon::finish_lookup(int i, std::uint64_t id, const char* failure) {
  Node& n = node(i);
  const auto it = n.lookups.find(id);
  if (it == n.lookups.end()) return;
  const Lookup l = it->second;
  n.lookups.erase(it);
  if (failure == nullptr && l.request < cfg_.plugin_retries) {
    // Retryable (MercuryFlakyFailure): the plugin checks the trigger again, after 1 s for retries 1-5, 5 s after.
    const sim::Duration wait = sim::Duration::from_seconds(l.request < 5 ? 1.0 : 5.0);
    const std::uint64_t epoch = n.epoch;
    const Trigger t = l.trigger;
    const int next = l.request + 1;
    sim_.after(wait, [this, i, t, next, epoch] {
      if (node(i).epoch != epoch || !node(i).control.admit()) return;
      if (registry().performed(t.key)) return;
      start_lookup(i, t, next);
    }, "streams/automation/plugin-retry");
    return;
  }
  // This node gives the trigger up; the DON has lost it once fewer than f+1 nodes could still agree on it.
  auto& gave_up = gave_up_[l.trigger.key];
  gave_up.insert(i);
  if (static_cast<int>(gave_up.size()) > cfg_.n - (cfg_.f + 1) && !registry().performed(l.trigger.key))
    report_event(l.trigger.key, l.trigger.upkeep_id, l.lookup.extra_data, "lookup_failed");
}

void AutomationDon::add_result(int i, std::uint64_t key, Result r) {
  node(i).results[key] = std::move(r);
  schedule_round();
}

// --- OCR3 rounds --------------------------------------------------------------------------------------------------

bool AutomationDon::has_results() const {
  for (const auto& n : nodes_)
    if (n->control.up() && !n->results.empty()) return true;
  return false;
}

bool AutomationDon::round_in_progress() const {
  // A report being signed or sent is not cut short by the next round; after 10 rounds it is abandoned.
  return round_ && round_->building && !round_->done && sim_.now() - round_->started < cfg_.delta_round * 10;
}

void AutomationDon::schedule_round() { arm_on_grid(round_timer_, sim::Duration{}, cfg_.delta_round); }

void AutomationDon::run_round() {
  if (round_in_progress()) {
    schedule_round();
    return;
  }
  const std::uint64_t number = static_cast<std::uint64_t>(sim_.now().ns() / cfg_.delta_round.ns());
  const int leader = static_cast<int>(number % static_cast<std::uint64_t>(cfg_.n));
  ++rounds_;
  round_ = std::make_unique<Round>();
  round_->number = number;
  round_->leader = leader;
  round_->started = sim_.now();
  if (node(leader).control.admit()) {
    for (int j = 0; j < cfg_.n; ++j)
      send(leader, j, kSmallMessage, k_observe_req_, [this, j, number, leader] { observe(j, number, leader); });
  }
  if (has_results() || round_in_progress()) schedule_round();
}

void AutomationDon::observe(int i, std::uint64_t round, int leader) {
  Node& n = node(i);
  if (!n.control.admit()) return;
  std::vector<std::pair<std::uint64_t, Result>> obs;
  std::uint32_t bytes = kSmallMessage;
  for (auto it = n.results.begin(); it != n.results.end();) {
    if (registry().performed(it->first) || sim_.now() - it->second.found_at >= cfg_.result_ttl) {  // done, or stale
      n.locks.erase(it->first);
      it = n.results.erase(it);
      continue;
    }
    const auto lock = n.locks.find(it->first);
    if (lock == n.locks.end() || lock->second <= sim_.now()) {
      obs.emplace_back(it->first, it->second);
      bytes += static_cast<std::uint32_t>(perform_data_bytes(it->second.data));
    }
    ++it;
  }
  send(i, leader, bytes, k_observation_, [this, round, i, obs = std::move(obs)]() mutable { on_observation(round, i, std::move(obs)); });
}

void AutomationDon::on_observation(std::uint64_t round, int from, std::vector<std::pair<std::uint64_t, Result>> obs) {
  if (!round_ || round_->number != round || !node(round_->leader).control.admit()) return;
  Round& r = *round_;
  if (r.building) return;  // too late for this round
  r.observations[from] = std::move(obs);
  if (static_cast<int>(r.observations.size()) < 2 * cfg_.f + 1) return;
  r.building = true;
  sim_.after(cfg_.delta_grace, [this, round] { build_report(round); }, "streams/automation/grace");
}

void AutomationDon::build_report(std::uint64_t round) {
  if (!round_ || round_->number != round || !node(round_->leader).control.admit()) return;
  Round& r = *round_;
  std::map<std::uint64_t, std::pair<int, const Result*>> seen;  // trigger -> (nodes observing it, one copy)
  for (const auto& [node_id, obs] : r.observations)
    for (const auto& [key, res] : obs) {
      auto& s = seen[key];
      ++s.first;
      s.second = &res;
    }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> agreed;  // (block, trigger)
  for (const auto& [key, s] : seen)
    if (s.first >= cfg_.f + 1) agreed.emplace_back(s.second->block, key);
  if (agreed.empty()) {
    r.done = true;
    return;
  }
  std::sort(agreed.begin(), agreed.end());
  std::uint32_t bytes = kSmallMessage;
  chain::Gas gas = 0;
  for (const auto& [block, key] : agreed) {  // the oldest first, while their gas limits fit in one report
    const Result& res = *seen[key].second;
    gas += registry().upkeep(res.upkeep_id).gas_limit;
    if (!r.report.empty() && gas > cfg_.report_gas_limit) break;
    r.report.push_back(Perform{res.upkeep_id, res.data});
    bytes += static_cast<std::uint32_t>(perform_data_bytes(res.data));
  }
  const int leader = r.leader;
  for (int j = 0; j < cfg_.n; ++j)
    send(leader, j, bytes, k_report_req_, [this, j, round, leader, report = r.report] { sign(j, round, leader, report); });
}

void AutomationDon::sign(int i, std::uint64_t round, int leader, const std::vector<Perform>& report) {
  Node& n = node(i);
  if (!n.control.admit()) return;
  for (const Perform& p : report) n.locks[p.data.trigger] = sim_.now() + cfg_.lock_timeout;
  send(i, leader, kSmallMessage, k_signature_, [this, round, i] { on_signature(round, i); });
}

void AutomationDon::on_signature(std::uint64_t round, int from) {
  if (!round_ || round_->number != round || !node(round_->leader).control.admit()) return;
  Round& r = *round_;
  r.signers.insert(from);
  if (r.done || static_cast<int>(r.signers.size()) < cfg_.f + 1) return;
  r.done = true;
  transmit();
}

void AutomationDon::transmit() {
  Round& r = *round_;
  std::vector<int> signers(r.signers.begin(), r.signers.end());
  signers.resize(static_cast<std::size_t>(cfg_.f + 1));
  const std::vector<Perform> performs = r.report;
  chain::Gas gas_limit = 0;
  for (const Perform& p : performs)
    gas_limit += registry().upkeep(p.upkeep_id).gas_limit + AutomationGas::overhead(signers.size(), perform_data_bytes(p.data)) +
                 AutomationGas::tx_overhead;
  node::TxRequest req{.to = registry_, .gas_limit = gas_limit, .calldata = transmit_calldata(performs, signers.size()),
                      .call = [performs, signers](chain::ExecContext& c) {
                        c.self_as<AutomationRegistry>().transmit(c, performs, signers);
                      },
                      .label = "streams/automation/perform"};
  const bool sent = node(r.leader).txm.send(std::move(req), [this, performs](const chain::Receipt& rc) {
    perform_included.emit(rc);
    for (const Perform& p : performs) {
      bool ok = rc.status == chain::TxStatus::success;
      for (const auto& l : rc.logs)
        if (const auto* u = std::any_cast<UpkeepPerformed>(&l.payload); u != nullptr && u->trigger == p.data.trigger)
          ok = ok && u->success;
      if (!ok) report_event(p.data.trigger, p.upkeep_id, p.data.extra_data, "perform_failed");
    }
  });
  if (!sent) {
    for (const Perform& p : performs) report_event(p.data.trigger, p.upkeep_id, p.data.extra_data, "send_failed");
    return;
  }
  ++reports_sent_;
}

}  // namespace models::streams
