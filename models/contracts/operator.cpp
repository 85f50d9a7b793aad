#include "models/contracts/operator.hpp"

#include "sim/hash.hpp"

namespace models::contracts {
namespace {
enum Var : std::uint64_t { kCommitment = 1, kEscrow, kAuthorized, kOwned };
// Operator v0.8 keeps s_tokensInEscrow one above the escrowed LINK (ONE_FOR_CONSISTENT_GAS_COST), so the first
// request's write is a reset, not a set.
constexpr Juels kOneForConsistentGasCost = 1;
std::uint64_t fp(Juels v) {
  const auto lo = static_cast<std::uint64_t>(v);
  const auto hi = static_cast<std::uint64_t>(v >> 64);
  return v == 0 ? 0 : ((lo ^ (hi * 0x9e3779b97f4a7c15ULL)) | 1);
}
std::uint64_t padded(std::uint64_t bytes) { return (bytes + 31) / 32 * 32; }
}  // namespace

std::uint64_t RequestData::size_bytes() const {
  std::uint64_t n = 1;  // map header
  for (const auto& [k, v] : params) n += 4 + k.size() + v.size();
  return n;
}

const std::string* RequestData::find(const std::string& key) const {
  for (const auto& [k, v] : params)
    if (k == key) return &v;
  return nullptr;
}

TokenCallData OracleRequestCall::encode() const {
  // oracleRequest(sender, payment, specId, callbackAddr, callbackFunctionId, nonce, dataVersion, data):
  // selector + 8 head words + length word + padded data.
  return TokenCallData{*this, 4 + 9 * 32 + padded(data.size_bytes())};
}

Operator::Operator(chain::Address link, chain::Address owner) : link_(link), owner_(owner) {}

RequestId Operator::request_id(chain::Address sender, std::uint64_t nonce) {
  return sim::hash_combine(sim::hash_combine(0x6f7261636c655251ULL, sender.id), nonce);
}

std::uint64_t Operator::params_hash(Juels payment, chain::Address callback, std::uint32_t fn, sim::Time expiration) {
  std::uint64_t h = sim::hash_combine(0x706172616d734855ULL, static_cast<std::uint64_t>(payment));
  h = sim::hash_combine(h, static_cast<std::uint64_t>(payment >> 64));
  h = sim::hash_combine(h, callback.id);
  h = sim::hash_combine(h, fn);
  return sim::hash_combine(h, static_cast<std::uint64_t>(expiration.ns())) | 1;  // non-zero: 0 means "no commitment"
}

chain::Calldata Operator::fulfill_calldata(const OracleResponse& r, bool multiword) {
  chain::CalldataBuilder b;
  b.selector().bytes32().bytes32().address().uint(0xffffffffULL).uint(0);  // requestId, payment, callback, fn, expiration
  if (!multiword) return b.bytes32().build();
  return b.uint(192).uint(r.size_bytes).raw(padded(r.size_bytes) - r.size_bytes, r.size_bytes).build();
}

chain::Calldata Operator::cancel_calldata() {
  return chain::CalldataBuilder{}.selector().bytes32().bytes32().uint(0xffffffffULL).uint(0).build();
}

void Operator::on_token_transfer(chain::ExecContext& c, chain::Address from, Juels amount, const TokenCallData& data) {
  c.gas().charge(kOperatorCallOverheadGas, "operator/overhead");
  c.require(c.sender() == link_, "Must use LINK token");
  const auto* req = std::any_cast<OracleRequestCall>(&data.payload);
  c.require(req != nullptr, "Must use whitelisted functions");
  // validateTokenTransferAction: the sender and amount in the data are replaced by the real ones.
  oracle_request(c, from, amount, *req);
}

void Operator::oracle_request(chain::ExecContext& c, chain::Address sender, Juels payment, const OracleRequestCall& req) {
  c.require(req.callback_address != link_, "Cannot call to LINK");
  c.gas().keccak(64);
  const RequestId id = request_id(sender, req.nonce);
  const chain::SlotKey slot{address(), chain::slot_of(kCommitment, id & 0xffffffffffffULL)};
  c.gas().sload(slot);
  c.require(!pending(id), "Must use a unique ID");
  const sim::Time expiration = c.timestamp() + kExpiryTime;
  c.gas().keccak(128);
  const std::uint64_t hash = params_hash(payment, req.callback_address, req.callback_function_id, expiration);
  c.gas().sstore(slot, 0, hash);
  state_.commitments[id] = {hash, req.data_version};
  const chain::SlotKey escrow{address(), chain::slot_of(kEscrow)};
  c.gas().sload(escrow);
  c.gas().sstore(escrow, fp(state_.tokens_in_escrow + kOneForConsistentGasCost),
                 fp(state_.tokens_in_escrow + kOneForConsistentGasCost + payment));
  state_.tokens_in_escrow += payment;
  OracleRequestEvent ev{req.spec_id, sender, id, payment, req.callback_address, req.callback_function_id,
                        expiration, req.data_version, req.data};
  c.emit({.event = "OracleRequest", .topics = 2, .data_bytes = 9 * 32 + padded(req.data.size_bytes()), .payload = std::move(ev)});
}

void Operator::consume_commitment(chain::ExecContext& c, RequestId id, std::uint64_t hash, std::uint32_t data_version,
                                  Juels payment) {
  const chain::SlotKey slot{address(), chain::slot_of(kCommitment, id & 0xffffffffffffULL)};
  c.gas().keccak(128);
  c.gas().sload(slot);
  const auto it = state_.commitments.find(id);
  c.require(it != state_.commitments.end() && it->second.params_hash == hash, "Params do not match request ID");
  c.require(it->second.data_version <= data_version, "Data versions must match");
  c.gas().sstore(slot, it->second.params_hash, 0);
  state_.commitments.erase(it);
  const chain::SlotKey escrow{address(), chain::slot_of(kEscrow)};
  c.gas().sload(escrow);
  c.require(state_.tokens_in_escrow >= payment, "escrow underflow");
  c.gas().sstore(escrow, fp(state_.tokens_in_escrow + kOneForConsistentGasCost),
                 fp(state_.tokens_in_escrow + kOneForConsistentGasCost - payment));
  state_.tokens_in_escrow -= payment;
}

bool Operator::fulfill_oracle_request(chain::ExecContext& c, RequestId id, Juels payment, chain::Address callback,
                                      std::uint32_t callback_fn, sim::Time expiration, const OracleResponse& r,
                                      bool multiword) {
  c.gas().charge(kFulfilPathGas, "operator/overhead");
  c.gas().sload({address(), chain::slot_of(kAuthorized, c.sender().id)});
  c.require(authorized(c.sender()), "Not authorized sender");
  c.require(callback != link_, "Cannot call to LINK");
  c.gas().sload({address(), chain::slot_of(kOwned, callback.id)});  // validateCallbackAddress: s_owned[callback]
  consume_commitment(c, id, params_hash(payment, callback, callback_fn, expiration), multiword ? 2 : 1, payment);
  // No withdrawable slot: the earnings are the LINK balance less the escrow (_fundsAvailable).
  state_.withdrawable += payment;
  state_.earned_total += payment;
  c.require(c.gas().remaining() >= kMinimumConsumerGas, "Must provide consumer enough gas");
  const auto outcome = c.call(
      callback, [&](chain::ExecContext& cc) { cc.self_as<OracleCallbackReceiver>().oracle_callback(cc, callback_fn, id, r); },
      /*catch_revert=*/true);
  c.emit({.event = "OracleResponse", .topics = 2, .data_bytes = 0, .payload = OracleResponseEvent{id, outcome.ok}});
  return outcome.ok;
}

void Operator::cancel_oracle_request(chain::ExecContext& c, RequestId id, Juels payment, std::uint32_t callback_fn,
                                     sim::Time expiration) {
  c.gas().charge(kOperatorCallOverheadGas, "operator/overhead");
  const chain::Address requester = c.sender();
  consume_commitment(c, id, params_hash(payment, requester, callback_fn, expiration), 0xffffffffu, payment);
  c.require(expiration <= c.timestamp(), "Request is not expired");
  state_.refunded_total += payment;
  c.emit({.event = "CancelOracleRequest", .topics = 2, .data_bytes = 0, .payload = CancelOracleRequestEvent{id}});
  c.call(link_, [&](chain::ExecContext& cc) { cc.self_as<LinkToken>().transfer(cc, requester, payment); });
}

void Operator::withdraw(chain::ExecContext& c, chain::Address recipient, Juels amount) {
  c.gas().charge(kOperatorCallOverheadGas, "operator/overhead");
  c.require(c.sender() == owner_, "Only callable by owner");
  // _fundsAvailable(): LINK.balanceOf(this) - (s_tokensInEscrow - 1).
  c.call(link_, [&](chain::ExecContext& cc) { cc.self_as<LinkToken>().read_balance(cc, address()); });
  c.gas().sload({address(), chain::slot_of(kEscrow)});
  c.require(amount <= state_.withdrawable, "Amount requested is greater than withdrawable balance");
  state_.withdrawable -= amount;
  state_.withdrawn_total += amount;
  c.call(link_, [&](chain::ExecContext& cc) { cc.self_as<LinkToken>().transfer(cc, recipient, amount); });
}

}  // namespace models::contracts
