#include "models/streams/fees.hpp"

#include <algorithm>
#include <set>

#include "models/contracts/link_token.hpp"
#include "sim/hash.hpp"

namespace models::streams {
namespace {
using Amount = chain::Amount;
using contracts::LinkToken;

// Storage variables (slot numbers for EIP-2929 warm/cold tracking).
enum Var : std::uint64_t {
  kFmDiscount = 1, kFmSurcharge, kFmDeficit, kFmOwner,
  kRmPoolTotal, kRmWeight, kRmCheckpoint, kRmFeeManager, kRmOwner,
  kWethBalance, kWethAllowance,
};

chain::SlotKey slot(chain::Address a, std::uint64_t var, std::uint64_t index = 0) {
  return {a, chain::slot_of(var, index & ((std::uint64_t{1} << 48) - 1))};
}
std::uint64_t mix(std::uint64_t a, std::uint64_t b) { return sim::hash_combine(a, b); }

// A stable fingerprint of a 128-bit amount for GasMeter::sstore (0 only for 0).
std::uint64_t fp(Amount v) {
  const auto lo = static_cast<std::uint64_t>(v);
  const auto hi = static_cast<std::uint64_t>(v >> 64);
  return v == 0 ? 0 : ((lo ^ (hi * 0x9e3779b97f4a7c15ULL)) | 1);
}

Amount ceil_div(Amount a, Amount b) { return a == 0 ? 0 : (a - 1) / b + 1; }

std::uint64_t seconds_of(const chain::ExecContext& c) { return static_cast<std::uint64_t>(c.timestamp().ns() / 1'000'000'000); }

std::uint64_t words(const SignedReport& r) { return (encoded_size(r) + 31) / 32; }
}  // namespace

const char* to_string(FeeToken t) { return t == FeeToken::link ? "link" : "native"; }

FeeAndReward fee_and_reward(const ReportV3& r, FeeToken token, std::uint64_t discount, std::uint64_t native_surcharge) {
  const Amount scale = kPercentageScalar;
  FeeAndReward out;
  out.discount = discount;
  out.reward = ceil_div(Amount{r.link_fee} * (scale - discount), scale);
  if (token == FeeToken::link) {
    out.fee = out.reward;
  } else {
    const Amount surcharged = ceil_div(Amount{r.native_fee} * (scale + native_surcharge), scale);
    out.fee = ceil_div(surcharged * (scale - discount), scale);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// RewardManager

RewardManager::RewardManager(chain::Address owner, chain::Address link_token) : owner_(owner), link_token_(link_token) {}

const RewardPool* RewardManager::pool(std::uint64_t pool_id) const {
  const auto it = state_.pools.find(pool_id);
  return it == state_.pools.end() ? nullptr : &it->second;
}

std::vector<std::uint64_t> RewardManager::pool_ids() const {
  std::vector<std::uint64_t> out;
  for (const auto& [id, p] : state_.pools) out.push_back(id);
  return out;
}

Amount RewardManager::owed(std::uint64_t pool_id, chain::Address recipient) const {
  const RewardPool* p = pool(pool_id);
  if (p == nullptr) return 0;
  const auto w = p->weights.find(recipient);
  if (w == p->weights.end()) return 0;
  const auto cp = p->checkpoints.find(recipient);
  const Amount since = p->total_fees - (cp == p->checkpoints.end() ? 0 : cp->second);
  const Amount scale = kPercentageScalar;  // floor(since * w / 1e18) without the 128-bit product
  return since / scale * w->second + since % scale * w->second / scale;
}

void RewardManager::set_fee_manager(chain::ExecContext& c, chain::Address fee_manager) {
  c.require(c.sender() == owner_, "Only callable by owner");
  c.require(!fee_manager.is_zero(), "InvalidAddress");
  c.gas().sstore(slot(address(), kRmFeeManager), fee_manager_.id, fee_manager.id);
  fee_manager_ = fee_manager;
}

void RewardManager::send_link(chain::ExecContext& c, chain::Address to, Amount amount) {
  c.call(link_token_, [&](chain::ExecContext& cc) { cc.self_as<LinkToken>().transfer(cc, to, amount); });
}

void RewardManager::on_fee_paid(chain::ExecContext& c, const std::vector<FeePayment>& payments, chain::Address payer) {
  chain::GasMeter& g = c.gas();
  g.charge(FeeGas::reward_entry, "compute");
  g.sload(slot(address(), kRmFeeManager));
  c.require(c.sender() == fee_manager_, "Unauthorized");
  Amount total = 0;
  for (const FeePayment& p : payments) {
    const auto key = slot(address(), kRmPoolTotal, p.pool_id);
    g.sload(key);
    RewardPool& pool = state_.pools[p.pool_id];
    g.sstore(key, fp(pool.total_fees), fp(pool.total_fees + p.amount));
    pool.total_fees += p.amount;
    total += p.amount;
  }
  c.emit({.event = "FeePaid", .topics = 2, .data_bytes = 64 * payments.size() + 32, .payload = payments});
  c.call(link_token_, [&](chain::ExecContext& cc) { cc.self_as<LinkToken>().transfer_from(cc, payer, address(), total); });
}

void RewardManager::set_reward_recipients(chain::ExecContext& c, std::uint64_t pool_id,
                                          const std::vector<RewardRecipient>& recipients) {
  chain::GasMeter& g = c.gas();
  c.require(c.sender() == owner_ || c.sender() == fee_manager_, "Unauthorized");
  c.require(!recipients.empty(), "InvalidAddress");
  RewardPool& pool = state_.pools[pool_id];
  c.require(pool.weights.empty(), "InvalidPoolId");
  std::set<chain::Address> seen;
  Amount sum = 0;
  for (const auto& [who, weight] : recipients) {
    c.require(!who.is_zero() && seen.insert(who).second, "InvalidAddress");
    g.sstore(slot(address(), kRmWeight, mix(pool_id, who.id)), 0, weight);
    sum += weight;
  }
  c.require(sum == kPercentageScalar, "InvalidWeights");
  for (const auto& [who, weight] : recipients) pool.weights[who] = weight;
  c.emit({.event = "RewardRecipientsUpdated", .topics = 2, .data_bytes = 64 * recipients.size(), .payload = pool_id});
}

Amount RewardManager::settle(chain::ExecContext& c, const std::vector<std::uint64_t>& pool_ids, chain::Address recipient) {
  chain::GasMeter& g = c.gas();
  Amount sum = 0;
  for (const std::uint64_t id : pool_ids) {
    g.sload(slot(address(), kRmPoolTotal, id));
    g.sload(slot(address(), kRmCheckpoint, mix(id, recipient.id)));
    g.sload(slot(address(), kRmWeight, mix(id, recipient.id)));
    const Amount share = owed(id, recipient);
    if (share == 0) continue;  // the checkpoint stays where it was
    RewardPool& pool = state_.pools[id];
    const Amount before = pool.checkpoints[recipient];
    g.sstore(slot(address(), kRmCheckpoint, mix(id, recipient.id)), fp(before), fp(pool.total_fees));
    pool.checkpoints[recipient] = pool.total_fees;
    sum += share;
    c.emit({.event = "RewardsClaimed", .topics = 3, .data_bytes = 32, .payload = RewardsClaimed{id, recipient, share}});
  }
  return sum;
}

Amount RewardManager::claim_rewards(chain::ExecContext& c, const std::vector<std::uint64_t>& pool_ids) {
  c.gas().charge(FeeGas::reward_entry, "compute");
  const Amount sum = settle(c, pool_ids, c.sender());
  if (sum > 0) {
    state_.paid_out += sum;
    send_link(c, c.sender(), sum);
  }
  return sum;
}

void RewardManager::pay_recipients(chain::ExecContext& c, std::uint64_t pool_id, const std::vector<chain::Address>& recipients) {
  c.gas().charge(FeeGas::reward_entry, "compute");
  const RewardPool* p = pool(pool_id);
  const bool is_recipient = p != nullptr && p->weights.count(c.sender()) != 0;
  c.require(c.sender() == owner_ || is_recipient, "Unauthorized");
  for (const chain::Address who : recipients) {
    const Amount sum = settle(c, {pool_id}, who);
    if (sum == 0) continue;
    state_.paid_out += sum;
    send_link(c, who, sum);
  }
}

void RewardManager::update_reward_recipients(chain::ExecContext& c, std::uint64_t pool_id,
                                             const std::vector<RewardRecipient>& recipients) {
  c.require(c.sender() == owner_, "Only callable by owner");
  const RewardPool* p = pool(pool_id);
  c.require(p != nullptr && !p->weights.empty(), "InvalidPoolId");
  Amount old_sum = 0, new_sum = 0;
  std::set<chain::Address> seen;
  for (const auto& [who, weight] : recipients) {
    c.require(!who.is_zero() && seen.insert(who).second, "InvalidAddress");
    const auto it = p->weights.find(who);
    old_sum += it == p->weights.end() ? 0 : it->second;
    new_sum += weight;
  }
  c.require(old_sum == new_sum, "InvalidWeights");
  for (const auto& [who, weight] : recipients) {
    const Amount sum = settle(c, {pool_id}, who);
    if (sum > 0) {
      state_.paid_out += sum;
      send_link(c, who, sum);
    }
    c.gas().sstore(slot(address(), kRmWeight, mix(pool_id, who.id)), 1, weight);
    RewardPool& pool = state_.pools[pool_id];
    if (pool.weights.count(who) == 0) pool.checkpoints[who] = pool.total_fees;  // a new recipient: from now on
    if (weight == 0) pool.weights.erase(who);
    else pool.weights[who] = weight;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// FeeManager

FeeManager::FeeManager(chain::Address owner, chain::Address proxy, chain::Address link_token,
                       chain::Address reward_manager, chain::Address wrapped_native)
    : owner_(owner), proxy_(proxy), link_token_(link_token), reward_manager_(reward_manager),
      wrapped_native_(wrapped_native) {}

void FeeManager::only_owner(chain::ExecContext& c) const { c.require(c.sender() == owner_, "Only callable by owner"); }

Amount FeeManager::native_balance(chain::Address subscriber) const {
  const auto it = state_.wrapped_native.find(subscriber);
  return it == state_.wrapped_native.end() ? 0 : it->second;
}

Amount FeeManager::link_deficit(std::uint64_t config_digest) const {
  const auto it = state_.link_deficit.find(config_digest);
  return it == state_.link_deficit.end() ? 0 : it->second;
}

Amount FeeManager::total_link_deficit() const {
  Amount sum = 0;
  for (const auto& [digest, amount] : state_.link_deficit) sum += amount;
  return sum;
}

std::uint64_t FeeManager::discount(chain::Address subscriber, FeedId feed, FeeToken token) const {
  const auto it = state_.discounts.find({subscriber, feed, token});
  return it == state_.discounts.end() ? 0 : it->second;
}

std::optional<FeeAndReward> FeeManager::quote(chain::Address subscriber, const ReportV3& r, FeeToken token,
                                              std::uint64_t now_s) const {
  if (static_cast<std::uint64_t>(r.expires_at) < now_s) return std::nullopt;
  return fee_and_reward(r, token, discount(subscriber, r.feed_id, token), state_.native_surcharge);
}

FeeAndReward FeeManager::get_fee_and_reward(chain::ExecContext& c, chain::Address subscriber, const ReportV3& r,
                                            FeeToken token) const {
  c.gas().charge(FeeGas::fee_entry, "compute");
  return fee_and_reward_of(c, subscriber, r, token);
}

FeeAndReward FeeManager::fee_and_reward_of(chain::ExecContext& c, chain::Address subscriber, const ReportV3& r,
                                           FeeToken token) const {
  chain::GasMeter& g = c.gas();
  g.charge(FeeGas::decode_word * 6, "compute");  // the report's first six fields
  c.require(static_cast<std::uint64_t>(r.expires_at) >= seconds_of(c), "ExpiredReport");
  g.sload(slot(address(), kFmDiscount, mix(mix(subscriber.id, r.feed_id), static_cast<std::uint64_t>(token))));
  if (token == FeeToken::native) g.sload(slot(address(), kFmSurcharge));
  return fee_and_reward(r, token, discount(subscriber, r.feed_id, token), state_.native_surcharge);
}

void FeeManager::process_fee(chain::ExecContext& c, const SignedReport& r, FeeToken token, chain::Address subscriber) {
  c.gas().charge(FeeGas::process_fee_entry + FeeGas::decode_word * words(r), "compute");
  c.require(c.sender() == proxy_, "Unauthorized");
  charge(c, {&r}, token, subscriber);
}

void FeeManager::process_fee_bulk(chain::ExecContext& c, const std::vector<SignedReport>& reports, FeeToken token,
                                  chain::Address subscriber) {
  std::vector<const SignedReport*> all;
  std::uint64_t w = 0;
  for (const auto& r : reports) {
    all.push_back(&r);
    w += words(r);
  }
  c.gas().charge(FeeGas::process_fee_entry + FeeGas::decode_word * w, "compute");
  c.require(c.sender() == proxy_, "Unauthorized");
  charge(c, all, token, subscriber);
}

void FeeManager::charge(chain::ExecContext& c, const std::vector<const SignedReport*>& reports, FeeToken token,
                        chain::Address subscriber) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  c.require(subscriber != self, "InvalidAddress");
  std::vector<FeePayment> rewards;
  Amount total_fee = 0;
  for (const SignedReport* r : reports) {
    const FeeAndReward q = fee_and_reward_of(c, subscriber, r->report, token);
    if (q.fee == 0) continue;  // nothing to pay (processFeeBulk skips it; processFee returns)
    if (q.reward > 0) rewards.push_back({r->context.config_digest, q.reward});
    total_fee += q.fee;
    state_.rewards_due += q.reward;
    ++state_.fees_paid;
    if (q.discount > 0)
      c.emit({.event = "DiscountApplied", .topics = 3, .data_bytes = 96,
              .payload = FeePaid{r->report.feed_id, subscriber, token, q.fee, q.reward, q.discount}});
  }
  if (total_fee == 0) return;

  if (token == FeeToken::link) {
    // RewardManager.onFeePaid pulls the LINK from the subscriber (its approval of the RewardManager).
    c.call(reward_manager_, [&](chain::ExecContext& cc) { cc.self_as<RewardManager>().on_fee_paid(cc, rewards, subscriber); });
    return;
  }
  // Native: WETH.transferFrom(subscriber, this, fee) (the subscriber approved the FeeManager).
  g.account(wrapped_native_);
  g.charge(FeeGas::token_entry, "compute");
  g.sload(slot(wrapped_native_, kWethAllowance, mix(subscriber.id, self.id)));
  g.sload(slot(wrapped_native_, kWethBalance, subscriber.id));
  const Amount have = native_balance(subscriber);
  c.require(have >= total_fee, "InsufficientBalance");
  g.sstore(slot(wrapped_native_, kWethAllowance, mix(subscriber.id, self.id)), fp(have), fp(have - total_fee));
  g.sstore(slot(wrapped_native_, kWethBalance, subscriber.id), fp(have), fp(have - total_fee));
  g.sload(slot(wrapped_native_, kWethBalance, self.id));
  g.sstore(slot(wrapped_native_, kWethBalance, self.id), fp(state_.native_collected), fp(state_.native_collected + total_fee));
  g.log(3, 32);  // WETH Transfer
  state_.wrapped_native[subscriber] = have - total_fee;
  state_.native_collected += total_fee;

  // The rewards come from the FeeManager's LINK, all or nothing for the call.
  Amount reward_sum = 0;
  for (const FeePayment& p : rewards) reward_sum += p.amount;
  if (reward_sum == 0) return;
  Amount link_held = 0;
  c.call(link_token_, [&](chain::ExecContext& cc) { link_held = cc.self_as<LinkToken>().read_balance(cc, self); });
  if (reward_sum > link_held) {
    for (const FeePayment& p : rewards) {
      const Amount before = link_deficit(p.pool_id);
      g.sload(slot(self, kFmDeficit, p.pool_id));
      g.sstore(slot(self, kFmDeficit, p.pool_id), fp(before), fp(before + p.amount));
      state_.link_deficit[p.pool_id] = before + p.amount;
    }
    c.emit({.event = "InsufficientLink", .topics = 1, .data_bytes = 64 * rewards.size() + 64,
            .payload = InsufficientLink{rewards}});
    return;
  }
  c.call(reward_manager_, [&](chain::ExecContext& cc) { cc.self_as<RewardManager>().on_fee_paid(cc, rewards, self); });
}

void FeeManager::update_subscriber_discount(chain::ExecContext& c, chain::Address subscriber, FeedId feed,
                                            FeeToken token, std::uint64_t discount_value) {
  only_owner(c);
  c.require(discount_value <= kPercentageScalar, "InvalidDiscount");
  const auto key = slot(address(), kFmDiscount, mix(mix(subscriber.id, feed), static_cast<std::uint64_t>(token)));
  c.gas().sstore(key, discount(subscriber, feed, token), discount_value);
  state_.discounts[{subscriber, feed, token}] = discount_value;
  c.emit({.event = "SubscriberDiscountUpdated", .topics = 4, .data_bytes = 32, .payload = discount_value});
}

void FeeManager::set_native_surcharge(chain::ExecContext& c, std::uint64_t surcharge) {
  only_owner(c);
  c.require(surcharge <= kPercentageScalar, "InvalidSurcharge");
  c.gas().sstore(slot(address(), kFmSurcharge), state_.native_surcharge, surcharge);
  state_.native_surcharge = surcharge;
  c.emit({.event = "NativeSurchargeUpdated", .topics = 1, .data_bytes = 32, .payload = surcharge});
}

void FeeManager::pay_link_deficit(chain::ExecContext& c, std::uint64_t config_digest) {
  only_owner(c);
  c.gas().sload(slot(address(), kFmDeficit, config_digest));
  const Amount owed = link_deficit(config_digest);
  c.require(owed > 0, "ZeroDeficit");
  c.gas().sstore(slot(address(), kFmDeficit, config_digest), fp(owed), 0);
  state_.link_deficit.erase(config_digest);
  const std::vector<FeePayment> payments{{config_digest, owed}};
  const chain::Address self = address();
  c.call(reward_manager_, [&](chain::ExecContext& cc) { cc.self_as<RewardManager>().on_fee_paid(cc, payments, self); });
  c.emit({.event = "LinkDeficitCleared", .topics = 2, .data_bytes = 32, .payload = FeePayment{config_digest, owed}});
}

void FeeManager::set_fee_recipients(chain::ExecContext& c, std::uint64_t config_digest,
                                    const std::vector<RewardRecipient>& recipients) {
  only_owner(c);
  c.call(reward_manager_,
         [&](chain::ExecContext& cc) { cc.self_as<RewardManager>().set_reward_recipients(cc, config_digest, recipients); });
}

// ---------------------------------------------------------------------------------------------------------------
// The books

FeeAudit audit_fees(const chain::ContractRegistry& registry, chain::Address fee_manager) {
  FeeAudit a;
  const auto* fm = registry.find_as<FeeManager>(fee_manager);
  if (fm == nullptr) {
    a.problem = "no FeeManager at the given address";
    return a;
  }
  const auto* rm = registry.find_as<RewardManager>(fm->reward_manager());
  const auto* link = registry.find_as<LinkToken>(fm->link_token());
  if (rm == nullptr || link == nullptr) {
    a.problem = "the FeeManager's RewardManager or LINK token is missing";
    return a;
  }
  a.rewards_due = fm->state().rewards_due;
  a.paid_out = rm->state().paid_out;
  a.held = link->balance_of(fm->reward_manager());
  a.deficit = fm->total_link_deficit();
  a.native_fees = fm->state().native_collected;
  Amount unclaimed = 0;  // what the pools say they still hold: fees in minus what their recipients took
  Amount in = 0;
  for (const auto& [id, pool] : rm->state().pools) in += pool.total_fees;
  unclaimed = in >= a.paid_out ? in - a.paid_out : 0;
  auto juels = [](Amount v) { return chain::to_string_amount(v); };
  if (a.rewards_due != a.paid_out + a.held + a.deficit)
    a.problem = "LINK rewards due " + juels(a.rewards_due) + " juels != paid out " + juels(a.paid_out) + " + held " +
                juels(a.held) + " + deficit " + juels(a.deficit);
  else if (in < a.paid_out || unclaimed != a.held)
    a.problem = "the reward pools account for " + juels(unclaimed) + " juels but the RewardManager holds " + juels(a.held);
  if (!a.problem.empty()) return a;
  Amount owed = 0;  // what every recipient could claim now: the pools must be able to pay it
  for (const auto& [id, pool] : rm->state().pools)
    for (const auto& [who, weight] : pool.weights) owed += rm->owed(id, who);
  if (owed > a.held)
    a.problem = "the reward pools owe their recipients " + juels(owed) + " juels but the RewardManager holds " + juels(a.held);
  return a;
}

}  // namespace models::streams
