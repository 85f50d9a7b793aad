// The OCR2Aggregator model: calldata of transmit, each check in the contract's order, exactly f + 1 signatures,
// lazy per-round billing and the reimbursement at the transaction's price, and what it costs next to OCR1.
#include "models/ocr/ocr2_aggregator.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <numeric>

#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;
namespace chain = models::chain;

namespace {

constexpr std::uint64_t kDigest = 0x1122334455667788ULL;
constexpr chain::Wei kGwei = chain::kGwei;
constexpr chain::Amount kJuelsPerEth = chain::Amount{200} * 1'000'000'000'000'000'000ULL;

struct Feed {
  int n, f;
  test_util::Keys keys;
  chain::ContractRegistry reg;
  Ocr2AggregatorConfig cfg;
  std::vector<chain::Address> transmitters;
  chain::Address agg_address;
  std::uint64_t nonce = 0;

  Feed(int n_, int f_, std::function<void(Ocr2AggregatorConfig&)> tweak = {}) : n(n_), f(f_), keys(n_) {
    cfg.config_digest = kDigest;
    cfg.f = f;
    for (int i = 0; i < n; ++i) {
      cfg.signers.push_back(keys.onchain[static_cast<std::size_t>(i)].address());
      transmitters.push_back(reg.create_account("transmitter-" + std::to_string(i)));
    }
    cfg.transmitters = transmitters;
    if (tweak) tweak(cfg);
    agg_address = reg.deploy("ocr2-aggregator", std::make_shared<Ocr2Aggregator>(cfg, keys.directory.registry()));
  }
  Ocr2Aggregator& agg() { return *reg.find_as<Ocr2Aggregator>(agg_address); }

