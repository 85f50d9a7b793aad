#include "models/streams/verifier.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "models/contracts/link_token.hpp"
#include "tests/models/streams/verifier_stack.hpp"

using namespace models::streams;
namespace chain = models::chain;
namespace ocr = models::ocr;

namespace {

using streams_test::kDigest;
using streams_test::kNow;
using streams_test::Stack;

// Everything a failed verification must leave untouched.
struct Observed {
  std::uint64_t verified;
  std::uint64_t fees_paid;
  chain::Amount link_dep, native_dep;
  bool operator==(const Observed&) const = default;
};
Observed observe(Stack& st) {
  Observed o{st.verifier().state().verified, 0, 0, 0};
  if (!st.s.fee_manager.is_zero()) {
    o.fees_paid = st.fee_manager().state().fees_paid;
    o.link_dep = st.link().balance_of(st.subscriber);
    o.native_dep = st.fee_manager().native_balance(st.subscriber);
  }
  return o;
}

void expect_revert(Stack& st, const SignedReport& r, const std::string& reason, FeeToken token = FeeToken::link) {
  const Observed before = observe(st);
  const auto res = st.verify(r, token);
  EXPECT_EQ(res.status, chain::TxStatus::reverted);
  EXPECT_EQ(res.revert_reason, reason);
  EXPECT_TRUE(res.logs.empty());
  EXPECT_EQ(observe(st), before) << "a reverted verification changed state";
}

chain::Gas intrinsic(const chain::ExecResult& r) {
  chain::Gas g = 0;
  for (const auto& [what, gas] : r.breakdown)
    if (what == "intrinsic" || what == "calldata") g += gas;
  return g;
}

}  // namespace

