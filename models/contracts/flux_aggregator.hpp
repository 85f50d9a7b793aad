#pragma once
// FluxAggregator-style per-node aggregation contract (after CL contracts/src/v0.6/FluxAggregator.sol), a
// models::chain contract: submit runs at inclusion with an ExecContext (block timestamp, msg.sender, GasMeter);
// a revert throws and the chain restores the state.
//
// Rounds: an enabled oracle submits (roundId, answer) for the current reporting round or starts the next one.
// Eligibility: the oracle is enabled for the round, has not reported in this or a later round, the round is the
// reporting round or the next (or the previous one while both are unanswered), and the round before it is
// supersedable (answered or timed out). A new round starts only if the oracle did not start one within the last
// restartDelay rounds. Once a round has minSubmissions submissions the median is (re)computed on every submission
// and becomes the answer (updatedAt, answeredInRound); at maxSubmissions the round's details are deleted and it
// stops accepting. A timed-out round is closed with the previous answer when the next round starts. Every
// accepted submission pays paymentAmount juels to the submitter out of the available funds.
//
// Gas (per-operation model, derived from the Solidity code path, costs from models/chain/gas.hpp): the storage
// slots each path reads and writes (slot layout follows the struct packing of the original: one slot for the
// oracle's round numbers and withdrawable, one for its latest submission, two per round, two per round details
// plus one per submission), its logs, and the on-chain median: the k stored submissions are copied to memory
// (k SLOADs, cold except the one just written) and quickselected, each compare, swap, partition and network
// costing its constant (calibrated, see below). So a submit's gas grows with the submissions already in the round.
// Simplified: no requesters/requestNewRound, no validator contract (one cold read of its address), no oracle
// admins or withdrawals; funded once at construction; signals fire at the end of a successful submit (a reorg
// that undoes the block does not un-emit them).
//
// changeOracles (change_oracles) with the original's round rules: a removed oracle may still report up to the round
// after the reporting one (endingRound = reportingRoundId + 1; later: "no longer allowed oracle"), an added one
// from the round after the reporting one (startingRound = reportingRoundId + 1, or the reporting round itself
// for an oracle re-added in the round its removal ended: "not yet enabled oracle" before), the list keeps its
// order with a removed oracle's place taken by the last one, and updateFutureRounds sets min/max submissions and
// restartDelay for rounds started from then on, with its checks. Simplified: no admins (so no "owner cannot
// overwrite admin"), no owner check; its gas prices the storage rewritten and the events.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/execution.hpp"
#include "models/contracts/round_data.hpp"
#include "sim/config_issue.hpp"
#include "sim/signal.hpp"
#include "sim/time.hpp"

