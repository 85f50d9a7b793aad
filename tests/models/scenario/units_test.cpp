#include "models/scenario/units.hpp"

#include <gtest/gtest.h>

using namespace models::scenario;
using namespace sim::literals;

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("250ms").value(), 250_ms);
  EXPECT_EQ(parse_duration("12s").value(), 12_s);
  EXPECT_EQ(parse_duration("1h").value(), 1_h);
  EXPECT_EQ(parse_duration("2d").value(), 2_d);
  EXPECT_EQ(parse_duration("1.5s").value(), 1500_ms);
  EXPECT_EQ(parse_duration("0.000000001s").value(), 1_ns);
  EXPECT_EQ(parse_duration("10min").value(), 600_s);
  EXPECT_EQ(parse_duration("30m").value(), 30_min);
  EXPECT_EQ(parse_duration("-2s").value(), -(2_s));
  EXPECT_EQ(parse_duration("0").value(), 0_s);
  EXPECT_EQ(parse_duration("1_000ms").value(), 1_s);
  for (const char* bad : {"10", "10kg", "s", "", "1.5", "1e3s", "1..5s", "0.1ns"}) {
    const auto p = parse_duration(bad);
    EXPECT_FALSE(p.ok()) << bad;
  }
  EXPECT_NE(parse_duration("10kg").error().find("ns, us, ms, s, m or min, h, d"), std::string::npos);
  EXPECT_FALSE(parse_duration("300000d").ok());  // beyond int64 nanoseconds
}

TEST(Units, DurationTextRoundTrips) {
  EXPECT_EQ(format_duration(1_h), "1h");
  EXPECT_EQ(format_duration(90_s), "90s");
  EXPECT_EQ(format_duration(30_min), "30min");
  EXPECT_EQ(format_duration(1500_ms), "1500ms");
  EXPECT_EQ(format_duration(-(2_s)), "-2s");
  EXPECT_EQ(format_duration(0_s), "0s");
  for (auto d : {1_ns, 1_us + 1_ns, 3_d, 7_min, 250_ms})
    EXPECT_EQ(parse_duration(format_duration(d)).value(), d) << format_duration(d);
}

TEST(Units, Fractions) {
  EXPECT_DOUBLE_EQ(parse_fraction("0.5%").value(), 0.005);
  EXPECT_DOUBLE_EQ(parse_fraction("2bps").value(), 0.0002);
  EXPECT_DOUBLE_EQ(parse_fraction("80%").value(), 0.8);
  EXPECT_DOUBLE_EQ(parse_fraction("-1%").value(), -0.01);
  EXPECT_FALSE(parse_fraction("0.5").ok());
  EXPECT_NE(parse_fraction("5 pct").error().find("%, bps"), std::string::npos);
  EXPECT_EQ(format_fraction(0.005), "0.5%");
}

TEST(Units, GasPricesAreExactWei) {
  EXPECT_EQ(parse_gas_price("30gwei").value(), 30'000'000'000u);
  EXPECT_EQ(parse_gas_price("1.5gwei").value(), 1'500'000'000u);
  EXPECT_EQ(parse_gas_price("7wei").value(), 7u);
  EXPECT_EQ(parse_gas_price("0.01ether").value(), 10'000'000'000'000'000u);
  EXPECT_FALSE(parse_gas_price("0.5wei").ok());
  EXPECT_FALSE(parse_gas_price("30").ok());
  EXPECT_FALSE(parse_gas_price("-1gwei").ok());
  EXPECT_FALSE(parse_gas_price("100ether").ok());  // above 2^64 wei
  EXPECT_NE(parse_gas_price("30gw").error().find("wei, gwei, ether"), std::string::npos);
  EXPECT_EQ(format_gas_price(30'000'000'000u), "30gwei");
  EXPECT_EQ(format_gas_price(1'500'000'000u), "1.5gwei");
  EXPECT_EQ(format_gas_price(7u), "7wei");
}

TEST(Units, TokenAmountsAreExactBaseUnits) {
  EXPECT_EQ(parse_token_amount("0.1LINK", "LINK").value(), 100'000'000'000'000'000u);
  EXPECT_EQ(parse_token_amount("5juels", "LINK").value(), 5u);
  EXPECT_EQ(parse_token_amount("1.5ETH", "ETH").value(), 1'500'000'000'000'000'000u);
  EXPECT_EQ(parse_token_amount("3gwei", "ETH").value(), 3'000'000'000u);
  EXPECT_FALSE(parse_token_amount("1ETH", "LINK").ok());
  EXPECT_NE(parse_token_amount("1ETH", "LINK").error().find("juels, LINK"), std::string::npos);
  EXPECT_EQ(format_token_amount(100'000'000'000'000'000u, "LINK"), "0.1LINK");
  EXPECT_EQ(format_token_amount(1'500'000'000'000'000'000u, "ETH"), "1.5ETH");
}

TEST(Units, PlainNumbers) {
  EXPECT_EQ(parse_int("-42").value(), -42);
  EXPECT_EQ(parse_uint("1_000_000").value(), 1'000'000u);
  EXPECT_FALSE(parse_uint("-1").ok());
  EXPECT_FALSE(parse_int("1.5").ok());
  EXPECT_FALSE(parse_int("abc").ok());
  EXPECT_DOUBLE_EQ(parse_number("1e-3").value(), 0.001);
  EXPECT_FALSE(parse_number("1ms").ok());
  EXPECT_FALSE(parse_number("nan").ok());
}
