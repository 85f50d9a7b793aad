#pragma once
// A ChainlinkClient consumer contract (after CL contracts/src/v0.8/ChainlinkClient.sol), a models::chain contract.
//
// request(): builds a Chainlink request (job spec id, callback selector, data such as get=<url>, path=<json path>,
// times=<multiplier>), computes requestId = hash(this, requestCount), records it as pending with its operator and
// sends LINK.transferAndCall(operator, payment, oracleRequest(...)) in the same transaction. The operator's
// callback (recordChainlinkFulfillment) is accepted only from the request's operator, removes the pending entry,
// stores the answer and costs a configurable amount of gas (the consumer's own work). cancel() removes the pending
// entry and calls operator.cancelOracleRequest, which refunds the payment to this contract.
// Simplified: anyone may call request/cancel (no ownership); the consumer's own work is charged as flat gas.
#include <cstdint>
#include <map>

#include "models/chain/execution.hpp"
#include "models/contracts/operator.hpp"

namespace models::request {

using contracts::Juels;
using contracts::RequestId;

inline constexpr std::uint32_t kFulfillSelector = 0x4357855eu;  // the consumer's fulfill(bytes32,uint256) selector (any fixed value)

struct ChainlinkClientState {
  struct Pending {
    chain::Address operator_address{};
    Juels payment = 0;
  };
  std::uint64_t request_count = 1;  // ChainlinkClient.sol: s_requestCount = 1 (the first request writes no fresh slot)
  std::map<RequestId, Pending> pending;
  std::map<RequestId, std::int64_t> answers;  // last answer per fulfilled request
  // Running totals (reorg-consistent as contract state), for accounting.
  Juels spent_total = 0;      // LINK sent with requests
  Juels refunded_total = 0;   // LINK refunded by cancellations
  std::uint64_t fulfilled = 0;
  std::uint64_t cancelled = 0;
};

class ChainlinkClient : public chain::StatefulContract<ChainlinkClientState>, public contracts::OracleCallbackReceiver {
 public:
  // callback_gas: gas the consumer's fulfill spends beyond the record keeping (default: the answer stored in a fresh
  // mapping slot, as tools/gas-calibration's consumer: a cold SSTORE of a new value 22,100 + the slot's keccak 36);
  // revert_callbacks: every callback reverts (to model a broken consumer).
  ChainlinkClient(chain::Address link, chain::Gas callback_gas = 22'136, bool revert_callbacks = false);

  // sendChainlinkRequestTo(operator, req, payment). Returns the requestId.
  RequestId request(chain::ExecContext& c, chain::Address operator_address, std::uint64_t spec_id,
                    const contracts::RequestData& data, Juels payment);
  // cancelChainlinkRequest(requestId, payment, callbackFunc, expiration).
  void cancel(chain::ExecContext& c, RequestId id, Juels payment, sim::Time expiration);
  void oracle_callback(chain::ExecContext& c, std::uint32_t selector, RequestId id,
                       const contracts::OracleResponse& r) override;

  static chain::Calldata request_calldata(const contracts::RequestData& data);
  static chain::Calldata cancel_calldata();

  // Views.
  std::uint64_t request_count() const { return state_.request_count; }
  RequestId next_request_id() const { return contracts::Operator::request_id(address(), state_.request_count); }
  bool pending(RequestId id) const { return state_.pending.count(id) != 0; }
  std::size_t pending_count() const { return state_.pending.size(); }
  const std::int64_t* answer(RequestId id) const;
  Juels spent_total() const { return state_.spent_total; }
  Juels refunded_total() const { return state_.refunded_total; }
  std::uint64_t fulfilled() const { return state_.fulfilled; }
  std::uint64_t cancelled() const { return state_.cancelled; }
  chain::Address link() const { return link_; }

 private:
  chain::Address link_;
  chain::Gas callback_gas_;
  bool revert_callbacks_;
};

}  // namespace models::request
