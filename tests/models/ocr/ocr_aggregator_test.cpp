#include "models/ocr/ocr_aggregator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;
namespace chain = models::chain;

namespace {

constexpr std::uint64_t kDigest = 0x1122334455667788ULL;  // no zero byte, nor in its complement
constexpr chain::Wei kGwei = chain::kGwei;

// A feed of n oracles with the aggregator deployed on a chain registry.
struct Feed {
  int n, f;
  test_util::Keys keys;
  chain::ContractRegistry reg;
  OcrAggregatorConfig cfg;
  std::vector<chain::Address> transmitters;
  chain::Address agg_address;
  std::uint64_t nonce = 0;

  Feed(int n_, int f_, std::function<void(OcrAggregatorConfig&)> tweak = {}) : n(n_), f(f_), keys(n_) {
    cfg.config_digest = kDigest;
    cfg.f = f;
    for (int i = 0; i < n; ++i) {
      cfg.signers.push_back(keys.onchain[static_cast<std::size_t>(i)].address());
      transmitters.push_back(reg.create_account("transmitter-" + std::to_string(i)));
    }
    cfg.transmitters = transmitters;
    if (tweak) tweak(cfg);
    agg_address = reg.deploy("ocr-aggregator", std::make_shared<OcrAggregator>(cfg, keys.directory.registry()));
  }
  OcrAggregator& agg() { return *reg.find_as<OcrAggregator>(agg_address); }

