#include "models/contracts/flux_aggregator.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/core.h>

#include "models/contracts/median.hpp"

namespace models::contracts {
namespace {

using chain::GasMeter;
constexpr std::uint32_t kRoundMax = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kReserveRounds = 2;  // RESERVE_ROUNDS of the original

// Storage variables. Slots follow the Solidity packing of the original contract: one config slot (paymentAmount,
// max/min submissions, restartDelay, timeout), one slot holding both round ids, one for recorded funds, one for
// the validator address; per oracle two (withdrawable + round numbers; latestSubmission); per round two (answer;
// startedAt + updatedAt + answeredInRound); per round's details two (submissions length; max/min/timeout/payment)
// plus one slot per submission.
enum Var : std::uint64_t {
  kConfig = 1, kRoundIds, kFunds, kValidator, kOracleMeta, kOracleLatest, kRoundAnswer, kRoundMeta,
  kDetailsLen, kDetailsMeta, kDetailsElem, kOracleList, kOracleIndex
};

// A stable non-zero fingerprint of a packed slot's fields (0 when all are zero), for GasMeter::sstore.
std::uint64_t fp(std::initializer_list<std::uint64_t> fields) {
  std::uint64_t h = 0;
  bool any = false;
  for (std::uint64_t f : fields) {
    any = any || f != 0;
    h = (h ^ f) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
  }
  return any ? (h | 1) : 0;
}
// A slot's value as a fingerprint: the value itself when it fits 64 bits, else a fingerprint of both words.
std::uint64_t u(Answer v) {
  const auto lo = static_cast<std::uint64_t>(v);
  if (v == static_cast<Answer>(lo)) return lo;
  return fp({lo, static_cast<std::uint64_t>(static_cast<chain::Amount>(v) >> 64)});
}
std::uint64_t t(sim::Time v) { return static_cast<std::uint64_t>(v.ns()); }

std::uint64_t oracle_meta_fp(const FluxState::Oracle& o) {
  return fp({static_cast<std::uint64_t>(o.withdrawable), static_cast<std::uint64_t>(o.withdrawable >> 64), o.starting_round,
             o.ending_round, o.last_reported_round, o.last_started_round});
}
std::uint64_t amount_words_fp(chain::Amount a, chain::Amount b) {
  return fp({static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(a >> 64), static_cast<std::uint64_t>(b),
             static_cast<std::uint64_t>(b >> 64)});
}
std::uint64_t round_meta_fp(const FluxState::Round& r) { return fp({t(r.started_at), t(r.updated_at), r.answered_in_round}); }
std::uint64_t details_meta_fp(const FluxState::Details& d) {
  return fp({d.max_submissions, d.min_submissions, static_cast<std::uint64_t>(d.timeout.ns()), d.payment});
}

}  // namespace

sim::ConfigIssues FluxAggregatorConfig::validate(const std::string& path, std::size_t oracles) const {
  sim::ConfigIssues out;
  if (oracles == 0) out.add(path + ".oracles", "needs at least one oracle");
  if (oracles > kMaxOracleCount)
    out.add(path + ".oracles", fmt::format("at most {} oracles (MAX_ORACLE_COUNT), got {}", kMaxOracleCount, oracles));
  if (min_submissions == 0) out.add(path + ".min_submissions", "must be > 0");
  if (max_submissions < min_submissions)
    out.add(path + ".max_submissions", fmt::format("must be >= min_submissions ({}), got {}", min_submissions, max_submissions));
  if (max_submissions > oracles)
    out.add(path + ".max_submissions", fmt::format("cannot exceed the oracle count ({}), got {}", oracles, max_submissions));
  if (oracles > 0 && restart_delay >= oracles)
    out.add(path + ".restart_delay", fmt::format("must be < the oracle count ({}), got {}", oracles, restart_delay));
  if (timeout.ns() < 0) out.add(path + ".timeout", "must be >= 0");
  const Juels reserve = Juels{payment_juels} * oracles * kReserveRounds;
  if (Juels{funding_link} * kJuelsPerLink < reserve)
    out.add(path + ".funding", "insufficient funds for payment: needs payment * oracles * 2 rounds");
  if (min_submission_value > max_submission_value) out.add(path + ".min_submission_value", "must be <= max_submission_value");
  return out;
}

FluxAggregator::FluxAggregator(const FluxAggregatorConfig& cfg, std::vector<chain::Address> oracles)
    : cfg_(cfg), oracle_list_(std::move(oracles)) {
  const auto issues = cfg_.validate("flux", oracle_list_.size());
  issues.throw_if_any("invalid FluxAggregator config");
  std::set<chain::Address> seen;
  for (const chain::Address a : oracle_list_) {
    if (!seen.insert(a).second) throw std::invalid_argument(fmt::format("FluxAggregator: oracle {} listed twice", a.id));
    Oracle o;
    o.starting_round = 1;
    o.ending_round = kRoundMax;
    state_.oracles[a] = o;
  }
  state_.available = Juels{cfg_.funding_link} * kJuelsPerLink;
}

chain::Calldata FluxAggregator::submit_calldata(std::uint32_t round_id, Answer answer) {
  return chain::CalldataBuilder{}.selector().uint(round_id).int_(answer).build();
}

const FluxState::Round& FluxAggregator::round(std::uint32_t id) const {
  static const FluxState::Round empty{};
  const auto it = state_.rounds.find(id);
  return it == state_.rounds.end() ? empty : it->second;
}

const FluxState::Details& FluxAggregator::details(std::uint32_t id) const {
  static const FluxState::Details empty{};
  const auto it = state_.details.find(id);
  return it == state_.details.end() ? empty : it->second;
}

bool FluxAggregator::timed_out(std::uint32_t id, sim::Time now, GasMeter* gas) const {
  if (gas) {
    gas->sload({address(), chain::slot_of(kRoundMeta, id)});
    gas->sload({address(), chain::slot_of(kDetailsMeta, id)});
  }
  const auto& r = round(id);
  const auto& d = details(id);
  return r.started_at.ns() > 0 && d.timeout.ns() > 0 && r.started_at + d.timeout < now;
}

bool FluxAggregator::supersedable(std::uint32_t id, sim::Time now, GasMeter* gas) const {
  if (id == 0) return true;  // the constructor marks round 0 as answered
  if (gas) gas->sload({address(), chain::slot_of(kRoundMeta, id)});
  return round(id).updated_at.ns() > 0 || timed_out(id, now, gas);
}

bool FluxAggregator::delayed(const Oracle& o, std::uint32_t id) const {
  return id > std::uint64_t{o.last_started_round} + round_params().restart_delay || o.last_started_round == 0;
}

std::string FluxAggregator::validate_oracle_round(const Oracle& o, chain::Address who, std::uint32_t id,
                                                  sim::Time now, GasMeter* gas) const {
  const std::uint32_t rr = state_.reporting_round_id;
  if (gas) {
    gas->sload({address(), chain::slot_of(kOracleMeta, who.id)});  // startingRound, endingRound, lastReportedRound
    gas->sload({address(), chain::slot_of(kRoundIds)});
  }
  if (o.starting_round == 0) return "not enabled oracle";
  if (o.starting_round > id) return "not yet enabled oracle";
  if (o.ending_round < id) return "no longer allowed oracle";
  if (o.last_reported_round >= id) return "cannot report on previous rounds";
  if (id != rr && id != rr + 1) {
    if (gas) gas->sload({address(), chain::slot_of(kRoundMeta, rr)});
    const bool prev_and_current_unanswered = id + 1 == rr && round(rr).updated_at.ns() == 0;
    if (!prev_and_current_unanswered) return "invalid round to report";
  }
  if (id != 1 && !supersedable(id - 1, now, gas)) return "previous round not supersedable";
  return {};
}

void FluxAggregator::submit(chain::ExecContext& c, std::uint32_t rid, Answer answer) {
  GasMeter& g = c.gas();
  const sim::Time now = c.timestamp();
  const chain::Address sender = c.sender();
  auto key = [&](Var v, std::uint64_t index = 0) { return chain::SlotKey{address(), chain::slot_of(v, index)}; };
  auto elem = [&](std::uint32_t round, std::size_t i) { return key(kDetailsElem, (std::uint64_t{round} << 8) | i); };
  g.charge(kCallOverheadGas, "execution");

  static const Oracle not_an_oracle{};
  const auto oit = state_.oracles.find(sender);
  const Oracle& o_view = oit != state_.oracles.end() ? oit->second : not_an_oracle;
  const std::string err = validate_oracle_round(o_view, sender, rid, now, &g);
  c.require(answer >= cfg_.min_submission_value, "value below minSubmissionValue");
  c.require(answer <= cfg_.max_submission_value, "value above maxSubmissionValue");
  c.require(err.empty(), err);
  Oracle& o = state_.oracles[sender];  // exists: validation passed
  const Answer old_latest_submission = o.latest_submission;
  bool started = false;

  // oracleInitializeNewRound
  if (rid == state_.reporting_round_id + 1) {
    g.sload(key(kOracleMeta, sender.id));
    g.sload(key(kConfig));  // restartDelay
    const bool too_soon = o.last_started_round != 0 && rid <= std::uint64_t{o.last_started_round} + round_params().restart_delay;
    if (!too_soon) {
      const std::uint32_t prev = rid - 1;
      if (prev > 0 && timed_out(prev, now, &g)) {  // updateTimedOutRoundInfo
        g.sload(key(kRoundAnswer, prev - 1));
        g.sload(key(kRoundMeta, prev - 1));
        const FluxState::Round before = round(prev - 1);
        FluxState::Round& p = state_.rounds[prev];
        const std::uint64_t meta_before = round_meta_fp(p);
        g.sstore(key(kRoundAnswer, prev), u(p.answer), u(before.answer));
        p.answer = before.answer;
        p.answered_in_round = before.answered_in_round;
        p.updated_at = now;
        g.sstore(key(kRoundMeta, prev), meta_before, round_meta_fp(p));
        const FluxState::Details& pd = details(prev);
        g.sstore(key(kDetailsLen, prev), pd.submissions.size(), 0);
        g.sstore(key(kDetailsMeta, prev), details_meta_fp(pd), 0);
        for (std::size_t i = 0; i < pd.submissions.size(); ++i) g.sstore(elem(prev, i), u(pd.submissions[i]), 0);
        state_.details.erase(prev);
      }
      const std::uint64_t ids_before = fp({state_.reporting_round_id, state_.latest_round_id});
      state_.reporting_round_id = rid;
      g.sstore(key(kRoundIds), ids_before, fp({state_.reporting_round_id, state_.latest_round_id}));
      g.sload(key(kConfig));
      FluxState::Details& d = state_.details[rid];
      const FluxFutureRounds rp = round_params();
      d = FluxState::Details{{}, rp.max_submissions, rp.min_submissions, cfg_.timeout, cfg_.payment_juels};
      g.sstore(key(kDetailsLen, rid), 0, 0);
      g.sstore(key(kDetailsMeta, rid), 0, details_meta_fp(d));
      FluxState::Round& r = state_.rounds[rid];
      const std::uint64_t meta_before = round_meta_fp(r);
      r.started_at = now;
      g.sstore(key(kRoundMeta, rid), meta_before, round_meta_fp(r));
      c.emit({.event = "NewRound", .topics = 3, .data_bytes = 32, .payload = NewRoundEvent{rid, sender, now}});
      const std::uint64_t om_before = oracle_meta_fp(o);
      o.last_started_round = rid;
      g.sstore(key(kOracleMeta, sender.id), om_before, oracle_meta_fp(o));
      g.charge(kNewRoundGas, "execution");
      started = true;
    }
  }

  // recordSubmission
  g.sload(key(kDetailsMeta, rid));
  c.require(accepting(rid), "round not accepting submissions");
  FluxState::Details& d = state_.details[rid];
  const std::size_t k_before = d.submissions.size();
  g.sload(key(kDetailsLen, rid));
  g.sstore(key(kDetailsLen, rid), k_before, k_before + 1);
  g.sstore(elem(rid, k_before), 0, u(answer));
  d.submissions.push_back(answer);
  std::uint64_t om_before = oracle_meta_fp(o);
  o.last_reported_round = rid;
  g.sstore(key(kOracleMeta, sender.id), om_before, oracle_meta_fp(o));
  g.sstore(key(kOracleLatest, sender.id), u(old_latest_submission), u(answer));
  o.latest_submission = answer;
  c.emit({.event = "SubmissionReceived", .topics = 4, .data_bytes = 0, .payload = answer});

  // updateRoundAnswer
  const std::size_t k = d.submissions.size();
  g.sload(key(kDetailsLen, rid));
  g.sload(key(kDetailsMeta, rid));
  bool updated = false;
  Answer median = 0;
  if (k >= d.min_submissions) {
    for (std::size_t i = 0; i < k; ++i) g.sload(elem(rid, i));  // the storage array copied to memory
    g.memory_words(k + 1);
    std::vector<Answer> work = d.submissions;
    const MedianWork m = median_in_place(work);
    g.charge(k * kMedianPerValueGas + m.compares * kMedianCompareGas + m.swaps * kMedianSwapGas +
                 m.partitions * kMedianPartitionGas + m.networks * kMedianNetworkGas,
             "median");
    median = m.median;
    FluxState::Round& r = state_.rounds[rid];
    g.sstore(key(kRoundAnswer, rid), u(r.answer), u(median));
    const std::uint64_t meta_before = round_meta_fp(r);
    r.answer = median;
    r.updated_at = now;
    r.answered_in_round = rid;
    g.sstore(key(kRoundMeta, rid), meta_before, round_meta_fp(r));
    const std::uint64_t ids_before = fp({state_.reporting_round_id, state_.latest_round_id});
    state_.latest_round_id = rid;
    g.sstore(key(kRoundIds), ids_before, fp({state_.reporting_round_id, state_.latest_round_id}));
    c.emit({.event = "AnswerUpdated", .topics = 3, .data_bytes = 32, .payload = AnswerUpdatedEvent{median, rid, now}});
    updated = true;
  }

  // payOracle
  g.sload(key(kDetailsMeta, rid));
  g.sload(key(kFunds));
  c.require(state_.available >= d.payment, "SafeMath: subtraction overflow");
  const std::uint64_t funds_before = amount_words_fp(state_.available, state_.allocated);
  state_.available -= d.payment;
  state_.allocated += d.payment;
  g.sstore(key(kFunds), funds_before, amount_words_fp(state_.available, state_.allocated));
  om_before = oracle_meta_fp(o);
  o.withdrawable += d.payment;
  g.sstore(key(kOracleMeta, sender.id), om_before, oracle_meta_fp(o));
  c.emit({.event = "AvailableFundsUpdated", .topics = 2, .data_bytes = 0, .payload = {}});

  // deleteRoundDetails
  if (k >= d.max_submissions) {
    g.sstore(key(kDetailsLen, rid), k, 0);
    g.sstore(key(kDetailsMeta, rid), details_meta_fp(d), 0);
    for (std::size_t i = 0; i < k; ++i) g.sstore(elem(rid, i), u(d.submissions[i]), 0);
    state_.details.erase(rid);
  }
  if (updated) g.sload(key(kValidator));  // validateAnswer: no validator configured

  if (started) new_round.emit(now, rid, sender);
  submission_received.emit(now, rid, sender, answer);
  if (updated) answer_updated.emit(now, rid, median);
}

std::optional<RoundData> FluxAggregator::get_round_data(std::uint64_t id64) const {
  if (id64 > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  const auto id = static_cast<std::uint32_t>(id64);
  const auto& r = round(id);
  if (r.answered_in_round == 0) return std::nullopt;
  return RoundData{id, r.answer, r.started_at, r.updated_at, r.answered_in_round};
}

std::optional<RoundData> FluxAggregator::latest_round_data() const { return get_round_data(state_.latest_round_id); }

Answer FluxAggregator::latest_answer() const { return round(state_.latest_round_id).answer; }

sim::Time FluxAggregator::latest_timestamp() const { return round(state_.latest_round_id).updated_at; }

OracleRoundState FluxAggregator::oracle_round_state(chain::Address oracle, sim::Time now) const {
  static const Oracle not_an_oracle{};
  const auto it = state_.oracles.find(oracle);
  const Oracle& o = it != state_.oracles.end() ? it->second : not_an_oracle;
  const std::uint32_t rr = state_.reporting_round_id;
  OracleRoundState s;
  const bool should_supersede = o.last_reported_round == rr || !accepting(rr);
  if (supersedable(rr, now, nullptr) && should_supersede) {
    s.round_id = rr + 1;
    s.payment_juels = cfg_.payment_juels;
    s.eligible = delayed(o, s.round_id);
  } else {
    s.round_id = rr;
    s.payment_juels = details(rr).payment;
    s.eligible = accepting(rr);
  }
  if (!validate_oracle_round(o, oracle, s.round_id, now, nullptr).empty()) s.eligible = false;
  s.latest_submission = o.latest_submission;
  s.started_at = round(s.round_id).started_at;
  s.timeout = details(s.round_id).timeout;
  s.oracle_count = oracle_count();
  return s;
}

chain::Calldata FluxAggregator::change_oracles_calldata(std::size_t removed, std::size_t added) {
  // Selector, six head words, three array lengths and 32 bytes per address (12 zero bytes each).
  const std::uint64_t addresses = removed + 2 * added;  // added and addedAdmins
  return chain::Calldata{9 * 28 + addresses * 12, 4 + 9 * 4 + addresses * 20};
}

void FluxAggregator::change_oracles(chain::ExecContext& c, const std::vector<chain::Address>& removed,
                                    const std::vector<chain::Address>& added, std::uint32_t min_submissions,
                                    std::uint32_t max_submissions, std::uint32_t restart_delay) {
  GasMeter& g = c.gas();
  auto key = [&](Var v, std::uint64_t index = 0) { return chain::SlotKey{address(), chain::slot_of(v, index)}; };
  // An oracle's index and admin share one slot (OracleStatus.index, .admin); the admin is the oracle itself.
  auto index_slot = [](std::uint64_t index, chain::Address admin) { return admin.id * 131 + index + 1; };
  g.charge(kChangeOraclesGas, "execution");
  auto list = std::make_shared<std::vector<chain::Address>>(oracles());
  auto enabled = [&](chain::Address a) {
    const auto it = state_.oracles.find(a);
    return it != state_.oracles.end() && it->second.ending_round == kRoundMax;
  };
  g.sload(key(kRoundIds));
  for (const chain::Address a : removed) {  // removeOracle
    g.charge(kRemoveOracleGas, "execution");
    g.sload(key(kOracleMeta, a.id));
    c.require(enabled(a), "oracle not enabled");
    Oracle& o = state_.oracles[a];
    const std::uint64_t before = oracle_meta_fp(o);
    o.ending_round = state_.reporting_round_id + 1;
    g.sstore(key(kOracleMeta, a.id), before, oracle_meta_fp(o));
    // The last oracle takes the removed one's place in the list; the list shrinks by one.
    const auto pos = static_cast<std::size_t>(std::find(list->begin(), list->end(), a) - list->begin());
    g.sstore(key(kOracleList, pos), a.id, list->back().id);
    g.sstore(key(kOracleList, list->size() - 1), list->back().id, 0);
    g.sstore(key(kOracleIndex, list->back().id), index_slot(list->size() - 1, list->back()), index_slot(pos, list->back()));
    (*list)[pos] = list->back();
    list->pop_back();
    c.emit({.event = "OraclePermissionsUpdated", .topics = 2, .data_bytes = 32, .payload = OraclePermissionsUpdated{a, false}});
  }
  c.require(list->size() + added.size() <= kMaxOracleCount, "max oracles allowed");
  for (const chain::Address a : added) {  // addOracle
    g.charge(kAddOracleGas, "execution");
    g.sload(key(kOracleMeta, a.id));
    c.require(!enabled(a), "oracle already enabled");
    Oracle& o = state_.oracles[a];
    const std::uint64_t before = oracle_meta_fp(o);
    const std::uint32_t current = state_.reporting_round_id;
    o.starting_round = current != 0 && current == o.ending_round ? current : current + 1;  // getStartingRound
    o.ending_round = kRoundMax;
    g.sstore(key(kOracleMeta, a.id), before, oracle_meta_fp(o));
    g.sstore(key(kOracleIndex, a.id), 0, index_slot(list->size(), a));  // index and admin
    g.sstore(key(kOracleList, list->size()), 0, a.id);
    list->push_back(a);
    c.emit({.event = "OraclePermissionsUpdated", .topics = 2, .data_bytes = 32, .payload = OraclePermissionsUpdated{a, true}});
    c.emit({.event = "OracleAdminUpdated", .topics = 3, .data_bytes = 0, .payload = {}});
  }
  // updateFutureRounds(paymentAmount, min, max, restartDelay, timeout)
  const auto n = static_cast<std::uint32_t>(list->size());
  g.sload(key(kFunds));
  c.require(max_submissions >= min_submissions, "max must equal/exceed min");
  c.require(n >= max_submissions, "max cannot exceed total");
  c.require(n == 0 || n > restart_delay, "delay cannot exceed total");
  c.require(state_.available >= Juels{cfg_.payment_juels} * n * kReserveRounds, "insufficient funds for payment");
  if (n > 0) c.require(min_submissions > 0, "min must be greater than 0");
  const FluxFutureRounds before = round_params();
  g.sstore(key(kConfig), fp({before.min_submissions, before.max_submissions, before.restart_delay}),
           fp({min_submissions, max_submissions, restart_delay}));
  c.emit({.event = "RoundDetailsUpdated", .topics = 4, .data_bytes = 64, .payload = {}});
  state_.future = std::make_shared<const FluxFutureRounds>(FluxFutureRounds{min_submissions, max_submissions, restart_delay});
  state_.oracle_list = std::move(list);
}

Juels FluxAggregator::total_withdrawable() const {
  Juels sum = 0;
  for (const auto& [a, o] : state_.oracles) sum += o.withdrawable;
  return sum;
}

Juels FluxAggregator::withdrawable(chain::Address oracle) const {
  const auto it = state_.oracles.find(oracle);
  return it == state_.oracles.end() ? Juels{0} : it->second.withdrawable;
}

}  // namespace models::contracts
