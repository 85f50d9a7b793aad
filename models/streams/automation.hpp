#pragma once
// Chainlink Automation for log-triggered upkeeps with StreamsLookup (facts §4, Streams Trade), in two parts:
//
//   AutomationRegistry (contract): registers upkeeps and is the entry point of performUpkeep. It accepts performs
//   only from its transmitter (the Automation node's key), drops a second perform of the same log trigger
//   (dedup key, as the registry's s_dedupKeys), forwards to the upkeep with the upkeep's gas limit (facts §4:
//   Automation OCR2 default 5,400,000) and records the gas. A reverting upkeep does not revert the transmission:
//   its effects are undone and UpkeepPerformed{success = false} is emitted, as the registry's low-level call.
//
//   AutomationNode (off-chain actor): listens to the chain's logs, and once a log has `confirmations` blocks
//   (assumption, 1 default: the log's own block) runs checkLog (eth_call). A StreamsLookup(feeds, timestamp,
//   extraData) answer (EIP-3668 style revert) makes it fetch the reports of `feeds` at `timestamp` through a
//   ReportFetcher (the aggregation network's REST /api/v1/reports/bulk), call checkCallback(values, extraData)
//   and, if the upkeep is needed, submit performUpkeep through its transaction manager.
//   Retry policy (assumption): an empty answer is retried every `retry_every` (1 s) up to `max_attempts` (10);
//   then the trigger is given up (lookup_failed). A trigger is handled once; after a crash the node re-reads the
//   recent blocks' logs (log poller backfill) and the upkeep's pending state decides what is still due.
//
// Simplified: one Automation node stands for the Automation DON (no OCR3 round among Automation nodes: its
// latency is part of `check_delay`); the registry's OCR report checks and LINK billing are one fixed gas
// overhead (AutomationGas, assumption); checkLog/checkCallback are free eth_calls. The chain model has one gas
// meter per transaction, so an upkeep exceeding its gas limit is caught when it returns: its effects are undone
// and UpkeepPerformed reports gas_used = the limit, but the transaction pays what the upkeep really ran.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/chain/execution.hpp"
#include "models/faults/actor_control.hpp"
#include "models/node/node_config.hpp"
#include "models/node/tx_manager.hpp"
#include "models/streams/report.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace models::streams {

// Fetches the reports of `feeds` at `timestamp` (REST /api/v1/reports/bulk); `done` runs when the answer arrives
// (empty vector = failure / not found; the Automation node retries per its documented policy).
using ReportFetcher = std::function<void(const std::vector<FeedId>& feeds, std::uint32_t timestamp,
                                         std::function<void(std::vector<SignedReport>)> done)>;

// What checkLog reverts with: StreamsLookup("feedIDs", feeds, "timestamp", timestamp, extraData).
struct StreamsLookup {
  std::vector<FeedId> feeds;
  std::uint32_t timestamp = 0;   // s
  std::uint64_t extra_data = 0;  // the upkeep's own context (e.g. the trade id)
};

// performData, in model form: the reports checkCallback chose, the upkeep's context, and the log trigger's key.
struct PerformData {
  std::vector<SignedReport> reports;
  std::uint64_t extra_data = 0;
  std::uint64_t trigger = 0;     // dedup key of the log trigger (set by the node)
};

// checkCallback's answer.
struct CheckResult {
  bool upkeep_needed = false;
  PerformData perform_data;
};

// A log-triggered upkeep that asks for Data Streams reports (ILogAutomation + StreamsLookupCompatibleInterface).
class StreamsLookupUpkeep {
 public:
  virtual ~StreamsLookupUpkeep() = default;
  // checkLog (eth_call): the StreamsLookup for a log this upkeep acts on, nullopt for any other log.
  virtual std::optional<StreamsLookup> check_log(const chain::Log& log, const chain::Receipt& receipt) const = 0;
  // checkCallback(values, extraData) (eth_call).
  virtual CheckResult check_callback(const std::vector<SignedReport>& values, std::uint64_t extra_data) const = 0;
  // performUpkeep(performData); msg.sender is the registry.
  virtual void perform_upkeep(chain::ExecContext& c, const PerformData& data) = 0;
};

// Gas of the registry beyond the upkeep's own execution (assumptions: the Automation registry's OCR report
// checks, accounting and its fixed/per-byte overheads were not measured).
struct AutomationGas {
  static constexpr chain::Gas registry_fixed = 60'000;    // transmit: report checks, upkeep state, billing; assumption
  static constexpr chain::Gas tx_overhead = 300'000;       // tx gas limit = upkeep gas limit + this; assumption
};

struct UpkeepInfo {
  chain::Address target{};
  chain::Gas gas_limit = 0;
  std::uint64_t performs = 0;          // successful performs
  std::uint64_t failed_performs = 0;   // the upkeep reverted or ran out of its gas limit
  chain::Gas last_perform_gas = 0;     // gas used by the upkeep in its last perform
};

struct AutomationRegistryState {
  std::vector<UpkeepInfo> upkeeps;     // id = index
  std::set<std::uint64_t> dedup_keys;  // log triggers already performed
};

// UpkeepPerformed(id, success, gasUsed, trigger).
struct UpkeepPerformed {
  std::uint64_t upkeep_id = 0;
  bool success = false;
  chain::Gas gas_used = 0;       // gas used by the upkeep's performUpkeep
  std::uint64_t trigger = 0;
  std::string revert_reason;     // when !success
};

