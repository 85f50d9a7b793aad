#pragma once
// The Operator contract of the basic request model (after CL contracts/src/v0.8/operatorforwarder/Operator.sol,
// facts §3), a models::chain contract.
//
// A consumer pays with LINK.transferAndCall(operator, payment, oracleRequest(...)); onTokenTransfer accepts only
// calls from the LINK token and runs oracleRequest with the real sender and amount: requestId = hash(sender,
// nonce) (unique), expiration = block.timestamp + 5 min, the commitment hash(payment, callback, selector,
// expiration) and data version are stored, the payment is escrowed, and OracleRequest is logged with specId,
// requester, requestId, payment, callbackAddr, callbackFunctionId, cancelExpiration, dataVersion and data.
// fulfillOracleRequest (a bytes32 answer) / fulfillOracleRequest2 (bytes) are for authorized senders only; they
// check the parameters against the commitment, release the escrow to the operator's earnings, delete the
// commitment, log OracleResponse, require gasleft() >= 400,000 and call the consumer's callback; a failed
// callback does not revert (the operator keeps the payment, the call reports success = false). A second fulfil
// finds no commitment and reverts. cancelOracleRequest (by the callback address, the requester in
// ChainlinkClient) succeeds only once expiration <= block.timestamp and refunds the payment. The owner withdraws
// earned LINK (withdrawable = the LINK balance less the escrow, `_fundsAvailable`; escrow is never withdrawable).
//
// Gas, as the v0.8 contract: storage slots read/written with the GasMeter (the commitment, the escrow total kept
// one above zero (ONE_FOR_CONSISTENT_GAS_COST, so no first write is a 20,000 set), the authorized-sender flag, the
// s_owned flag of the callback address; there is no withdrawable slot: withdraw reads the LINK balance and the
// escrow), keccak for requestId and the params hash, logs, a per-call overhead, nested LINK calls.
// Simplified: no forwarders, operatorRequest, ownership transfer or distributeFunds; the callback shares the
// transaction's gas meter (no 63/64 rule: a callback that runs out of gas fails the whole transaction); `data`
// is a typed list of key/value parameters with its CBOR size, not bytes.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/chain/execution.hpp"
#include "models/contracts/link_token.hpp"
#include "sim/time.hpp"

namespace models::contracts {

using RequestId = std::uint64_t;  // keccak256(sender, nonce), here sim::hash_combine

inline constexpr sim::Duration kExpiryTime = sim::Duration::nanoseconds(300'000'000'000);  // facts §3: now + 5 minutes
inline constexpr chain::Gas kMinimumConsumerGas = 400'000;  // facts §3: gasleft() >= 400,000 before the callback
// Execution cost of an Operator function beyond its storage, keccak, logs and calls (assumption: dispatch, ABI
// decoding and checks of the original, not measured) ...
inline constexpr chain::Gas kOperatorCallOverheadGas = 3'000;
// ... except the two calls measured on the real contracts (tests/data/gas/measured.csv, tools/gas-calibration: the
// v0.8 Operator and ChainlinkClient with solc 0.8.19, the v0.4 LinkToken with solc 0.4.26, in @ethereumjs/vm at
// Cancun), one row each, so one constant each: the request path's work beyond what is priced (the
// ChainlinkClient building the request's CBOR buffer and encoding oracleRequest, the token's and operator's
// dispatch), and fulfillOracleRequest's (dispatch, the parameters' checks, the callback's encoding and the
// consumer's record keeping beyond its storage).
inline constexpr chain::Gas kRequestPathGas = 8'819;  // calibrated (added to the client's request overhead)
inline constexpr chain::Gas kFulfilPathGas = 1'773;   // calibrated (replaces kOperatorCallOverheadGas in fulfil)
// The consumer's record keeping when called back (ChainlinkClient's fulfil dispatch and modifier): assumption.
inline constexpr chain::Gas kClientCallbackOverheadGas = 700;

// The request's `data` (CBOR in the original): ordered key/value parameters such as get=<url>, path=<json path>,
// times=<multiplier>.
struct RequestData {
  std::vector<std::pair<std::string, std::string>> params;
  // Encoded size: 2 bytes of framing per key and per value plus their text (assumption: short CBOR strings).
  std::uint64_t size_bytes() const;
  const std::string* find(const std::string& key) const;
};

// The oracleRequest call carried in transferAndCall's data (sender and amount are overwritten by the operator).
struct OracleRequestCall {
  std::uint64_t spec_id = 0;             // the job's external id, hashed
  chain::Address callback_address{};     // the contract to call back (the consumer)
  std::uint32_t callback_function_id = 0;  // its selector
  std::uint64_t nonce = 0;               // the requester's request count
  std::uint32_t data_version = 1;        // 1: fulfillOracleRequest; 2: fulfillOracleRequest2
  RequestData data;
  TokenCallData encode() const;          // as transferAndCall data
};

// The answer a node writes: a 32-byte word (fulfillOracleRequest) or bytes (fulfillOracleRequest2).
struct OracleResponse {
  std::int64_t value = 0;
  std::uint64_t size_bytes = 32;
};

// Events (chain log payloads).
struct OracleRequestEvent {
  std::uint64_t spec_id = 0;
  chain::Address requester{};
  RequestId request_id = 0;
  Juels payment = 0;
  chain::Address callback_address{};
  std::uint32_t callback_function_id = 0;
  sim::Time cancel_expiration{};
  std::uint32_t data_version = 1;
  RequestData data;
};
struct OracleResponseEvent {
  RequestId request_id = 0;
  bool callback_ok = true;  // not a field of the original event (success is only returned): for analysis
};
struct CancelOracleRequestEvent {
  RequestId request_id = 0;
};

// A consumer contract the operator calls back. Throw chain::Revert to fail the callback.
class OracleCallbackReceiver {
 public:
  virtual ~OracleCallbackReceiver() = default;
  virtual void oracle_callback(chain::ExecContext& c, std::uint32_t selector, RequestId id, const OracleResponse& r) = 0;
};

struct OperatorState {
  struct Commitment {
    std::uint64_t params_hash = 0;
    std::uint32_t data_version = 0;
  };
  std::map<RequestId, Commitment> commitments;
  std::set<chain::Address> authorized;
  Juels tokens_in_escrow = 0;
  Juels withdrawable = 0;       // earned and not withdrawn
  // Running totals (not storage of the original; for accounting checks, reorg-consistent as contract state).
  Juels earned_total = 0;
  Juels refunded_total = 0;
  Juels withdrawn_total = 0;
};

class Operator : public chain::StatefulContract<OperatorState>, public TokenReceiver {
 public:
  Operator(chain::Address link, chain::Address owner);

