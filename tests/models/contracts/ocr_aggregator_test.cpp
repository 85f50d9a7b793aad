#include "models/contracts/ocr_aggregator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::contracts;
using namespace models::ocr;

namespace {

constexpr std::uint64_t kDigest = 0x1122334455667788ULL;  // no zero byte, nor in its complement

struct Feed {
  int n, f;
  test_util::Keys keys;
  OcrAggregatorConfig cfg;
  Feed(int n_, int f_) : n(n_), f(f_), keys(n_) {
    cfg.config_digest = kDigest;
    cfg.f = f;
    for (int i = 0; i < n; ++i) {
      cfg.signers.push_back(keys.onchain[static_cast<std::size_t>(i)].address());
      cfg.transmitters.push_back(Address{9000 + static_cast<std::uint64_t>(i)});
    }
  }
  // Observations 1..n_obs by observers in the given order, signed by oracles `signers`.
  OcrTransmitCall call(EpochRound er, std::vector<OracleId> observers, std::vector<OracleId> signers) const {
    OcrTransmitCall c{kDigest, er, {}, {}};
    Value v = 1;
    for (OracleId o : observers) c.observations.push_back({v++, o});
    resign(c, signers);
    return c;
  }
  void resign(OcrTransmitCall& c, const std::vector<OracleId>& signers) const {
    c.signatures.clear();
    const auto d = report_digest(c.config_digest, c.epoch_round, c.observations);
    for (OracleId s : signers) c.signatures.push_back(keys.onchain[static_cast<std::size_t>(s)].sign(d));
  }
  OcrTxEnv env(int transmitter, std::uint64_t gwei = 30) const {
    return {Address{9000 + static_cast<std::uint64_t>(transmitter)}, gwei * 1'000'000'000ULL,
            sim::Time::from_seconds(1'000)};
  }
};

std::uint64_t odd_v(const OcrTransmitCall& c) {  // number of v parity bytes that are 1 (non-zero calldata)
  return static_cast<std::uint64_t>(std::count_if(c.signatures.begin(), c.signatures.end(),
                                                  [](const Signature& s) { return (s.tag & 1) != 0; }));
}

}  // namespace

TEST(OcrAggregator, CalldataLengthMatchesExpectedMsgDataLength) {
  Feed feed(31, 10);
  for (int n_obs : {3, 21, 31}) {
    for (int n_sig : {2, 11, 31}) {
      OcrTransmitCall c{kDigest, {1, 1}, std::vector<AttributedObservation>(static_cast<std::size_t>(n_obs)),
                        std::vector<Signature>(static_cast<std::size_t>(n_sig))};
      EXPECT_EQ(encode_transmit_calldata(c).size(), static_cast<std::size_t>(356 + 32 * n_obs + 64 * n_sig));
    }
  }
}

// n = 4, f = 1, observations 1..4 by observers [1, 3, 0, 2], signatures of oracles 0 and 2 (f + 1 = 2).
// Calldata: 356 + 32*4 + 64*2 = 612 bytes. Non-zero bytes: selector 4; offsets 0x80 (1), 0x1a0 (2), 0x200 (1);
// v bytes (k = signatures with odd parity); report length 0x100 (1); report context: 16 digest bytes + epoch 1
// + round 1 = 18; observer bytes [1, 3, 0, 2] = 3; array offset 0x60 (1); length 4 (1); values 1..4 (4);
// rs length (1) + 64; ss length (1) + 64  ->  166 + k non-zero, 446 - k zero.
// Calldata gas = 16 (166 + k) + 4 (446 - k) = 4,440 + 12 k; intrinsic = 25,440 + 12 k.
// Execution: entry 700 + hotVars 2,100 + v copy 2*50 + observers 4*60 + sender/transmitters 3*2,100
//   + keccak(8 words) 30 + 48 + signatures 2*(3,000 + 100 + 2,100 + 100) + sort 4*40 + s_transmissions 22,100
//   + NewTransmission (375 + 2*375 + 8*(256 + 128)) 4,197 + NewRound 1,756 + AnswerUpdated 1,756
//   + validator 2,100 + hotVars write 2,900 + sender 100 + billing 2,100 + counts 2*2,100 + rewards 4*100
//   + counts slot 0 written 2,900, slot 1 unchanged 100  = 64,887 before accounting, + 6,035 = 70,922.
// Total gas = 25,440 + 12 k + 70,922 = 96,362 + 12 k.
// Reimbursed gas = 64,887 + 16*612 + 6,035 = 80,714. At 30 gwei with reasonable 50: price 30 + 20/2 = 40 gwei.
// Reimbursement = 80,714 * 40e9 wei * 200 LINK/ETH = 645,712e12 juels, + 0.06 LINK = 705,712e12 juels.
TEST(OcrAggregator, GasAndBillingOfATransmitWorkedByHand) {
  Feed feed(4, 1);
  OcrAggregator agg(feed.cfg, feed.keys.directory.registry());
  auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
  const auto k = odd_v(call);
  auto r = agg.transmit(call, feed.env(1));
  ASSERT_TRUE(r.ok()) << to_string(r.revert);
  EXPECT_EQ(r.calldata_bytes, 612U);
  EXPECT_EQ(r.calldata_gas, 4'440 + 12 * k);
  EXPECT_EQ(r.execution_gas, 70'922U);
  EXPECT_EQ(r.gas_used(), 96'362 + 12 * k);
  EXPECT_EQ(r.reimbursed_gas, 80'714U);
  EXPECT_EQ(r.reimbursement_juels, 705'712'000'000'000'000ULL);
  EXPECT_EQ(r.answer, 3);  // obs[4/2]
  EXPECT_EQ(r.aggregator_round, 1U);
  // Payments: the transmitter (oracle 1) gets the reimbursement and its observation reward (0.02 LINK).
  EXPECT_EQ(agg.owed_payment(1), 725'712'000'000'000'000ULL);
  EXPECT_EQ(agg.owed_payment(0), 20'000'000'000'000'000ULL);  // observed only; signing earns nothing
  EXPECT_EQ(agg.observation_count(3), 1U);
  auto view = agg.latest_transmission_details();
  EXPECT_EQ(view.latest, (EpochRound{1, 1}));
  EXPECT_EQ(view.answer, 3);
  EXPECT_EQ(view.timestamp, sim::Time::from_seconds(1'000));
}

// n = 31, f = 10, 31 observations 1..31 by observers 0..30, 11 signatures.
// Calldata 356 + 992 + 704 = 2,052 bytes; non-zero: selector 4, offsets 0x80 (1), 0x500 (1), 0x680 (2), k v bytes,
// report length 0x460 (2), context 18, observers 1..30 (30), array offset 1, length 1, values 31,
// rs 1 + 352, ss 1 + 352 -> 797 + k. Calldata gas = 4*2,052 + 12 (797 + k) = 17,772 + 12 k.
// Execution: 700 + 2,100 + 11*50 + 31*60 + 6,300 + (30 + 6*35) + 11*5,300 + 31*40 + 22,100
//   + (1,125 + 8*(256 + 992)) + 3,512 + 2,100 + 2,900 + 100 + 2,100 + 4,200 + 31*100 + 2*2,900 + 6,035 = 134,346.
// Total = 21,000 + 17,772 + 12 k + 134,346 = 173,118 + 12 k.
TEST(OcrAggregator, GasOfAThirtyOneOracleTransmit) {
  Feed feed(31, 10);
  OcrAggregator agg(feed.cfg, feed.keys.directory.registry());
  std::vector<OracleId> observers(31), signers(11);
  for (int i = 0; i < 31; ++i) observers[static_cast<std::size_t>(i)] = i;
  for (int i = 0; i < 11; ++i) signers[static_cast<std::size_t>(i)] = 3 * i % 31;
  auto call = feed.call({5, 2}, observers, signers);
  const auto k = odd_v(call);
  auto r = agg.transmit(call, feed.env(7));
  ASSERT_TRUE(r.ok()) << to_string(r.revert);
  EXPECT_EQ(r.calldata_bytes, 2'052U);
  EXPECT_EQ(r.execution_gas, 134'346U);
  EXPECT_EQ(r.gas_used(), 173'118 + 12 * k);
}

// The duplicate transmission of a report reverts at the epochAndRound check: entry 700 + hotVars 2,100 = 2,800
// of execution on top of its intrinsic gas, all of it wasted.
TEST(OcrAggregator, SecondTransmissionRevertsCheaplyAndIsCountedAsWaste) {
  Feed feed(4, 1);
  OcrAggregator agg(feed.cfg, feed.keys.directory.registry());
  auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
  ASSERT_TRUE(agg.transmit(call, feed.env(1)).ok());
  auto again = agg.transmit(call, feed.env(2));
  EXPECT_EQ(again.revert, OcrRevert::stale_report);
  EXPECT_STREQ(to_string(again.revert), "stale report");
  EXPECT_EQ(again.execution_gas, 2'800U);
  EXPECT_EQ(again.gas_used(), 21'000 + again.calldata_gas + 2'800);
  EXPECT_EQ(again.reimbursed_gas, 0U);
  EXPECT_EQ(agg.wasted_gas(), again.gas_used());
  EXPECT_EQ(agg.reverted(), 1U);
  EXPECT_EQ(agg.accepted(), 1U);
  EXPECT_EQ(agg.owed_payment(2), 20'000'000'000'000'000ULL);  // no reimbursement for the loser
}

TEST(OcrAggregator, RejectsEachMalformedReportWithItsReason) {
  Feed feed(4, 1);
  struct Case {
    const char* name;
    OcrRevert expect;
    std::function<void(OcrTransmitCall&, OcrTxEnv&, OcrAggregatorConfig&)> mutate;
  };
  const std::vector<Case> cases{
      {"digest", OcrRevert::config_digest_mismatch, [](auto& c, auto&, auto&) { c.config_digest ^= 1; }},
      {"stale", OcrRevert::stale_report, [](auto& c, auto&, auto&) { c.epoch_round = {0, 0}; }},
      {"one signature", OcrRevert::not_enough_signatures, [](auto& c, auto&, auto&) { c.signatures.resize(1); }},
      {"32 signatures", OcrRevert::too_many_signatures, [](auto& c, auto&, auto&) { c.signatures.resize(32, c.signatures[0]); }},
      {"32 observations", OcrRevert::observations_out_of_bounds,
       [](auto& c, auto&, auto&) { c.observations.resize(32, c.observations.back()); }},
      {"2f observations", OcrRevert::too_few_values, [](auto& c, auto&, auto&) { c.observations.resize(2); }},
      {"observer 31", OcrRevert::observer_index_out_of_bounds, [](auto& c, auto&, auto&) { c.observations[1].observer = 31; }},
      {"repeated observer", OcrRevert::observer_index_repeated, [](auto& c, auto&, auto&) { c.observations[1].observer = 1; }},
      {"transmitter", OcrRevert::unauthorized_transmitter, [](auto&, auto& e, auto&) { e.sender = Address{42}; }},
      {"signer not configured", OcrRevert::unauthorized_signer, [](auto&, auto&, auto& cfg) { cfg.signers[2] = Address{77}; }},
      {"non-unique", OcrRevert::non_unique_signature, [](auto& c, auto&, auto&) { c.signatures[1] = c.signatures[0]; }},
      {"unsorted", OcrRevert::observations_not_sorted, [](auto& c, auto&, auto&) { std::swap(c.observations[0].value, c.observations[3].value); }},
      {"median above max", OcrRevert::median_out_of_range, [](auto&, auto&, auto& cfg) { cfg.max_answer = 2; }},
      {"median below min", OcrRevert::median_out_of_range, [](auto&, auto&, auto& cfg) { cfg.min_answer = 4; }},
  };
  for (const auto& tc : cases) {
    auto cfg = feed.cfg;
    auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
    auto env = feed.env(0);
    tc.mutate(call, env, cfg);
    // Re-sign unless the case is about the signatures themselves, so only the intended check fails.
    if (tc.expect == OcrRevert::observations_not_sorted || tc.expect == OcrRevert::observer_index_repeated) {
      feed.resign(call, {0, 2});
    }
    OcrAggregator agg(cfg, feed.keys.directory.registry());
    auto r = agg.transmit(call, env);
    EXPECT_EQ(r.revert, tc.expect) << tc.name << ": got " << to_string(r.revert);
    EXPECT_EQ(agg.latest_round(), 0U) << tc.name;
    EXPECT_EQ(agg.wasted_gas(), r.gas_used()) << tc.name;
    EXPECT_GE(r.execution_gas, 2'800U) << tc.name;  // every check comes after the hotVars read
  }
}

TEST(OcrAggregator, ForgedAndForeignSignaturesAreNotAuthorized) {
  Feed feed(4, 1);
  OcrAggregator agg(feed.cfg, feed.keys.directory.registry());
  auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
  // A byzantine oracle 3 claims oracle 2's address with its own tag.
  auto forged = call;
  forged.signatures[1].signer = feed.keys.onchain[2].address();
  forged.signatures[1].tag = feed.keys.onchain[3].sign(report_digest(kDigest, {1, 1}, call.observations)).tag;
  EXPECT_EQ(agg.transmit(forged, feed.env(0)).revert, OcrRevert::unauthorized_signer);
  // A valid signature by an offchain key (registered, but not a signer).
  auto foreign = call;
  foreign.signatures[1] = feed.keys.offchain[2].sign(report_digest(kDigest, {1, 1}, call.observations));
  EXPECT_EQ(agg.transmit(foreign, feed.env(0)).revert, OcrRevert::unauthorized_signer);
  // Signatures over other observations (the report was altered after signing).
  auto altered = call;
  altered.observations[0].value = 0;
  EXPECT_EQ(agg.transmit(altered, feed.env(0)).revert, OcrRevert::unauthorized_signer);
  EXPECT_TRUE(agg.transmit(call, feed.env(0)).ok());
}

TEST(OcrAggregator, EpochRoundMustStrictlyIncrease) {
  Feed feed(4, 1);
  OcrAggregator agg(feed.cfg, feed.keys.directory.registry());
  ASSERT_TRUE(agg.transmit(feed.call({2, 3}, {1, 3, 0, 2}, {0, 2}), feed.env(0)).ok());
  EXPECT_EQ(agg.transmit(feed.call({2, 2}, {1, 3, 0, 2}, {0, 2}), feed.env(0)).revert, OcrRevert::stale_report);
  EXPECT_EQ(agg.transmit(feed.call({1, 9}, {1, 3, 0, 2}, {0, 2}), feed.env(0)).revert, OcrRevert::stale_report);
  EXPECT_TRUE(agg.transmit(feed.call({2, 4}, {1, 3, 0, 2}, {0, 2}), feed.env(0)).ok());
  EXPECT_TRUE(agg.transmit(feed.call({3, 1}, {1, 3, 0, 2}, {0, 2}), feed.env(0)).ok());
  EXPECT_EQ(agg.latest_round(), 3U);
}

TEST(OcrAggregator, RequestNewRoundIsVisibleUntilTheNextReport) {
  Feed feed(4, 1);
  OcrAggregator agg(feed.cfg, feed.keys.directory.registry());
  agg.request_new_round();
  EXPECT_TRUE(agg.latest_transmission_details().round_requested);
  ASSERT_TRUE(agg.transmit(feed.call({1, 1}, {1, 3, 0, 2}, {0, 2}), feed.env(0)).ok());
  EXPECT_FALSE(agg.latest_transmission_details().round_requested);
}

TEST(OcrAggregator, ImpliedGasPrice) {
  OcrBilling b;  // reasonable 50, maximum 1,000 gwei
  EXPECT_EQ(implied_gas_price_gwei(30, b), 40U);    // 30 + (50 - 30) / 2
  EXPECT_EQ(implied_gas_price_gwei(49, b), 49U);    // 49 + 1 / 2 (integer)
  EXPECT_EQ(implied_gas_price_gwei(60, b), 60U);    // above reasonable: as is
  EXPECT_EQ(implied_gas_price_gwei(2'000, b), 1'000U);  // capped
}

TEST(OcrAggregator, ConfigValidation) {
  Feed feed(4, 1);
  EXPECT_TRUE(validate(feed.cfg, "feeds[0].contract").empty());
  auto bad = feed.cfg;
  bad.f = 2;
  bad.transmitters.pop_back();
  bad.signers[1] = bad.signers[0];
  auto issues = validate(bad, "feeds[0].contract");
  EXPECT_EQ(issues.size(), 3U);
}
