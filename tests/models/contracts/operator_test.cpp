#include "models/contracts/operator.hpp"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "models/contracts/link_token.hpp"
#include "models/request/chainlink_client.hpp"

using namespace models;
using namespace models::contracts;
using namespace sim::literals;

namespace {

constexpr Juels kLink = 1'000'000'000'000'000'000ULL;
constexpr Juels kFee = kLink / 10;

struct Bench {
  chain::ContractRegistry reg;
  chain::Address owner = reg.create_account("owner");
  chain::Address node = reg.create_account("node");
  chain::Address stranger = reg.create_account("stranger");
  chain::Address wallet = reg.create_account("consumer-wallet");
  std::shared_ptr<LinkToken> link = std::make_shared<LinkToken>();
  chain::Address link_addr = reg.deploy("link", link);
  std::shared_ptr<Operator> op = std::make_shared<Operator>(link_addr, owner);
  chain::Address op_addr = reg.deploy("operator", op);
  std::shared_ptr<request::ChainlinkClient> client = std::make_shared<request::ChainlinkClient>(link_addr);
  chain::Address client_addr = reg.deploy("client", client);
  sim::Time now = sim::Time::zero() + 100_s;

  Bench() {
    op->authorize(node);
    link->mint(client_addr, 10 * kLink);
    link->mint(stranger, 10 * kLink);
  }
  chain::ExecResult run(chain::Address from, chain::Address to, chain::CallFn fn, chain::Gas limit = 1'000'000) {
    chain::Transaction tx{.from = from, .to = to, .nonce = 0, .gas_limit = limit, .max_fee = 0, .max_priority_fee = 0,
                          .calldata = chain::CalldataBuilder{}.selector().bytes32().build(), .call = std::move(fn), .label = "t"};
    return chain::execute_transaction(reg, tx, chain::BlockInfo{.number = 1, .timestamp = now, .base_fee = 0});
  }
  RequestData data() const { return RequestData{{{"get", "https://api.example/eth"}, {"path", "USD"}, {"times", "100"}}}; }
  // The consumer requests; returns the OracleRequest event.
  OracleRequestEvent request(Juels fee = kFee) {
    const auto d = data();
    const auto r = run(wallet, client_addr, [&](chain::ExecContext& c) {
      c.self_as<request::ChainlinkClient>().request(c, op_addr, 42, d, fee);
    });
    EXPECT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
    for (const auto& l : r.logs)
      if (const auto* e = std::any_cast<OracleRequestEvent>(&l.payload)) return *e;
    ADD_FAILURE() << "no OracleRequest log";
    return {};
  }
  chain::ExecResult fulfill(chain::Address from, const OracleRequestEvent& e, std::int64_t value = 123,
                            chain::Gas limit = 1'000'000, bool multiword = false) {
    return run(from, op_addr, [=](chain::ExecContext& c) {
      c.self_as<Operator>().fulfill_oracle_request(c, e.request_id, e.payment, e.callback_address, e.callback_function_id,
                                                   e.cancel_expiration, OracleResponse{value, 32}, multiword);
    }, limit);
  }
  chain::ExecResult cancel(const OracleRequestEvent& e) {
    return run(wallet, client_addr, [=](chain::ExecContext& c) {
      c.self_as<request::ChainlinkClient>().cancel(c, e.request_id, e.payment, e.cancel_expiration);
    });
  }
};

}  // namespace

TEST(LinkToken, TransferMovesBalanceAndRevertsWhenShort) {
  Bench b;
  auto r = b.run(b.stranger, b.link_addr, [&](chain::ExecContext& c) { c.self_as<LinkToken>().transfer(c, b.owner, 3 * kLink); });
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(b.link->balance_of(b.owner), 3 * kLink);
  EXPECT_EQ(b.link->balance_of(b.stranger), 7 * kLink);
  EXPECT_GT(r.gas_used, 21'000u + 20'000u);  // a fresh balance slot is written
  r = b.run(b.stranger, b.link_addr, [&](chain::ExecContext& c) { c.self_as<LinkToken>().transfer(c, b.owner, 8 * kLink); });
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(b.link->balance_of(b.stranger), 7 * kLink);
  EXPECT_EQ(b.link->total_supply(), 20 * kLink);
}

