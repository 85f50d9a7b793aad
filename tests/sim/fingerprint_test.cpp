#include "sim/fingerprint.hpp"

#include <cstdint>

#include <gtest/gtest.h>

#include "sim/distributions.hpp"
#include "sim/simulation.hpp"

using namespace sim::literals;

namespace {
// A small randomized model: tokens hop between 8 stations with exponential delays and labelled events.
std::uint64_t run_model(std::uint64_t seed) {
  sim::Simulation s(seed, 0);
  sim::Rng r = s.stream("tokens");
  std::function<void(int)> hop = [&](int station) {
    static constexpr sim::Label labels[2] = {"even", "odd"};
    if (s.stats().executed > 5000) return;
    const int next = static_cast<int>(sim::uniform_index(r, 8));
    const auto d = sim::Duration::from_seconds(sim::exponential(r, 0.01));
    s.after(d, [&hop, next] { hop(next); }, labels[station % 2]);
  };
  for (int i = 0; i < 4; ++i) hop(i);
  s.run();
  return s.fingerprint();
}
}  // namespace

TEST(Fingerprint, EqualForEqualSeedsDifferentForDifferentSeeds) {
  EXPECT_EQ(run_model(1), run_model(1));
  EXPECT_NE(run_model(1), run_model(2));
}

TEST(Fingerprint, SensitiveToTimeLabelAndOrder) {
  sim::Fingerprint a, b, c, d;
  a.add(1, 1); a.add(2, 2);
  b.add(1, 1); b.add(2, 3);
  c.add(2, 2); c.add(1, 1);
  d.add(1, 1); d.add(3, 2);
  EXPECT_NE(a.value(), b.value());
  EXPECT_NE(a.value(), c.value());
  EXPECT_NE(a.value(), d.value());
}

TEST(Fingerprint, CancelledEventsDoNotCount) {
  sim::Simulation x, y;
  x.after(1_s, [] {}, "a");
  y.after(1_s, [] {}, "a");
  auto h = y.after(2_s, [] {}, "b");
  h.cancel();
  x.run();
  y.run();
  EXPECT_EQ(x.fingerprint(), y.fingerprint());
}
