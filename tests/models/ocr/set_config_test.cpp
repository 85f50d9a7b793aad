// setConfig on both aggregator generations: the new digest takes effect at once (a report of the old configuration
// reverts "configDigest mismatch"), epochs start over, the signer and transmitter sets are replaced, the oracles are
// paid what they were owed, and a configuration setConfig would refuse reverts with the contract's reason.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <type_traits>
#include <numeric>
#include <vector>

#include "models/ocr/ocr2_aggregator.hpp"
#include "models/ocr/ocr_aggregator.hpp"
#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;
namespace chain = models::chain;

namespace {

constexpr std::uint64_t kDigest = 0x5eedc0ffeeULL;
constexpr chain::Wei kPrice = 30 * chain::kGwei;

std::vector<OracleId> range(int from, int to) {
  std::vector<OracleId> v(static_cast<std::size_t>(to - from));
  std::iota(v.begin(), v.end(), from);
  return v;
}

// A deployed aggregator of generation V whose first configuration is members 0..n-1 of `total` keyed members.
template <class V>
struct Deployed;

template <>
struct Deployed<Ocr2Aggregator> {
  using Config = Ocr2AggregatorConfig;
  using Call = Ocr2TransmitCall;
  static Call make_call(std::uint64_t digest, EpochRound er, const std::vector<OracleId>& observers) {
    Call c;
    c.config_digest = digest;
    c.epoch_round = er;
    c.extra_hash = 7;
    c.observations_timestamp = 1'000;
    c.juels_per_fee_coin = static_cast<Value>(200) * 1'000'000'000'000'000'000LL;
    Value v = 1;
    for (OracleId o : observers) c.observations.push_back({v++, o});
    return c;
  }
  static std::uint64_t digest_of(const Call& c) {
    return report_digest_ocr2(c.config_digest, c.epoch_round, c.extra_hash, c.observations, c.observations_timestamp,
                              c.juels_per_fee_coin);
  }
  static chain::Calldata calldata(const Call& c) { return ocr2_transmit_calldata(c); }
};

template <>
struct Deployed<OcrAggregator> {
  using Config = OcrAggregatorConfig;
  using Call = OcrTransmitCall;
  static Call make_call(std::uint64_t digest, EpochRound er, const std::vector<OracleId>& observers) {
    Call c{digest, er, {}, {}};
    Value v = 1;
    for (OracleId o : observers) c.observations.push_back({v++, o});
    return c;
  }
  static std::uint64_t digest_of(const Call& c) { return report_digest(c.config_digest, c.epoch_round, c.observations); }
  static chain::Calldata calldata(const Call& c) { return transmit_calldata(c); }
};

template <class V>
struct Feed {
  test_util::Keys keys;
  chain::ContractRegistry reg;
  std::vector<chain::Address> accounts;  // member i's transmitter
  chain::Address owner, agg_address;
  std::uint64_t nonce = 0;

  Feed(int n, int f, int total) : keys(total) {
    typename Deployed<V>::Config cfg;
    cfg.config_digest = kDigest;
    cfg.f = f;
    for (int i = 0; i < total; ++i) accounts.push_back(reg.create_account("transmitter-" + std::to_string(i)));
    for (int i = 0; i < n; ++i) {
      cfg.signers.push_back(keys.onchain[static_cast<std::size_t>(i)].address());
      cfg.transmitters.push_back(accounts[static_cast<std::size_t>(i)]);
    }
    owner = reg.create_account("owner");
    agg_address = reg.deploy("aggregator", std::make_shared<V>(cfg, keys.directory.registry()));
  }
  V& agg() { return *reg.find_as<V>(agg_address); }

