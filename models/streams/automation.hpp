#pragma once
// Chainlink Automation for log-triggered upkeeps with StreamsLookup (facts §4, Streams Trade), in two parts:
//
//   AutomationRegistry (contract, after automation/v2_3): registers upkeeps and takes transmit(report, sigs) from
//   the DON's transmitters. A report must carry exactly f+1 signatures of distinct DON signers; each perform in it
//   whose log trigger was performed before is dropped (StaleUpkeepReport, no revert), else the upkeep runs with
//   its gas limit (facts §4: Automation OCR2 default 5,400,000). A reverting upkeep does not revert the
//   transmission: its effects are undone and UpkeepPerformed{success = false} is emitted, as the registry's
//   low-level call. The registry's gas is metered per operation with constants calibrated against the real
//   registry (AutomationGas); the published v2.3 log-trigger overhead (122,500 + 5,600 per signer + 24 per byte of
//   performData, facts §4, AutomationRegistryBase2_3.sol) is the nodes' estimate for the gas limit.
//
//   AutomationDon (off-chain): n nodes (actors streams/automation/node-<i>), each a Chainlink node with
//     - a log poller: every LogPollInterval (15 s on Ethereum, facts §6) it reads the logs of the blocks up to
//       head - RPCBlockQueryDelay (1) into its database; after a restart it reads back `lookback_blocks`;
//     - a log provider that takes new logs from the database every ReadInterval (1 s) and a log-trigger flow that
//       checks them every LogCheckInterval (1 s) (CL v21 logprovider/factory.go; chainlink-automation
//       pkg/v3/flows/logtrigger.go); each tick sits on the node's own phase;
//     - the mercury lookup: checkLog (eth_call) reverts StreamsLookup(feeds, timestamp, extraData); the node asks
//       its REST client for the reports; an empty or partial answer is retried after 500 ms then 1 s (+ up to
//       100 ms jitter), 3 HTTP attempts in all, within a 10 s request timeout (a timeout is not retried); after
//       the attempts the trigger is retried by the plugin after 1 s (retries 1-5) and 5 s (retry 6), and then
//       given up (CL v21 mercury/v03/request.go, mercury.go, registry.go); checkCallback (eth_call) gives
//       performData;
//     - OCR3 rounds every DeltaRound: the round's leader asks every node for its observation (results it has
//       and has not seen performed or locked); with 2f+1 observations it waits DeltaGrace, keeps the results at
//       least f+1 nodes observed, asks for signatures; with f+1 it transmits from its own key. A node that signs
//       a report locks its results for `lock_timeout` (unless the registry shows them performed first). A report
//       carries the oldest agreed performs whose gas limits fit in `report_gas_limit` (at least one); a round whose
//       report is being signed is not cut short by the next one (it is abandoned after 10 x DeltaRound); a node
//       drops a result it has held for `result_ttl` without seeing it performed.
//   So a perform lands at least two blocks after its trigger: the log is read one block late, then a transaction.
//
// Simplified: the leader of round k is node k mod n; a round whose leader is down produces nothing (no
// pacemaker epochs; the next round has the next leader); the leader transmits (no transmission schedule among
// nodes); rounds in which no node has a result to observe are not simulated (they would only carry empty
// observations); a plugin retry waits its interval, not the retry queue's tick; checkLog/checkCallback are free
// eth_calls; the registry's OCR checks and billing are metered as calibrated constants (AutomationGas), and upkeep
// balances are not settled.
// The chain model has one gas meter per transaction, so an upkeep exceeding its gas limit is caught when it
// returns: its effects are undone and UpkeepPerformed reports gas_used = the limit, but the transaction pays what
// the upkeep really ran.
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
#include "models/streams/streams_config.hpp"
#include "sim/network/network.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::streams {

// Fetches the reports of `feeds` at `timestamp` for DON node `node` (its REST client: /api/v1/reports/bulk);
// `done` runs when the answer arrives (empty vector = failure / not found; fewer reports than feeds = partial).
// It may never run (a request that hangs): the node's request timeout covers that.
using ReportFetcher = std::function<void(int node, const std::vector<FeedId>& feeds, std::uint32_t timestamp,
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
  // Set: the performData is this many bytes of an upkeep's own encoding (not Streams reports; e.g. the gas
  // calibration's target), all non-zero.
  std::optional<std::uint64_t> opaque_bytes;
};

// Encoded size of performData in bytes (the reports, a few words of context).
std::uint64_t perform_data_bytes(const PerformData& d);

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

