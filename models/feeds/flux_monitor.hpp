#pragma once
// The flux monitor job of one Chainlink node for one FluxAggregator (after Chainlink's fluxmonitorv2, simplified).
//
// Every poll_interval (first poll at a random phase from "feeds/<job>/poll-phase") and whenever a reason arrives,
// the job fetches its providers' quotes, takes their median (needs min_quotes answers within provider_timeout),
// reads oracleRoundState from the contract (eth_call) and decides (decide(), after fluxmonitorv2's pollIfEligible
// and deviation_checker.go, facts §1 "Flux monitor"):
//   - not eligible for the suggested round: nothing;
//   - the suggested round is the first (round_id <= 1): submit without a deviation check (first_answer);
//   - another oracle started the round (NewRound log seen): submit (new_round);
//   - heartbeat due (now >= start of the reporting round + heartbeat; the idle timer fires at that moment and its
//     poll uses a zero threshold): submit (heartbeat);
//   - |median - own latest submission| / |own latest submission| >= threshold: submit (deviation). The reference is
//     the node's own latest submission (roundState.LatestSubmission), not the on-chain answer: a node whose last
//     submission is far from its view starts a round even when the aggregated answer is close to it.
// Submissions go through the node's transaction manager (gas pricing and bumping are its business); one
// submission per round at a time. A crashed node (node.up() false) neither polls nor submits.
// Simplified: no hibernation/flags contract, no drumbeat, no minimum-funds check, no absolute threshold; NewRound
// logs are read at inclusion (no confirmation depth); a failed idle poll is not retried on a ticker of its own (the
// next regular poll, with the heartbeat still due, submits).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/flux_aggregator.hpp"
#include "models/node/node.hpp"
#include "models/faults/actor_control.hpp"
#include "models/providers/data_provider.hpp"
#include "sim/config_issue.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::feeds {

struct FluxMonitorConfig {
  double threshold = 0.005;   // relative deviation that triggers a submission; facts §5: ETH/USD 0.5%
  sim::Duration heartbeat = sim::Duration::nanoseconds(3'600'000'000'000);  // idle timer; facts §5: ETH/USD 3,600 s
  sim::Duration poll_interval = sim::Duration::nanoseconds(60'000'000'000);  // provider polling; assumption: 1 min
  sim::Duration provider_timeout = sim::Duration::nanoseconds(5'000'000'000);  // quotes later than this are ignored; assumption
  std::uint32_t min_quotes = 1;  // provider answers needed for a median; assumption
  chain::Gas gas_limit = 0;      // per submit tx; 0 = the node's default_gas_limit
  int decimals = 8;              // of the answers it submits (the feed's decimals)

  sim::ConfigIssues validate(const std::string& path) const;
};

enum class FluxTrigger { none, first_answer, new_round, heartbeat, deviation };
const char* to_string(FluxTrigger t);

// What the job knows when it decides.
struct FluxObservation {
  bool eligible = false;          // oracleRoundState: may submit to the suggested round
  std::uint32_t round_id = 0;     // oracleRoundState: the suggested round
  contracts::Answer latest_submission = 0;  // oracleRoundState: this node's own latest submission (0: none)
  contracts::Answer proposed = 0;      // the providers' median as an answer
  bool heartbeat_due = false;
  bool other_started_round = false;  // a NewRound started by another oracle, not yet answered by us
  double threshold = 0.005;
};

// |proposed - reference| / |reference| >= threshold (true when the reference is 0 and proposed is not).
bool deviation_exceeded(contracts::Answer reference, contracts::Answer proposed, double threshold);
FluxTrigger decide(const FluxObservation& o);
// Median of quotes in USD (mean of the two middles for an even count); nullopt when empty.
std::optional<double> median_price(std::vector<double> prices);

class FluxMonitor {
 public:
  FluxMonitor(sim::Simulation& sim, chain::Chain& chain, node::ChainlinkNode& node, chain::Address aggregator,
              std::vector<providers::DataProvider*> providers, const FluxMonitorConfig& cfg, std::string job_name);
  FluxMonitor(const FluxMonitor&) = delete;
  FluxMonitor& operator=(const FluxMonitor&) = delete;

  void start();
  // Points the job at another aggregator (a feed migration); forgets the old one's round state.
  void set_aggregator(chain::Address aggregator);
  // The node's crash state for fault accounting: a poll while crashed is suppressed and counted. May be null.
  void set_control(faults::ActorControl* control) { control_ = control; }
  chain::Address aggregator() const { return aggregator_; }
  const std::string& name() const { return name_; }
  std::uint64_t submissions_sent() const { return sent_; }

  // (time, reason, round): the job decided to submit.
  sim::Signal<sim::Time, FluxTrigger, std::uint32_t> triggered;
  // A submit tx of this job was included (successful or reverted).
  sim::Signal<chain::Receipt> submitted;

 private:
  void poll();
  void check();
  void evaluate(std::optional<double> median);
  void on_log(const chain::Log& log);
  void arm_idle_timer();
  contracts::FluxAggregator* contract() const;

  sim::Simulation& sim_;
  chain::Chain& chain_;
  node::ChainlinkNode& node_;
  chain::Address aggregator_;
  std::vector<providers::DataProvider*> providers_;
  FluxMonitorConfig cfg_;
  std::string name_;
  sim::Rng phase_rng_;
  sim::Timer poll_timer_;
  sim::Timer idle_timer_;
  sim::Connection log_conn_;
  std::optional<std::uint32_t> in_flight_round_;  // round of our pending submit tx
  std::uint32_t other_round_ = 0;                 // latest round started by another oracle
  std::uint64_t sent_ = 0;
  faults::ActorControl* control_ = nullptr;  // crash state for fault accounting; may be null
};

}  // namespace models::feeds
