#include "models/ocr/report_generation.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "models/ocr/leader.hpp"
#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;
using namespace sim::literals;

namespace {

// Four oracles running report generation for one epoch, messages delivered in FIFO order, timers fired by hand.
struct Cluster {
  OcrConfig cfg = test_util::small_config();
  test_util::Keys keys{4};
  Epoch epoch = 1;
  OracleId lead = leader(1, 4, cfg.leader_key);
  std::vector<std::unique_ptr<ReportGeneration>> rg;
  std::deque<std::pair<OracleId, Outgoing>> queue;
  std::vector<std::optional<TransmitEvent>> transmitted = std::vector<std::optional<TransmitEvent>>(4);
  std::vector<int> progress = std::vector<int>(4, 0);
  bool grace_armed = false;
  Round last_round_started = 0;
  std::vector<int> finals_sent = std::vector<int>(4, 0);  // Final messages each oracle's leader part sent
  ContractView contract;
  std::vector<Value> values{103, 101, 104, 102};
  sim::Time now = sim::Time::from_seconds(100);

  explicit Cluster(OcrVersion version = OcrVersion::ocr1) {
    cfg.version = version;
    contract.config_digest = cfg.config_digest;
    for (int i = 0; i < 4; ++i) {
      rg.push_back(std::make_unique<ReportGeneration>(cfg, i, epoch, lead, keys.directory,
                                                      keys.offchain[static_cast<std::size_t>(i)],
                                                      keys.onchain[static_cast<std::size_t>(i)]));
    }
  }
  void take(OracleId from, RepGenOutput out) {
    for (auto& m : out.send) queue.emplace_back(from, std::move(m));
    if (out.arm_grace_timer) grace_armed = true;
    if (out.observe_req_sent) last_round_started = *out.observe_req_sent;
    if (out.transmit) transmitted[static_cast<std::size_t>(from)] = out.transmit;
    if (out.progress) ++progress[static_cast<std::size_t>(from)];
  }
  RepGenOutput deliver(OracleId from, OracleId to, const Message& m) {
    auto& r = *rg[static_cast<std::size_t>(to)];
    if (auto* x = std::get_if<ObserveReqMsg>(&m)) return r.on_observe_req(from, *x, values[static_cast<std::size_t>(to)]);
    if (auto* x = std::get_if<ObserveMsg>(&m)) return r.on_observe(from, *x);
    if (auto* x = std::get_if<ReportReqMsg>(&m)) return r.on_report_req(from, *x, contract, now);
    if (auto* x = std::get_if<ReportMsg>(&m)) return r.on_report(from, *x);
    if (auto* x = std::get_if<FinalMsg>(&m)) return r.on_final(from, *x);
    if (auto* x = std::get_if<FinalEchoMsg>(&m)) return r.on_final_echo(from, *x);
    return {};
  }
  void pump() {
    while (!queue.empty()) {
      auto [from, out] = std::move(queue.front());
      queue.pop_front();
      if (std::holds_alternative<FinalMsg>(out.message)) ++finals_sent[static_cast<std::size_t>(from)];
      for (OracleId to = 0; to < 4; ++to) {
        if (out.to != kBroadcast && out.to != to) continue;
        take(to, deliver(from, to, out.message));
      }
    }
  }
};

ReportReqMsg valid_req(Cluster& c) {
  ReportReqMsg req{c.epoch, 1, {}};
  std::vector<std::pair<Value, OracleId>> vals{{101, 1}, {102, 3}, {103, 0}};
  for (auto [v, id] : vals) {
    auto d = observation_digest(c.cfg.config_digest, {c.epoch, 1}, v);
    req.observations.push_back({{v, c.keys.offchain[static_cast<std::size_t>(id)].sign(d)}, id});
  }
  return req;
}

// Brings every follower to round 1 (the leader's observe-req), without running the leader.
void enter_round_one(Cluster& c) {
  for (OracleId i = 0; i < 4; ++i) c.rg[static_cast<std::size_t>(i)]->on_observe_req(c.lead, {c.epoch, 1}, std::nullopt);
}

// An OCR2 report-req of round 1 with these (value, observer) observations, in this order, each validly signed.
ReportReqMsg signed_ocr2_req(const Cluster& c, const std::vector<std::pair<Value, OracleId>>& observations) {
  ReportReqMsg req{c.epoch, 1, {}};
  for (auto [v, id] : observations) {
    SignedObservation o{v, {}, 1'000, c.cfg.juels_per_fee_coin};
    o.signature = c.keys.offchain[static_cast<std::size_t>(id)].sign(observation_digest_ocr2(c.cfg.config_digest, {c.epoch, 1}, o));
    req.observations.push_back({o, id});
  }
  return req;
}

}  // namespace

TEST(ReportGeneration, HonestRoundEndsInTransmissionAtEveryOracle) {
  Cluster c;
  auto start = c.rg[static_cast<std::size_t>(c.lead)]->start();
  EXPECT_EQ(start.observe_req_sent, 1);
  EXPECT_EQ(start.arm_round_timer, c.cfg.delta_round);
  c.take(c.lead, std::move(start));
  c.pump();
  EXPECT_TRUE(c.grace_armed);  // 2f + 1 = 3 observations arrived
  c.take(c.lead, c.rg[static_cast<std::size_t>(c.lead)]->on_grace_timeout());
  c.pump();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(c.transmitted[static_cast<std::size_t>(i)].has_value()) << "oracle " << i;
    const auto& ev = *c.transmitted[static_cast<std::size_t>(i)];
    EXPECT_EQ(ev.epoch_round(), (EpochRound{1, 1}));
    ASSERT_EQ(ev.report.observations.size(), 4U);  // the 4th arrived during the grace period
    EXPECT_EQ(ev.report.observations[0].value, 101);
    EXPECT_EQ(ev.report.observations[3].value, 104);
    EXPECT_EQ(report_median(ev.report.observations), 103);
    EXPECT_EQ(ev.report.signatures.size(), 2U);  // final is sent at f + 1 = 2 signatures
    EXPECT_EQ(c.progress[static_cast<std::size_t>(i)], 1);
  }
}