// Gas of the registry. `overhead` is the registry's own estimate of it per perform (facts §4,
// AutomationRegistryBase2_3.sol REGISTRY_LOG_OVERHEAD, REGISTRY_PER_SIGNER_GAS_OVERHEAD,
// REGISTRY_PER_PERFORM_BYTE_GAS_OVERHEAD), which billing and the nodes' transaction gas limit use. What a transmit
// runs is metered apart: its storage, accounts and logs per operation, plus the compute constants below, calibrated
// against AutomationRegistry 2.3 (@chainlink/contracts 1.2.0, solc 0.8.19) run in @ethereumjs/vm
// (tests/data/gas/measured.csv: one log-trigger upkeep, n = 4 and 16, one or two performs, 0 or 256 bytes of
// performData; least squares, every row within 0.5%). The published overhead is about 40% above a one-perform
// transmit's real cost: its signers are counted per perform, and its 24 gas per byte includes the calldata.
struct AutomationGas {
  static constexpr chain::Gas log_overhead = 122'500;   // facts §4 (a later v2.3 revision reads 123,500)
  static constexpr chain::Gas per_signer = 5'600;       // facts §4
  static constexpr chain::Gas per_perform_byte = 24;    // facts §4
  static constexpr chain::Gas tx_overhead = 300'000;    // tx gas limit = per perform, the upkeep's gas limit + its
                                                         // registry overhead + this; assumption
  static chain::Gas overhead(std::size_t signers, std::uint64_t perform_bytes) {
    return log_overhead + per_signer * signers + per_perform_byte * perform_bytes;
  }
  // Metered execution (calibrated).
  static constexpr chain::Gas transmit = 63'762;        // per transmit: report decoding, config, billing and
                                                         // price-feed reads, the OCR checks
  static constexpr chain::Gas per_signature = 6'022;    // per transmit and signature: ecrecover, signer checks
  static constexpr chain::Gas perform = 26'995;         // per perform: forwarder call, gas checks, billing writes
  static constexpr chain::Gas perform_byte = 6;         // per byte of performData: copies and hashing
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
  std::uint64_t reports = 0;           // transmits accepted
};

// UpkeepPerformed(id, success, gasUsed, trigger).
struct UpkeepPerformed {
  std::uint64_t upkeep_id = 0;
  bool success = false;
  chain::Gas gas_used = 0;       // gas used by the upkeep's performUpkeep
  std::uint64_t trigger = 0;
  std::string revert_reason;     // when !success
};

// One upkeep's perform in a report.
struct Perform {
  std::uint64_t upkeep_id = 0;
  PerformData data;
};

class AutomationRegistry : public chain::StatefulContract<AutomationRegistryState> {
 public:
  // `transmitters`: the DON nodes' keys (node i transmits from transmitters[i]); `f`: faults tolerated.
  AutomationRegistry(std::vector<chain::Address> transmitters, int f);

  // Set-up (not a transaction): registers an upkeep contract (must implement StreamsLookupUpkeep); returns its id.
  std::uint64_t register_upkeep(chain::Address target, chain::Gas gas_limit);

  // transmit(report, sigs): only a transmitter; exactly f+1 signatures of distinct nodes ("IncorrectNumberOfSignatures",
  // "DuplicateSigners", "OnlyActiveSigners"). Each perform: stale triggers are dropped, the rest run.
  void transmit(chain::ExecContext& c, const std::vector<Perform>& performs, const std::vector<int>& signers);

  // Views.
  const UpkeepInfo& upkeep(std::uint64_t id) const { return state_.upkeeps.at(id); }
  bool performed(std::uint64_t trigger) const { return state_.dedup_keys.count(trigger) != 0; }
  const std::vector<chain::Address>& transmitters() const { return transmitters_; }
  int f() const { return f_; }

 private:
  void perform(chain::ExecContext& c, const Perform& p);
  std::vector<chain::Address> transmitters_;
  int f_;
};

// Calldata of the transmit transaction: the performs (encoded performData each), the report context and f+1
// signatures (65 bytes each).
chain::Calldata transmit_calldata(const std::vector<Perform>& performs, std::size_t signatures);

// The DON's settings (streams_config.hpp, with their sources), its region and its nodes' keys.
struct AutomationDonConfig : AutomationConfig {
  std::string region;                    // network region of the nodes (empty: the first)
  node::NodeConfig node = funded_node(); // funding and gas estimation of each transmitter key
  // The transmitters' funding: 1,000 ETH, ample for any run (assumption: the real registry reimburses its
  // transmitters from the upkeep's balance, which the model does not settle).
  static node::NodeConfig funded_node() {
    node::NodeConfig c;
    c.eth_balance = 1'000 * chain::kEther;
    return c;
  }
};