namespace models::contracts {

using Juels = chain::Amount;  // LINK amounts in juels (1 LINK = 1e18 juels) exceed 64 bits

// Execution costs of the call and the median beyond storage and logs. Fitted by least squares to the receipts of
// the real FluxAggregator (tests/data/gas/measured.csv, tools/gas-calibration: @chainlink/contracts 0.4.2's
// src/v0.6/FluxAggregator.sol with solc 0.6.6, in @ethereumjs/vm at Cancun), n = 4..31 and every submission of a
// round: the call (dispatch, ABI decoding, SafeMath), a round's start, and the median's work as the original's
// Median.sol runs it (the same quickselect and sorting network, median.hpp) per value copied, comparison,
// partition and network; the swap keeps its opcode count (2 MLOAD + 2 MSTORE and index arithmetic). Every row
// within 2% (tests/models/contracts/gas_calibration_test.cpp); the per-opcode assumptions before were 2 to 14% low.
inline constexpr chain::Gas kCallOverheadGas = 4'211;     // calibrated
inline constexpr chain::Gas kNewRoundGas = 2'199;         // oracleInitializeNewRound beyond its storage; calibrated
inline constexpr chain::Gas kMedianPerValueGas = 166;     // copy(list) and the submissions' load loop, per value; calibrated
inline constexpr chain::Gas kMedianCompareGas = 85;       // MLOAD with bounds check, SLT/SGT, JUMPI; calibrated
inline constexpr chain::Gas kMedianSwapGas = 30;          // 2 MLOAD + 2 MSTORE + index arithmetic (assumption)
inline constexpr chain::Gas kMedianPartitionGas = 498;    // a partition's call, pivot and loop set-up; calibrated
inline constexpr chain::Gas kMedianNetworkGas = 710;      // shortSelectTwo's loads, INT_MAX fill and index branches; calibrated
// changeOracles, fitted the same way (FluxAggregator.changeOracles adding 1 or n/2 oracles to, or removing them from,
// a feed of n = 4, 7, 16, 31 after two full rounds, with updateFutureRounds): the call (owner and oracle-count reads,
// dispatch, the arrays' decoding) and the work per oracle added and removed beyond the storage the model meters
// (the list's length, the removed oracle's index); every row within 0.5%.
inline constexpr chain::Gas kChangeOraclesGas = 10'909;   // calibrated
inline constexpr chain::Gas kAddOracleGas = 2'029;        // per oracle added; calibrated
inline constexpr chain::Gas kRemoveOracleGas = 4'953;     // per oracle removed; calibrated
inline constexpr std::uint32_t kMaxOracleCount = 77;  // facts §2: MAX_ORACLE_COUNT
inline constexpr std::uint64_t kJuelsPerLink = 1'000'000'000'000'000'000ULL;

struct FluxAggregatorConfig {
  std::uint32_t min_submissions = 1;    // answers needed before the round has an answer, >= 1
  std::uint32_t max_submissions = 1;    // answers after which the round closes, min <= max <= oracles
  std::uint32_t restart_delay = 0;      // rounds an oracle must wait before starting another, < oracles
  sim::Duration timeout = sim::Duration::nanoseconds(1'800'000'000'000);  // round timeout, default 30 min (assumption)
  std::uint64_t payment_juels = 100'000'000'000'000'000ULL;  // per submission, default 0.1 LINK (assumption, facts §3 typical fee)
  std::uint64_t funding_link = 1'000'000;  // LINK available to pay oracles at construction (assumption)
  Answer min_submission_value = 1;           // smallest accepted answer (fixed point with `decimals`)
  Answer max_submission_value = kAnswerMax;  // largest accepted answer (assumption: no bound within 128 bits)
  std::uint32_t decimals = 8;              // facts: USD feeds use 8 decimals

  sim::ConfigIssues validate(const std::string& path, std::size_t oracles) const;
};

// What oracleRoundState(oracle, 0) tells a node: the round to submit to and whether it may.
struct OracleRoundState {
  bool eligible = false;
  std::uint32_t round_id = 0;
  Answer latest_submission = 0;
  sim::Time started_at{};               // zero if the round has not started
  sim::Duration timeout{};
  std::uint32_t oracle_count = 0;
  std::uint64_t payment_juels = 0;
};

// Events (payloads of the chain logs and of the signals).
struct NewRoundEvent {
  std::uint32_t round_id;
  chain::Address started_by;
  sim::Time started_at;
};
struct AnswerUpdatedEvent {
  Answer answer;
  std::uint32_t round_id;
  sim::Time updated_at;
};

// updateFutureRounds' round parameters.
struct FluxFutureRounds {
  std::uint32_t min_submissions = 0;
  std::uint32_t max_submissions = 0;
  std::uint32_t restart_delay = 0;
};

// changeOracles' events.
struct OraclePermissionsUpdated {
  chain::Address oracle;
  bool whitelisted = false;
};

struct FluxState {
  struct Round {
    Answer answer = 0;
    sim::Time started_at{};
    sim::Time updated_at{};
    std::uint32_t answered_in_round = 0;
  };
  struct Details {
    std::vector<Answer> submissions;
    std::uint32_t max_submissions = 0;  // 0: not accepting (deleted or never created)
    std::uint32_t min_submissions = 0;
    sim::Duration timeout{};
    std::uint64_t payment = 0;
  };
  struct Oracle {
    Juels withdrawable = 0;
    std::uint32_t starting_round = 0;
    std::uint32_t ending_round = 0;
    std::uint32_t last_reported_round = 0;
    std::uint32_t last_started_round = 0;
    Answer latest_submission = 0;
  };
  std::map<chain::Address, Oracle> oracles;
  std::map<std::uint32_t, Round> rounds;
  std::map<std::uint32_t, Details> details;
  std::uint32_t reporting_round_id = 0;
  std::uint32_t latest_round_id = 0;
  Juels available = 0;
  Juels allocated = 0;
  std::shared_ptr<const FluxFutureRounds> future;                   // set by changeOracles (null: the config's)
  std::shared_ptr<const std::vector<chain::Address>> oracle_list;   // set by changeOracles (null: the constructor's)
};

class FluxAggregator : public chain::StatefulContract<FluxState>, public RoundReader {
 public:
  // Oracles are enabled from round 1. Throws std::invalid_argument if the config is invalid for them.
  FluxAggregator(const FluxAggregatorConfig& cfg, std::vector<chain::Address> oracles);

