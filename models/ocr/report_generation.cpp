#include "models/ocr/report_generation.hpp"

#include <algorithm>

#include "models/ocr/median_plugin.hpp"

namespace models::ocr {
namespace {
std::size_t idx(OracleId id) { return static_cast<std::size_t>(id); }

// The element at index len/2 of `v` sorted (the median plugin's choice for timestamps and juelsPerFeeCoin); a partial
// selection gives the element the sort would.
template <class T>
T upper_median(std::vector<T> v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Ascending by value, equal values in their given order (as std::stable_sort, without its buffer): an insertion sort,
// linear on the leader's already sorted list, at most 31 x 31 steps otherwise.
void stable_sort_by_value(std::vector<AttributedObservation>& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    const AttributedObservation x = v[i];
    std::size_t j = i;
    for (; j > 0 && x.value < v[j - 1].value; --j) v[j] = v[j - 1];
    v[j] = x;
  }
}
}  // namespace

// What a follower derives from a report-req before its own decision, for the last report-req checked under one
// directory: the n - 1 followers of a round receive the same one. Keyed by everything the derivation reads (the
// configuration's digest, n, f and version, the epoch and round, every signed observation), so a hit gives what
// computing afresh would: a cache of a pure function.
struct OracleDirectory::ReportReqMemo {
  std::uint64_t config_digest = 0;
  int n = 0, f = 0;
  bool ocr2 = false;
  EpochRound er;
  std::vector<AttributedSignedObservation> observations;
  const char* problem = "";                      // check_report_req
  std::vector<AttributedObservation> attributed;  // in report order (OCR2: stable-sorted by value)
  // The report's parts and its digest, once a follower reports.
  bool has_report = false;
  std::uint32_t observations_timestamp = 0;
  Value juels_per_fee_coin = 0;
  std::uint64_t digest = 0;
};

ReportGeneration::ReportGeneration(const OcrConfig& cfg, OracleId self, Epoch epoch, OracleId leader,
                                   const OracleDirectory& directory, const SecretKey& offchain_key,
                                   const SecretKey& onchain_key)
    : cfg_(&cfg), self_(self), e_(epoch), leader_(leader), dir_(&directory), offchain_key_(offchain_key),
      onchain_key_(onchain_key) {
  lead_.observe.assign(idx(cfg_->n), std::nullopt);
  lead_.report.assign(idx(cfg_->n), std::nullopt);
  follow_.received_echo.assign(idx(cfg_->n), false);
}

RepGenOutput ReportGeneration::start() {
  if (!is_leader()) return {};
  return start_round();
}

RepGenOutput ReportGeneration::start_round() {
  RepGenOutput out;
  if (lead_.r >= 255) return out;  // round overflow (uint8): no new round
  if (ocr2() && lead_.r > cfg_->r_max) return out;  // OCR2 sends rounds 1..r_max + 1
  lead_.r += 1;
  lead_.timer_fired = false;
  lead_.round_done = false;
  lead_.observe.assign(idx(cfg_->n), std::nullopt);
  lead_.report.assign(idx(cfg_->n), std::nullopt);
  lead_.phase = Phase::observe;
  out.send.push_back({kBroadcast, ObserveReqMsg{e_, lead_.r}});
  out.arm_round_timer = cfg_->delta_round;
  out.observe_req_sent = lead_.r;
  return out;
}

RepGenOutput ReportGeneration::on_round_timeout() {
  if (!is_leader()) return {};
  if (ocr2()) {  // a new round needs the previous one completed too
    lead_.timer_fired = true;
    if (!lead_.round_done) return {};
  }
  return start_round();
}

void ReportGeneration::leader_round_done(RepGenOutput& out) {
  lead_.round_done = true;
  if (!lead_.timer_fired) return;
  RepGenOutput next = start_round();
  for (auto& m : next.send) out.send.push_back(std::move(m));
  out.arm_round_timer = next.arm_round_timer;
  out.observe_req_sent = next.observe_req_sent;
}

SignedObservation ReportGeneration::sign_observation(Round round, Value value, sim::Time now) const {
  SignedObservation o;
  o.value = value;
  if (ocr2()) {
    o.timestamp = static_cast<std::uint32_t>(std::max<std::int64_t>(0, (now - sim::Time::zero()).ns() / 1'000'000'000));
    o.juels_per_fee_coin = cfg_->juels_per_fee_coin;
  }
  o.signature = offchain_key_.sign(observation_digest_of(round, o));
  return o;
}

std::uint64_t ReportGeneration::observation_digest_of(Round round, const SignedObservation& o) const {
  return ocr2() ? observation_digest_ocr2(cfg_->config_digest, {e_, round}, o)
                : observation_digest(cfg_->config_digest, {e_, round}, o.value);
}

RepGenOutput ReportGeneration::on_observe(OracleId sender, const ObserveMsg& msg) {
  RepGenOutput out;
  if (msg.epoch != e_ || !is_leader() || msg.round != lead_.r) return out;
  if (lead_.phase != Phase::observe && lead_.phase != Phase::grace) return out;
  if (sender < 0 || sender >= cfg_->n || lead_.observe[idx(sender)]) return out;
  if (!dir_->verify_observation(sender, cfg_->config_digest, {e_, lead_.r}, msg.observation, ocr2())) return out;
  lead_.observe[idx(sender)] = msg.observation;
  if (lead_.phase == Phase::observe) {
    const auto count = std::count_if(lead_.observe.begin(), lead_.observe.end(), [](const auto& o) { return o.has_value(); });
    if (count > 2 * cfg_->f) {
      lead_.phase = Phase::grace;
      out.arm_grace_timer = cfg_->delta_grace;
    }
  }
  return out;
}

RepGenOutput ReportGeneration::on_grace_timeout() {
  RepGenOutput out;
  if (!is_leader() || lead_.phase != Phase::grace) return out;
  ReportReqMsg req{e_, lead_.r, {}};
  for (OracleId i = 0; i < cfg_->n; ++i) {
    if (lead_.observe[idx(i)]) req.observations.push_back({*lead_.observe[idx(i)], i});
  }
  // Ascending by value; ties by observer id so the order is deterministic (libocr leaves ties unspecified).
  std::sort(req.observations.begin(), req.observations.end(), [](const auto& a, const auto& b) {
    if (a.observation.value != b.observation.value) return a.observation.value < b.observation.value;
    return a.observer < b.observer;
  });
  if (ocr2()) lead_.extra_hash = extra_hash_ocr2(req.observations);
  out.send.push_back({kBroadcast, std::move(req)});
  lead_.phase = Phase::report;
  return out;
}

void ReportGeneration::report_req_rewritten(const ReportReqMsg& sent) {
  if (ocr2() && is_leader() && sent.epoch == e_ && sent.round == lead_.r) lead_.extra_hash = extra_hash_ocr2(sent.observations);
}

RepGenOutput ReportGeneration::on_report(OracleId sender, const ReportMsg& msg) {
  RepGenOutput out;
  if (msg.epoch != e_ || !is_leader() || msg.round != lead_.r || lead_.phase != Phase::report) return out;
  if (sender < 0 || sender >= cfg_->n || lead_.report[idx(sender)]) return out;
  if (ocr2()) return on_report_ocr2(sender, msg);
  const auto digest = report_digest(cfg_->config_digest, {e_, lead_.r}, msg.report.observations);
  if (dir_->recover_onchain(msg.report.signature, digest) != sender) return out;
  lead_.report[idx(sender)] = msg.report;

  AttestedReportMany many;
  many.observations = msg.report.observations;
  for (const auto& r : lead_.report) {
    if (r && r->observations == msg.report.observations) many.signatures.push_back(r->signature);
  }
  if (static_cast<int>(many.signatures.size()) > cfg_->f) {
    out.send.push_back({kBroadcast, FinalMsg{e_, lead_.r, std::move(many)}});
    lead_.phase = Phase::final;
  }
  return out;
}

RepGenOutput ReportGeneration::on_report_ocr2(OracleId sender, const ReportMsg& msg) {
  RepGenOutput out;
  const AttestedReportOne& r = msg.report;
  if (r.skip) {
    if (!r.observations.empty()) return out;  // a skip carries no report
  } else {
    const auto digest = report_digest_ocr2(cfg_->config_digest, {e_, lead_.r}, lead_.extra_hash, r.observations,
                                           r.observations_timestamp, r.juels_per_fee_coin);
    if (dir_->recover_onchain(r.signature, digest) != sender) return out;
  }
  lead_.report[idx(sender)] = r;
  // Reports equal but for the signature: the same skip flag and the same content.
  auto same = [&r](const AttestedReportOne& x) {
    return x.skip == r.skip && x.observations == r.observations && x.observations_timestamp == r.observations_timestamp &&
           x.juels_per_fee_coin == r.juels_per_fee_coin;
  };
  AttestedReportMany many;
  many.observations = r.observations;
  many.observations_timestamp = r.observations_timestamp;
  many.juels_per_fee_coin = r.juels_per_fee_coin;
  many.extra_hash = lead_.extra_hash;
  for (const auto& x : lead_.report)
    if (x && same(*x)) many.signatures.push_back(x->signature);
  if (static_cast<int>(many.signatures.size()) != cfg_->f + 1) return out;  // the quorum is reached once
  if (!r.skip) out.send.push_back({kBroadcast, FinalMsg{e_, lead_.r, std::move(many)}});
  lead_.phase = Phase::final;
  leader_round_done(out);
  return out;
}

RepGenOutput ReportGeneration::on_observation_ready(Epoch epoch, Round round, Value observation, sim::Time now) {
  RepGenOutput out;
  if (epoch != e_ || round != follow_.r || follow_.r > cfg_->r_max) return out;
  out.send.push_back({leader_, ObserveMsg{e_, follow_.r, sign_observation(follow_.r, observation, now)}});
  return out;
}

RepGenOutput ReportGeneration::on_observe_req(OracleId sender, const ObserveReqMsg& msg,
                                              std::optional<Value> observation, sim::Time now) {
  RepGenOutput out;
  if (msg.epoch != e_ || sender != leader_ || msg.round <= follow_.r) return out;
  if (msg.round > cfg_->r_max + 1) return out;  // out of bounds: ignore
  follow_.r = msg.round;
  if (follow_.r > cfg_->r_max) {
    out.change_leader = true;
    return out;
  }
  follow_.sent_echo.reset();
  follow_.sent_report = false;
  follow_.completed_round = false;
  follow_.received_echo.assign(idx(cfg_->n), false);
  if (!observation) return out;
  out.send.push_back({leader_, ObserveMsg{e_, follow_.r, sign_observation(follow_.r, *observation, now)}});
  return out;
}

const char* ReportGeneration::check_report_req(const ReportReqMsg& msg) const {
  const auto& obs = msg.observations;
  // OCR1 followers reject an unsorted request; OCR2 has no such check (the median plugin sorts what it reports).
  for (std::size_t i = 1; i < obs.size() && !ocr2(); ++i) {
    if (obs[i].observation.value < obs[i - 1].observation.value) return "observations not sorted by value";
  }
  std::vector<bool> counted(idx(cfg_->n), false);
  for (const auto& o : obs) {
    if (o.observer < 0 || o.observer >= cfg_->n) return "observer id out of bounds";
    if (counted[idx(o.observer)]) return "duplicate observation by one oracle";
    counted[idx(o.observer)] = true;
    if (!dir_->verify_observation(o.observer, cfg_->config_digest, {e_, follow_.r}, o.observation, ocr2()))
      return "invalid signed observation";
  }
  if (static_cast<int>(obs.size()) <= 2 * cfg_->f) return "not enough observations (need more than 2f)";
  return "";
}

OracleDirectory::ReportReqMemo& ReportGeneration::report_req_memo(const ReportReqMsg& msg) const {
  auto& slot = dir_->report_req_memo();
  if (slot && slot->config_digest == cfg_->config_digest && slot->n == cfg_->n && slot->f == cfg_->f &&
      slot->ocr2 == ocr2() && slot->er == EpochRound{e_, follow_.r} && slot->observations == msg.observations)
    return *slot;
  if (!slot) slot = std::make_shared<OracleDirectory::ReportReqMemo>();
  OracleDirectory::ReportReqMemo& m = *slot;
  m.config_digest = cfg_->config_digest;
  m.n = cfg_->n;
  m.f = cfg_->f;
  m.ocr2 = ocr2();
  m.er = {e_, follow_.r};
  m.observations = msg.observations;
  m.problem = check_report_req(msg);
  m.attributed.clear();
  m.has_report = false;
  if (*m.problem == '\0') {
    for (const auto& o : msg.observations) m.attributed.push_back({o.observation.value, o.observer});
    if (ocr2()) stable_sort_by_value(m.attributed);
  }
  return m;
}

RepGenOutput ReportGeneration::on_report_req(OracleId sender, const ReportReqMsg& msg, const ContractView& contract,
                                             sim::Time now) {
  RepGenOutput out;
  if (msg.epoch != e_ || sender != leader_ || msg.round != follow_.r) return out;
  if (follow_.sent_report || follow_.completed_round) return out;
  OracleDirectory::ReportReqMemo& req = report_req_memo(msg);
  if (*req.problem != '\0') return out;

  const Value median = req.attributed[req.attributed.size() / 2].value;
  const auto decision = ocr2() ? median_should_report(*cfg_, median, contract, now) : should_report(*cfg_, median, contract, now);
  out.decision = decision;
  if (!decision.report()) {
    if (ocr2()) {  // the plugin's "no": a skip, which completes the round at f + 1
      AttestedReportOne skip;
      skip.skip = true;
      follow_.sent_report = true;
      out.send.push_back({leader_, ReportMsg{e_, follow_.r, std::move(skip)}});
    }
    complete_round(out);
    return out;
  }
  if (!req.has_report) {  // the report's parts, once for the memo's report-req
    if (ocr2()) {
      std::vector<std::uint32_t> times;
      std::vector<Value> juels;
      times.reserve(msg.observations.size());
      juels.reserve(msg.observations.size());
      for (const auto& o : msg.observations) {
        times.push_back(o.observation.timestamp);
        juels.push_back(o.observation.juels_per_fee_coin);
      }
      req.observations_timestamp = upper_median(std::move(times));
      req.juels_per_fee_coin = upper_median(std::move(juels));
      req.digest = report_digest_ocr2(cfg_->config_digest, {e_, follow_.r}, extra_hash_ocr2(msg.observations),
                                      req.attributed, req.observations_timestamp, req.juels_per_fee_coin);
    } else {
      req.digest = report_digest(cfg_->config_digest, {e_, follow_.r}, req.attributed);
    }
    req.has_report = true;
  }
  AttestedReportOne report;
  report.observations = req.attributed;
  if (ocr2()) {
    report.observations_timestamp = req.observations_timestamp;
    report.juels_per_fee_coin = req.juels_per_fee_coin;
  }
  report.signature = onchain_key_.sign(req.digest);
  follow_.sent_report = true;
  out.send.push_back({leader_, ReportMsg{e_, follow_.r, std::move(report)}});
  return out;
}

bool ReportGeneration::verify_final_ocr2(const OcrConfig& cfg, const OracleDirectory& dir, EpochRound er,
                                         const AttestedReportMany& report) {
  if (static_cast<int>(report.signatures.size()) != cfg.f + 1 || report.observations.empty()) return false;
  const auto digest = report_digest_ocr2(cfg.config_digest, er, report.extra_hash, report.observations,
                                         report.observations_timestamp, report.juels_per_fee_coin);
  std::vector<bool> signed_by(idx(cfg.n), false);
  for (const auto& sig : report.signatures) {
    const OracleId who = dir.recover_onchain(sig, digest);
    if (who < 0 || signed_by[idx(who)]) return false;
    signed_by[idx(who)] = true;
  }
  return true;
}

bool ReportGeneration::check_attested_report(const AttestedReportMany& report) const {
  if (ocr2()) return verify_final_ocr2(*cfg_, *dir_, {e_, follow_.r}, report);
  if (static_cast<int>(report.signatures.size()) <= cfg_->f) return false;
  const auto digest = report_digest(cfg_->config_digest, {e_, follow_.r}, report.observations);
  std::vector<bool> signed_by(idx(cfg_->n), false);
  for (const auto& sig : report.signatures) {
    const OracleId who = dir_->recover_onchain(sig, digest);
    if (who < 0 || signed_by[idx(who)]) return false;
    signed_by[idx(who)] = true;
  }
  return true;
}

RepGenOutput ReportGeneration::on_final(OracleId sender, const FinalMsg& msg) {
  RepGenOutput out;
  if (msg.epoch != e_ || msg.round != follow_.r || sender != leader_) return out;
  if (ocr2()) {  // to finalization (the node echoes it once), and the round is complete
    if (follow_.sent_echo || !check_attested_report(msg.report)) return out;
    follow_.sent_echo = msg.report;
    out.transmit = TransmitEvent{e_, follow_.r, msg.report};
    if (!follow_.completed_round) complete_round(out);
    return out;
  }
  if (follow_.sent_echo || !check_attested_report(msg.report)) return out;
  follow_.sent_echo = msg.report;
  out.send.push_back({kBroadcast, FinalEchoMsg{msg}});
  return out;
}

RepGenOutput ReportGeneration::on_final_echo(OracleId sender, const FinalEchoMsg& msg) {
  RepGenOutput out;
  if (ocr2()) return out;  // OCR2: echoes go to the node's finalization
  const FinalMsg& fin = msg.final;
  if (fin.epoch != e_ || fin.round != follow_.r) return out;
  if (sender < 0 || sender >= cfg_->n || follow_.received_echo[idx(sender)] || follow_.completed_round) return out;
  if (!check_attested_report(fin.report)) return out;
  follow_.received_echo[idx(sender)] = true;
  if (!follow_.sent_echo) {
    follow_.sent_echo = fin.report;
    out.send.push_back({kBroadcast, msg});
  }
  const auto count = std::count(follow_.received_echo.begin(), follow_.received_echo.end(), true);
  if (count > cfg_->f) {
    out.transmit = TransmitEvent{e_, follow_.r, *follow_.sent_echo};
    complete_round(out);
  }
  return out;
}

void ReportGeneration::complete_round(RepGenOutput& out) {
  follow_.completed_round = true;
  out.progress = true;
}

}  // namespace models::ocr
