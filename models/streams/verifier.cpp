#include "models/streams/verifier.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace models::streams {
namespace {
using G = VerifierGas;
constexpr int kMaxSigners = 31;  // Verifier MAX_NUM_ORACLES (facts §4: n <= 31)

// Storage variables (slot numbers for EIP-2929 warm/cold tracking).
enum Var : std::uint64_t {
  kAccessController = 1, kFeedState, kConfig, kOracles, kVerifiersByConfig, kFeeManager, kInitialized,
  kDiscount, kNativeSurcharge, kLinkDeposit, kNativeDeposit,
  // Slots of the RewardManager / LINK / wrapped native contracts the real fee path touches.
  kRewardPool, kTokenBalance, kTokenAllowance,
};

chain::SlotKey slot(chain::Address a, std::uint64_t var, std::uint64_t index = 0) {
  return {a, chain::slot_of(var, index & ((std::uint64_t{1} << 48) - 1))};
}

// A stable fingerprint of a 128-bit amount for GasMeter::sstore (0 only for 0).
std::uint64_t fp(chain::Amount v) {
  const auto lo = static_cast<std::uint64_t>(v);
  const auto hi = static_cast<std::uint64_t>(v >> 64);
  return v == 0 ? 0 : ((lo ^ (hi * 0x9e3779b97f4a7c15ULL)) | 1);
}

std::uint64_t words(const SignedReport& r) { return (encoded_size(r) + 31) / 32; }

// Block timestamp in whole seconds (block.timestamp).
std::uint64_t block_seconds(const chain::ExecContext& c) {
  return static_cast<std::uint64_t>(c.timestamp().ns() / 1'000'000'000);
}
}  // namespace

const char* to_string(FeeToken t) { return t == FeeToken::link ? "link" : "native"; }

// ---------------------------------------------------------------------------------------------------------------
// Verifier

Verifier::Verifier(chain::Address owner, chain::Address proxy, const ocr::KeyRegistry* ecrecover)
    : owner_(owner), proxy_(proxy), ecrecover_(ecrecover) {
  if (ecrecover_ == nullptr) throw std::invalid_argument("Verifier: null key registry");
}

void Verifier::only_owner(chain::ExecContext& c) const { c.require(c.sender() == owner_, "Only callable by owner"); }

bool Verifier::config_active(std::uint64_t digest) const {
  const SignerConfig* cfg = config(digest);
  return cfg != nullptr && cfg->active;
}

const SignerConfig* Verifier::config(std::uint64_t digest) const {
  const auto it = state_.configs.find(digest);
  return it == state_.configs.end() ? nullptr : &it->second;
}

void Verifier::set_config(chain::ExecContext& c, std::uint64_t digest, const std::vector<ocr::Address>& signers,
                          int f) {
  only_owner(c);
  const int n = static_cast<int>(signers.size());
  c.require(f > 0, "FaultToleranceMustBePositive");
  c.require(n <= kMaxSigners, "ExcessSigners");
  c.require(n > 3 * f, "InsufficientSigners");
  auto sorted = signers;
  std::sort(sorted.begin(), sorted.end());
  c.require(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), "NonUniqueSignatures");
  c.require(std::none_of(signers.begin(), signers.end(), [](ocr::Address a) { return a.value == 0; }), "ZeroAddress");
  c.gas().sload(slot(address(), kConfig, digest));
  c.require(state_.configs.count(digest) == 0, "config digest already set");
  for (const auto& s : signers) c.gas().sstore(slot(address(), kOracles, s.value), 0, 1);
  c.gas().sstore(slot(address(), kConfig, digest), 0, 1);
  state_.configs[digest] = SignerConfig{signers, f, true};
  c.emit({.event = "ConfigSet", .topics = 2, .data_bytes = 96 + 32 * static_cast<std::uint64_t>(n), .payload = digest});
  c.call(proxy_, [&](chain::ExecContext& cc) { cc.self_as<VerifierProxy>().set_verifier(cc, digest); });
}