class AutomationRegistry : public chain::StatefulContract<AutomationRegistryState> {
 public:
  explicit AutomationRegistry(chain::Address transmitter);

  // Set-up (not a transaction): registers an upkeep contract (must implement StreamsLookupUpkeep); returns its id.
  std::uint64_t register_upkeep(chain::Address target, chain::Gas gas_limit);

  // performUpkeep through the registry: only the transmitter. A trigger performed before is dropped
  // (StaleUpkeepReport, no revert).
  void perform_upkeep(chain::ExecContext& c, std::uint64_t upkeep_id, const PerformData& data);

  // Views.
  const UpkeepInfo& upkeep(std::uint64_t id) const { return state_.upkeeps.at(id); }
  chain::Address transmitter() const { return transmitter_; }

 private:
  chain::Address transmitter_;
};

// Calldata of the perform transaction: the reports (encoded_size each) plus a few words of trigger context.
chain::Calldata perform_calldata(const PerformData& data);

struct AutomationNodeConfig {
  std::uint32_t confirmations = 1;      // blocks a log needs before checkLog (1: its own block); assumption
  sim::Duration check_delay = sim::Duration::nanoseconds(0);  // from seeing the log to checkLog; assumption: 0
  sim::Duration retry_every = sim::Duration::nanoseconds(1'000'000'000);  // retry after an empty answer; assumption 1 s
  int max_attempts = 10;                // fetch attempts per trigger; assumption
  node::NodeConfig node = funded_node(); // funding and gas estimation of its transmitter key
  // The transmitter's funding: 1,000 ETH, ample for any run (assumption: the real registry reimburses its
  // transmitters from the upkeep's LINK balance, which the model does not settle).
  static node::NodeConfig funded_node() {
    node::NodeConfig c;
    c.eth_balance = 1'000 * chain::kEther;
    return c;
  }
};

// A trigger the node gave up on, or a perform that failed.
struct AutomationEvent {
  std::uint64_t upkeep_id = 0;
  std::uint64_t extra_data = 0;
  std::string what;   // "lookup_failed", "not_needed", "send_failed", "perform_failed"
  sim::Time at{};
};

class AutomationNode {
 public:
  // `registry`: the AutomationRegistry contract; `key`: its transmitter account (funded here with cfg.node).
  AutomationNode(sim::Simulation& sim, chain::Chain& chain, chain::Address registry, chain::Address key,
                 ReportFetcher fetcher, const AutomationNodeConfig& cfg, std::string name = "streams/automation");
  AutomationNode(const AutomationNode&) = delete;
  AutomationNode& operator=(const AutomationNode&) = delete;

  // Watches logs of `upkeep` (registered in the registry as `upkeep_id`).
  void watch(std::uint64_t upkeep_id, chain::Address upkeep);

  faults::ActorControl& control() { return control_; }
  node::TxManager& txm() { return txm_; }

  sim::Signal<AutomationEvent> event;              // lookups given up, performs that failed
  sim::Signal<chain::Receipt> perform_included;    // every performUpkeep receipt

  std::uint64_t lookups() const { return lookups_; }        // fetches started (attempts)
  std::uint64_t performs_sent() const { return performs_sent_; }

 private:
  struct Trigger {
    std::uint64_t key = 0;
    std::uint64_t upkeep_id = 0;
    chain::Address upkeep{};
    chain::Log log;
    chain::Receipt receipt;
    int attempts = 0;
  };
  void on_log(const chain::Log& log, const chain::Receipt& r, std::uint64_t log_index);
  void on_block(const chain::Block& b);
  void check(std::uint64_t key);
  void fetch(std::uint64_t key, const StreamsLookup& lookup);
  void on_reports(std::uint64_t key, std::uint64_t epoch, const StreamsLookup& lookup,
                  std::vector<SignedReport> reports);
  void backfill();
  StreamsLookupUpkeep* upkeep_at(chain::Address a) const;

  sim::Simulation& sim_;
  chain::Chain& chain_;
  chain::Address registry_;
  ReportFetcher fetcher_;
  AutomationNodeConfig cfg_;
  faults::ActorControl control_;
  node::TxManager txm_;
  std::map<chain::Address, std::uint64_t> upkeeps_;          // watched upkeep -> id
  std::map<std::uint64_t, Trigger> waiting_;                // triggers not yet confirmed, by key
  std::map<std::uint64_t, Trigger> active_;                 // triggers being looked up, by key
  std::set<std::uint64_t> handled_;                          // triggers done (performed, given up, not needed)
  std::uint64_t epoch_ = 0;                                  // bumped by a crash: late answers are dropped
  std::uint64_t lookups_ = 0;
  std::uint64_t performs_sent_ = 0;
  chain::TxHash last_tx_{};                                  // log index within a tx, counted as logs arrive
  std::uint64_t last_block_ = 0;
  std::uint64_t log_index_ = 0;
  sim::Connection log_conn_;
  sim::Connection block_conn_;
};

// The dedup key of a log trigger: the upkeep, the transaction and the log's index in it.
std::uint64_t trigger_key(std::uint64_t upkeep_id, chain::TxHash tx, std::uint64_t log_index);

}  // namespace models::streams