TEST(ReportGeneration, NoReportWhenShouldReportIsFalse) {
  Cluster c;
  c.contract.latest = {1, 0};
  c.contract.answer = 103;  // the median, no deviation
  c.contract.timestamp = c.now - 1_s;
  c.take(c.lead, c.rg[static_cast<std::size_t>(c.lead)]->start());
  c.pump();
  c.take(c.lead, c.rg[static_cast<std::size_t>(c.lead)]->on_grace_timeout());
  c.pump();
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(c.transmitted[static_cast<std::size_t>(i)].has_value());
    EXPECT_EQ(c.progress[static_cast<std::size_t>(i)], 1);  // the round still counts as progress
  }
}

TEST(ReportGeneration, FollowerRejectsMalformedReportReqs) {
  Cluster c;
  enter_round_one(c);
  auto& f = *c.rg[static_cast<std::size_t>((c.lead + 1) % 4)];
  EXPECT_STREQ(f.check_report_req(valid_req(c)), "");

  auto unsorted = valid_req(c);
  std::swap(unsorted.observations[0], unsorted.observations[2]);
  EXPECT_STREQ(f.check_report_req(unsorted), "observations not sorted by value");

  auto dup = valid_req(c);
  dup.observations[1] = dup.observations[0];
  dup.observations[1].observation.value = 101;
  EXPECT_STREQ(f.check_report_req(dup), "duplicate observation by one oracle");

  auto forged = valid_req(c);  // a byzantine leader changes oracle 0's value; it cannot re-sign for oracle 0
  forged.observations[2].observation.value = 150;
  EXPECT_STREQ(f.check_report_req(forged), "invalid signed observation");

  auto few = valid_req(c);
  few.observations.pop_back();  // 2 = 2f observations
  EXPECT_STREQ(f.check_report_req(few), "not enough observations (need more than 2f)");

  auto out_of_range = valid_req(c);
  out_of_range.observations[2].observer = 4;
  EXPECT_STREQ(f.check_report_req(out_of_range), "observer id out of bounds");

  // A rejected report-req produces nothing; a valid one produces a signed report to the leader.
  EXPECT_TRUE(f.on_report_req(c.lead, forged, c.contract, c.now).send.empty());
  auto ok = f.on_report_req(c.lead, valid_req(c), c.contract, c.now);
  ASSERT_EQ(ok.send.size(), 1U);
  EXPECT_EQ(ok.send[0].to, c.lead);
  ASSERT_TRUE(ok.decision.has_value());
  EXPECT_TRUE(ok.decision->initial_round);
  // Only once per round.
  EXPECT_TRUE(f.on_report_req(c.lead, valid_req(c), c.contract, c.now).send.empty());
}

