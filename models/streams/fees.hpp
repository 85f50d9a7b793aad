#pragma once
// Data Streams fees as the llo-feeds v0.3.0 contracts take them (CL llo-feeds/v0.3.0 FeeManager.sol, typeAndVersion
// "FeeManager 2.0.0", and RewardManager.sol, "RewardManager 1.1.0"; facts §4), as models/chain contracts.
//
//   VerifierProxy --processFee / processFeeBulk--> FeeManager --onFeePaid(payments, payer)--> RewardManager
//                                                                       \--LINK.transferFrom(payer, RM, sum)
//
// getFeeAndReward(subscriber, report, quote): the report carries linkFee and nativeFee (the DON converts the USD
// price of a report into both tokens); the subscriber's discount is kept per (subscriber, feedId, quote token),
// 1e18 = 100 %. reward = ceil(linkFee * (1e18 - discount) / 1e18), in LINK whatever the subscriber pays with;
// fee = reward when paying in LINK, else ceil(ceil(nativeFee * (1e18 + surcharge) / 1e18) * (1e18 - discount) / 1e18).
// Reverts "ExpiredReport" if expiresAt < block.timestamp.
//
// processFee: a LINK fee moves from the subscriber to the RewardManager (LINK.transferFrom: the subscriber must
// have approved the RewardManager). A native fee stays with the FeeManager (wrapped), and its LINK reward comes
// from the FeeManager's own LINK; when that LINK does not cover the rewards of the call (all or nothing for a
// bulk call), each reward is added to the LINK deficit of its config digest (InsufficientLink) and no pool is
// credited; payLinkDeficit(digest) (owner) pays it later.
//
// RewardManager: one pool per config digest (the report context's first word). onFeePaid adds to the pool's
// cumulative fees; recipients (the DON's payees, set once per pool, weights summing to exactly 1e18) claim
// floor((total - checkpoint) * weight / 1e18) with claimRewards, or the owner (or a recipient) pays them with
// payRecipients; a zero share leaves the checkpoint; the rounding dust stays in the contract.
//
// The books balance: the LINK rewards of every fee processed = LINK paid out to recipients + LINK the
// RewardManager holds + the LINK deficit, and the pools can pay what their recipients could claim. audit_fees()
// checks it from the token's balances (docs/streams.md#fees).
//
// Simplified: native fees are paid from wrapped native the subscriber holds and has approved (credit_native, a
// set-up balance standing for WETH or msg.value; the chain model has no ETH value transfers); withdraw() is not
// modelled; the gas of the wrapped-native token is charged on its address as the real WETH would run it. Differs
// on purpose: a recipient that updateRewardRecipients adds starts from the pool's current total (the contract
// leaves its checkpoint at 0, so it could claim a share of fees paid before it joined, more than the pool holds).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/chain/execution.hpp"
#include "models/streams/report.hpp"

namespace models::streams {

// How the subscriber pays for a verification (parameterPayload of VerifierProxy.verify).
enum class FeeToken { link, native };
const char* to_string(FeeToken t);

// Compute costs of the fee contracts beyond storage, accounts, calls and logs (assumptions: dispatch, ABI decoding
// and loop bookkeeping of the Solidity, not measured).
// processFee's and the native path's constants are calibrated against the real FeeManager 2.0.0 and RewardManager
// 1.1.0 (tests/data/gas/measured.csv: VerifierProxy.verify with LINK and with wrapped-native fees, n = 4 and 31;
// least squares over the rows after the Verifier's own calibration, every row within 0.5%).
struct FeeGas {
  static constexpr chain::Gas fee_entry = 3'000;          // getFeeAndReward dispatch, decoding; assumption
  static constexpr chain::Gas process_fee_entry = 5'991;  // processFee(Bulk) dispatch, quote decoding, checks; calibrated
  static constexpr chain::Gas decode_word = 40;           // per 32-byte word decoded; assumption
  static constexpr chain::Gas reward_entry = 3'000;       // RewardManager dispatch and pool id; assumption
  static constexpr chain::Gas token_entry = 5'219;        // native path: WETH transferFrom dispatch, surcharge rounding,
                                                          // SafeERC20 checks; calibrated
};

// 1e18 = 100 % (FeeManager / RewardManager PERCENTAGE_SCALAR).
inline constexpr std::uint64_t kPercentageScalar = 1'000'000'000'000'000'000ULL;

// getFeeAndReward's answer.
struct FeeAndReward {
  chain::Amount fee = 0;       // in the quote token (juels or wei)
  chain::Amount reward = 0;    // juels, to the report's reward pool
  std::uint64_t discount = 0;  // 1e18 = 100 %
};

// The arithmetic of getFeeAndReward (no expiry check): `discount` and `native_surcharge` in 1e18 units.
FeeAndReward fee_and_reward(const ReportV3& r, FeeToken token, std::uint64_t discount, std::uint64_t native_surcharge);

// --- RewardManager ----------------------------------------------------------------------------------------------

struct FeePayment {
  std::uint64_t pool_id = 0;   // the report's config digest
  chain::Amount amount = 0;    // juels
};

struct RewardPool {
  chain::Amount total_fees = 0;                          // s_totalRewardRecipientFees: cumulative, juels
  std::map<chain::Address, std::uint64_t> weights;       // recipient -> weight (1e18 = 100 %)
  std::map<chain::Address, chain::Amount> checkpoints;   // recipient -> total_fees at its last claim
};

struct RewardManagerState {
  std::map<std::uint64_t, RewardPool> pools;   // by pool id (config digest)
  chain::Amount paid_out = 0;                  // juels sent to recipients by claims and payouts
};

// RewardsClaimed(poolId, recipient, quantity).
struct RewardsClaimed {
  std::uint64_t pool_id = 0;
  chain::Address recipient{};
  chain::Amount amount = 0;
};

// A recipient and its weight (1e18 = 100 %).
using RewardRecipient = std::pair<chain::Address, std::uint64_t>;

class RewardManager : public chain::StatefulContract<RewardManagerState> {
 public:
  RewardManager(chain::Address owner, chain::Address link_token);