  // submit(roundId, answer), run by the chain at inclusion (msg.sender = c.sender()). Throws chain::Revert with
  // the original's reason strings, or chain::OutOfGas.
  void submit(chain::ExecContext& c, std::uint32_t round_id, Answer answer);
  // The calldata of submit(uint256, int256).
  static chain::Calldata submit_calldata(std::uint32_t round_id, Answer answer);
  // changeOracles(removed, added, addedAdmins, minSubmissions, maxSubmissions, restartDelay): see the header.
  // Reverts "oracle not enabled", "max oracles allowed", "oracle already enabled", "max must equal/exceed min",
  // "max cannot exceed total", "delay cannot exceed total", "insufficient funds for payment", "min must be
  // greater than 0".
  void change_oracles(chain::ExecContext& c, const std::vector<chain::Address>& removed,
                      const std::vector<chain::Address>& added, std::uint32_t min_submissions,
                      std::uint32_t max_submissions, std::uint32_t restart_delay);
  // The calldata of changeOracles with these list lengths.
  static chain::Calldata change_oracles_calldata(std::size_t removed, std::size_t added);

  // Views (eth_call: no gas).
  std::optional<RoundData> latest_round_data() const override;    // nullopt: "No data present"
  std::optional<RoundData> get_round_data(std::uint64_t round_id) const override;
  int decimals() const override { return static_cast<int>(cfg_.decimals); }
  Answer latest_answer() const;                            // 0 before the first answer
  sim::Time latest_timestamp() const;
  std::uint32_t latest_round() const { return state_.latest_round_id; }
  std::uint32_t reporting_round() const { return state_.reporting_round_id; }
  // When the reporting round started (zero before the first round): the flux monitor's idle timer runs from it.
  sim::Time reporting_round_started_at() const { return round(state_.reporting_round_id).started_at; }
  // Submissions recorded in a round still accepting them (0 once closed).
  std::size_t submissions_in(std::uint32_t round_id) const { return details(round_id).submissions.size(); }
  OracleRoundState oracle_round_state(chain::Address oracle, sim::Time now) const;
  Juels withdrawable(chain::Address oracle) const;
  Juels available_funds() const { return state_.available; }
  Juels allocated_funds() const { return state_.allocated; }  // recordedFunds.allocated: owed to the oracles
  std::uint32_t oracle_count() const { return static_cast<std::uint32_t>(oracles().size()); }
  // The enabled oracles, in the contract's list order (getOracles()).
  const std::vector<chain::Address>& oracles() const { return state_.oracle_list ? *state_.oracle_list : oracle_list_; }
  // What every oracle that ever reported is owed (the removed ones included).
  Juels total_withdrawable() const;
  // The deployment's configuration; min/max submissions and restartDelay of new rounds are round_params().
  const FluxAggregatorConfig& config() const { return cfg_; }
  FluxFutureRounds round_params() const {
    return state_.future ? *state_.future : FluxFutureRounds{cfg_.min_submissions, cfg_.max_submissions, cfg_.restart_delay};
  }

  // Signals, emitted at the end of a successful submit.
  sim::Signal<sim::Time, std::uint32_t, chain::Address> new_round;                   // (time, round, started by)
  sim::Signal<sim::Time, std::uint32_t, Answer> answer_updated;                // (time, round, answer)
  sim::Signal<sim::Time, std::uint32_t, chain::Address, Answer> submission_received;  // (time, round, oracle, answer)

 private:
  using Oracle = FluxState::Oracle;
  // validateOracleRound: empty when the oracle may report in round_id. Charges reads when gas is given.
  std::string validate_oracle_round(const Oracle& o, chain::Address who, std::uint32_t round_id, sim::Time now,
                                    chain::GasMeter* gas) const;
  bool supersedable(std::uint32_t round_id, sim::Time now, chain::GasMeter* gas) const;
  bool timed_out(std::uint32_t round_id, sim::Time now, chain::GasMeter* gas) const;
  bool accepting(std::uint32_t round_id) const { return details(round_id).max_submissions != 0; }
  bool delayed(const Oracle& o, std::uint32_t round_id) const;
  const FluxState::Round& round(std::uint32_t id) const;
  const FluxState::Details& details(std::uint32_t id) const;

  FluxAggregatorConfig cfg_;
  std::vector<chain::Address> oracle_list_;
};

}  // namespace models::contracts