TEST(LinkToken, TransferAndCallRevertsBothWhenTheReceiverRefuses) {
  Bench b;
  // The operator refuses a payload that is not an oracleRequest: the transfer is undone too.
  const auto r = b.run(b.stranger, b.link_addr, [&](chain::ExecContext& c) {
    c.self_as<LinkToken>().transfer_and_call(c, b.op_addr, kFee, TokenCallData{std::string("junk"), 4});
  });
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "Must use whitelisted functions");
  EXPECT_EQ(b.link->balance_of(b.stranger), 10 * kLink);
  EXPECT_EQ(b.link->balance_of(b.op_addr), 0u);
}

TEST(Operator, RequestEscrowsPaymentAndLogsAllFields) {
  Bench b;
  const RequestId expected = b.client->next_request_id();
  const auto e = b.request();
  EXPECT_EQ(e.request_id, expected);
  EXPECT_EQ(e.request_id, Operator::request_id(b.client_addr, 1)  /* s_requestCount starts at 1 */);
  EXPECT_EQ(e.spec_id, 42u);
  EXPECT_EQ(e.requester, b.client_addr);
  EXPECT_EQ(e.payment, kFee);
  EXPECT_EQ(e.callback_address, b.client_addr);
  EXPECT_EQ(e.callback_function_id, request::kFulfillSelector);
  EXPECT_EQ(e.cancel_expiration, b.now + 5_min);
  EXPECT_EQ(e.data_version, 1u);
  ASSERT_NE(e.data.find("path"), nullptr);
  EXPECT_EQ(*e.data.find("path"), "USD");
  EXPECT_TRUE(b.op->pending(e.request_id));
  EXPECT_EQ(b.op->tokens_in_escrow(), kFee);
  EXPECT_EQ(b.link->balance_of(b.op_addr), kFee);
  EXPECT_EQ(b.op->withdrawable(), 0u);
  // A second request gets a different id.
  EXPECT_NE(b.request().request_id, e.request_id);
}

TEST(Operator, OnlyLinkMayCallOnTokenTransfer) {
  Bench b;
  OracleRequestCall call{42, b.stranger, 1, 0, 1, b.data()};
  const auto r = b.run(b.stranger, b.op_addr, [&](chain::ExecContext& c) {
    c.self_as<Operator>().on_token_transfer(c, b.stranger, kFee, call.encode());
  });
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "Must use LINK token");
  EXPECT_EQ(b.op->tokens_in_escrow(), 0u);
}

TEST(Operator, AuthorizedFulfilPaysAndCallsBack) {
  Bench b;
  const auto e = b.request();
  const auto r = b.fulfill(b.node, e, 4242);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_FALSE(b.op->pending(e.request_id));
  EXPECT_EQ(b.op->tokens_in_escrow(), 0u);
  EXPECT_EQ(b.op->withdrawable(), kFee);
  ASSERT_NE(b.client->answer(e.request_id), nullptr);
  EXPECT_EQ(*b.client->answer(e.request_id), 4242);
  EXPECT_EQ(b.client->fulfilled(), 1u);
  EXPECT_FALSE(b.client->pending(e.request_id));
}

TEST(Operator, UnauthorizedFulfilReverts) {
  Bench b;
  const auto e = b.request();
  const auto r = b.fulfill(b.stranger, e);
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "Not authorized sender");
  EXPECT_TRUE(b.op->pending(e.request_id));
  EXPECT_EQ(b.op->withdrawable(), 0u);
}

