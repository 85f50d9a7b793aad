#include "models/streams/verifier.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "models/contracts/link_token.hpp"

namespace models::streams {
namespace {
using G = VerifierGas;
constexpr int kMaxSigners = 31;  // Verifier MAX_NUM_ORACLES (facts §4: n <= 31)

// Storage variables (slot numbers for EIP-2929 warm/cold tracking).
enum Var : std::uint64_t {
  kAccessController = 1, kFeedState, kConfig, kOracles, kVerifiersByConfig, kFeeManager, kInitialized,
};

chain::SlotKey slot(chain::Address a, std::uint64_t var, std::uint64_t index = 0) {
  return {a, chain::slot_of(var, index & ((std::uint64_t{1} << 48) - 1))};
}

std::uint64_t words(const SignedReport& r) { return (encoded_size(r) + 31) / 32; }

}  // namespace

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
  c.require(c.sender() == proxy_, "AccessForbidden");  // the Verifier has no access controller (the proxy has)
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

chain::Address VerifierProxy::read_fee_manager(chain::ExecContext& c) const {
  c.gas().sload(slot(address(), kFeeManager));
  return state_.fee_manager;
}

void VerifierProxy::set_fee_manager(chain::ExecContext& c, chain::Address fee_manager) {
  only_owner(c);
  c.gas().sstore(slot(address(), kFeeManager), state_.fee_manager.id, fee_manager.id);
  state_.fee_manager = fee_manager;
}

std::vector<VerifyOutcome> VerifierProxy::verify_bulk(chain::ExecContext& c, const std::vector<SignedReport>& reports,
                                                      FeeToken token) {
  chain::GasMeter& g = c.gas();
  const chain::Address subscriber = c.sender();
  std::vector<VerifyOutcome> out;
  out.reserve(reports.size());
  g.charge(G::proxy_entry, "compute");
  g.sload(slot(address(), kAccessController));
  g.sload(slot(address(), kFeeManager));
  chain::Gas fee_gas = 0;
  if (!state_.fee_manager.is_zero()) {
    std::uint64_t w = 0;
    for (const auto& r : reports) w += words(r);
    g.charge(G::per_word_copy * (w + 4), "memory");
    const chain::Gas before = g.used();
    c.call(state_.fee_manager,
           [&](chain::ExecContext& cc) { cc.self_as<FeeManager>().process_fee_bulk(cc, reports, token, subscriber); });
    fee_gas = g.used() - before;
  }
  for (const auto& r : reports) {
    const chain::Gas start = g.used();
    VerifyOutcome o = verify_one(c, r, subscriber);
    o.total_gas = g.used() - start;
    out.push_back(o);
  }
  if (!out.empty()) out.front().fee_gas = fee_gas;  // one processFeeBulk for all
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
    // processFee{value: msg.value}: the subscriber pays native fees in wrapped native it approved (no value sent).
    g.charge(G::per_word_copy * (words(r) + 4), "memory");
    const chain::Gas before = g.used();
    c.call(state_.fee_manager,
           [&](chain::ExecContext& cc) { cc.self_as<FeeManager>().process_fee(cc, r, token, subscriber); });
    out.fee_gas = g.used() - before;
  }
  const VerifyOutcome v = verify_one(c, r, subscriber);
  out.report = v.report;
  out.verifier_gas = v.verifier_gas;
  out.total_gas = g.used() - start;
  return out;
}

VerifyOutcome VerifierProxy::verify_one(chain::ExecContext& c, const SignedReport& r, chain::Address subscriber) {
  chain::GasMeter& g = c.gas();
  VerifyOutcome out;
  g.sload(slot(address(), kVerifiersByConfig, r.context.config_digest));
  const chain::Address verifier = verifier_for(r.context.config_digest);
  c.require(!verifier.is_zero(), "VerifierNotFound");
  g.charge(G::per_word_copy * (words(r) + 3), "memory");
  const chain::Gas before = g.used();
  c.call(verifier, [&](chain::ExecContext& cc) { out.report = cc.self_as<Verifier>().verify(cc, r, subscriber); });
  out.verifier_gas = g.used() - before;
  g.charge(G::per_word_copy * 11, "memory");  // the report bytes returned to the caller
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
    s.link_token = cfg.link_token.is_zero() ? registry.deploy("streams/link-token", std::make_shared<contracts::LinkToken>())
                                            : cfg.link_token;
    auto* link = registry.find_as<contracts::LinkToken>(s.link_token);
    if (link == nullptr) throw std::invalid_argument("deploy_verifier_stack: link_token is not a LinkToken");
    s.reward_manager = registry.deploy("streams/reward-manager", std::make_shared<RewardManager>(s.owner, s.link_token));
    const chain::Address weth = registry.create_account("streams/wrapped-native");
    s.fee_manager = registry.deploy("streams/fee-manager",
                                    std::make_shared<FeeManager>(s.owner, s.proxy, s.link_token, s.reward_manager, weth));
    link->set_allowance(s.fee_manager, s.reward_manager, contracts::LinkToken::kUnlimited);  // its constructor's approve
    if (cfg.fee_manager_link > 0) link->mint(s.fee_manager, cfg.fee_manager_link);
    run_setup_call(registry, s.owner, s.reward_manager,
                   [&](chain::ExecContext& c) { c.self_as<RewardManager>().set_fee_manager(c, s.fee_manager); });
    run_setup_call(registry, s.owner, s.proxy,
                   [&](chain::ExecContext& c) { c.self_as<VerifierProxy>().set_fee_manager(c, s.fee_manager); });
    s.payees = cfg.payees;
    if (s.payees.empty())
      for (std::size_t i = 0; i < cfg.signers.size(); ++i)
        s.payees.push_back(registry.create_account("streams/payee-" + std::to_string(i)));
    std::vector<RewardRecipient> recipients;
    const std::uint64_t share = kPercentageScalar / s.payees.size();
    for (std::size_t i = 0; i < s.payees.size(); ++i)
      recipients.push_back({s.payees[i], i + 1 < s.payees.size() ? share : kPercentageScalar - share * i});
    run_setup_call(registry, s.owner, s.fee_manager, [&](chain::ExecContext& c) {
      c.self_as<FeeManager>().set_fee_recipients(c, cfg.config_digest, recipients);
    });
  }
  return s;
}

}  // namespace models::streams
