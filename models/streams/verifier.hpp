#pragma once
// Onchain verification of Data Streams reports: VerifierProxy, Verifier and FeeManager (after CL llo-feeds
// v0.3.0 VerifierProxy.sol, Verifier.sol, FeeManager.sol; facts §4) as models/chain contracts.
//
//   subscriber --verify(payload, feeToken)--> VerifierProxy --processFee--> FeeManager   (if one is set)
//                                                 \--verify(payload, sender)--> Verifier (routed by config digest)
//
// The Verifier accepts calls only from its proxy and checks, in the contract's order: the feed is not deactivated,
// the report's config digest is set and active, exactly f+1 signatures, each recovers (ecrecover, 3,000 gas) to a
// configured signer, no signer twice. It returns the report. The FeeManager reverts on a report with expiresAt
// before block.timestamp and charges the report's link_fee or native_fee to the subscriber (without a FeeManager,
// as in the contracts, expiry is not checked).
//
// Gas is charged per operation as the contracts run it (EIP-2929 cold/warm storage and accounts, ecrecover,
// keccak 30 + 6/word, calldata copy, logs) plus documented compute constants (VerifierGas). Checked against the
// gas snapshot (facts §2, CL contracts/gas-snapshots/llo-feeds.gas-snapshot), whose Foundry tests use f = 10
// (11 signatures of 31 signers) and whose figures are Foundry test gas: no 21,000/calldata intrinsic cost, but
// the test reads the signed report from storage before the call (one cold SLOAD per 32-byte word). With f = 10,
// the model, as execution gas + that harness (snapshot_harness_gas) + the harness's cold call, gives
// (tests/models/streams/verifier_test.cpp prints them):
//   verify (Verifier frame)  167.7k  vs 182,991   (-8%)
//   via proxy, no fee        179.4k  vs 197,508   (-9%)
//   proxy + LINK fee         222.4k  vs 245,475   (-9%)
//   proxy + native fee       255.1k  vs 262,092   (-3%)
// for a report from a new epoch (the latest-epoch slot is written only when the epoch grows, as _updateEpoch
// does; a second report of the same epoch is ~2,900 gas cheaper). As a real transaction (21,000 + calldata +
// execution) the f = 10 proxy path costs 124.9k (167.9k with a LINK fee, 200.6k with a native fee). verifyBulk of 3 such reports with LINK fees saves 86.8k per extra report against
// separate transactions: the 21,000 base (facts §2 gives 21,000 per extra report) plus the storage, accounts and
// dirty-slot writes that are warm after the first report (EIP-2929/2200); the facts' figure suggests the real
// bulk path keeps less of that saving, which the model does not reproduce.
//
// Simplified: a signer config is global, keyed by its config digest, and covers every feed (the v0.3.0 contract
// keeps configs per feed); feeds are active unless deactivated; digests and signatures are the 64-bit models of
// report.hpp and models/ocr/signing.hpp (a KeyRegistry stands for ecrecover). Fees are paid from balances the
// FeeManager holds per subscriber, deposited beforehand (LINK with LINK.transferAndCall to the FeeManager, or the
// set-up credit_* functions; native stands for the msg.value the chain model cannot move), because the LINK
// model has no approve/transferFrom. The gas of the real fee path (RewardManager call, LINK.transferFrom with its
// allowance, wrapping native into WETH) is charged as the real code runs it, on the addresses of those contracts.
// No discounts, no native surcharge (read but 0), no access controller (its slot is read); verifyBulk charges
// the fee report by report (the contract's processFeeBulk makes one call).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/chain/execution.hpp"
#include "models/contracts/link_token.hpp"
#include "models/ocr/signing.hpp"
#include "models/streams/report.hpp"

