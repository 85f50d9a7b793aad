#include "models/streams/fees.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "models/contracts/link_token.hpp"
#include "models/streams/verifier.hpp"

using namespace models::streams;
namespace chain = models::chain;
namespace ocr = models::ocr;
using models::contracts::LinkToken;

namespace {

constexpr std::uint64_t kDigest = 0xfee5d16e57ULL;
constexpr std::uint32_t kNow = 1'000;
constexpr chain::Amount kLink = chain::Amount{1'000'000'000'000'000'000ULL};  // 1 LINK in juels
constexpr std::uint64_t kPercent = kPercentageScalar / 100;

// The verification contracts with three payees, and a subscriber holding LINK (approved to the RewardManager)
// and wrapped native (approved to the FeeManager).
struct Fees {
  std::vector<ocr::SecretKey> keys;
  ocr::KeyRegistry ecrecover;
  chain::ContractRegistry reg;
  VerifierStack s;
  chain::Address subscriber;
  FeedId feed = feed_id_of("ETH/USD");

  explicit Fees(chain::Amount fee_manager_link = 0) {
    std::vector<ocr::Address> signers;
    for (int i = 0; i < 4; ++i) {
      keys.emplace_back(100 + static_cast<std::uint64_t>(i));
      ecrecover.add(keys.back());
      signers.push_back(keys.back().address());
    }
    std::vector<chain::Address> payees;
    for (int i = 0; i < 3; ++i) payees.push_back(reg.create_account("payee-" + std::to_string(i)));
    s = deploy_verifier_stack(reg, {.config_digest = kDigest, .signers = signers, .f = 1, .with_fee_manager = true,
                                    .link_token = {}, .fee_manager_link = fee_manager_link, .payees = payees},
                              &ecrecover);
    subscriber = reg.create_account("subscriber");
    link().mint(subscriber, 100 * kLink);
    link().set_allowance(subscriber, s.reward_manager, LinkToken::kUnlimited);
    fm().credit_native(subscriber, 100 * kLink);
  }
  LinkToken& link() { return *reg.find_as<LinkToken>(s.link_token); }
  FeeManager& fm() { return *reg.find_as<FeeManager>(s.fee_manager); }
  RewardManager& rm() { return *reg.find_as<RewardManager>(s.reward_manager); }

  SignedReport report(std::uint64_t link_fee = 10'000'000'000'000'000, std::uint64_t native_fee = 30'000'000'000'000) const {
    SignedReport sr;
    sr.context = {kDigest, 5, 1};
    sr.report.feed_id = feed;
    sr.report.valid_from_timestamp = kNow - 1;
    sr.report.observations_timestamp = kNow - 1;
    sr.report.native_fee = native_fee;
    sr.report.link_fee = link_fee;
    sr.report.expires_at = kNow + 3'600;
    sr.report.benchmark_price = 3'000'00000000;
    const std::uint64_t d = signed_digest(sr.context, sr.report);
    for (int i = 0; i < 2; ++i) sr.signatures.push_back(keys[static_cast<std::size_t>(i)].sign(d));
    return sr;
  }
  chain::ExecResult call(chain::Address from, chain::Address to, chain::CallFn fn) {
    chain::Transaction tx{.from = from, .to = to, .nonce = 0, .gas_limit = 5'000'000, .max_fee = 0,
                          .max_priority_fee = 0, .calldata = {}, .call = std::move(fn), .label = "test"};
    return chain::execute_transaction(reg, tx, {.number = 10, .timestamp = sim::Time::from_seconds(kNow), .base_fee = 0});
  }
  chain::ExecResult verify(const std::vector<SignedReport>& reports, FeeToken token) {
    return call(subscriber, s.proxy, [reports, token](chain::ExecContext& c) {
      if (reports.size() == 1) c.self_as<VerifierProxy>().verify(c, reports[0], token);
      else c.self_as<VerifierProxy>().verify_bulk(c, reports, token);
    });
  }
  void owner(chain::Address to, const chain::CallFn& fn) { run_setup_call(reg, s.owner, to, fn); }
  void set_discount(FeeToken token, std::uint64_t d) {
    owner(s.fee_manager, [&](chain::ExecContext& c) { c.self_as<FeeManager>().update_subscriber_discount(c, subscriber, feed, token, d); });
  }
  void expect_books_balance() {
    const FeeAudit a = audit_fees(reg, s.fee_manager);
    EXPECT_TRUE(a.problem.empty()) << a.problem;
  }
};

}  // namespace

