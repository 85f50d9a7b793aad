#pragma once
// Onchain verification of Data Streams reports: VerifierProxy, Verifier and FeeManager (after CL llo-feeds
// v0.3.0 VerifierProxy.sol, Verifier.sol, FeeManager.sol; facts §4) as models/chain contracts.
//
//   subscriber --verify(payload, feeToken)--> VerifierProxy --processFee--> FeeManager   (if one is set)
//                                                 \--verify(payload, sender)--> Verifier (routed by config digest)
//
// The Verifier accepts calls only from its proxy and checks, in the contract's order: the feed is not deactivated,
// the report's config digest is set and active, exactly f+1 signatures, each recovers (ecrecover, 3,000 gas) to a
// configured signer, no signer twice. It returns the report. The FeeManager and RewardManager (fees.hpp) charge
// the report's fee (without a FeeManager, as in the contracts, expiry is not checked and nothing is charged).
//
// Gas is charged per operation as the contracts run it (EIP-2929 cold/warm storage and accounts, ecrecover,
// keccak 30 + 6/word, calldata copy, logs) plus compute constants (VerifierGas, FeeGas). Calibrated against the real
// contracts (llo-feeds v0.3.0 of @chainlink/contracts 1.1.1: VerifierProxy 2.0.0, Verifier 1.2.0, FeeManager 2.0.0,
// RewardManager 1.1.0) compiled with solc 0.8.19 and run in @ethereumjs/vm (tools/gas-calibration): a feed that has
// verified reports before, without fees, with LINK and with wrapped-native fees, for n = 4, f = 1 and n = 31,
// f = 10, from the latest and from a new epoch; every row within 0.5% (tests/models/contracts/gas_calibration_test.cpp).
// As transactions (21,000 + calldata + execution): n = 4, f = 1: 64.1k without fees, 111.6k with LINK, 138.5k with
// native; n = 31, f = 10: 129.8k, 178.1k, 205.0k. A report from a new epoch writes the latest-epoch slot (about
// 2,900 more). The llo-feeds gas snapshot (facts §2; Foundry test gas of a first verification with f = 10, the
// test reading the report from storage first) is matched less closely: the Verifier frame 175.5k vs 182,991, via
// the proxy 187.2k vs 197,508, with a first LINK fee 269.7k vs 245,475, native 276.6k vs 262,092 (the model pays
// the rewards' first pool and balance writes; tests/models/streams/verifier_test.cpp prints them). verifyBulk of 3
// such reports with LINK fees (one processFeeBulk) saves 104.1k per extra report against separate transactions:
// the 21,000 base (facts §2 gives 21,000 per extra report), one fee call instead of three, and the storage,
// accounts and dirty-slot writes that are warm after the first report (EIP-2929/2200); the bulk path is not
// calibrated.
//
// Simplified: a signer config is global, keyed by its config digest, and covers every feed (the v0.3.0 contract
// keeps configs per feed); feeds are active unless deactivated; digests and signatures are the 64-bit models of
// report.hpp and models/ocr/signing.hpp (a KeyRegistry stands for ecrecover); no access controller (its slot is
// read).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/chain/execution.hpp"
#include "models/streams/fees.hpp"
#include "models/ocr/signing.hpp"
#include "models/streams/report.hpp"

namespace models::streams {

// Compute costs beyond storage, accounts, precompiles, hashes, calldata copies and logs: dispatch, ABI decoding,
// modifiers and loop bookkeeping of the Solidity. verifier_entry and signer_loop are calibrated against Verifier
// 1.2.0 run in a real EVM (tests/data/gas/measured.csv, VerifierProxy.verify without a FeeManager, n = 4, f = 1 and
// n = 31, f = 10, same and new epoch: least squares of a fixed and a per-signature part, every row within 0.5%); the
// others are assumptions.
struct VerifierGas {
  static constexpr chain::Gas proxy_entry = 2'500;        // proxy dispatch, checkAccess, payload slicing; assumption
  static constexpr chain::Gas verifier_entry = 4'725;     // dispatch, onlyProxy, abi.decode of the blob; calibrated
  static constexpr chain::Gas decode_word = 40;           // per 32-byte word: abi.decode or bytes copy loop; assumption
  static constexpr chain::Gas per_word_copy = 6;          // per word copied to memory or call data (3 + 3); assumption
  static constexpr chain::Gas signer_loop = 981;          // per signature: rs/ss/v decoding, signer mapping keccak,
                                                          // bitmask; calibrated
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
  // verifyBulk(payloads, parameterPayload): the fees of every report in one processFeeBulk, then each report
  // (one 21,000 base, warm storage after the first); reverts if any report fails.
  std::vector<VerifyOutcome> verify_bulk(chain::ExecContext& c, const std::vector<SignedReport>& reports,
                                         FeeToken token);

  // Views.
  chain::Address verifier_for(std::uint64_t digest) const;
  chain::Address fee_manager() const { return state_.fee_manager; }
  // s_feeManager as a call from another contract (charges the slot read).
  chain::Address read_fee_manager(chain::ExecContext& c) const;

 private:
  void only_owner(chain::ExecContext& c) const;
  // The Verifier's part of verify: route by config digest and verify (no fee).
  VerifyOutcome verify_one(chain::ExecContext& c, const SignedReport& r, chain::Address subscriber);
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
  chain::Address fee_manager{};     // zero when deployed without one
  chain::Address reward_manager{};  // zero without a FeeManager
  chain::Address link_token{};      // the LINK token fees are paid in (zero without a FeeManager)
  std::vector<chain::Address> payees;  // the reward pool's recipients, equal weights
};

struct VerifierStackConfig {
  std::uint64_t config_digest = 0;            // DonConfig::config_digest
  std::vector<ocr::Address> signers;          // the DON's onchain signing addresses
  int f = 1;
  bool with_fee_manager = true;               // false: verification is free (no FeeManager set on the proxy)
  chain::Address link_token{};                // a LinkToken already deployed; zero: deploy one
  chain::Amount fee_manager_link = 0;         // juels minted to the FeeManager for the rewards of native fees
  std::vector<chain::Address> payees;         // reward recipients; empty: one account per signer
};

// Deploys and configures the contracts on `registry` (set-up transactions run directly at block 0, not through
// the mempool): the proxy and the Verifier and, with a FeeManager, the RewardManager (its pool for the config
// digest shared equally by the payees, the remainder of 1e18 to the last) and the FeeManager (its unlimited LINK
// approval of the RewardManager). `ecrecover` must outlive the contracts.
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
