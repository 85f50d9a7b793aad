#include "models/request/chainlink_client.hpp"

namespace models::request {
namespace {
enum Var : std::uint64_t { kRequestCount = 1, kPending, kAnswer };
}

ChainlinkClient::ChainlinkClient(chain::Address link, chain::Gas callback_gas, bool revert_callbacks)
    : link_(link), callback_gas_(callback_gas), revert_callbacks_(revert_callbacks) {}

const std::int64_t* ChainlinkClient::answer(RequestId id) const {
  const auto it = state_.answers.find(id);
  return it == state_.answers.end() ? nullptr : &it->second;
}

chain::Calldata ChainlinkClient::request_calldata(const contracts::RequestData& data) {
  const std::uint64_t n = data.size_bytes();
  return chain::CalldataBuilder{}.selector().address().bytes32().bytes32().uint(128).uint(n).raw((n + 31) / 32 * 32 - n, n).build();
}

chain::Calldata ChainlinkClient::cancel_calldata() {
  return chain::CalldataBuilder{}.selector().bytes32().bytes32().uint(0).build();
}

RequestId ChainlinkClient::request(chain::ExecContext& c, chain::Address operator_address, std::uint64_t spec_id,
                                   const contracts::RequestData& data, Juels payment) {
  c.gas().charge(contracts::kOperatorCallOverheadGas + contracts::kRequestPathGas, "client/overhead");
  const chain::SlotKey count_slot{address(), chain::slot_of(kRequestCount)};
  c.gas().sload(count_slot);
  const std::uint64_t nonce = state_.request_count;
  c.gas().keccak(64);
  const RequestId id = contracts::Operator::request_id(address(), nonce);
  c.gas().sstore(count_slot, nonce, nonce + 1);
  state_.request_count = nonce + 1;
  const chain::SlotKey pslot{address(), chain::slot_of(kPending, id & 0xffffffffffffULL)};
  c.gas().sstore(pslot, 0, operator_address.id);
  state_.pending[id] = {operator_address, payment};
  state_.spent_total += payment;
  c.emit({.event = "ChainlinkRequested", .topics = 2, .data_bytes = 0, .payload = id});
  contracts::OracleRequestCall call{spec_id, address(), kFulfillSelector, nonce, 1, data};
  const contracts::TokenCallData td = call.encode();
  c.gas().memory_words(td.size_bytes / 32 + 4);
  c.call(link_, [&](chain::ExecContext& cc) {
    cc.self_as<contracts::LinkToken>().transfer_and_call(cc, operator_address, payment, td);
  });
  return id;
}

void ChainlinkClient::cancel(chain::ExecContext& c, RequestId id, Juels payment, sim::Time expiration) {
  c.gas().charge(contracts::kOperatorCallOverheadGas, "client/overhead");
  const chain::SlotKey pslot{address(), chain::slot_of(kPending, id & 0xffffffffffffULL)};
  c.gas().sload(pslot);
  const auto it = state_.pending.find(id);
  c.require(it != state_.pending.end(), "no such pending request");
  const chain::Address op = it->second.operator_address;
  c.gas().sstore(pslot, op.id, 0);
  state_.pending.erase(it);
  state_.refunded_total += payment;
  ++state_.cancelled;
  c.emit({.event = "ChainlinkCancelled", .topics = 2, .data_bytes = 0, .payload = id});
  c.call(op, [&](chain::ExecContext& cc) {
    cc.self_as<contracts::Operator>().cancel_oracle_request(cc, id, payment, kFulfillSelector, expiration);
  });
}

void ChainlinkClient::oracle_callback(chain::ExecContext& c, std::uint32_t selector, RequestId id,
                                      const contracts::OracleResponse& r) {
  c.gas().charge(contracts::kClientCallbackOverheadGas, "client/overhead");
  c.require(selector == kFulfillSelector, "unknown callback selector");
  const chain::SlotKey pslot{address(), chain::slot_of(kPending, id & 0xffffffffffffULL)};
  c.gas().sload(pslot);
  const auto it = state_.pending.find(id);
  c.require(it != state_.pending.end() && it->second.operator_address == c.sender(),
            "Source must be the oracle of the request");
  c.gas().sstore(pslot, it->second.operator_address.id, 0);
  state_.pending.erase(it);
  c.emit({.event = "ChainlinkFulfilled", .topics = 2, .data_bytes = 0, .payload = id});
  c.gas().charge(callback_gas_, "client/callback");
  c.require(!revert_callbacks_, "consumer callback reverted");
  state_.answers[id] = r.value;
  ++state_.fulfilled;
}

}  // namespace models::request