  chain::ExecResult execute(chain::Address from, chain::Calldata calldata, std::function<void(chain::ExecContext&)> fn) {
    chain::Transaction tx{.from = from, .to = agg_address, .nonce = nonce++, .gas_limit = 8'000'000, .max_fee = kPrice,
                          .max_priority_fee = kPrice, .calldata = calldata, .call = std::move(fn), .label = "test"};
    return chain::execute_transaction(reg, tx, {.number = 1, .timestamp = sim::Time::from_seconds(1'000), .base_fee = 0});
  }
  // A report of the configuration with `digest`, observed by `observers` and signed by members `signers`, sent by
  // member `transmitter`.
  chain::ExecResult transmit(std::uint64_t digest, EpochRound er, const std::vector<OracleId>& observers,
                             const std::vector<int>& signers, int transmitter) {
    auto call = Deployed<V>::make_call(digest, er, observers);
    const std::uint64_t d = Deployed<V>::digest_of(call);
    for (int s : signers) call.signatures.push_back(keys.onchain[static_cast<std::size_t>(s)].sign(d));
    return execute(accounts[static_cast<std::size_t>(transmitter)], Deployed<V>::calldata(call),
                   [call](chain::ExecContext& c) { c.self_as<V>().transmit(c, call, c.gas_price()); });
  }
  chain::ExecResult set_config(const std::vector<int>& members, int f, bool repeat_signer = false) {
    std::vector<Address> signers;
    std::vector<chain::Address> transmitters;
    for (int m : members) {
      signers.push_back(keys.onchain[static_cast<std::size_t>(m)].address());
      transmitters.push_back(accounts[static_cast<std::size_t>(m)]);
    }
    if (repeat_signer) signers.back() = signers.front();
    return execute(owner, chain::Calldata{200, 100},
                   [signers, transmitters, f](chain::ExecContext& c) { c.self_as<V>().set_config(c, signers, transmitters, f); });
  }
};

template <class V>
class SetConfig : public ::testing::Test {};
using Generations = ::testing::Types<OcrAggregator, Ocr2Aggregator>;
TYPED_TEST_SUITE(SetConfig, Generations);

}  // namespace

TYPED_TEST(SetConfig, TheNewDigestTakesEffectAtOnceAndEpochsStartOver) {
  using V = TypeParam;
  const bool v2 = std::is_same_v<V, Ocr2Aggregator>;
  Feed<V> feed(4, 1, 7);  // members 0..3, f = 1; members 4..6 join later
  ASSERT_EQ(feed.transmit(kDigest, {5, 1}, range(0, 3), {0, 1}, 0).status, chain::TxStatus::success);
  ASSERT_EQ(feed.agg().latest_round(), 1U);

  // Grow to members 0..6 with f = 2.
  const auto r = feed.set_config(range(0, 7), 2);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  ASSERT_EQ(r.logs.size(), 1U);
  const auto* ev = std::any_cast<OcrConfigSet>(&r.logs[0].payload);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->config_count, 2U);
  EXPECT_EQ(feed.agg().config_count(), 2U);
  EXPECT_NE(ev->config_digest, kDigest);
  EXPECT_EQ(feed.agg().config_digest(), ev->config_digest);
  EXPECT_EQ(feed.agg().oracles(), 7);
  EXPECT_EQ(feed.agg().latest_transmission_details().latest, (EpochRound{0, 0}));  // epochs start over
  EXPECT_EQ(feed.agg().latest_round(), 1U);  // aggregator rounds go on
  const std::uint64_t next = ev->config_digest;

  // A report of the old configuration, even a newer (epoch, round) signed by its own signers, is refused.
  EXPECT_EQ(feed.transmit(kDigest, {6, 1}, range(0, 3), {0, 1}, 0).revert_reason, "configDigest mismatch");
  // The new configuration reports from epoch 1, with f + 1 = 3 signatures and more than 2f (OCR1) / f (OCR2)
  // observations, through a member that joined.
  const auto ok = feed.transmit(next, {1, 1}, range(2, 7), {4, 5, 6}, 6);
  ASSERT_EQ(ok.status, chain::TxStatus::success) << ok.revert_reason;
  EXPECT_EQ(feed.agg().latest_round(), 2U);
  // The old configuration's f + 1 signatures are no longer enough.
  EXPECT_EQ(feed.transmit(next, {1, 2}, range(2, 7), {4, 5}, 6).revert_reason,
            v2 ? "wrong number of signatures" : "not enough signatures");
}

TYPED_TEST(SetConfig, MembersLeftOutCanNeitherSignNorTransmit) {
  using V = TypeParam;
  const bool v2 = std::is_same_v<V, Ocr2Aggregator>;
  Feed<V> feed(4, 1, 7);
  const auto r = feed.set_config({0, 1, 4, 5}, 1);  // members 2 and 3 replaced by 4 and 5
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  const std::uint64_t next = feed.agg().config_digest();
  EXPECT_EQ(feed.transmit(next, {1, 1}, range(0, 3), {0, 1}, 3).revert_reason, "unauthorized transmitter");
  EXPECT_EQ(feed.transmit(next, {1, 1}, range(0, 3), {0, 2}, 0).revert_reason,
            v2 ? "signature error" : "address not authorized to sign");
  const auto ok = feed.transmit(next, {1, 1}, range(0, 3), {0, 5}, 1);  // members 0 and 5 sign, member 1 sends
  EXPECT_EQ(ok.status, chain::TxStatus::success) << ok.revert_reason;
}

TYPED_TEST(SetConfig, TheOraclesArePaidWhatTheyWereOwed) {
  using V = TypeParam;
  Feed<V> feed(4, 1, 7);
  ASSERT_EQ(feed.transmit(kDigest, {1, 1}, range(0, 3), {0, 1}, 2).status, chain::TxStatus::success);
  ASSERT_EQ(feed.transmit(kDigest, {1, 2}, range(1, 4), {2, 3}, 3).status, chain::TxStatus::success);
  chain::Amount owed = 0;
  for (int i = 0; i < 4; ++i) owed += feed.agg().owed_payment(i);
  ASSERT_GT(owed, chain::Amount{0});
  EXPECT_EQ(feed.agg().paid_juels(), chain::Amount{0});
  ASSERT_EQ(feed.set_config(range(0, 7), 2).status, chain::TxStatus::success);
  EXPECT_TRUE(feed.agg().paid_juels() == owed);
  for (int i = 0; i < 7; ++i) EXPECT_TRUE(feed.agg().owed_payment(i) == chain::Amount{0}) << i;
}

TYPED_TEST(SetConfig, RefusesWhatTheContractRefuses) {
  using V = TypeParam;
  Feed<V> feed(4, 1, 7);
  EXPECT_EQ(feed.set_config(range(0, 6), 2).revert_reason, "faulty-oracle f too high");  // 3f = 6 >= n
  EXPECT_EQ(feed.set_config(range(0, 4), 0).revert_reason, "f must be positive");
  EXPECT_EQ(feed.set_config(range(0, 4), 1, true).revert_reason, "repeated signer address");
  EXPECT_EQ(feed.agg().config_count(), 1U);  // nothing changed
  EXPECT_EQ(feed.agg().config_digest(), kDigest);
}