  void set_fee_manager(chain::ExecContext& c, chain::Address fee_manager);  // owner
  // onFeePaid(payments, payer): only the FeeManager; each pool grows, then LINK.transferFrom(payer, this, sum).
  void on_fee_paid(chain::ExecContext& c, const std::vector<FeePayment>& payments, chain::Address payer);
  // setRewardRecipients(poolId, recipients): owner or FeeManager; once per pool; non-empty, no zero or duplicate
  // address, weights summing to exactly 1e18.
  void set_reward_recipients(chain::ExecContext& c, std::uint64_t pool_id, const std::vector<RewardRecipient>& recipients);
  // updateRewardRecipients(poolId, recipients): owner; pays the listed recipients what they are owed, then sets
  // their weights (which must add up to what the same recipients had).
  void update_reward_recipients(chain::ExecContext& c, std::uint64_t pool_id, const std::vector<RewardRecipient>& recipients);
  // claimRewards(poolIds): msg.sender's share of each pool since its checkpoint, in one LINK transfer.
  chain::Amount claim_rewards(chain::ExecContext& c, const std::vector<std::uint64_t>& pool_ids);
  // payRecipients(poolId, recipients): owner or a recipient of the pool; each listed recipient's share.
  void pay_recipients(chain::ExecContext& c, std::uint64_t pool_id, const std::vector<chain::Address>& recipients);

  // Views.
  chain::Address link_token() const { return link_token_; }
  chain::Address fee_manager() const { return fee_manager_; }
  const RewardPool* pool(std::uint64_t pool_id) const;
  chain::Amount owed(std::uint64_t pool_id, chain::Address recipient) const;  // what a claim would pay now
  std::vector<std::uint64_t> pool_ids() const;

 private:
  // Moves the shares of `recipient` in `pool_ids` to it (checkpoints, RewardsClaimed); returns the sum (not sent).
  chain::Amount settle(chain::ExecContext& c, const std::vector<std::uint64_t>& pool_ids, chain::Address recipient);
  void send_link(chain::ExecContext& c, chain::Address to, chain::Amount amount);

  chain::Address owner_;
  chain::Address link_token_;
  chain::Address fee_manager_{};
};

// --- FeeManager -------------------------------------------------------------------------------------------------

struct FeeManagerState {
  std::map<std::tuple<chain::Address, FeedId, FeeToken>, std::uint64_t> discounts;  // 1e18 = 100 %
  std::uint64_t native_surcharge = 0;                        // 1e18 = 100 %
  std::map<std::uint64_t, chain::Amount> link_deficit;       // by config digest, juels
  std::map<chain::Address, chain::Amount> wrapped_native;    // wei each subscriber holds approved to the FeeManager
  chain::Amount native_collected = 0;                        // wei of native fees held
  chain::Amount rewards_due = 0;                             // juels: the rewards of every fee processed
  std::uint64_t fees_paid = 0;                               // verifications charged
};

// FeePaid(feedId, subscriber, token, fee, reward, discount) (the model's record of each processed fee).
struct FeePaid {
  FeedId feed_id = 0;
  chain::Address subscriber{};
  FeeToken token = FeeToken::link;
  chain::Amount amount = 0;     // fee in the quote token
  chain::Amount reward = 0;     // juels
  std::uint64_t discount = 0;
};

// InsufficientLink(payments): rewards of native fees the FeeManager's LINK did not cover.
struct InsufficientLink {
  std::vector<FeePayment> payments;
};

class FeeManager : public chain::StatefulContract<FeeManagerState> {
 public:
  // `reward_manager` must be a RewardManager and `link_token` a LinkToken on the same chain; the constructor's
  // unlimited LINK approval of the RewardManager is set up by deploy_verifier_stack. `wrapped_native` is the
  // address whose gas the native path charges.
  FeeManager(chain::Address owner, chain::Address proxy, chain::Address link_token, chain::Address reward_manager,
             chain::Address wrapped_native);