  // Observations 1..k by `observers`, signed by `signers`.
  Ocr2TransmitCall call(EpochRound er, std::vector<OracleId> observers, std::vector<OracleId> signers) const {
    Ocr2TransmitCall c;
    c.config_digest = kDigest;
    c.epoch_round = er;
    c.extra_hash = 0xabcdef;
    c.observations_timestamp = 1'000;
    c.juels_per_fee_coin = static_cast<Value>(kJuelsPerEth);
    Value v = 1;
    for (OracleId o : observers) c.observations.push_back({v++, o});
    resign(c, signers);
    return c;
  }
  void resign(Ocr2TransmitCall& c, const std::vector<OracleId>& signers) const {
    c.signatures.clear();
    const auto d = report_digest_ocr2(c.config_digest, c.epoch_round, c.extra_hash, c.observations,
                                      c.observations_timestamp, c.juels_per_fee_coin);
    for (OracleId s : signers) c.signatures.push_back(keys.onchain[static_cast<std::size_t>(s)].sign(d));
  }
  chain::ExecResult send(const Ocr2TransmitCall& call, chain::Address from, chain::Wei price = 30 * kGwei) {
    chain::Transaction tx{.from = from, .to = agg_address, .nonce = nonce++, .gas_limit = 1'000'000,
                          .max_fee = price, .max_priority_fee = price, .calldata = ocr2_transmit_calldata(call),
                          .call = [call, price](chain::ExecContext& c) { c.self_as<Ocr2Aggregator>().transmit(c, call, price); },
                          .label = "ocr/transmit"};
    return chain::execute_transaction(reg, tx, {.number = 1, .timestamp = sim::Time::from_seconds(1'000), .base_fee = 0});
  }
  chain::ExecResult send(const Ocr2TransmitCall& call, int transmitter) {
    return send(call, transmitters[static_cast<std::size_t>(transmitter)]);
  }
};

std::vector<OracleId> first(int k) {
  std::vector<OracleId> v(static_cast<std::size_t>(k));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

}  // namespace

TEST(Ocr2Aggregator, CalldataLengthIsTheContractsExpectedMsgDataLength) {
  // 4 selector + 3 context words + 3 offsets + rawVs + 3 lengths = 324, + report (160 + 32 k) + 64 per signature.
  for (int n_obs : {2, 11, 31}) {
    for (int n_sig : {1, 2, 11}) {
      Ocr2TransmitCall c;
      c.observations.resize(static_cast<std::size_t>(n_obs));
      c.signatures.resize(static_cast<std::size_t>(n_sig));
      EXPECT_EQ(encode_ocr2_transmit_calldata(c).size(), static_cast<std::size_t>(324 + 160 + 32 * n_obs + 64 * n_sig));
      EXPECT_EQ(encode_ocr2_transmit_calldata(c).size(),
                ocr2_transmit_calldata_length(static_cast<std::size_t>(n_obs), static_cast<std::size_t>(n_sig)));
    }
  }
}

TEST(Ocr2Aggregator, AcceptsExactlyFPlusOneSignatures) {
  Feed feed(7, 2);
  auto ok = feed.call({1, 1}, first(5), {0, 1, 2});
  auto r = feed.send(ok, 0);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(feed.agg().latest_answer(), 3);  // obs[5/2]
  EXPECT_EQ(feed.agg().latest_round(), 1U);

  auto more = feed.call({1, 2}, first(5), {0, 1, 2, 3});  // f + 2: OCR1 would accept, OCR2 does not
  EXPECT_EQ(feed.send(more, 0).revert_reason, "wrong number of signatures");
  auto fewer = feed.call({1, 2}, first(5), {0, 1});
  EXPECT_EQ(feed.send(fewer, 0).revert_reason, "wrong number of signatures");
}

TEST(Ocr2Aggregator, ChecksInTheContractsOrder) {
  Feed feed(4, 1);
  ASSERT_EQ(feed.send(feed.call({2, 1}, first(3), {0, 1}), 0).status, chain::TxStatus::success);
  // Each call breaks this check and every later one; the first broken check is the one reported.
  auto stale = feed.call({2, 1}, first(3), {0});
  stale.config_digest = 1;
  EXPECT_EQ(feed.send(stale, feed.reg.create_account("outsider")).revert_reason, "stale report");
  auto outsider = feed.call({2, 2}, first(3), {0});
  outsider.config_digest = 1;
  EXPECT_EQ(feed.send(outsider, feed.reg.create_account("outsider-2")).revert_reason, "unauthorized transmitter");
  auto digest = feed.call({2, 2}, first(3), {0});
  digest.config_digest = 1;
  EXPECT_EQ(feed.send(digest, 1).revert_reason, "configDigest mismatch");
  EXPECT_EQ(feed.send(feed.call({2, 2}, {0}, {0}), 1).revert_reason, "wrong number of signatures");
  auto forged = feed.call({2, 2}, {0}, {0, 1});
  forged.observations[0].value = 99;  // signatures over another report recover to no signer
  EXPECT_EQ(feed.send(forged, 1).revert_reason, "signature error");
  EXPECT_EQ(feed.send(feed.call({2, 2}, {0}, {1, 1}), 1).revert_reason, "duplicate signer");
  EXPECT_EQ(feed.send(feed.call({2, 2}, {0}, {0, 1}), 1).revert_reason, "too few values to trust median");  // f = 1
  EXPECT_EQ(feed.agg().telemetry().reverted, 7U);
  EXPECT_EQ(feed.agg().telemetry().stale, 1U);
}

TEST(Ocr2Aggregator, NoSortednessOrObserverUniquenessCheckButTheRange) {
  Feed feed(4, 1, [](Ocr2AggregatorConfig& c) {
    c.min_answer = 2;
    c.max_answer = 10;
  });
  auto unsorted = feed.call({1, 1}, {0, 0, 1}, {0, 1});  // observer 0 twice
  std::swap(unsorted.observations[0], unsorted.observations[2]);
  feed.resign(unsorted, {0, 1});
  ASSERT_EQ(feed.send(unsorted, 0).status, chain::TxStatus::success);
  EXPECT_EQ(feed.agg().latest_answer(), 2);  // obs[1] as sent
  auto low = feed.call({1, 2}, first(3), {0, 1});
  low.observations[1].value = 1;
  feed.resign(low, {0, 1});
  EXPECT_EQ(feed.send(low, 0).revert_reason, "median is out of min-max range");
}

TEST(Ocr2Aggregator, LazyBillingOwesEveryOracleEachRoundAndTheTransmitterItsGas) {
  Feed feed(4, 1);
  auto r1 = feed.send(feed.call({1, 1}, {0, 1, 2}, {0, 1}), 3);  // oracle 3 transmits, did not observe
  ASSERT_EQ(r1.status, chain::TxStatus::success) << r1.revert_reason;
  const auto* ev = std::any_cast<Ocr2NewTransmission>(&r1.logs.at(0).payload);
  ASSERT_NE(ev, nullptr);
  // Reimbursed price: 30 gwei + (50 - 30) / 2 = 40 gwei; juels = gas * 40e9 * 200e18 / 1e18, + 0.06 LINK.
  const chain::Amount expected = chain::Amount{ev->reimbursed_gas} * 40 * kGwei * 200 + chain::Amount{60'000'000} * kGwei;
  EXPECT_TRUE(ev->payment_juels == expected);
  EXPECT_GT(ev->reimbursed_gas, 0U);
  EXPECT_EQ(ev->observations_timestamp, 1'000U);
  const chain::Amount per_round = chain::Amount{20'000'000} * kGwei;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(feed.agg().owed_payment(i) == per_round) << i;
  EXPECT_TRUE(feed.agg().owed_payment(3) == per_round + expected);  // owed a round although it observed nothing
  ASSERT_EQ(feed.send(feed.call({1, 2}, {1, 2, 3}, {2, 3}), 0).status, chain::TxStatus::success);
  EXPECT_TRUE(feed.agg().owed_payment(1) == 2 * per_round);
  // A negative juelsPerFeeCoin pays nothing (the contract returns before paying).
  auto negative = feed.call({1, 3}, first(3), {0, 1});
  negative.juels_per_fee_coin = -1;
  feed.resign(negative, {0, 1});
  auto r3 = feed.send(negative, 1);
  ASSERT_EQ(r3.status, chain::TxStatus::success);
  EXPECT_TRUE(feed.agg().owed_payment(1) == 3 * per_round);
}

TEST(Ocr2Aggregator, ReimbursementFollowsTheTransactionsGasPrice) {
  Feed feed(4, 1);
  auto at = [&](EpochRound er, chain::Wei price) {
    auto r = feed.send(feed.call(er, first(3), {0, 1}), feed.transmitters[0], price);
    return *std::any_cast<Ocr2NewTransmission>(&r.logs.at(0).payload);
  };
  const auto cheap = at({1, 1}, 10 * kGwei), mid = at({1, 2}, 80 * kGwei), capped = at({1, 3}, 2'000 * kGwei);
  const chain::Amount fee = chain::Amount{60'000'000} * kGwei;
  EXPECT_TRUE(cheap.payment_juels == chain::Amount{cheap.reimbursed_gas} * 30 * kGwei * 200 + fee);  // 10 + 40/2
  EXPECT_TRUE(mid.payment_juels == chain::Amount{mid.reimbursed_gas} * 80 * kGwei * 200 + fee);
  EXPECT_TRUE(capped.payment_juels == chain::Amount{capped.reimbursed_gas} * 1'000 * kGwei * 200 + fee);  // the cap
}

TEST(Ocr2Aggregator, ReimbursementIsExactAtTheLargestLinkPerEthAScenarioAccepts) {
  // link_per_eth up to 1e9: juelsPerFeeCoin = 1e27, the price at the 1,000 gwei cap. gas * price * juels would
  // leave 128 bits; the contract's result (gas * 1e21 juels here) must not.
  Feed feed(4, 1);
  auto call = feed.call({1, 1}, first(3), {0, 1});
  const Value juels_per_eth = static_cast<Value>(1'000'000'000) * 1'000'000'000'000'000'000LL;
  call.juels_per_fee_coin = juels_per_eth;
  feed.resign(call, {0, 1});
  const auto r = feed.send(call, feed.transmitters[0], 2'000 * kGwei);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  const auto ev = *std::any_cast<Ocr2NewTransmission>(&r.logs.at(0).payload);
  const chain::Amount per_gas = chain::Amount{1'000} * 1'000'000'000'000'000'000ULL;  // 1e21 juels
  EXPECT_TRUE(ev.payment_juels == chain::Amount{ev.reimbursed_gas} * per_gas + chain::Amount{60'000'000} * kGwei);
}

TEST(Ocr2Aggregator, TransmitCostsLessThanOcr1ForTheSameReport) {
  // OCR2 sends f + 1 signatures where OCR1 has the protocol's f + 1 or more, and writes no observation counts.
  // With the same report (31 observations, 11 signatures at n = 31) OCR2 is still cheaper: no sortedness or
  // observer-uniqueness pass, one payment slot written instead of the counts.
  Feed feed(31, 10);
  const auto r = feed.send(feed.call({1, 1}, first(31), first(11)), 0);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  OcrAggregatorConfig c1;
  c1.config_digest = kDigest;
  c1.f = 10;
  c1.signers = feed.cfg.signers;
  c1.transmitters = feed.transmitters;
  const auto ocr1 = feed.reg.deploy("ocr-aggregator", std::make_shared<OcrAggregator>(c1, feed.keys.directory.registry()));
  OcrTransmitCall call1{kDigest, {1, 1}, {}, {}};
  for (int i = 0; i < 31; ++i) call1.observations.push_back({i + 1, i});
  const auto d = report_digest(kDigest, {1, 1}, call1.observations);
  for (int i = 0; i < 11; ++i) call1.signatures.push_back(feed.keys.onchain[static_cast<std::size_t>(i)].sign(d));
  chain::Transaction tx{.from = feed.transmitters[0], .to = ocr1, .nonce = feed.nonce++, .gas_limit = 1'000'000,
                        .max_fee = 30 * kGwei, .max_priority_fee = 30 * kGwei, .calldata = transmit_calldata(call1),
                        .call = [call1](chain::ExecContext& c) { c.self_as<OcrAggregator>().transmit(c, call1, 30 * kGwei); },
                        .label = "ocr/transmit"};
  const auto r1 = chain::execute_transaction(feed.reg, tx, {.number = 1, .timestamp = sim::Time::from_seconds(1'000), .base_fee = 0});
  ASSERT_EQ(r1.status, chain::TxStatus::success) << r1.revert_reason;
  EXPECT_LT(r.gas_used, r1.gas_used);
}