// A trigger given up (lookup_failed: so many nodes gave up its lookup that fewer than f+1 can still agree on it;
// not_needed: checkCallback said so), or a perform that failed; once per trigger and kind.
struct AutomationEvent {
  std::uint64_t upkeep_id = 0;
  std::uint64_t extra_data = 0;
  std::string what;   // "lookup_failed", "not_needed", "send_failed", "perform_failed"
  sim::Time at{};
};

class AutomationDon {
 public:
  // `registry`: the AutomationRegistry, whose transmitters[i] is node i's key (funded here with cfg.node).
  AutomationDon(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, chain::Address registry,
                ReportFetcher fetcher, const AutomationDonConfig& cfg);
  ~AutomationDon();
  AutomationDon(const AutomationDon&) = delete;
  AutomationDon& operator=(const AutomationDon&) = delete;

  // Watches logs of `upkeep` (registered in the registry as `upkeep_id`).
  void watch(std::uint64_t upkeep_id, chain::Address upkeep);
  // Arms every node's log poller.
  void start();

  int n() const { return cfg_.n; }
  faults::ActorControl& control(int i);
  node::TxManager& txm(int i);

  sim::Signal<AutomationEvent> event;              // triggers given up, performs that failed
  sim::Signal<chain::Receipt> perform_included;    // every transmit receipt

  std::uint64_t lookups() const { return lookups_; }          // HTTP requests made, every node
  std::uint64_t reports_sent() const { return reports_sent_; }  // transmit transactions sent
  std::uint64_t rounds() const { return rounds_; }            // rounds simulated

 private:
  struct Node;
  struct Trigger {
    std::uint64_t key = 0;
    std::uint64_t upkeep_id = 0;
    chain::Address upkeep{};
    chain::Log log;
    chain::Receipt receipt;
  };
  struct Result {
    std::uint64_t upkeep_id = 0;
    std::uint64_t block = 0;  // the trigger's block (oldest first in a report)
    sim::Time found_at{};     // when checkCallback returned it (dropped after result_ttl)
    PerformData data;
  };
  struct Lookup;
  struct Round;

  Node& node(int i) { return *nodes_[static_cast<std::size_t>(i)]; }
  void poll(int i);
  void provide(int i);
  void check(int i);
  void start_lookup(int i, const Trigger& t, int plugin_retry);
  void http_attempt(int i, std::uint64_t lookup_id);
  void on_answer(int i, std::uint64_t lookup_id, std::uint64_t attempt, std::vector<SignedReport> reports);
  void finish_lookup(int i, std::uint64_t lookup_id, const char* failure);
  void add_result(int i, std::uint64_t key, Result r);
  void arm_on_grid(sim::Timer& t, sim::Duration phase, sim::Duration period);
  void schedule_round();
  void run_round();
  void observe(int i, std::uint64_t round, int leader);
  void on_observation(std::uint64_t round, int from, std::vector<std::pair<std::uint64_t, Result>> obs);
  void build_report(std::uint64_t round);
  void sign(int i, std::uint64_t round, int leader, const std::vector<Perform>& report);
  void on_signature(std::uint64_t round, int from);
  void transmit();  // the current round's report, by its leader
  bool has_results() const;
  void report_event(std::uint64_t key, std::uint64_t upkeep_id, std::uint64_t extra, const char* what);
  bool round_in_progress() const;
  const class AutomationRegistry& registry() const;
  void send(int from, int to, std::uint32_t bytes, sim::MessageKind kind, std::function<void()> deliver);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  sim::Network& net_;
  chain::Address registry_;
  ReportFetcher fetcher_;
  AutomationDonConfig cfg_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<chain::Address, std::uint64_t> upkeeps_;  // watched upkeep -> id
  std::unique_ptr<Round> round_;                      // the round in progress, if any
  sim::Timer round_timer_;
  sim::MessageKind k_observe_req_, k_observation_, k_report_req_, k_signature_;
  std::set<std::pair<std::uint64_t, std::string>> reported_;  // (trigger, what) already reported
  std::map<std::uint64_t, std::set<int>> gave_up_;            // trigger -> nodes whose lookup gave up
  std::uint64_t lookups_ = 0;
  std::uint64_t reports_sent_ = 0;
  std::uint64_t rounds_ = 0;
  std::uint64_t next_lookup_ = 1;
};

// The dedup key of a log trigger: the upkeep, the transaction and the log's index in it.
std::uint64_t trigger_key(std::uint64_t upkeep_id, chain::TxHash tx, std::uint64_t log_index);

}  // namespace models::streams
