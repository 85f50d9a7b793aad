#include "models/ocr/pacemaker.hpp"

#include <gtest/gtest.h>

#include "models/ocr/leader.hpp"
#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;

TEST(Pacemaker, StartsInEpochOneWithItsLeader) {
  auto cfg = test_util::small_config();
  Pacemaker p(cfg, 0);
  auto out = p.start();
  ASSERT_TRUE(out.started_epoch.has_value());
  EXPECT_EQ(*out.started_epoch, 1U);
  EXPECT_EQ(p.current_leader(), leader(1, 4, cfg.leader_key));
  EXPECT_TRUE(out.arm_progress);
  EXPECT_TRUE(out.arm_resend);
  EXPECT_EQ(out.broadcast_newepoch, 0U);  // libocr broadcasts its ne (0 before any change) right away
  // With a floor from the contract (latest epoch 6 seen on chain), ne starts at 7.
  Pacemaker q(cfg, 1);
  EXPECT_EQ(q.start(7).broadcast_newepoch, 7U);
}

TEST(Pacemaker, ProgressTimeoutAsksForNextEpochAndResends) {
  const OcrConfig cfg = test_util::small_config();
  Pacemaker p(cfg, 0);
  p.start();
  auto out = p.on_progress_timeout();
  EXPECT_EQ(out.broadcast_newepoch, 2U);  // max(ne = 0, e + 1 = 2)
  EXPECT_TRUE(out.cancel_progress);
  EXPECT_TRUE(out.arm_resend);
  EXPECT_FALSE(out.started_epoch.has_value());
  EXPECT_EQ(p.on_resend_timeout().broadcast_newepoch, 2U);
  // A second timeout while still in epoch 1 keeps asking for 2 (ne is already 2).
  EXPECT_EQ(p.on_change_leader().broadcast_newepoch, 2U);
  EXPECT_TRUE(p.on_progress().arm_progress);
}

// n = 4, f = 1. Worked by hand:
//  oracle 1 asks 5 -> candidates above ne=0: [5], 1 <= f: nothing.
//  oracle 2 asks 3 -> candidates above ne: [3, 5], 2 > f: adopt the (f+1)=2nd highest = 3; above e=1: 2 <= 2f.
//  oracle 3 asks 4 -> above ne=3: [4, 5]: adopt 2nd highest = 4; above e=1: [3, 4, 5], 3 > 2f: start the
//                     (2f+1)=3rd highest = 3.
TEST(Pacemaker, AdoptsFPlusOneThAndStartsTwoFPlusOneTh) {
  auto cfg = test_util::small_config();
  Pacemaker p(cfg, 0);
  p.start();
  auto a = p.on_newepoch(1, 5);
  EXPECT_FALSE(a.broadcast_newepoch.has_value());
  EXPECT_FALSE(a.started_epoch.has_value());
  auto b = p.on_newepoch(2, 3);
  EXPECT_EQ(b.broadcast_newepoch, 3U);
  EXPECT_FALSE(b.started_epoch.has_value());
  EXPECT_EQ(p.ne(), 3U);
  auto c = p.on_newepoch(3, 4);
  EXPECT_EQ(c.broadcast_newepoch, 4U);
  ASSERT_TRUE(c.started_epoch.has_value());
  EXPECT_EQ(*c.started_epoch, 3U);
  EXPECT_EQ(p.epoch(), 3U);
  EXPECT_EQ(p.ne(), 4U);
  EXPECT_EQ(p.current_leader(), leader(3, 4, cfg.leader_key));
  EXPECT_TRUE(c.arm_progress);
}

TEST(Pacemaker, FSpammersAloneCannotMoveTheEpoch) {
  auto cfg = test_util::small_config(7, 2);
  Pacemaker p(cfg, 0);
  p.start();
  // Two byzantine oracles (f = 2) ask for huge epochs, repeatedly.
  for (Epoch e : {100U, 1000U, 100000U}) {
    auto a = p.on_newepoch(5, e);
    auto b = p.on_newepoch(6, e + 1);
    EXPECT_FALSE(a.broadcast_newepoch.has_value());
    EXPECT_FALSE(b.broadcast_newepoch.has_value());
    EXPECT_FALSE(b.started_epoch.has_value());
  }
  EXPECT_EQ(p.epoch(), 1U);
  // One honest oracle asking for 2 makes f + 1 = 3 above ne: adopt the 3rd highest = 2 (not the spam).
  auto c = p.on_newepoch(0, 2);
  EXPECT_EQ(c.broadcast_newepoch, 2U);
  // Two more honest ones: 5 above e = 1 (> 2f = 4): start the 5th highest = 2.
  p.on_newepoch(1, 2);
  auto d = p.on_newepoch(2, 2);
  ASSERT_TRUE(d.started_epoch.has_value());
  EXPECT_EQ(*d.started_epoch, 2U);
}

TEST(Pacemaker, IgnoresStaleDuplicateAndInvalidSenders) {
  const OcrConfig cfg = test_util::small_config();
  Pacemaker p(cfg, 0);
  p.start();
  p.on_newepoch(1, 5);
  auto dup = p.on_newepoch(1, 5);
  auto lower = p.on_newepoch(1, 4);
  auto bad = p.on_newepoch(9, 50);
  auto neg = p.on_newepoch(-1, 50);
  for (const auto* o : {&dup, &lower, &bad, &neg}) {
    EXPECT_FALSE(o->broadcast_newepoch.has_value());
    EXPECT_FALSE(o->started_epoch.has_value());
  }
  EXPECT_EQ(p.heard()[1], 5U);
}

TEST(Pacemaker, FullLeaderChangeAmongFourHonestOracles) {
  auto cfg = test_util::small_config();
  std::vector<Pacemaker> ps;
  for (int i = 0; i < 4; ++i) {
    ps.emplace_back(cfg, i);
    ps.back().start();
  }
  // Everyone times out and broadcasts newepoch(2); deliver all to all.
  std::vector<Epoch> sent;
  for (auto& p : ps) sent.push_back(*p.on_progress_timeout().broadcast_newepoch);
  int started = 0;
  for (int to = 0; to < 4; ++to) {
    for (int from = 0; from < 4; ++from) {
      auto out = ps[static_cast<std::size_t>(to)].on_newepoch(from, sent[static_cast<std::size_t>(from)]);
      if (out.started_epoch) {
        ++started;
        EXPECT_EQ(from, 2);  // the third newepoch (> 2f = 2) starts it
        EXPECT_EQ(*out.started_epoch, 2U);
      }
    }
  }
  EXPECT_EQ(started, 4);
  for (auto& p : ps) EXPECT_EQ(p.current_leader(), leader(2, 4, cfg.leader_key));
}