TEST(ReportGeneration, FollowerIgnoresNonLeaderAndAsksForChangeAfterRMax) {
  Cluster c;
  const OracleId other = (c.lead + 1) % 4;
  auto& f = *c.rg[static_cast<std::size_t>((c.lead + 2) % 4)];
  EXPECT_TRUE(f.on_observe_req(other, {c.epoch, 1}, 5).send.empty());
  EXPECT_EQ(f.follower_round(), 0);
  EXPECT_EQ(f.on_observe_req(c.lead, {c.epoch, 1}, 5).send.size(), 1U);
  EXPECT_TRUE(f.on_observe_req(c.lead, {c.epoch, 1}, 5).send.empty());  // same round again
  EXPECT_TRUE(f.on_observe_req(c.lead, {c.epoch + 1, 2}, 5).send.empty());  // wrong epoch
  auto past = f.on_observe_req(c.lead, {c.epoch, c.cfg.r_max + 1}, 5);
  EXPECT_TRUE(past.change_leader);
  EXPECT_TRUE(past.send.empty());
  EXPECT_FALSE(f.on_observe_req(c.lead, {c.epoch, c.cfg.r_max + 3}, 5).change_leader);  // out of bounds: ignored
}

TEST(ReportGeneration, LeaderRoundsAdvanceOnTimeout) {
  Cluster c;
  auto& l = *c.rg[static_cast<std::size_t>(c.lead)];
  l.start();
  auto next = l.on_round_timeout();
  EXPECT_EQ(next.observe_req_sent, 2);
  ASSERT_EQ(next.send.size(), 1U);
  EXPECT_EQ(std::get<ObserveReqMsg>(next.send[0].message).round, 2);
  // A non-leader ignores leader timers.
  EXPECT_FALSE(c.rg[static_cast<std::size_t>((c.lead + 1) % 4)]->on_round_timeout().observe_req_sent.has_value());
}

TEST(ReportGeneration, LeaderDropsInvalidObservations) {
  Cluster c;
  auto& l = *c.rg[static_cast<std::size_t>(c.lead)];
  l.start();
  const OracleId a = (c.lead + 1) % 4, b = (c.lead + 2) % 4, d = (c.lead + 3) % 4;
  auto sign = [&](OracleId signer, Value v) {
    return c.keys.offchain[static_cast<std::size_t>(signer)].sign(observation_digest(c.cfg.config_digest, {1, 1}, v));
  };
  // b signs with its own key but claims to be a: rejected; a's valid one counts once only.
  EXPECT_FALSE(l.on_observe(a, {1, 1, {10, sign(b, 10)}}).arm_grace_timer.has_value());
  EXPECT_FALSE(l.on_observe(a, {1, 1, {10, sign(a, 10)}}).arm_grace_timer.has_value());
  EXPECT_FALSE(l.on_observe(a, {1, 1, {11, sign(a, 11)}}).arm_grace_timer.has_value());
  EXPECT_FALSE(l.on_observe(b, {1, 2, {10, sign(b, 10)}}).arm_grace_timer.has_value());  // wrong round
  EXPECT_FALSE(l.on_observe(b, {1, 1, {10, sign(b, 10)}}).arm_grace_timer.has_value());
  EXPECT_TRUE(l.on_observe(d, {1, 1, {12, sign(d, 12)}}).arm_grace_timer.has_value());  // third valid: > 2f
}