void Verifier::activate_config(chain::ExecContext& c, std::uint64_t digest) {
  only_owner(c);
  c.gas().sload(slot(address(), kConfig, digest));
  c.require(state_.configs.count(digest) != 0, "DigestNotSet");
  c.gas().sstore(slot(address(), kConfig, digest), 1, 2);
  state_.configs[digest].active = true;
}

void Verifier::deactivate_config(chain::ExecContext& c, std::uint64_t digest) {
  only_owner(c);
  c.gas().sload(slot(address(), kConfig, digest));
  c.require(state_.configs.count(digest) != 0, "DigestNotSet");
  c.gas().sstore(slot(address(), kConfig, digest), 2, 1);
  state_.configs[digest].active = false;
}

void Verifier::activate_feed(chain::ExecContext& c, FeedId feed) {
  only_owner(c);
  c.gas().sload(slot(address(), kFeedState, feed));
  state_.deactivated_feeds.erase(feed);
}

void Verifier::deactivate_feed(chain::ExecContext& c, FeedId feed) {
  only_owner(c);
  c.gas().sload(slot(address(), kFeedState, feed));
  state_.deactivated_feeds.insert(feed);
}

ReportV3 Verifier::verify(chain::ExecContext& c, const SignedReport& r, chain::Address requester) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  const FeedId feed = r.report.feed_id;
  const std::uint64_t digest = r.context.config_digest;
  g.charge(G::verifier_entry + G::decode_word * words(r), "compute");
  c.require(c.sender() == proxy_, "AccessForbidden");
  g.sload(slot(self, kAccessController));  // checkAccess: no access controller configured
  g.sload(slot(self, kFeedState, feed));
  c.require(feed_active(feed), "InactiveFeed");
  g.sload(slot(self, kConfig, digest));
  const SignerConfig* cfg = config(digest);
  c.require(cfg != nullptr, "DigestNotSet");
  c.require(cfg->active, "DigestInactive");
  c.require(static_cast<int>(r.signatures.size()) == cfg->f + 1, "IncorrectSignatureCount");

  // _updateEpoch: the feed's packed state slot (non-zero once configured) keeps the latest epoch; it is written
  // only when a report comes from a newer epoch.
  auto& latest = state_.latest_epoch[feed];
  if (r.context.epoch > latest) {
    g.sstore(slot(self, kFeedState, feed), latest + 1, std::uint64_t{r.context.epoch} + 1);
    latest = r.context.epoch;
  }

  // _verifySignatures over keccak(keccak(report) || reportContext).
  g.keccak(9 * 32);
  g.keccak(4 * 32);
  const std::uint64_t h = signed_digest(r.context, r.report);
  std::vector<ocr::Address> seen;
  for (const auto& sig : r.signatures) {
    g.ecrecover();
    g.charge(chain::gas::kWarmAccess, "staticcall");  // precompiles are warm (EIP-2929)
    g.charge(G::signer_loop, "compute");
    const auto who = ecrecover_->recover(sig, h);
    g.sload(slot(self, kOracles, who ? who->value : 0));  // s_config.oracles[signer]
    const bool configured = who && std::find(cfg->signers.begin(), cfg->signers.end(), *who) != cfg->signers.end();
    c.require(configured, "BadVerification");
    seen.push_back(*who);
  }
  std::sort(seen.begin(), seen.end());
  c.require(std::adjacent_find(seen.begin(), seen.end()) == seen.end(), "BadVerification");  // signedCount mask

  ++state_.verified;
  c.emit({.event = "ReportVerified", .topics = 2, .data_bytes = 32, .payload = ReportVerified{feed, requester}});
  g.charge(G::per_word_copy * 11, "memory");  // the report bytes returned
  return r.report;
}

// ---------------------------------------------------------------------------------------------------------------
// FeeManager

FeeManager::FeeManager(chain::Address proxy, chain::Address link_token, chain::Address reward_manager,
                       chain::Address wrapped_native)
    : proxy_(proxy), link_token_(link_token), reward_manager_(reward_manager), wrapped_native_(wrapped_native) {}

chain::Amount FeeManager::link_deposit(chain::Address a) const {
  const auto it = state_.link_deposits.find(a);
  return it == state_.link_deposits.end() ? 0 : it->second;
}