  // Set-up (not a transaction): setAuthorizedSenders.
  void authorize(chain::Address sender) { state_.authorized.insert(sender); }

  void on_token_transfer(chain::ExecContext& c, chain::Address from, Juels amount, const TokenCallData& data) override;
  // fulfillOracleRequest (data_version 1, bytes32) or fulfillOracleRequest2 (multiword = true). Returns whether
  // the callback succeeded.
  bool fulfill_oracle_request(chain::ExecContext& c, RequestId id, Juels payment, chain::Address callback,
                              std::uint32_t callback_fn, sim::Time expiration, const OracleResponse& r, bool multiword);
  // cancelOracleRequest by msg.sender (the callback address of the request).
  void cancel_oracle_request(chain::ExecContext& c, RequestId id, Juels payment, std::uint32_t callback_fn,
                             sim::Time expiration);
  // withdraw(recipient, amount): owner only, up to withdrawable().
  void withdraw(chain::ExecContext& c, chain::Address recipient, Juels amount);

  static RequestId request_id(chain::Address sender, std::uint64_t nonce);
  static std::uint64_t params_hash(Juels payment, chain::Address callback, std::uint32_t fn, sim::Time expiration);
  static chain::Calldata fulfill_calldata(const OracleResponse& r, bool multiword);
  static chain::Calldata cancel_calldata();

  // Views.
  bool pending(RequestId id) const { return state_.commitments.count(id) != 0; }
  bool authorized(chain::Address a) const { return state_.authorized.count(a) != 0; }
  Juels tokens_in_escrow() const { return state_.tokens_in_escrow; }
  Juels withdrawable() const { return state_.withdrawable; }
  Juels earned_total() const { return state_.earned_total; }
  Juels refunded_total() const { return state_.refunded_total; }
  Juels withdrawn_total() const { return state_.withdrawn_total; }
  chain::Address link() const { return link_; }
  chain::Address owner() const { return owner_; }

 private:
  void oracle_request(chain::ExecContext& c, chain::Address sender, Juels payment, const OracleRequestCall& req);
  // Checks and deletes the commitment, adjusting the escrow; reverts with the original's reasons.
  void consume_commitment(chain::ExecContext& c, RequestId id, std::uint64_t hash, std::uint32_t data_version,
                          Juels payment);

  chain::Address link_;
  chain::Address owner_;
};

}  // namespace models::contracts
