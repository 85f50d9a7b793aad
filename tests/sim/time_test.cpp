#include "sim/time.hpp"

#include <gtest/gtest.h>

using namespace sim::literals;

TEST(Time, LiteralsAreExactNanoseconds) {
  EXPECT_EQ((250_ms).ns(), 250'000'000);
  EXPECT_EQ((12_s).ns(), 12'000'000'000);
  EXPECT_EQ((1_h).ns(), 3'600'000'000'000);
  EXPECT_EQ((1_d).ns(), 86'400'000'000'000);
  EXPECT_EQ((3_us).ns(), 3'000);
  EXPECT_EQ(1_min, 60_s);
}

TEST(Time, ArithmeticAndOrder) {
  const sim::Time t = sim::Time::zero() + 1_s;
  EXPECT_EQ((t + 500_ms) - t, 500_ms);
  EXPECT_LT(t, t + 1_ns);
  EXPECT_EQ(3_s / 1_s, 3);
  EXPECT_EQ(sim::Duration::from_seconds(0.25), 250_ms);
  EXPECT_EQ(sim::Duration::from_seconds(-1.5), -(1500_ms));
}

TEST(Time, FormatsAsShortestSeconds) {
  EXPECT_EQ(fmt::format("{}", 1250_ms), "1.25s");
  EXPECT_EQ(fmt::format("{}", 1_h), "3600s");
  EXPECT_EQ(fmt::format("{}", 1_ns), "0.000000001s");
  EXPECT_EQ(fmt::format("{}", -(2_s)), "-2s");
  EXPECT_EQ(fmt::format("{}", sim::Time::zero() + 12_s), "12s");
  EXPECT_EQ(sim::to_string(sim::Duration::nanoseconds(INT64_MIN)), "-9223372036.854775808s");
}