TEST(ReportGeneration, FinalNeedsMoreThanFDistinctValidSignatures) {
  Cluster c;
  enter_round_one(c);
  auto& f = *c.rg[static_cast<std::size_t>((c.lead + 1) % 4)];
  const std::vector<AttributedObservation> obs{{101, 1}, {102, 3}, {103, 0}};
  const auto d = report_digest(c.cfg.config_digest, {1, 1}, obs);
  const auto s0 = c.keys.onchain[0].sign(d), s1 = c.keys.onchain[1].sign(d);
  EXPECT_FALSE(f.check_attested_report({obs, {s0}}));      // f = 1 signature
  EXPECT_FALSE(f.check_attested_report({obs, {s0, s0}}));  // duplicate signer
  Signature forged = c.keys.onchain[2].sign(d);
  forged.signer = c.keys.onchain[1].address();
  EXPECT_FALSE(f.check_attested_report({obs, {s0, forged}}));
  EXPECT_FALSE(f.check_attested_report({obs, {s0, c.keys.offchain[1].sign(d)}}));  // wrong key kind
  EXPECT_TRUE(f.check_attested_report({obs, {s0, s1}}));
  auto other = obs;
  other[0].value = 100;  // signatures over another report do not transfer
  EXPECT_FALSE(f.check_attested_report({other, {s0, s1}}));

  // final only from the leader; then echoed once.
  FinalMsg fin{1, 1, {obs, {s0, s1}}};
  EXPECT_TRUE(f.on_final((c.lead + 2) % 4, fin).send.empty());
  EXPECT_EQ(f.on_final(c.lead, fin).send.size(), 1U);
  EXPECT_TRUE(f.on_final(c.lead, fin).send.empty());
}

TEST(ReportGeneration, EchoesAloneCarryAFollowerToTransmission) {
  Cluster c;
  enter_round_one(c);
  const OracleId me = (c.lead + 1) % 4;
  auto& f = *c.rg[static_cast<std::size_t>(me)];
  const std::vector<AttributedObservation> obs{{101, 1}, {102, 3}, {103, 0}};
  const auto d = report_digest(c.cfg.config_digest, {1, 1}, obs);
  FinalEchoMsg echo{{1, 1, {obs, {c.keys.onchain[0].sign(d), c.keys.onchain[2].sign(d)}}}};
  // The first echo (final never arrived directly) makes it echo too, but f + 1 = 2 echoes are needed.
  auto first = f.on_final_echo(c.lead, echo);
  EXPECT_EQ(first.send.size(), 1U);
  EXPECT_FALSE(first.transmit.has_value());
  EXPECT_FALSE(f.on_final_echo(c.lead, echo).transmit.has_value());  // same sender twice
  auto second = f.on_final_echo((c.lead + 2) % 4, echo);
  ASSERT_TRUE(second.transmit.has_value());
  EXPECT_TRUE(second.progress);
  EXPECT_TRUE(second.send.empty());
  EXPECT_FALSE(f.on_final_echo((c.lead + 3) % 4, echo).transmit.has_value());  // round completed
}