TEST(StreamsFees, ASubscriberDiscountLowersTheFeePaidByExactlyTheDiscount) {
  for (const FeeToken token : {FeeToken::link, FeeToken::native}) {
    Fees full(10 * kLink), discounted(10 * kLink);
    discounted.set_discount(token, 25 * kPercent);
    const SignedReport r = full.report(8'000'000'000'000'000, 40'000'000'000'000);
    ASSERT_EQ(full.verify({r}, token).status, chain::TxStatus::success);
    ASSERT_EQ(discounted.verify({r}, token).status, chain::TxStatus::success);
    auto paid = [token](Fees& f) {
      return token == FeeToken::link ? 100 * kLink - f.link().balance_of(f.subscriber)
                                     : 100 * kLink - f.fm().native_balance(f.subscriber);
    };
    const chain::Amount list = token == FeeToken::link ? r.report.link_fee : r.report.native_fee;
    EXPECT_EQ(paid(full), list) << to_string(token);
    EXPECT_EQ(paid(full) - paid(discounted), list / 4) << to_string(token);  // exactly the 25 %
    // The reward (in LINK, whatever the token) is the discounted LINK fee.
    EXPECT_EQ(discounted.rm().pool(kDigest)->total_fees, chain::Amount{r.report.link_fee} * 3 / 4);
    // Another feed or token has no discount.
    const auto q = discounted.fm().quote(discounted.subscriber, r.report,
                                         token == FeeToken::link ? FeeToken::native : FeeToken::link, kNow);
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->discount, 0u);
    full.expect_books_balance();
    discounted.expect_books_balance();
  }
}