chain::Amount FeeManager::native_deposit(chain::Address a) const {
  const auto it = state_.native_deposits.find(a);
  return it == state_.native_deposits.end() ? 0 : it->second;
}

void FeeManager::on_token_transfer(chain::ExecContext& c, chain::Address from, contracts::Juels amount,
                                   const contracts::TokenCallData& /*data*/) {
  c.require(c.sender() == link_token_, "only LINK");
  const auto key = slot(address(), kLinkDeposit, from.id);
  c.gas().sload(key);
  const chain::Amount before = link_deposit(from);
  c.gas().sstore(key, fp(before), fp(before + amount));
  state_.link_deposits[from] = before + amount;
}

void FeeManager::process_fee(chain::ExecContext& c, const SignedReport& r, FeeToken token, chain::Address subscriber) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  const FeedId feed = r.report.feed_id;
  g.charge(G::fee_entry + G::decode_word * words(r), "compute");
  c.require(c.sender() == proxy_, "Unauthorized");
  c.require(subscriber != self, "InvalidSurcharge");
  g.sload(slot(self, kDiscount, subscriber.id ^ feed ^ static_cast<std::uint64_t>(token)));  // no discounts
  c.require(static_cast<std::uint64_t>(r.report.expires_at) >= block_seconds(c), "ExpiredReport");
  if (token == FeeToken::native) g.sload(slot(self, kNativeSurcharge));  // surcharge 0
  const chain::Amount fee = token == FeeToken::link ? r.report.link_fee : r.report.native_fee;
  if (fee == 0) return;

  // The subscriber's funds (the real contract's LINK balance of the subscriber, or msg.value).
  auto& deposits = token == FeeToken::link ? state_.link_deposits : state_.native_deposits;
  const auto dep_key = slot(self, token == FeeToken::link ? kLinkDeposit : kNativeDeposit, subscriber.id);
  g.sload(dep_key);
  const chain::Amount have = deposits.count(subscriber) != 0 ? deposits[subscriber] : 0;
  c.require(have >= fee, "InsufficientBalance");
  g.sstore(dep_key, fp(have), fp(have - fee));
  deposits[subscriber] = have - fee;

  // Native: WETH.deposit{value: fee}() into the FeeManager's balance (which is non-zero in steady state).
  if (token == FeeToken::native) {
    g.account(wrapped_native_);
    g.charge(chain::gas::kCallValue + G::token_entry, "compute");
    g.sload(slot(wrapped_native_, kTokenBalance, self.id));
    g.sstore(slot(wrapped_native_, kTokenBalance, self.id), fp(state_.native_collected + 1),
             fp(state_.native_collected + fee + 1));
    g.log(2, 32);  // WETH Deposit(dst, wad)
    state_.native_collected += fee;
  }

  // RewardManager.onFeePaid: the feed's reward pool grows, then LINK.transferFrom(payer, rewardManager, amount)
  // (payer: the subscriber for LINK fees; the FeeManager's own LINK for native fees). The RewardManager's pool and
  // LINK balance are taken as non-zero already (steady state), so their writes are resets.
  const chain::Amount link_amount = token == FeeToken::link ? fee : r.report.link_fee;
  g.account(reward_manager_);
  g.charge(G::reward_entry, "compute");
  const chain::Amount pool_before = state_.link_pool[feed];
  g.sload(slot(reward_manager_, kRewardPool, feed));
  g.sstore(slot(reward_manager_, kRewardPool, feed), fp(pool_before + 1), fp(pool_before + link_amount + 1));
  g.account(link_token_);
  g.charge(G::token_entry, "compute");
  const chain::Address payer = token == FeeToken::link ? subscriber : self;
  g.sload(slot(link_token_, kTokenAllowance, payer.id));
  g.sstore(slot(link_token_, kTokenAllowance, payer.id), 2, 1);
  if (token == FeeToken::native) {  // the FeeManager's LINK balance pays the rewards of native-fee reports
    g.sload(slot(link_token_, kTokenBalance, self.id));
    g.sstore(slot(link_token_, kTokenBalance, self.id), 2, 1);
  }
  g.sload(slot(link_token_, kTokenBalance, reward_manager_.id));
  g.sstore(slot(link_token_, kTokenBalance, reward_manager_.id), fp(state_.link_collected + 1),
           fp(state_.link_collected + link_amount + 1));
  g.log(3, 32);  // LINK Transfer(from, to, value)
  state_.link_pool[feed] = pool_before + link_amount;
  if (token == FeeToken::link) state_.link_collected += fee;
  ++state_.fees_paid;
  c.emit({.event = "FeePaid", .topics = 2, .data_bytes = 96, .payload = FeePaid{feed, subscriber, token, fee}});
}