TEST(ReportGeneration, LeaderGroupsSignaturesByReportContent) {
  Cluster c;
  auto& l = *c.rg[static_cast<std::size_t>(c.lead)];
  for (OracleId i = 0; i < 4; ++i) {
    c.rg[static_cast<std::size_t>(i)]->on_observe_req(c.lead, {1, 1}, std::nullopt);
  }
  // Drive the leader to the report phase with three observations.
  l.start();
  for (OracleId i = 0; i < 3; ++i) {
    auto v = c.values[static_cast<std::size_t>(i)];
    auto sig = c.keys.offchain[static_cast<std::size_t>(i)].sign(observation_digest(c.cfg.config_digest, {1, 1}, v));
    l.on_observe(i, {1, 1, {v, sig}});
  }
  l.on_grace_timeout();
  const std::vector<AttributedObservation> a{{101, 1}, {103, 0}, {104, 2}}, b{{101, 1}, {103, 0}, {105, 2}};
  auto signed_by = [&](OracleId i, const std::vector<AttributedObservation>& obs) {
    return ReportMsg{1, 1, {obs, c.keys.onchain[static_cast<std::size_t>(i)].sign(report_digest(c.cfg.config_digest, {1, 1}, obs))}};
  };
  EXPECT_TRUE(l.on_report(0, signed_by(0, a)).send.empty());
  EXPECT_TRUE(l.on_report(1, signed_by(1, b)).send.empty());  // differs: not combined with a
  EXPECT_TRUE(l.on_report(2, signed_by(3, a)).send.empty());  // signed by someone else than the sender
  auto fin = l.on_report(3, signed_by(3, a));
  ASSERT_EQ(fin.send.size(), 1U);
  const auto& msg = std::get<FinalMsg>(fin.send[0].message);
  EXPECT_EQ(msg.report.observations, a);
  EXPECT_EQ(msg.report.signatures.size(), 2U);
}

// OCR2: the same honest round ends in a final with exactly f + 1 signatures that every follower hands to
// finalization; the leader starts round 2 only when round 1 completed and delta_round passed, in either order.
TEST(ReportGenerationOcr2, FinalCarriesExactlyFPlusOneSignaturesAndGatesTheNextRound) {
  Cluster c(OcrVersion::ocr2);
  auto& l = *c.rg[static_cast<std::size_t>(c.lead)];
  c.take(c.lead, l.start());
  EXPECT_EQ(c.last_round_started, 1);
  c.pump();
  ASSERT_TRUE(c.grace_armed);
  c.take(c.lead, l.on_round_timeout());  // delta_round passed, round 1 not complete: no round 2 yet
  EXPECT_EQ(c.last_round_started, 1);
  c.take(c.lead, l.on_grace_timeout());
  c.pump();
  EXPECT_EQ(c.finals_sent[static_cast<std::size_t>(c.lead)], 1);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(c.transmitted[static_cast<std::size_t>(i)].has_value()) << "oracle " << i;
    const auto& ev = *c.transmitted[static_cast<std::size_t>(i)];
    EXPECT_EQ(ev.report.signatures.size(), 2U);  // f + 1 exactly, though 4 oracles signed
    EXPECT_EQ(ev.report.juels_per_fee_coin, c.cfg.juels_per_fee_coin);
    EXPECT_TRUE(ReportGeneration::verify_final_ocr2(c.cfg, c.keys.directory, {1, 1}, ev.report));
    EXPECT_EQ(c.progress[static_cast<std::size_t>(i)], 1);
  }
  EXPECT_EQ(c.last_round_started, 2);  // the quorum completed round 1 after the timer: round 2 at once

  // A final with one more signature, or one less, is not a valid OCR2 final.
  auto report = c.transmitted[0]->report;
  const auto digest = report_digest_ocr2(c.cfg.config_digest, {1, 1}, report.extra_hash, report.observations,
                                         report.observations_timestamp, report.juels_per_fee_coin);
  std::vector<bool> used(4, false);
  for (const auto& sig : report.signatures) used[static_cast<std::size_t>(c.keys.directory.recover_onchain(sig, digest))] = true;
  for (std::size_t i = 0; i < 4; ++i)
    if (!used[i]) {
      report.signatures.push_back(c.keys.onchain[i].sign(digest));
      break;
    }
  EXPECT_FALSE(ReportGeneration::verify_final_ocr2(c.cfg, c.keys.directory, {1, 1}, report));
  report.signatures.resize(1);
  EXPECT_FALSE(ReportGeneration::verify_final_ocr2(c.cfg, c.keys.directory, {1, 1}, report));
}

