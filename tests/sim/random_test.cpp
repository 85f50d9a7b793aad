#include "sim/random.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace {
std::vector<std::uint64_t> draw(sim::Rng r, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(r.next());
  return out;
}
}  // namespace

TEST(Random, SameNameSameSequence) {
  sim::RngFactory f(42, 0);
  EXPECT_EQ(draw(f.stream("ocr/node-3/observation"), 10), draw(f.stream("ocr/node-3/observation"), 10));
}

TEST(Random, StreamsDependOnNameSeedAndReplication) {
  const auto base = draw(sim::RngFactory(42, 0).stream("a"), 4);
  EXPECT_NE(base, draw(sim::RngFactory(42, 0).stream("b"), 4));
  EXPECT_NE(base, draw(sim::RngFactory(43, 0).stream("a"), 4));
  EXPECT_NE(base, draw(sim::RngFactory(42, 1).stream("a"), 4));
}

TEST(Random, AddingAStreamLeavesTheOthersUnchanged) {
  // World A has nodes 0..2; world B adds node 3 and draws from it in between. Node 0..2 values must match.
  sim::RngFactory f(7, 3);
  std::vector<std::vector<std::uint64_t>> a, b;
  {
    std::vector<sim::Rng> rs;
    for (int i = 0; i < 3; ++i) rs.push_back(f.stream("node-" + std::to_string(i)));
    for (auto& r : rs) a.push_back(draw(r, 5));
  }
  {
    std::vector<sim::Rng> rs;
    sim::Rng extra = f.stream("node-3");
    for (int i = 0; i < 3; ++i) {
      extra.next();
      rs.push_back(f.stream("node-" + std::to_string(i)));
    }
    for (auto& r : rs) b.push_back(draw(r, 5));
  }
  EXPECT_EQ(a, b);
}

TEST(Random, PinnedFirstValues) {
  // Pins the documented derivation (RngFactory::stream + xoshiro256**). A change here changes every result
  // ever produced; update deliberately and say so.
  sim::Rng r = sim::RngFactory(1, 0).stream("pin");
  const std::vector<std::uint64_t> got = draw(r, 3);
  const std::vector<std::uint64_t> want{14574526242483319322u, 4781199921110285272u, 12482861731979367520u};
  EXPECT_EQ(got, want);
}

TEST(Random, Xoshiro256StarStarReferenceVector) {
  // From the reference C implementation with state {1, 2, 3, 4}.
  sim::Rng r = sim::Rng::from_state({1, 2, 3, 4});
  EXPECT_EQ(r.next(), 11520u);
  EXPECT_EQ(r.next(), 0u);
  EXPECT_EQ(r.next(), 1509978240u);
  EXPECT_EQ(r.next(), 1215971899390074240u);
}

TEST(Random, ReplicationSeedsAreDistinctAndStable) {
  EXPECT_EQ(sim::replication_seed(42, 0), sim::replication_seed(42, 0));
  EXPECT_NE(sim::replication_seed(42, 0), sim::replication_seed(42, 1));
  EXPECT_NE(sim::replication_seed(42, 0), sim::replication_seed(43, 0));
}