// ---------------------------------------------------------------------------------------------------------------
// VerifierProxy

VerifierProxy::VerifierProxy(chain::Address owner) : owner_(owner) {}

void VerifierProxy::only_owner(chain::ExecContext& c) const {
  c.require(c.sender() == owner_, "Only callable by owner");
}

chain::Address VerifierProxy::verifier_for(std::uint64_t digest) const {
  const auto it = state_.verifiers_by_config.find(digest);
  return it == state_.verifiers_by_config.end() ? chain::Address{} : it->second;
}

void VerifierProxy::initialize_verifier(chain::ExecContext& c, chain::Address verifier) {
  only_owner(c);
  c.require(!verifier.is_zero(), "ZeroAddress");
  c.gas().sstore(slot(address(), kInitialized, verifier.id), 0, 1);
  state_.initialized_verifiers.insert(verifier);
}

void VerifierProxy::set_verifier(chain::ExecContext& c, std::uint64_t digest) {
  c.gas().sload(slot(address(), kInitialized, c.sender().id));
  c.require(state_.initialized_verifiers.count(c.sender()) != 0, "AccessForbidden");
  c.gas().sload(slot(address(), kVerifiersByConfig, digest));
  c.require(verifier_for(digest).is_zero(), "ConfigDigestAlreadySet");
  c.gas().sstore(slot(address(), kVerifiersByConfig, digest), 0, c.sender().id);
  state_.verifiers_by_config[digest] = c.sender();
}

void VerifierProxy::set_fee_manager(chain::ExecContext& c, chain::Address fee_manager) {
  only_owner(c);
  c.gas().sstore(slot(address(), kFeeManager), state_.fee_manager.id, fee_manager.id);
  state_.fee_manager = fee_manager;
}

std::vector<VerifyOutcome> VerifierProxy::verify_bulk(chain::ExecContext& c, const std::vector<SignedReport>& reports,
                                                      FeeToken token) {
  std::vector<VerifyOutcome> out;
  out.reserve(reports.size());
  for (const auto& r : reports) out.push_back(verify(c, r, token));
  return out;
}

