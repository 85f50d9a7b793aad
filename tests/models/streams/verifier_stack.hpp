#pragma once
// A Data Streams DON's keys and the verification contracts (VerifierProxy, Verifier, optionally FeeManager and
// RewardManager) deployed on a registry, with a subscriber holding LINK and wrapped native: shared by the Verifier's
// tests and the gas calibration against the real contracts.
#include <cstdint>
#include <vector>

#include "models/contracts/link_token.hpp"
#include "models/streams/verifier.hpp"

namespace streams_test {

using namespace models::streams;
namespace chain = models::chain;
namespace ocr = models::ocr;

constexpr std::uint64_t kDigest = 0x5354524541d1ULL;
constexpr std::uint32_t kNow = 1'000;  // block.timestamp of the test blocks, s

// A DON's keys, the verification contracts deployed on a registry, and a subscriber with deposits.
struct Stack {
  int n, f;
  std::vector<ocr::SecretKey> keys;
  ocr::KeyRegistry ecrecover;
  chain::ContractRegistry reg;
  VerifierStack s;
  chain::Address subscriber;
  std::uint64_t nonce = 0;
  FeedId feed = feed_id_of("ETH/USD");

  // `fee_manager_link`: the FeeManager's own LINK, which pays the rewards of native fees (none: they become deficits).
  Stack(int n_, int f_, bool with_fee_manager, chain::Amount fee_manager_link = 0) : n(n_), f(f_) {
    std::vector<ocr::Address> signers;
    for (int i = 0; i < n; ++i) {
      keys.emplace_back(7'000 + static_cast<std::uint64_t>(i));
      ecrecover.add(keys.back());
      signers.push_back(keys.back().address());
    }
    // A key the registry knows (its signatures are valid) but the Verifier's config does not list.
    keys.emplace_back(9'999);
    ecrecover.add(keys.back());
    s = deploy_verifier_stack(reg, {.config_digest = kDigest, .signers = signers, .f = f,
                                    .with_fee_manager = with_fee_manager, .link_token = {}, .fee_manager_link = fee_manager_link,
                                    .payees = {}},
                              &ecrecover);
    subscriber = reg.create_account("subscriber");
    if (with_fee_manager) {  // LINK approved to the RewardManager, wrapped native approved to the FeeManager
      link().mint(subscriber, chain::Amount{1} * 1'000'000'000'000'000'000ULL);
      link().set_allowance(subscriber, s.reward_manager, models::contracts::LinkToken::kUnlimited);
      fee_manager().credit_native(subscriber, chain::Amount{1} * 1'000'000'000'000'000'000ULL);
    }
  }
  Verifier& verifier() { return *reg.find_as<Verifier>(s.verifier); }
  VerifierProxy& proxy() { return *reg.find_as<VerifierProxy>(s.proxy); }
  FeeManager& fee_manager() { return *reg.find_as<FeeManager>(s.fee_manager); }
  models::contracts::LinkToken& link() { return *reg.find_as<models::contracts::LinkToken>(s.link_token); }

  ReportV3 report(std::int64_t price = 3'000'00000000) const {
    ReportV3 r;
    r.feed_id = feed;
    r.valid_from_timestamp = kNow - 1;
    r.observations_timestamp = kNow - 1;
    r.native_fee = 30'000'000'000'000;
    r.link_fee = 10'000'000'000'000'000;
    r.expires_at = kNow + 86'400;
    r.benchmark_price = price;
    r.bid = price - 100'000;
    r.ask = price + 100'000;
    return r;
  }
  // Signed by the oracles `who` (indices into keys).
  SignedReport sign(const ReportV3& r, const std::vector<int>& who, std::uint64_t seq = 5) const {
    SignedReport sr{{kDigest, seq, 1}, r, {}, {}};  // epoch 1: the first verify records the epoch
    const std::uint64_t d = signed_digest(sr.context, sr.report);
    for (int i : who) sr.signatures.push_back(keys[static_cast<std::size_t>(i)].sign(d));
    return sr;
  }
  std::vector<int> first(int k) const {
    std::vector<int> v;
    for (int i = 0; i < k; ++i) v.push_back(i);
    return v;
  }
  SignedReport good() const { return sign(report(), first(f + 1)); }

  // VerifierProxy.verify from the subscriber in a block at kNow.
  chain::ExecResult verify(const SignedReport& r, FeeToken token, VerifyOutcome* out = nullptr,
                           chain::Address from = {}) {
    chain::Transaction tx{.from = from.is_zero() ? subscriber : from, .to = s.proxy, .nonce = nonce++,
                          .gas_limit = 2'000'000, .max_fee = 0, .max_priority_fee = 0,
                          .calldata = verify_calldata(r, token),
                          .call = [r, token, out](chain::ExecContext& c) {
                            VerifyOutcome o = c.self_as<VerifierProxy>().verify(c, r, token);
                            if (out != nullptr) *out = o;
                          },
                          .label = "streams/verify"};
    return chain::execute_transaction(reg, tx, block());
  }
  // Calls Verifier.verify directly (not through the proxy).
  chain::ExecResult verify_direct(const SignedReport& r) {
    chain::Transaction tx{.from = subscriber, .to = s.verifier, .nonce = nonce++, .gas_limit = 2'000'000,
                          .max_fee = 0, .max_priority_fee = 0, .calldata = verify_calldata(r, FeeToken::link),
                          .call = [r, this](chain::ExecContext& c) { c.self_as<Verifier>().verify(c, r, subscriber); },
                          .label = "streams/verify"};
    return chain::execute_transaction(reg, tx, block());
  }
  static chain::BlockInfo block() { return {.number = 10, .timestamp = sim::Time::from_seconds(kNow), .base_fee = 0}; }
  void owner_call(chain::Address to, const chain::CallFn& fn) { run_setup_call(reg, s.owner, to, fn); }
};

}  // namespace streams_test