TEST(StreamsFees, FeeAndRewardRoundUpAndTheNativeSurchargeAppliesToNativeOnly) {
  ReportV3 r;
  r.link_fee = 1'001;
  r.native_fee = 2'001;
  const std::uint64_t third = kPercentageScalar / 3;
  auto q = fee_and_reward(r, FeeToken::link, third, 10 * kPercent);
  EXPECT_EQ(q.reward, chain::Amount{668});  // ceil(1001 * (1 - 1/3))
  EXPECT_EQ(q.fee, q.reward);                 // no surcharge on LINK
  q = fee_and_reward(r, FeeToken::native, 0, 10 * kPercent);
  EXPECT_EQ(q.fee, chain::Amount{2'202});     // ceil(2001 * 1.1)
  EXPECT_EQ(q.reward, chain::Amount{1'001});
  q = fee_and_reward(r, FeeToken::native, kPercentageScalar, 10 * kPercent);
  EXPECT_EQ(q.fee, 0u);                       // a 100 % discount
  EXPECT_EQ(q.reward, 0u);

  Fees f;
  f.owner(f.s.fee_manager, [](chain::ExecContext& c) { c.self_as<FeeManager>().set_native_surcharge(c, 10 * kPercent); });
  EXPECT_EQ(f.fm().quote(f.subscriber, f.report().report, FeeToken::native, kNow)->fee, chain::Amount{33'000'000'000'000});
  EXPECT_FALSE(f.fm().quote(f.subscriber, f.report().report, FeeToken::native, kNow + 3'601).has_value());  // expired
  const auto bad = f.call(f.s.owner, f.s.fee_manager, [](chain::ExecContext& c) {
    c.self_as<FeeManager>().set_native_surcharge(c, kPercentageScalar + 1);
  });
  EXPECT_EQ(bad.revert_reason, "InvalidSurcharge");
}

TEST(StreamsFees, NativeFeesWithoutLinkBuildTheDeficitUntilTheOwnerPaysIt) {
  Fees f(/*fee_manager_link=*/0);
  const SignedReport r = f.report();
  ASSERT_EQ(f.verify({r, r}, FeeToken::native).status, chain::TxStatus::success);  // processFeeBulk
  EXPECT_EQ(f.fm().link_deficit(kDigest), chain::Amount{2} * r.report.link_fee);
  EXPECT_EQ(f.rm().pool(kDigest)->total_fees, 0u);  // no pool was credited
  EXPECT_EQ(f.fm().state().native_collected, chain::Amount{2} * r.report.native_fee);
  f.expect_books_balance();

  // Not enough LINK for both rewards of a bulk call: all or nothing.
  f.link().mint(f.s.fee_manager, r.report.link_fee);
  ASSERT_EQ(f.verify({r, r}, FeeToken::native).status, chain::TxStatus::success);
  EXPECT_EQ(f.fm().link_deficit(kDigest), chain::Amount{4} * r.report.link_fee);
  f.expect_books_balance();

  // payLinkDeficit reverts while the FeeManager lacks the LINK, then clears the deficit into the pool.
  auto pay = [&] {
    return f.call(f.s.owner, f.s.fee_manager, [](chain::ExecContext& c) { c.self_as<FeeManager>().pay_link_deficit(c, kDigest); });
  };
  EXPECT_EQ(pay().status, chain::TxStatus::reverted);
  f.link().mint(f.s.fee_manager, chain::Amount{3} * r.report.link_fee);
  ASSERT_EQ(pay().status, chain::TxStatus::success);
  EXPECT_EQ(f.fm().link_deficit(kDigest), 0u);
  EXPECT_EQ(f.rm().pool(kDigest)->total_fees, chain::Amount{4} * r.report.link_fee);
  EXPECT_EQ(pay().revert_reason, "ZeroDeficit");
  f.expect_books_balance();
}

TEST(StreamsFees, RecipientsClaimTheirWeightsShareAndTheDustStays) {
  Fees f(10 * kLink);
  const SignedReport r = f.report(1'000);  // 1,000 juels, split 1/3 each: 333 + 333 + 333, 1 juel of dust
  ASSERT_EQ(f.verify({r}, FeeToken::link).status, chain::TxStatus::success);
  const auto& payees = f.s.payees;
  ASSERT_EQ(payees.size(), 3u);
  EXPECT_EQ(f.rm().owed(kDigest, payees[0]), 333u);
  EXPECT_EQ(f.rm().owed(kDigest, payees[2]), 333u);  // the last weight's remainder of 1e18 is too small to matter
  const auto claim = [&](chain::Address who) {
    return f.call(who, f.s.reward_manager, [](chain::ExecContext& c) { c.self_as<RewardManager>().claim_rewards(c, {kDigest}); });
  };
  ASSERT_EQ(claim(payees[0]).status, chain::TxStatus::success);
  EXPECT_EQ(f.link().balance_of(payees[0]), 333u);
  EXPECT_EQ(f.rm().owed(kDigest, payees[0]), 0u);
  ASSERT_EQ(claim(payees[0]).status, chain::TxStatus::success);  // nothing new: nothing paid
  EXPECT_EQ(f.link().balance_of(payees[0]), 333u);
  // The owner pays the others; a stranger may not.
  const chain::Address stranger = f.reg.create_account("stranger");
  const std::vector<chain::Address> rest{payees[1], payees[2]};
  EXPECT_EQ(f.call(stranger, f.s.reward_manager, [&](chain::ExecContext& c) {
              c.self_as<RewardManager>().pay_recipients(c, kDigest, rest);
            }).revert_reason, "Unauthorized");
  f.owner(f.s.reward_manager, [&](chain::ExecContext& c) { c.self_as<RewardManager>().pay_recipients(c, kDigest, rest); });
  EXPECT_EQ(f.link().balance_of(payees[1]), 333u);
  EXPECT_EQ(f.link().balance_of(payees[2]), 333u);
  EXPECT_EQ(f.link().balance_of(f.s.reward_manager), 1u);  // the dust
  EXPECT_EQ(f.rm().state().paid_out, 999u);
  f.expect_books_balance();
  // Pools take recipients once, with weights summing to 1e18.
  const auto again = f.call(f.s.owner, f.s.reward_manager, [&](chain::ExecContext& c) {
    c.self_as<RewardManager>().set_reward_recipients(c, kDigest, {{stranger, kPercentageScalar}});
  });
  EXPECT_EQ(again.revert_reason, "InvalidPoolId");
  const auto weights = f.call(f.s.owner, f.s.reward_manager, [&](chain::ExecContext& c) {
    c.self_as<RewardManager>().set_reward_recipients(c, kDigest + 1, {{stranger, kPercentageScalar - 1}});
  });
  EXPECT_EQ(weights.revert_reason, "InvalidWeights");
}

TEST(StreamsFees, UpdatedRecipientsArePaidFirstAndNewOnesStartFromNow) {
  Fees f;
  ASSERT_EQ(f.verify({f.report(3'000)}, FeeToken::link).status, chain::TxStatus::success);
  const auto& payees = f.s.payees;
  const chain::Address newcomer = f.reg.create_account("newcomer");
  constexpr std::uint64_t third = kPercentageScalar / 3;
  const auto share = [](chain::Amount fees) { return fees * third / kPercentageScalar; };  // 2,999 -> 999
  // payees[1] hands its weight to the newcomer: paid its share first; the newcomer gets nothing of the past.
  const auto res = f.call(f.s.owner, f.s.reward_manager, [&](chain::ExecContext& c) {
    c.self_as<RewardManager>().update_reward_recipients(c, kDigest, {{payees[1], 0}, {newcomer, third}});
  });
  ASSERT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  EXPECT_EQ(f.link().balance_of(payees[1]), share(3'000));
  EXPECT_EQ(f.rm().owed(kDigest, newcomer), 0u);
  ASSERT_EQ(f.verify({f.report(3'000)}, FeeToken::link).status, chain::TxStatus::success);
  EXPECT_EQ(f.rm().owed(kDigest, newcomer), share(3'000));
  EXPECT_EQ(f.rm().owed(kDigest, payees[1]), 0u);
  EXPECT_EQ(f.rm().owed(kDigest, payees[0]), share(6'000));
  f.expect_books_balance();
  // The listed recipients' weights must keep their total.
  const auto bad = f.call(f.s.owner, f.s.reward_manager, [&](chain::ExecContext& c) {
    c.self_as<RewardManager>().update_reward_recipients(c, kDigest, {{payees[0], third + 1}});
  });
  EXPECT_EQ(bad.revert_reason, "InvalidWeights");
}

TEST(StreamsFees, AZeroFeeIsNotChargedAndEarnsNoReward) {
  Fees f(/*fee_manager_link=*/0);
  ASSERT_EQ(f.verify({f.report(10'000, 0)}, FeeToken::native).status, chain::TxStatus::success);
  EXPECT_EQ(f.fm().state().fees_paid, 0u);
  EXPECT_EQ(f.fm().link_deficit(kDigest), 0u);  // no reward owed, so no deficit
  EXPECT_EQ(f.fm().native_balance(f.subscriber), 100 * kLink);
  f.expect_books_balance();
}

TEST(StreamsFees, TheAuditFailsWhenTheBooksDoNotBalance) {
  Fees f(/*fee_manager_link=*/0);
  ASSERT_EQ(f.verify({f.report()}, FeeToken::link).status, chain::TxStatus::success);
  ASSERT_EQ(f.verify({f.report()}, FeeToken::native).status, chain::TxStatus::success);
  FeeAudit a = audit_fees(f.reg, f.s.fee_manager);
  ASSERT_TRUE(a.problem.empty()) << a.problem;
  EXPECT_EQ(a.rewards_due, chain::Amount{2} * f.report().report.link_fee);
  EXPECT_EQ(a.held, chain::Amount{f.report().report.link_fee});
  EXPECT_EQ(a.deficit, chain::Amount{f.report().report.link_fee});
  // LINK that reaches the RewardManager outside of onFeePaid breaks the identity.
  f.link().mint(f.s.reward_manager, 1);
  a = audit_fees(f.reg, f.s.fee_manager);
  EXPECT_NE(a.problem.find("rewards due"), std::string::npos) << a.problem;
}