TEST(Operator, DoubleFulfilRejected) {
  Bench b;
  const auto e = b.request();
  ASSERT_EQ(b.fulfill(b.node, e).status, chain::TxStatus::success);
  const auto r = b.fulfill(b.node, e);
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "Params do not match request ID");
  EXPECT_EQ(b.op->withdrawable(), kFee);  // paid once
}

TEST(Operator, WrongParamsRejected) {
  Bench b;
  auto e = b.request();
  e.payment = 2 * kFee;  // claims more than was paid
  EXPECT_EQ(b.fulfill(b.node, e).revert_reason, "Params do not match request ID");
}

TEST(Operator, LowCallbackGasRejected) {
  Bench b;
  const auto e = b.request();
  // Enough to run the operator's own checks, not enough to leave 400,000 for the consumer.
  const auto r = b.fulfill(b.node, e, 1, 380'000);
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "Must provide consumer enough gas");
  EXPECT_TRUE(b.op->pending(e.request_id));  // still pending: nothing was paid
  EXPECT_EQ(b.op->tokens_in_escrow(), kFee);
  EXPECT_EQ(b.fulfill(b.node, e, 1, 500'000).status, chain::TxStatus::success);
}

TEST(Operator, FailedCallbackKeepsThePayment) {
  Bench b;
  auto broken = std::make_shared<request::ChainlinkClient>(b.link_addr, 25'000, /*revert_callbacks=*/true);
  const auto broken_addr = b.reg.deploy("broken", broken);
  b.link->mint(broken_addr, kLink);
  const auto d = b.data();
  const auto rq = b.run(b.wallet, broken_addr, [&](chain::ExecContext& c) {
    c.self_as<request::ChainlinkClient>().request(c, b.op_addr, 42, d, kFee);
  });
  ASSERT_EQ(rq.status, chain::TxStatus::success) << rq.revert_reason;
  const auto* e = std::any_cast<OracleRequestEvent>(&rq.logs.back().payload);
  ASSERT_NE(e, nullptr);
  const auto r = b.fulfill(b.node, *e);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  const auto* resp = std::any_cast<OracleResponseEvent>(&r.logs.back().payload);
  ASSERT_NE(resp, nullptr);
  EXPECT_FALSE(resp->callback_ok);
  EXPECT_EQ(b.op->withdrawable(), kFee);
  EXPECT_EQ(broken->fulfilled(), 0u);
  EXPECT_TRUE(broken->pending(e->request_id));  // the consumer's state change was undone
}

TEST(Operator, CancelBeforeExpiryReverts) {
  Bench b;
  const auto e = b.request();
  b.now = e.cancel_expiration - 1_s;
  const auto r = b.cancel(e);
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "Request is not expired");
  EXPECT_TRUE(b.op->pending(e.request_id));
  EXPECT_TRUE(b.client->pending(e.request_id));
}

TEST(Operator, RefundAfterExpiry) {
  Bench b;
  const auto e = b.request();
  EXPECT_EQ(b.link->balance_of(b.client_addr), 10 * kLink - kFee);
  b.now = e.cancel_expiration;  // expiration <= block.timestamp
  const auto r = b.cancel(e);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(b.link->balance_of(b.client_addr), 10 * kLink);
  EXPECT_EQ(b.op->tokens_in_escrow(), 0u);
  EXPECT_EQ(b.op->refunded_total(), kFee);
  EXPECT_EQ(b.client->refunded_total(), kFee);
  EXPECT_FALSE(b.op->pending(e.request_id));
  // A fulfil after the cancel finds nothing to pay.
  EXPECT_EQ(b.fulfill(b.node, e).status, chain::TxStatus::reverted);
}

TEST(Operator, OwnerWithdrawsEarnedLinkOnly) {
  Bench b;
  const auto e1 = b.request();
  b.request();  // stays in escrow
  ASSERT_EQ(b.fulfill(b.node, e1).status, chain::TxStatus::success);
  auto w = [&](chain::Address from, Juels amount) {
    return b.run(from, b.op_addr, [=](chain::ExecContext& c) { c.self_as<Operator>().withdraw(c, from, amount); });
  };
  EXPECT_EQ(w(b.stranger, kFee).revert_reason, "Only callable by owner");
  EXPECT_EQ(w(b.owner, 2 * kFee).revert_reason, "Amount requested is greater than withdrawable balance");
  ASSERT_EQ(w(b.owner, kFee).status, chain::TxStatus::success);
  EXPECT_EQ(b.link->balance_of(b.owner), kFee);
  EXPECT_EQ(b.link->balance_of(b.op_addr), kFee);  // the escrow of the second request
  EXPECT_EQ(b.op->withdrawn_total(), kFee);
}

TEST(Operator, RequestGasIsMeteredFromStorageAndLogs) {
  Bench b;
  const auto d = b.data();
  const auto r = b.run(b.wallet, b.client_addr, [&](chain::ExecContext& c) {
    c.self_as<request::ChainlinkClient>().request(c, b.op_addr, 42, d, kFee);
  });
  ASSERT_EQ(r.status, chain::TxStatus::success);
  // Fresh commitment + operator balance + client pending entry are zero -> non-zero writes; the escrow and the
  // client's request count are resets (Operator v0.8 and ChainlinkClient keep them one above zero).
  chain::Gas sstore = 0, log = 0;
  for (const auto& [n, g] : r.breakdown) {
    if (n == "sstore") sstore += g;
    if (n == "log") log += g;
  }
  EXPECT_GE(sstore, 3 * chain::gas::kSstoreSet + 3 * chain::gas::kSstoreReset);
  EXPECT_GT(log, 375u + 2 * 375u + 8u * 9 * 32);
  EXPECT_GT(r.gas_used, 120'000u);
  EXPECT_LT(r.gas_used, 250'000u);
}

TEST(Operator, EscrowStartsAtOneSoEveryRequestWritesItAlike) {
  // Operator v0.8: s_tokensInEscrow = ONE_FOR_CONSISTENT_GAS_COST, so the first request pays no 20,000 gas set.
  Bench b;
  const auto d = b.data();
  auto sstore_of = [&](std::uint64_t nonce) {
    const auto r = b.run(b.wallet, b.client_addr, [&](chain::ExecContext& c) {
      c.self_as<request::ChainlinkClient>().request(c, b.op_addr, nonce, d, kFee);
    });
    EXPECT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
    chain::Gas sstore = 0;
    for (const auto& [n, g] : r.breakdown)
      if (n == "sstore") sstore += g;
    return sstore;
  };
  const chain::Gas first = sstore_of(1), second = sstore_of(2);
  // Both requests set a fresh commitment and reset the escrow; only the balances differ (the operator's LINK
  // balance is set by the first request and reset by the second).
  EXPECT_EQ(first - second, chain::gas::kSstoreSet - chain::gas::kSstoreReset);
}

TEST(LinkToken, TransferAndCallEmitsTheErc20AndTheErc677TransferEvents) {
  Bench b;
  const auto d = b.data();
  const auto r = b.run(b.wallet, b.client_addr, [&](chain::ExecContext& c) {
    c.self_as<request::ChainlinkClient>().request(c, b.op_addr, 42, d, kFee);
  });
  ASSERT_EQ(r.status, chain::TxStatus::success);
  std::vector<std::uint64_t> transfers;
  for (const auto& l : r.logs)
    if (l.event == "Transfer") transfers.push_back(l.data_bytes);
  ASSERT_EQ(transfers.size(), 2u);
  EXPECT_EQ(transfers[0], 32u);   // ERC-20 Transfer(from, to, value)
  EXPECT_GT(transfers[1], 96u);   // ERC-677 Transfer(from, to, value, data)
}