// OCR2 followers have no sortedness check (OCR1's do): the median plugin reports the observations sorted.
TEST(ReportGenerationOcr2, FollowerSortsAnUnsortedReportReq) {
  Cluster c(OcrVersion::ocr2);
  enter_round_one(c);
  const OracleId who = (c.lead + 1) % 4;
  auto& f = *c.rg[static_cast<std::size_t>(who)];
  const ReportReqMsg req = signed_ocr2_req(c, {{103, 0}, {101, 1}, {102, 3}});
  EXPECT_STREQ(f.check_report_req(req), "");
  const auto out = f.on_report_req(c.lead, req, c.contract, c.now);
  ASSERT_EQ(out.send.size(), 1U);
  const auto& report = std::get<ReportMsg>(out.send[0].message).report;
  ASSERT_FALSE(report.skip);
  ASSERT_EQ(report.observations.size(), 3U);
  EXPECT_EQ(report.observations[0].value, 101);
  EXPECT_EQ(report.observations[1].value, 102);
  EXPECT_EQ(report.observations[2].value, 103);
  EXPECT_EQ(report.observations[2].observer, 0);
  ASSERT_TRUE(out.decision.has_value());
}

// Equal values keep the report-req's order (a stable sort by value), so every follower signs the same report.
TEST(ReportGenerationOcr2, FollowerKeepsTheRequestOrderOfEqualValues) {
  Cluster c(OcrVersion::ocr2);
  enter_round_one(c);
  const OracleId who = (c.lead + 1) % 4;
  auto& f = *c.rg[static_cast<std::size_t>(who)];
  const ReportReqMsg req = signed_ocr2_req(c, {{102, 3}, {101, 1}, {102, 0}, {100, 2}});
  const auto out = f.on_report_req(c.lead, req, c.contract, c.now);
  ASSERT_EQ(out.send.size(), 1U);
  const auto& report = std::get<ReportMsg>(out.send[0].message).report;
  ASSERT_FALSE(report.skip);
  const std::vector<AttributedObservation> want{{100, 2}, {101, 1}, {102, 3}, {102, 0}};
  EXPECT_EQ(report.observations, want);
}