  // getFeeAndReward(subscriber, report, quote) as a call from another contract (charges its reads).
  FeeAndReward get_fee_and_reward(chain::ExecContext& c, chain::Address subscriber, const ReportV3& r, FeeToken token) const;
  // The same as an eth_call (no gas), `now_s` standing for block.timestamp; nullopt if the report has expired.
  // A zero fee is not charged (no reward either).
  std::optional<FeeAndReward> quote(chain::Address subscriber, const ReportV3& r, FeeToken token, std::uint64_t now_s) const;

  // processFee / processFeeBulk: only from the proxy. Reverts "ExpiredReport", or when the subscriber's LINK
  // allowance or balance (LINK fees) or wrapped native (native fees) is short.
  void process_fee(chain::ExecContext& c, const SignedReport& r, FeeToken token, chain::Address subscriber);
  void process_fee_bulk(chain::ExecContext& c, const std::vector<SignedReport>& reports, FeeToken token,
                        chain::Address subscriber);

  // Owner functions.
  void update_subscriber_discount(chain::ExecContext& c, chain::Address subscriber, FeedId feed, FeeToken token,
                                  std::uint64_t discount);
  void set_native_surcharge(chain::ExecContext& c, std::uint64_t surcharge);
  void pay_link_deficit(chain::ExecContext& c, std::uint64_t config_digest);
  // setFeeRecipients(configDigest, recipients): owner (the Verifier's setConfig in the contracts).
  void set_fee_recipients(chain::ExecContext& c, std::uint64_t config_digest, const std::vector<RewardRecipient>& recipients);

  // Set-up only (not a transaction): wrapped native the subscriber holds and has approved to the FeeManager.
  void credit_native(chain::Address subscriber, chain::Amount wei) { state_.wrapped_native[subscriber] += wei; }

  // Views.
  chain::Amount native_balance(chain::Address subscriber) const;
  chain::Amount link_deficit(std::uint64_t config_digest) const;
  chain::Amount total_link_deficit() const;
  std::uint64_t discount(chain::Address subscriber, FeedId feed, FeeToken token) const;
  chain::Address reward_manager() const { return reward_manager_; }
  chain::Address link_token() const { return link_token_; }

 private:
  void only_owner(chain::ExecContext& c) const;
  // getFeeAndReward's body (an internal call: no dispatch cost).
  FeeAndReward fee_and_reward_of(chain::ExecContext& c, chain::Address subscriber, const ReportV3& r, FeeToken token) const;
  // Charges the fees of `reports` to `subscriber` and pays their rewards (or records the deficit).
  void charge(chain::ExecContext& c, const std::vector<const SignedReport*>& reports, FeeToken token,
              chain::Address subscriber);
  chain::Address owner_;
  chain::Address proxy_;
  chain::Address link_token_;
  chain::Address reward_manager_;
  chain::Address wrapped_native_;
};

// --- The books ----------------------------------------------------------------------------------------------------

struct FeeAudit {
  chain::Amount rewards_due = 0;   // juels: rewards of every fee processed (FeeManager)
  chain::Amount paid_out = 0;      // juels the RewardManager sent to recipients
  chain::Amount held = 0;          // juels the RewardManager holds (LINK balance)
  chain::Amount deficit = 0;       // juels of rewards not yet funded (FeeManager's LINK deficit)
  chain::Amount native_fees = 0;   // wei of native fees the FeeManager holds
  // Empty when rewards_due = paid_out + held + deficit, the pools account for the LINK held and can pay what their
  // recipients could claim now; else what is off.
  std::string problem;
};

// Reads the books of the FeeManager at `fee_manager` (its RewardManager and LINK token) on `registry`.
FeeAudit audit_fees(const chain::ContractRegistry& registry, chain::Address fee_manager);

}  // namespace models::streams
