#include "models/faults/glob.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <map>

using namespace models::faults;

TEST(Glob, Basics) {
  EXPECT_TRUE(glob_match("eth-usd/node-*", "eth-usd/node-12"));
  EXPECT_FALSE(glob_match("eth-usd/node-*", "btc-usd/node-1"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "ac"));
  EXPECT_TRUE(glob_match("node-[0-9]", "node-7"));
  EXPECT_FALSE(glob_match("node-[0-9]", "node-17"));
  EXPECT_TRUE(glob_match("node-[1-3][0-9]", "node-17"));
  EXPECT_FALSE(glob_match("node-[1-3][0-9]", "node-47"));
  EXPECT_TRUE(glob_match("node-[!0-4]", "node-7"));
  EXPECT_FALSE(glob_match("node-[!0-4]", "node-3"));
  EXPECT_TRUE(glob_match("*/node-*-x", "f/node-1-y-x"));
  EXPECT_TRUE(glob_match("a[b", "a[b"));  // unclosed set is literal
  EXPECT_FALSE(glob_match("exact", "exactly"));
}

TEST(Glob, ResolveIsSortedAndDeterministic) {
  const std::vector<std::string> names = {"f/node-3", "f/node-10", "f/node-1", "chain", "f/node-2"};
  TargetSpec all{{"f/node-*"}, 0, ""};
  sim::RngFactory rf(7);
  sim::Rng r1 = rf.stream("faults[0]/target");
  EXPECT_EQ(resolve_target(all, names, r1), (std::vector<std::string>{"f/node-1", "f/node-10", "f/node-2", "f/node-3"}));

  // The choice depends only on the stream, not on the order the names were given in.
  TargetSpec any2{{"f/node-*"}, 2, ""};
  std::vector<std::string> reversed(names.rbegin(), names.rend());
  sim::Rng a = rf.stream("faults[0]/target");
  sim::Rng b = rf.stream("faults[0]/target");
  const auto ca = resolve_target(any2, names, a);
  const auto cb = resolve_target(any2, reversed, b);
  ASSERT_EQ(ca.size(), 2u);
  EXPECT_EQ(ca, cb);
  EXPECT_TRUE(std::is_sorted(ca.begin(), ca.end()));

  // Over many streams every node gets picked (the choice is not stuck on a fixed subset).
  std::map<std::string, int> picked;
  for (int i = 0; i < 200; ++i) {
    sim::Rng r = rf.stream(fmt::format("s{}", i));
    for (const auto& n : resolve_target(any2, names, r)) ++picked[n];
  }
  EXPECT_EQ(picked.size(), 4u);
  for (const auto& [n, c] : picked) EXPECT_GT(c, 60) << n;
}