// The followers of a round share one directory, which remembers the last report-req checked: each follower's answer
// must be the one it gives when the memo is empty, whatever it was checked with before (the same report-req, a
// tampered copy, another valid one, another epoch).
TEST(ReportGeneration, FollowersAnswerAReportReqAsIfCheckingItAlone) {
  for (const OcrVersion version : {OcrVersion::ocr1, OcrVersion::ocr2}) {
    SCOPED_TRACE(version == OcrVersion::ocr1 ? "ocr1" : "ocr2");
    const bool ocr2 = version == OcrVersion::ocr2;
    const auto make = [&](const Cluster& c, std::vector<std::pair<Value, OracleId>> obs) {
      if (ocr2) return signed_ocr2_req(c, obs);
      ReportReqMsg req{c.epoch, 1, {}};
      for (auto [v, id] : obs)
        req.observations.push_back(
            {{v, c.keys.offchain[static_cast<std::size_t>(id)].sign(observation_digest(c.cfg.config_digest, {c.epoch, 1}, v))}, id});
      return req;
    };
    Cluster shared(version), alone(version);
    enter_round_one(shared);
    enter_round_one(alone);
    const ReportReqMsg good = make(shared, {{101, 1}, {102, 3}, {103, 0}});
    ReportReqMsg tampered = good;
    tampered.observations[1].observation.value = 107;  // its signature no longer matches
    const ReportReqMsg other = make(shared, {{99, 2}, {102, 3}, {104, 0}, {110, 1}});
    const std::vector<const ReportReqMsg*> reqs{&good, &tampered, &good, &other};
    for (OracleId to = 0; to < 4; ++to) {
      SCOPED_TRACE(to);
      const ReportReqMsg& req = *reqs[static_cast<std::size_t>(to)];
      alone.keys.directory.report_req_memo().reset();
      const auto a = alone.rg[static_cast<std::size_t>(to)]->on_report_req(alone.lead, req, alone.contract, alone.now);
      const auto b = shared.rg[static_cast<std::size_t>(to)]->on_report_req(shared.lead, req, shared.contract, shared.now);
      ASSERT_EQ(a.send.size(), b.send.size());
      EXPECT_EQ(a.send.size(), &req == &tampered ? 0U : 1U);
      for (std::size_t i = 0; i < a.send.size(); ++i) {
        const auto& ra = std::get<ReportMsg>(a.send[i].message).report;
        const auto& rb = std::get<ReportMsg>(b.send[i].message).report;
        EXPECT_EQ(ra.observations, rb.observations);
        EXPECT_EQ(ra.signature, rb.signature);
        EXPECT_EQ(ra.observations_timestamp, rb.observations_timestamp);
        EXPECT_EQ(ra.juels_per_fee_coin, rb.juels_per_fee_coin);
        EXPECT_EQ(ra.skip, rb.skip);
        EXPECT_FALSE(rb.skip);
      }
    }
    // The same observations in a later epoch are a different report-req: signed for epoch 1, invalid in epoch 2.
    const OracleId lead2 = leader(2, 4, shared.cfg.leader_key);
    ReportGeneration later(shared.cfg, 0, 2, lead2, shared.keys.directory, shared.keys.offchain[0], shared.keys.onchain[0]);
    later.on_observe_req(lead2, {2, 1}, std::nullopt);
    ReportReqMsg replay = good;
    replay.epoch = 2;
    EXPECT_TRUE(later.on_report_req(lead2, replay, shared.contract, shared.now).send.empty())
        << "observations signed for epoch 1 are not valid in epoch 2";
  }
}

// OCR2: when the plugin says no, followers send skips; f + 1 equal skips complete the round with no final.
TEST(ReportGenerationOcr2, FPlusOneSkipsCompleteTheRoundWithoutAFinal) {
  Cluster c(OcrVersion::ocr2);
  c.contract.latest = {1, 0};
  c.contract.answer = 103;  // the median: no deviation
  c.contract.timestamp = c.now - 1_s;
  auto& l = *c.rg[static_cast<std::size_t>(c.lead)];
  c.take(c.lead, l.start());
  c.pump();
  c.take(c.lead, l.on_grace_timeout());
  c.pump();
  EXPECT_EQ(c.finals_sent[static_cast<std::size_t>(c.lead)], 0);
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(c.transmitted[static_cast<std::size_t>(i)].has_value());
    EXPECT_EQ(c.progress[static_cast<std::size_t>(i)], 1);
  }
  EXPECT_EQ(c.last_round_started, 1);    // complete, but delta_round has not passed
  c.take(c.lead, l.on_round_timeout());  // now it has
  EXPECT_EQ(c.last_round_started, 2);
}

// OCR2: rounds 1..r_max + 1; a follower asked for round r_max + 1 asks the pacemaker for a new leader.
TEST(ReportGenerationOcr2, RoundPastRMaxChangesTheLeader) {
  Cluster c(OcrVersion::ocr2);
  const OracleId me = (c.lead + 1) % 4;
  auto& f = *c.rg[static_cast<std::size_t>(me)];
  const auto r_max = static_cast<Round>(c.cfg.r_max);
  EXPECT_FALSE(f.on_observe_req(c.lead, {1, r_max}, 100).change_leader);
  EXPECT_TRUE(f.on_observe_req(c.lead, {1, static_cast<Round>(r_max + 1)}, 100).change_leader);
  EXPECT_TRUE(f.on_observe_req(c.lead, {1, static_cast<Round>(r_max + 2)}, 100).send.empty());  // out of bounds
}