  // Observations 1..n_obs by `observers` (in that order), signed by `signers`.
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
  chain::ExecResult send(const OcrTransmitCall& call, chain::Address from, chain::Wei price = 30 * kGwei) {
    chain::Transaction tx{.from = from, .to = agg_address, .nonce = nonce++, .gas_limit = 1'000'000,
                          .max_fee = price, .max_priority_fee = price, .calldata = transmit_calldata(call),
                          .call = [call, price](chain::ExecContext& c) { c.self_as<OcrAggregator>().transmit(c, call, price); },
                          .label = "ocr/transmit"};
    return chain::execute_transaction(reg, tx, {.number = 1, .timestamp = sim::Time::from_seconds(1'000), .base_fee = 0});
  }
  chain::ExecResult send(const OcrTransmitCall& call, int transmitter) {
    return send(call, transmitters[static_cast<std::size_t>(transmitter)]);
  }
};

std::uint64_t odd_v(const OcrTransmitCall& c) {  // number of v parity bytes that are 1 (non-zero calldata)
  return static_cast<std::uint64_t>(std::count_if(c.signatures.begin(), c.signatures.end(),
                                                  [](const Signature& s) { return (s.tag & 1) != 0; }));
}

chain::Gas category(const chain::ExecResult& r, const std::string& what) {
  for (const auto& [name, g] : r.breakdown) {
    if (name == what) return g;
  }
  return 0;
}

}  // namespace

TEST(OcrAggregator, CalldataLengthMatchesExpectedMsgDataLength) {
  for (int n_obs : {3, 21, 31}) {
    for (int n_sig : {2, 11, 31}) {
      OcrTransmitCall c{kDigest, {1, 1}, std::vector<AttributedObservation>(static_cast<std::size_t>(n_obs)),
                        std::vector<Signature>(static_cast<std::size_t>(n_sig))};
      EXPECT_EQ(encode_transmit_calldata(c).size(), static_cast<std::size_t>(356 + 32 * n_obs + 64 * n_sig));
      EXPECT_EQ(transmit_calldata(c).size(), transmit_calldata_length(static_cast<std::size_t>(n_obs), static_cast<std::size_t>(n_sig)));
    }
  }
}

// n = 4, f = 1, observations 1..4 by observers [1, 3, 0, 2], signatures of oracles 0 and 2 (f + 1 = 2).
// Calldata: 356 + 32*4 + 64*2 = 612 bytes. Non-zero bytes: selector 4; offsets 0x80 (1), 0x1a0 (2), 0x200 (1);
// v bytes (k = signatures with odd parity); report length 0x100 (1); report context: 16 digest bytes + epoch 1
// + round 1 = 18; observer bytes [1, 3, 0, 2] = 3; array offset 0x60 (1); length 4 (1); values 1..4 (4);
// rs length (1) + 64; ss length (1) + 64  ->  166 + k non-zero, 446 - k zero.
// Calldata gas = 16 (166 + k) + 4 (446 - k) = 4,440 + 12 k; intrinsic = 25,440 + 12 k.
// Execution: entry 700 + calldata decode 1,343 + hotVars 2,100 + report decode 26,034 + v copy 2*50
//   + observers 4*920 + sender/transmitters 3*2,100 + keccak(8 words) 30 + 48
//   + signatures 2*(3,000 + 100 + 999 + 2,100) + sort 4*40 + s_transmissions 22,100
//   + validator 2,100 + hotVars write 2,900 + sender 100 + billing 2,100 + counts 2*2,100 + rewards 4*100
//   + counts slot 0 written 2,900, slot 1 unchanged 100 = 89,793
//   + NewTransmission (375 + 2*375 + 8*(256 + 128)) 4,197 + NewRound 1,756 + AnswerUpdated 1,756 = 97,502
//   + 6,035 accounting = 103,537 (the calibrated constants: OcrAggregatorGas).
// Total gas = 25,440 + 12 k + 103,537 = 128,977 + 12 k.
// Reimbursed gas = 97,502 + 16*612 + 6,035 = 113,329. At 30 gwei with reasonable 50: price 30 + 20/2 = 40 gwei.
// Reimbursement = 113,329 * 40e9 wei * 200 LINK/ETH = 906,632e12 juels, + 0.06 LINK = 966,632e12 juels.
TEST(OcrAggregator, GasAndBillingOfATransmitWorkedByHand) {
  Feed feed(4, 1);
  auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
  const auto k = odd_v(call);
  auto r = feed.send(call, 1);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(category(r, "calldata"), 4'440 + 12 * k);
  EXPECT_EQ(r.gas_used, 128'977 + 12 * k);
  ASSERT_EQ(r.logs.size(), 3U);
  const auto* ev = std::any_cast<OcrNewTransmission>(&r.logs[0].payload);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->reimbursed_gas, 113'329U);
  EXPECT_EQ(ev->reimbursement_juels, 966'632'000'000'000'000ULL);
  EXPECT_EQ(ev->answer, 3);  // obs[4/2]
  EXPECT_EQ(ev->aggregator_round, 1U);
  EXPECT_EQ(ev->transmitter, feed.transmitters[1]);
  // Payments: the transmitter (oracle 1) gets the reimbursement and its observation reward (0.02 LINK).
  auto& agg = feed.agg();
  EXPECT_TRUE(agg.owed_payment(1) == chain::Amount{986'632'000'000'000'000ULL});
  EXPECT_TRUE(agg.owed_payment(0) == chain::Amount{20'000'000'000'000'000ULL});  // observed only; signing earns nothing
  EXPECT_EQ(agg.observation_count(3), 1U);
  auto view = agg.latest_transmission_details();
  EXPECT_EQ(view.latest, (EpochRound{1, 1}));
  EXPECT_EQ(view.answer, 3);
  EXPECT_EQ(view.timestamp, sim::Time::from_seconds(1'000));
  EXPECT_EQ(agg.telemetry().accepted, 1U);
}

// n = 31, f = 10, 31 observations 1..31 by observers 0..30, 11 signatures.
// Calldata 356 + 992 + 704 = 2,052 bytes; non-zero: selector 4, offsets 0x80 (1), 0x500 (1), 0x680 (2), k v bytes,
// report length 0x460 (2), context 18, observers 1..30 (30), array offset 1, length 1, values 31,
// rs 1 + 352, ss 1 + 352 -> 797 + k. Calldata gas = 4*2,052 + 12 (797 + k) = 17,772 + 12 k.
// Execution: 700 + 1,343 + 2,100 + 26,034 + 11*50 + 31*920 + 6,300 + (30 + 6*35) + 11*6,199 + 31*40 + 22,100
//   + (1,125 + 8*(256 + 992)) + 3,512 + 2,100 + 2,900 + 100 + 2,100 + 4,200 + 31*100 + 2*2,900 + 6,035 = 198,272.
// Total = 21,000 + 17,772 + 12 k + 198,272 = 237,044 + 12 k (the real contract: 238,532 with 31 signatures
// ordered 0..10, tests/data/gas/measured.csv).
TEST(OcrAggregator, GasOfAThirtyOneOracleTransmit) {
  Feed feed(31, 10);
  std::vector<OracleId> observers(31), signers(11);
  for (int i = 0; i < 31; ++i) observers[static_cast<std::size_t>(i)] = i;
  for (int i = 0; i < 11; ++i) signers[static_cast<std::size_t>(i)] = 3 * i % 31;
  auto call = feed.call({5, 2}, observers, signers);
  const auto k = odd_v(call);
  auto r = feed.send(call, 7);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(category(r, "calldata"), 17'772 + 12 * k);
  EXPECT_EQ(r.gas_used, 237'044 + 12 * k);
}

// The duplicate transmission of a report reverts at the epochAndRound check: entry 700 + calldata decode 1,343 +
// hotVars 2,100 = 4,143 of execution on top of its intrinsic gas, all of it wasted.
TEST(OcrAggregator, SecondTransmissionRevertsCheaplyAndIsCountedAsWaste) {
  Feed feed(4, 1);
  auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
  ASSERT_EQ(feed.send(call, 1).status, chain::TxStatus::success);
  auto again = feed.send(call, 2);
  EXPECT_EQ(again.status, chain::TxStatus::reverted);
  EXPECT_EQ(again.revert_reason, "stale report");
  EXPECT_EQ(again.gas_used, 21'000 + category(again, "calldata") + 4'143);
  EXPECT_TRUE(again.logs.empty());
  const auto& t = feed.agg().telemetry();
  EXPECT_EQ(t.wasted_gas, again.gas_used);
  EXPECT_EQ(t.reverted, 1U);
  EXPECT_EQ(t.stale, 1U);
  EXPECT_EQ(t.accepted, 1U);
  EXPECT_TRUE(feed.agg().owed_payment(2) == chain::Amount{20'000'000'000'000'000ULL});  // no reimbursement for the loser
  EXPECT_EQ(feed.agg().latest_round(), 1U);
}

TEST(OcrAggregator, RejectsEachMalformedReportWithItsReason) {
  using CallMut = std::function<void(OcrTransmitCall&, int&)>;
  using CfgMut = std::function<void(OcrAggregatorConfig&)>;
  struct Case {
    const char* name;
    OcrRevert expect;
    CallMut mutate;
    CfgMut configure = {};
    bool resign = false;  // re-sign after mutating so that only the intended check fails
  };
  const CallMut none = [](OcrTransmitCall&, int&) {};
  const std::vector<Case> cases{
      {"digest", OcrRevert::config_digest_mismatch, [](auto& c, auto&) { c.config_digest ^= 1; }},
      {"stale", OcrRevert::stale_report, [](auto& c, auto&) { c.epoch_round = {0, 0}; }},
      {"one signature", OcrRevert::not_enough_signatures, [](auto& c, auto&) { c.signatures.resize(1); }},
      {"32 signatures", OcrRevert::too_many_signatures, [](auto& c, auto&) { c.signatures.resize(32, c.signatures[0]); }},
      {"32 observations", OcrRevert::observations_out_of_bounds,
       [](auto& c, auto&) { c.observations.resize(32, c.observations.back()); }},
      {"2f observations", OcrRevert::too_few_values, [](auto& c, auto&) { c.observations.resize(2); }},
      {"observer 31", OcrRevert::observer_index_out_of_bounds, [](auto& c, auto&) { c.observations[1].observer = 31; }},
      {"repeated observer", OcrRevert::observer_index_repeated, [](auto& c, auto&) { c.observations[1].observer = 1; }, {}, true},
      {"transmitter", OcrRevert::unauthorized_transmitter, [](auto&, auto& who) { who = -1; }},
      {"signer not configured", OcrRevert::unauthorized_signer, none, [](auto& cfg) { cfg.signers[2] = Address{77}; }},
      {"non-unique", OcrRevert::non_unique_signature, [](auto& c, auto&) { c.signatures[1] = c.signatures[0]; }},
      {"unsorted", OcrRevert::observations_not_sorted,
       [](auto& c, auto&) { std::swap(c.observations[0].value, c.observations[3].value); }, {}, true},
      {"median above max", OcrRevert::median_out_of_range, none, [](auto& cfg) { cfg.max_answer = 2; }},
      {"median below min", OcrRevert::median_out_of_range, none, [](auto& cfg) { cfg.min_answer = 4; }},
  };
  for (const auto& tc : cases) {
    Feed feed(4, 1, tc.configure);
    auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
    int who = 0;
    tc.mutate(call, who);
    if (tc.resign) feed.resign(call, {0, 2});
    auto r = who < 0 ? feed.send(call, feed.reg.create_account("stranger")) : feed.send(call, who);
    EXPECT_EQ(r.status, chain::TxStatus::reverted) << tc.name;
    EXPECT_EQ(r.revert_reason, to_string(tc.expect)) << tc.name;
    EXPECT_EQ(feed.agg().latest_round(), 0U) << tc.name;
    EXPECT_EQ(feed.agg().observation_count(1), 0U) << tc.name;  // state restored
    EXPECT_EQ(feed.agg().telemetry().wasted_gas, r.gas_used) << tc.name;
    EXPECT_GE(r.gas_used, 21'000U + category(r, "calldata") + 2'800U) << tc.name;  // every check follows the hotVars read
  }
}

TEST(OcrAggregator, ForgedAndForeignSignaturesAreNotAuthorized) {
  Feed feed(4, 1);
  auto call = feed.call({1, 1}, {1, 3, 0, 2}, {0, 2});
  const auto digest = report_digest(kDigest, {1, 1}, call.observations);
  // A byzantine oracle 3 claims oracle 2's address with its own tag.
  auto forged = call;
  forged.signatures[1].signer = feed.keys.onchain[2].address();
  forged.signatures[1].tag = feed.keys.onchain[3].sign(digest).tag;
  EXPECT_EQ(feed.send(forged, 0).revert_reason, "address not authorized to sign");
  // A valid signature by an offchain key (registered, but not a signer).
  auto foreign = call;
  foreign.signatures[1] = feed.keys.offchain[2].sign(digest);
  EXPECT_EQ(feed.send(foreign, 0).revert_reason, "address not authorized to sign");
  // Signatures over other observations (the report was altered after signing).
  auto altered = call;
  altered.observations[0].value = 0;
  EXPECT_EQ(feed.send(altered, 0).revert_reason, "address not authorized to sign");
  EXPECT_EQ(feed.send(call, 0).status, chain::TxStatus::success);
}

TEST(OcrAggregator, EpochRoundMustStrictlyIncrease) {
  Feed feed(4, 1);
  ASSERT_EQ(feed.send(feed.call({2, 3}, {1, 3, 0, 2}, {0, 2}), 0).status, chain::TxStatus::success);
  EXPECT_EQ(feed.send(feed.call({2, 2}, {1, 3, 0, 2}, {0, 2}), 0).revert_reason, "stale report");
  EXPECT_EQ(feed.send(feed.call({1, 9}, {1, 3, 0, 2}, {0, 2}), 0).revert_reason, "stale report");
  EXPECT_EQ(feed.send(feed.call({2, 4}, {1, 3, 0, 2}, {0, 2}), 0).status, chain::TxStatus::success);
  EXPECT_EQ(feed.send(feed.call({3, 1}, {1, 3, 0, 2}, {0, 2}), 0).status, chain::TxStatus::success);
  EXPECT_EQ(feed.agg().latest_round(), 3U);
}

TEST(OcrAggregator, RequestNewRoundIsVisibleUntilTheNextReport) {
  Feed feed(4, 1);
  chain::Transaction req{.from = feed.transmitters[0], .to = feed.agg_address, .nonce = 99, .gas_limit = 100'000,
                         .max_fee = kGwei, .max_priority_fee = kGwei, .calldata = chain::CalldataBuilder{}.selector().build(),
                         .call = [](chain::ExecContext& c) { c.self_as<OcrAggregator>().request_new_round(c); },
                         .label = "ocr/request-new-round"};
  auto r = chain::execute_transaction(feed.reg, req, {.number = 1, .timestamp = sim::Time{}, .base_fee = 0});
  ASSERT_EQ(r.status, chain::TxStatus::success);
  EXPECT_TRUE(feed.agg().latest_transmission_details().round_requested);
  ASSERT_EQ(feed.send(feed.call({1, 1}, {1, 3, 0, 2}, {0, 2}), 0).status, chain::TxStatus::success);
  EXPECT_FALSE(feed.agg().latest_transmission_details().round_requested);
}

TEST(OcrAggregator, ImpliedGasPrice) {
  OcrBilling b;  // reasonable 50, maximum 1,000 gwei
  EXPECT_EQ(implied_gas_price_gwei(30, b), 40U);        // 30 + (50 - 30) / 2
  EXPECT_EQ(implied_gas_price_gwei(49, b), 49U);        // 49 + 1 / 2 (integer)
  EXPECT_EQ(implied_gas_price_gwei(60, b), 60U);        // above reasonable: as is
  EXPECT_EQ(implied_gas_price_gwei(2'000, b), 1'000U);  // capped
}

TEST(OcrAggregator, ConfigValidation) {
  Feed feed(4, 1);
  EXPECT_TRUE(validate(feed.cfg, "feeds[0].contract").empty());
  auto bad = feed.cfg;
  bad.f = 2;
  bad.transmitters.pop_back();
  bad.signers[1] = bad.signers[0];
  EXPECT_EQ(validate(bad, "feeds[0].contract").size(), 3U);
}