namespace models::streams {

// How the subscriber pays for a verification (parameterPayload of VerifierProxy.verify).
enum class FeeToken { link, native };
const char* to_string(FeeToken t);

// Compute costs beyond storage, accounts, precompiles, hashes, calldata copies and logs (assumptions: dispatch,
// ABI decoding, modifiers and loop bookkeeping of the Solidity, not measured; sized so the totals land near the
// snapshot figures, see the header comment).
struct VerifierGas {
  static constexpr chain::Gas proxy_entry = 2'500;        // proxy dispatch, checkAccess, payload slicing; assumption
  static constexpr chain::Gas verifier_entry = 4'000;     // dispatch, onlyProxy, abi.decode of the blob; assumption
  static constexpr chain::Gas fee_entry = 3'000;          // processFee dispatch, decoding; assumption
  static constexpr chain::Gas decode_word = 40;           // per 32-byte word: abi.decode or bytes copy loop; assumption
  static constexpr chain::Gas per_word_copy = 6;          // per word copied to memory or call data (3 + 3); assumption
  static constexpr chain::Gas signer_loop = 150;          // per signature: v byte, memory, bitmask; assumption
  static constexpr chain::Gas reward_entry = 3'000;       // RewardManager.onFeePaid dispatch and pool id; assumption
  static constexpr chain::Gas token_entry = 1'500;        // ERC-20 transferFrom / WETH deposit dispatch; assumption
};

// --- Verifier ---------------------------------------------------------------------------------------------------

struct SignerConfig {
  std::vector<ocr::Address> signers;
  int f = 0;
  bool active = true;
};

struct VerifierState {
  std::map<std::uint64_t, SignerConfig> configs;      // by config digest
  std::set<FeedId> deactivated_feeds;
  std::map<FeedId, std::uint32_t> latest_epoch;       // _updateEpoch: highest epoch verified per feed
  std::uint64_t verified = 0;                         // reports verified
};

// ReportVerified(feedId, requester).
struct ReportVerified {
  FeedId feed_id = 0;
  chain::Address requester{};
};

class Verifier : public chain::StatefulContract<VerifierState> {
 public:
  // `owner` may configure; `proxy` is the only caller of verify; `ecrecover` checks signatures (not null).
  Verifier(chain::Address owner, chain::Address proxy, const ocr::KeyRegistry* ecrecover);

  // setConfig by the owner: 0 < f, 3f < n <= 31, unique non-zero signers, digest not used before. The new config
  // is active, and the proxy learns to route `digest` here (VerifierProxy::set_verifier).
  void set_config(chain::ExecContext& c, std::uint64_t digest, const std::vector<ocr::Address>& signers, int f);
  void activate_config(chain::ExecContext& c, std::uint64_t digest);    // owner
  void deactivate_config(chain::ExecContext& c, std::uint64_t digest);  // owner
  void activate_feed(chain::ExecContext& c, FeedId feed);               // owner
  void deactivate_feed(chain::ExecContext& c, FeedId feed);             // owner

  // verify(signedReport, sender): only from the proxy; returns the verified report or reverts.
  ReportV3 verify(chain::ExecContext& c, const SignedReport& r, chain::Address requester);

  // Views (eth_call).
  bool feed_active(FeedId feed) const { return state_.deactivated_feeds.count(feed) == 0; }
  bool config_active(std::uint64_t digest) const;
  const SignerConfig* config(std::uint64_t digest) const;
  chain::Address proxy() const { return proxy_; }

 private:
  void only_owner(chain::ExecContext& c) const;
  chain::Address owner_;
  chain::Address proxy_;
  const ocr::KeyRegistry* ecrecover_;
};

// --- FeeManager -------------------------------------------------------------------------------------------------

struct FeeManagerState {
  std::map<chain::Address, chain::Amount> link_deposits;    // juels each subscriber has deposited and not spent
  std::map<chain::Address, chain::Amount> native_deposits;  // wei each subscriber has deposited and not spent
  std::map<FeedId, chain::Amount> link_pool;                // LINK fees collected per feed (reward pool)
  chain::Amount link_collected = 0;                         // juels
  chain::Amount native_collected = 0;                       // wei
  std::uint64_t fees_paid = 0;                              // verifications charged
};

// FeePaid(feedId, subscriber, token, amount).
struct FeePaid {
  FeedId feed_id = 0;
  chain::Address subscriber{};
  FeeToken token = FeeToken::link;
  chain::Amount amount = 0;
};

class FeeManager : public chain::StatefulContract<FeeManagerState>, public contracts::TokenReceiver {
 public:
  // Addresses used for the gas of the real fee path: the LINK token, the RewardManager, the wrapped native token
  // (plain accounts will do; they only need to be distinct). `link_token` is also the only sender of deposits.
  FeeManager(chain::Address proxy, chain::Address link_token, chain::Address reward_manager,
             chain::Address wrapped_native);

  // processFee(payload, parameterPayload, subscriber): only from the proxy. Reverts "ExpiredReport" if
  // expiresAt < block.timestamp, "InsufficientBalance" if the subscriber's deposit does not cover the fee.
  void process_fee(chain::ExecContext& c, const SignedReport& r, FeeToken token, chain::Address subscriber);

  // ERC-677 receiver: LINK.transferAndCall(feeManager, amount, data) credits a LINK deposit to the sender.
  void on_token_transfer(chain::ExecContext& c, chain::Address from, contracts::Juels amount,
                         const contracts::TokenCallData& data) override;
  // Set-up only (not transactions): credit deposits (LINK already held for the subscriber; native wei).
  void credit_link(chain::Address subscriber, chain::Amount juels) { state_.link_deposits[subscriber] += juels; }
  void credit_native(chain::Address subscriber, chain::Amount wei) { state_.native_deposits[subscriber] += wei; }

