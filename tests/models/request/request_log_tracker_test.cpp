#include "models/request/request_log_tracker.hpp"

#include <gtest/gtest.h>

using namespace models;
using models::request::RequestLogTracker;

namespace {
contracts::OracleRequestEvent ev(contracts::RequestId id) {
  contracts::OracleRequestEvent e;
  e.request_id = id;
  return e;
}
}  // namespace

TEST(RequestLogTracker, WaitsForMinIncomingConfirmations) {
  RequestLogTracker t(3);
  t.on_log(ev(1), 10);
  EXPECT_TRUE(t.take_ready(10).empty());  // 1 confirmation
  EXPECT_TRUE(t.take_ready(11).empty());  // 2
  const auto ready = t.take_ready(12);    // 3
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].request_id, 1u);
  EXPECT_TRUE(t.started(1));
  EXPECT_TRUE(t.take_ready(13).empty());  // handed out once
}

TEST(RequestLogTracker, OneConfirmationActsInTheLogsBlock) {
  RequestLogTracker t(1);
  t.on_log(ev(1), 10);
  EXPECT_EQ(t.take_ready(10).size(), 1u);
}

TEST(RequestLogTracker, ReorgBeforeConfirmationWaitsForReinclusion) {
  RequestLogTracker t(3);
  t.on_log(ev(7), 10);
  t.on_reorg(9);  // block 10 undone
  EXPECT_FALSE(t.waiting(7));
  EXPECT_TRUE(t.take_ready(12).empty());
  EXPECT_TRUE(t.take_ready(20).empty());  // never confirmed while not on the chain
  t.on_log(ev(7), 11);                    // re-included one block later
  EXPECT_TRUE(t.take_ready(12).empty());  // confirmations count from the new block
  EXPECT_EQ(t.take_ready(13).size(), 1u);
}

TEST(RequestLogTracker, ReorgBelowTheLogKeepsIt) {
  RequestLogTracker t(3);
  t.on_log(ev(7), 10);
  t.on_reorg(10);  // only blocks above 10 undone
  EXPECT_TRUE(t.waiting(7));
  EXPECT_EQ(t.take_ready(12).size(), 1u);
}

TEST(RequestLogTracker, ReinclusionAfterStartIsNotRunAgain) {
  RequestLogTracker t(3);
  t.on_log(ev(7), 10);
  ASSERT_EQ(t.take_ready(12).size(), 1u);
  t.on_reorg(9);
  t.on_log(ev(7), 11);
  EXPECT_TRUE(t.take_ready(30).empty());
  EXPECT_TRUE(t.started(7));
}

TEST(RequestLogTracker, ReadyInBlockThenArrivalOrder) {
  RequestLogTracker t(1);
  t.on_log(ev(900), 5);
  t.on_log(ev(5), 5);
  t.on_log(ev(50), 4);
  const auto r = t.take_ready(5);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].request_id, 50u);
  EXPECT_EQ(r[1].request_id, 900u);
  EXPECT_EQ(r[2].request_id, 5u);
}