VerifyOutcome VerifierProxy::verify(chain::ExecContext& c, const SignedReport& r, FeeToken token) {
  chain::GasMeter& g = c.gas();
  const chain::Gas start = g.used();
  const chain::Address self = address();
  const chain::Address subscriber = c.sender();
  VerifyOutcome out;
  g.charge(G::proxy_entry, "compute");
  g.sload(slot(self, kAccessController));  // checkAccess: no access controller configured
  g.sload(slot(self, kFeeManager));
  if (!state_.fee_manager.is_zero()) {
    if (token == FeeToken::native) g.charge(chain::gas::kCallValue, "call_value");  // processFee{value: msg.value}
    g.charge(G::per_word_copy * (words(r) + 4), "memory");
    const chain::Gas before = g.used();
    c.call(state_.fee_manager,
           [&](chain::ExecContext& cc) { cc.self_as<FeeManager>().process_fee(cc, r, token, subscriber); });
    out.fee_gas = g.used() - before;
  }
  g.sload(slot(self, kVerifiersByConfig, r.context.config_digest));
  const chain::Address verifier = verifier_for(r.context.config_digest);
  c.require(!verifier.is_zero(), "VerifierNotFound");
  g.charge(G::per_word_copy * (words(r) + 3), "memory");
  const chain::Gas before = g.used();
  c.call(verifier, [&](chain::ExecContext& cc) { out.report = cc.self_as<Verifier>().verify(cc, r, subscriber); });
  out.verifier_gas = g.used() - before;
  g.charge(G::per_word_copy * 11, "memory");  // the report bytes returned to the caller
  out.total_gas = g.used() - start;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Free functions

chain::Calldata verify_calldata(const SignedReport& r, FeeToken /*token*/) {
  const std::uint64_t size = encoded_size(r);
  const std::uint64_t nonzero = std::min<std::uint64_t>(encoded_nonzero_bytes(r), size);
  // selector, offset(payload), offset(parameterPayload), payload length + bytes, parameterPayload length + address.
  return chain::CalldataBuilder{}
      .selector()
      .uint(64)
      .uint(96 + size)
      .uint(size)
      .raw(size - nonzero, nonzero)
      .uint(32)
      .address()
      .build();
}

chain::Calldata verify_bulk_calldata(const std::vector<SignedReport>& reports, FeeToken /*token*/) {
  chain::CalldataBuilder b;
  // selector, offset(payloads), offset(parameterPayload), array length, one offset per payload, then each payload.
  b.selector().uint(64).uint(0).uint(reports.size());
  for (std::size_t i = 0; i < reports.size(); ++i) b.uint(32 * reports.size());
  for (const auto& r : reports) {
    const std::uint64_t size = encoded_size(r);
    const std::uint64_t nonzero = std::min<std::uint64_t>(encoded_nonzero_bytes(r), size);
    b.uint(size).raw(size - nonzero, nonzero);
  }
  return b.uint(32).address().build();
}

chain::Gas snapshot_harness_gas(const SignedReport& r) {
  // The length slot and one slot per word, cold; per word the copy loop's compute (G::decode_word).
  return (words(r) + 1) * chain::gas::kColdSload + words(r) * G::decode_word;
}

void run_setup_call(chain::ContractRegistry& registry, chain::Address from, chain::Address to,
                    const chain::CallFn& fn) {
  chain::Transaction tx{.from = from, .to = to, .nonce = 0, .gas_limit = 30'000'000, .max_fee = 0,
                        .max_priority_fee = 0, .calldata = {}, .call = fn, .label = "streams/setup"};
  const chain::ExecResult res = chain::execute_transaction(registry, tx, chain::BlockInfo{});
  if (res.status != chain::TxStatus::success) {
    throw std::runtime_error("streams set-up call to " + registry.name(to) + " failed: " + res.revert_reason);
  }
}

VerifierStack deploy_verifier_stack(chain::ContractRegistry& registry, const VerifierStackConfig& cfg,
                                    const ocr::KeyRegistry* ecrecover) {
  VerifierStack s;
  s.owner = registry.create_account("streams/verifier-owner");
  s.proxy = registry.deploy("streams/verifier-proxy", std::make_shared<VerifierProxy>(s.owner));
  s.verifier = registry.deploy("streams/verifier", std::make_shared<Verifier>(s.owner, s.proxy, ecrecover));
  run_setup_call(registry, s.owner, s.proxy,
                 [&](chain::ExecContext& c) { c.self_as<VerifierProxy>().initialize_verifier(c, s.verifier); });
  run_setup_call(registry, s.owner, s.verifier, [&](chain::ExecContext& c) {
    c.self_as<Verifier>().set_config(c, cfg.config_digest, cfg.signers, cfg.f);
  });
  if (cfg.with_fee_manager) {
    const chain::Address link =
        cfg.link_token.is_zero() ? registry.create_account("streams/link-token") : cfg.link_token;
    const chain::Address reward = registry.create_account("streams/reward-manager");
    const chain::Address weth = registry.create_account("streams/wrapped-native");
    s.fee_manager = registry.deploy("streams/fee-manager", std::make_shared<FeeManager>(s.proxy, link, reward, weth));
    run_setup_call(registry, s.owner, s.proxy,
                   [&](chain::ExecContext& c) { c.self_as<VerifierProxy>().set_fee_manager(c, s.fee_manager); });
  }
  return s;
}

}  // namespace models::streams