  // Views.
  chain::Amount link_deposit(chain::Address a) const;
  chain::Amount native_deposit(chain::Address a) const;

 private:
  chain::Address proxy_;
  chain::Address link_token_;
  chain::Address reward_manager_;
  chain::Address wrapped_native_;
};

// --- VerifierProxy ----------------------------------------------------------------------------------------------

struct VerifierProxyState {
  std::set<chain::Address> initialized_verifiers;
  std::map<std::uint64_t, chain::Address> verifiers_by_config;  // config digest -> Verifier
  chain::Address fee_manager{};                                 // zero: no fees
};

// What VerifierProxy::verify hands back besides the report: where its gas went (not part of the ABI).
struct VerifyOutcome {
  ReportV3 report;
  chain::Gas verifier_gas = 0;  // gas used by the call into the Verifier (its frame, account access included)
  chain::Gas fee_gas = 0;       // gas used by the call into the FeeManager (0 without one)
  chain::Gas total_gas = 0;     // gas used by VerifierProxy.verify, from its entry
};

class VerifierProxy : public chain::StatefulContract<VerifierProxyState> {
 public:
  explicit VerifierProxy(chain::Address owner);

  void initialize_verifier(chain::ExecContext& c, chain::Address verifier);  // owner
  // setVerifier(digest): only an initialized Verifier, for its own new config.
  void set_verifier(chain::ExecContext& c, std::uint64_t digest);
  void set_fee_manager(chain::ExecContext& c, chain::Address fee_manager);   // owner

  // verify(payload, parameterPayload): fee (if a FeeManager is set), then the Verifier of the report's config
  // digest ("VerifierNotFound" if none). msg.sender is the subscriber.
  VerifyOutcome verify(chain::ExecContext& c, const SignedReport& r, FeeToken token);
  // verifyBulk(payloads, parameterPayload): every report in one transaction (one 21,000 base, warm storage after
  // the first); reverts if any report fails.
  std::vector<VerifyOutcome> verify_bulk(chain::ExecContext& c, const std::vector<SignedReport>& reports,
                                         FeeToken token);

  // Views.
  chain::Address verifier_for(std::uint64_t digest) const;
  chain::Address fee_manager() const { return state_.fee_manager; }

 private:
  void only_owner(chain::ExecContext& c) const;
  chain::Address owner_;
};

// Calldata of VerifierProxy.verify(bytes payload, bytes parameterPayload): selector, two offsets, the payload
// (length word + encoded_size bytes, encoded_nonzero_bytes of them non-zero) and the fee token address.
chain::Calldata verify_calldata(const SignedReport& r, FeeToken token);
// Calldata of VerifierProxy.verifyBulk(bytes[] payloads, bytes parameterPayload).
chain::Calldata verify_bulk_calldata(const std::vector<SignedReport>& reports, FeeToken token);

// Gas of the snapshot tests' harness around a verify call (facts §2): the signed report copied from storage to
// memory (a length slot and one slot per 32-byte word, all cold) before the call.
chain::Gas snapshot_harness_gas(const SignedReport& r);

// --- Deployment ------------------------------------------------------------------------------------------------------

struct VerifierStack {
  chain::Address owner{};
  chain::Address proxy{};
  chain::Address verifier{};
  chain::Address fee_manager{};   // zero when deployed without one
};

struct VerifierStackConfig {
  std::uint64_t config_digest = 0;            // DonConfig::config_digest
  std::vector<ocr::Address> signers;          // the DON's onchain signing addresses
  int f = 1;
  bool with_fee_manager = true;               // false: verification is free (no FeeManager set on the proxy)
  chain::Address link_token{};                // LINK token (transferAndCall deposits); zero: an account
};

// Deploys and configures the three contracts on `registry` (set-up transactions run directly at block 0, not
// through the mempool). `ecrecover` must outlive the contracts.
VerifierStack deploy_verifier_stack(chain::ContractRegistry& registry, const VerifierStackConfig& cfg,
                                    const ocr::KeyRegistry* ecrecover);
// Same on a Chain (its contract registry).
inline VerifierStack deploy_verifier_stack(chain::Chain& chain, const VerifierStackConfig& cfg,
                                           const ocr::KeyRegistry* ecrecover) {
  return deploy_verifier_stack(chain.contracts(), cfg, ecrecover);
}

// Runs `fn` as a set-up transaction from `from` to `to` at block 0 (no gas price); throws std::runtime_error on a
// revert. For configuration calls that must go through contract code (owner checks, cross-contract calls).
void run_setup_call(chain::ContractRegistry& registry, chain::Address from, chain::Address to, const chain::CallFn& fn);

}  // namespace models::streams