TEST(StreamsVerifier, ValidReportVerifiesThroughTheProxyAndReturnsTheReport) {
  Stack st(4, 1, false);
  const SignedReport r = st.good();
  VerifyOutcome out;
  const auto res = st.verify(r, FeeToken::link, &out);
  ASSERT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  EXPECT_EQ(out.report, r.report);
  EXPECT_EQ(st.verifier().state().verified, 1u);
  ASSERT_EQ(res.logs.size(), 1u);
  EXPECT_EQ(res.logs[0].event, "ReportVerified");
  EXPECT_EQ(res.logs[0].emitter, st.s.verifier);
  // The Verifier ran f+1 = 2 ecrecovers.
  chain::Gas ecrecover = 0;
  for (const auto& [what, g] : res.breakdown)
    if (what == "ecrecover") ecrecover += g;
  EXPECT_EQ(ecrecover, 2u * 3'000u);
  EXPECT_GT(out.verifier_gas, 6'000u);
  EXPECT_LT(out.verifier_gas, out.total_gas);
}

TEST(StreamsVerifier, LinkAndNativeFeesAreChargedToTheSubscriber) {
  Stack st(4, 1, true);
  const SignedReport r = st.good();
  const auto link_before = st.link().balance_of(st.subscriber);
  const auto native_before = st.fee_manager().native_balance(st.subscriber);
  st.link().mint(st.s.fee_manager, r.report.link_fee);  // LINK for the reward of the native fee below
  VerifyOutcome out;
  auto res = st.verify(r, FeeToken::link, &out);
  ASSERT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  EXPECT_EQ(out.report, r.report);
  EXPECT_GT(out.fee_gas, 0u);
  // The LINK fee went from the subscriber to the RewardManager, into the pool of the report's config digest.
  EXPECT_EQ(st.link().balance_of(st.subscriber), link_before - r.report.link_fee);
  EXPECT_EQ(st.link().balance_of(st.s.reward_manager), chain::Amount{r.report.link_fee});
  EXPECT_EQ(st.fee_manager().native_balance(st.subscriber), native_before);

  res = st.verify(r, FeeToken::native, &out);
  ASSERT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  EXPECT_EQ(st.fee_manager().native_balance(st.subscriber), native_before - r.report.native_fee);
  EXPECT_EQ(st.fee_manager().state().native_collected, chain::Amount{r.report.native_fee});
  EXPECT_EQ(st.fee_manager().state().fees_paid, 2u);
  // The native fee's reward came from the FeeManager's LINK.
  EXPECT_EQ(st.link().balance_of(st.s.fee_manager), 0u);
  EXPECT_EQ(st.link().balance_of(st.s.reward_manager), chain::Amount{2} * r.report.link_fee);
  const auto* rm = st.reg.find_as<RewardManager>(st.s.reward_manager);
  EXPECT_EQ(rm->pool(kDigest)->total_fees, chain::Amount{2} * r.report.link_fee);
  EXPECT_TRUE(audit_fees(st.reg, st.s.fee_manager).problem.empty());
}

TEST(StreamsVerifier, LinkFeesNeedTheSubscribersApprovalOfTheRewardManager) {
  Stack st(4, 1, true);
  const chain::Address alice = st.reg.create_account("alice");
  st.link().mint(alice, chain::Amount{1'000'000'000'000'000'000ULL});
  auto res = st.verify(st.good(), FeeToken::link, nullptr, alice);
  EXPECT_EQ(res.status, chain::TxStatus::reverted);
  EXPECT_EQ(res.revert_reason, "transfer amount exceeds allowance");
  // approve(rewardManager, fee), as the docs' consumer does before verify: exactly the fee is spent.
  const chain::Amount fee = st.report().link_fee;
  run_setup_call(st.reg, alice, st.s.link_token, [&](chain::ExecContext& c) {
    c.self_as<models::contracts::LinkToken>().approve(c, st.s.reward_manager, fee);
  });
  res = st.verify(st.good(), FeeToken::link, nullptr, alice);
  ASSERT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  EXPECT_EQ(st.link().allowance(alice, st.s.reward_manager), 0u);
  EXPECT_EQ(st.link().balance_of(alice), chain::Amount{1'000'000'000'000'000'000ULL} - fee);
}

TEST(StreamsVerifier, RejectsWrongSignatureSets) {
  Stack st(7, 2, true);
  const ReportV3 rep = st.report();
  expect_revert(st, st.sign(rep, st.first(2)), "IncorrectSignatureCount");   // f signatures
  expect_revert(st, st.sign(rep, st.first(4)), "IncorrectSignatureCount");   // f+2 signatures
  expect_revert(st, st.sign(rep, {0, 1, 7}), "BadVerification");             // valid key, not a configured signer
  expect_revert(st, st.sign(rep, {0, 1, 1}), "BadVerification");             // duplicate signer
  // A tampered price: the signatures were over the original report.
  SignedReport tampered = st.sign(rep, st.first(3));
  tampered.report.benchmark_price += 1;
  expect_revert(st, tampered, "BadVerification");
  // A signature over another config digest.
  SignedReport other = st.sign(rep, st.first(3));
  other.context.config_digest = kDigest + 1;
  expect_revert(st, other, "VerifierNotFound");
  // The untouched report still verifies.
  EXPECT_EQ(st.verify(st.sign(rep, st.first(3)), FeeToken::link).status, chain::TxStatus::success);
}

TEST(StreamsVerifier, RejectsExpiredReportsAndInactiveFeedsAndConfigs) {
  Stack st(4, 1, true);
  ReportV3 rep = st.report();
  rep.expires_at = kNow - 1;
  expect_revert(st, st.sign(rep, st.first(2)), "ExpiredReport");
  expect_revert(st, st.sign(rep, st.first(2)), "ExpiredReport", FeeToken::native);
  rep.expires_at = kNow;  // expiresAt == block.timestamp is still valid
  EXPECT_EQ(st.verify(st.sign(rep, st.first(2)), FeeToken::link).status, chain::TxStatus::success);

  const SignedReport good = st.good();
  st.owner_call(st.s.verifier, [&](chain::ExecContext& c) { c.self_as<Verifier>().deactivate_feed(c, st.feed); });
  expect_revert(st, good, "InactiveFeed");
  st.owner_call(st.s.verifier, [&](chain::ExecContext& c) { c.self_as<Verifier>().activate_feed(c, st.feed); });
  EXPECT_EQ(st.verify(good, FeeToken::link).status, chain::TxStatus::success);

  st.owner_call(st.s.verifier, [&](chain::ExecContext& c) { c.self_as<Verifier>().deactivate_config(c, kDigest); });
  expect_revert(st, good, "DigestInactive");
  st.owner_call(st.s.verifier, [&](chain::ExecContext& c) { c.self_as<Verifier>().activate_config(c, kDigest); });
  EXPECT_EQ(st.verify(good, FeeToken::link).status, chain::TxStatus::success);
}

TEST(StreamsVerifier, OnlyTheProxyMayCallTheVerifier) {
  Stack st(4, 1, false);
  const auto res = st.verify_direct(st.good());
  EXPECT_EQ(res.status, chain::TxStatus::reverted);
  EXPECT_EQ(res.revert_reason, "AccessForbidden");
  EXPECT_EQ(st.verifier().state().verified, 0u);
}

TEST(StreamsVerifier, ShortFundsRevert) {
  Stack st(4, 1, true);
  const chain::Address poor = st.reg.create_account("poor");
  st.link().set_allowance(poor, st.s.reward_manager, models::contracts::LinkToken::kUnlimited);
  auto res = st.verify(st.good(), FeeToken::link, nullptr, poor);
  EXPECT_EQ(res.status, chain::TxStatus::reverted);
  EXPECT_EQ(res.revert_reason, "transfer amount exceeds balance");
  res = st.verify(st.good(), FeeToken::native, nullptr, poor);
  EXPECT_EQ(res.status, chain::TxStatus::reverted);
  EXPECT_EQ(res.revert_reason, "InsufficientBalance");
}

TEST(StreamsVerifier, SetConfigChecksTheSignerSet) {
  Stack st(4, 1, false);
  auto try_config = [&](std::uint64_t digest, std::vector<ocr::Address> signers, int f) -> std::string {
    try {
      st.owner_call(st.s.verifier,
                    [&](chain::ExecContext& c) { c.self_as<Verifier>().set_config(c, digest, signers, f); });
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "ok";
  };
  std::vector<ocr::Address> four;
  for (int i = 0; i < 4; ++i) four.push_back(st.keys[static_cast<std::size_t>(i)].address());
  EXPECT_NE(try_config(2, four, 2).find("InsufficientSigners"), std::string::npos);  // n = 4 is not > 3f = 6
  EXPECT_NE(try_config(2, four, 0).find("FaultToleranceMustBePositive"), std::string::npos);
  auto dup = four;
  dup[3] = dup[0];
  EXPECT_NE(try_config(2, dup, 1).find("NonUniqueSignatures"), std::string::npos);
  EXPECT_NE(try_config(2, std::vector<ocr::Address>(32, ocr::Address{1}), 1).find("ExcessSigners"), std::string::npos);
  EXPECT_EQ(try_config(2, four, 1), "ok");
  EXPECT_EQ(st.proxy().verifier_for(2), st.s.verifier);  // the proxy routes the new digest
  // Not the owner.
  chain::Transaction tx{.from = st.subscriber, .to = st.s.verifier, .nonce = 0, .gas_limit = 1'000'000, .max_fee = 0,
                        .max_priority_fee = 0, .calldata = {},
                        .call = [&](chain::ExecContext& c) { c.self_as<Verifier>().set_config(c, 3, four, 1); },
                        .label = "x"};
  EXPECT_EQ(chain::execute_transaction(st.reg, tx, {}).status, chain::TxStatus::reverted);
}

// The model's gas against the llo-feeds gas snapshot (facts §2), whose tests use f = 10 (11 of 31 signers) and
// report Foundry test gas (see streams_verifier.hpp): execution gas + the harness reading the report from storage.
TEST(StreamsVerifier, GasNearTheSnapshot) {
  Stack plain(31, 10, false);
  Stack fees(31, 10, true, chain::Amount{1'000'000} * 1'000'000'000'000'000'000ULL);  // the FeeManager holds LINK for rewards
  const SignedReport r = plain.good();
  ASSERT_EQ(r.signatures.size(), 11u);
  const chain::Gas harness = snapshot_harness_gas(r);

  VerifyOutcome out;
  const auto proxy = plain.verify(r, FeeToken::link, &out);
  ASSERT_EQ(proxy.status, chain::TxStatus::success) << proxy.revert_reason;
  // The snapshot's harness calls the contract under test from a contract: a cold account access (2,600) that a
  // transaction's `to` does not pay; the Verifier frame's own access is in verifier_gas already.
  const double direct = static_cast<double>(out.verifier_gas + harness);
  const double via_proxy = static_cast<double>(proxy.gas_used - intrinsic(proxy) + 2'600 + harness);
  const auto link = fees.verify(r, FeeToken::link);
  const auto native = fees.verify(r, FeeToken::native);
  ASSERT_EQ(link.status, chain::TxStatus::success) << link.revert_reason;
  ASSERT_EQ(native.status, chain::TxStatus::success) << native.revert_reason;
  const double with_link = static_cast<double>(link.gas_used - intrinsic(link) + 2'600 + harness);
  const double with_native = static_cast<double>(native.gas_used - intrinsic(native) + 2'600 + harness);

  std::printf("[streams verify gas, f=10] direct %.0f (snapshot 182991), proxy %.0f (197508), proxy+LINK %.0f "
              "(245475), proxy+native %.0f (262092); as a tx: proxy %llu, proxy+LINK %llu, proxy+native %llu\n",
              direct, via_proxy, with_link, with_native, static_cast<unsigned long long>(proxy.gas_used),
              static_cast<unsigned long long>(link.gas_used), static_cast<unsigned long long>(native.gas_used));
  auto near = [](double model, double snapshot) { return std::abs(model - snapshot) / snapshot; };
  EXPECT_LT(near(direct, 182'991), 0.15) << direct;
  EXPECT_LT(near(via_proxy, 197'508), 0.15) << via_proxy;
  EXPECT_LT(near(with_link, 245'475), 0.15) << with_link;
  EXPECT_LT(near(with_native, 262'092), 0.15) << with_native;
  // The orderings the snapshot shows: the proxy costs more than the Verifier alone, fees more than none, native
  // (WETH pulled from the subscriber, and the reward paid in the FeeManager's LINK) more than LINK.
  EXPECT_LT(direct, via_proxy);
  EXPECT_LT(via_proxy, with_link);
  EXPECT_LT(with_link, with_native);
  // Each signature costs at least an ecrecover and a cold signer read (facts §2).
  Stack small(31, 1, false);
  VerifyOutcome o2;
  ASSERT_EQ(small.verify(small.good(), FeeToken::link, &o2).status, chain::TxStatus::success);
  EXPECT_GE(out.verifier_gas - o2.verifier_gas, 9u * (3'000u + 2'100u));
}

TEST(StreamsVerifier, VerifyBulkSavesAtLeastTheTxBasePerExtraReport) {
  Stack bulk(31, 10, true);
  Stack single(31, 10, true);
  std::vector<SignedReport> reports;
  for (int i = 0; i < 3; ++i) reports.push_back(bulk.sign(bulk.report(3'000'00000000 + i), bulk.first(11), 5 + i));
  chain::Transaction tx{.from = bulk.subscriber, .to = bulk.s.proxy, .nonce = 0, .gas_limit = 5'000'000, .max_fee = 0,
                        .max_priority_fee = 0, .calldata = verify_bulk_calldata(reports, FeeToken::link),
                        .call = [&](chain::ExecContext& c) {
                          const auto out = c.self_as<VerifierProxy>().verify_bulk(c, reports, FeeToken::link);
                          c.require(out.size() == 3 && out[2].report == reports[2].report, "bulk result");
                        },
                        .label = "streams/verify-bulk"};
  const auto b = chain::execute_transaction(bulk.reg, tx, Stack::block());
  ASSERT_EQ(b.status, chain::TxStatus::success) << b.revert_reason;
  EXPECT_EQ(bulk.verifier().state().verified, 3u);
  chain::Gas separate = 0;
  for (const auto& r : reports) {
    const auto res = single.verify(r, FeeToken::link);
    ASSERT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
    separate += res.gas_used;
  }
  std::printf("[streams verifyBulk, f=10, 3 reports, LINK] bulk %llu vs 3 txs %llu: %.0f saved per extra report\n",
              static_cast<unsigned long long>(b.gas_used), static_cast<unsigned long long>(separate),
              static_cast<double>(separate - b.gas_used) / 2);
  EXPECT_GE(separate - b.gas_used, 2u * 21'000u);  // facts §2: at least the tx base per extra report
  // A bad report in the batch reverts the whole batch.
  reports[1].report.benchmark_price += 1;
  const auto before = bulk.verifier().state().verified;
  EXPECT_EQ(chain::execute_transaction(bulk.reg, tx, Stack::block()).status, chain::TxStatus::reverted);
  EXPECT_EQ(bulk.verifier().state().verified, before);
}
