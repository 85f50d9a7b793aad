#pragma once
// Unit-carrying scalars of the scenario language, parsed exactly (decimal text -> integers, no floating point
// where the result is an integer): durations ("250ms", "1.5s", "2d"), fractions ("0.5%", "2bps"), gas prices
// ("30gwei", "1wei", "0.01ether" -> wei) and token amounts ("0.1LINK" -> juels, "1.5ETH" -> wei).
// Each parser returns the value or an error message naming the expected units; it never throws.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "sim/time.hpp"

namespace models::scenario {

template <class T>
struct Parsed {
  std::variant<T, std::string> v;  // value or error message
  bool ok() const { return v.index() == 0; }
  const T& value() const { return std::get<0>(v); }
  const std::string& error() const { return std::get<1>(v); }
};

// Units accepted by each parser, for messages and docs.
inline constexpr std::string_view kDurationUnits = "ns, us, ms, s, m or min, h, d";
inline constexpr std::string_view kFractionUnits = "%, bps";
inline constexpr std::string_view kGasPriceUnits = "wei, gwei, ether";

// A signed integer or decimal number followed by a duration unit; "0" alone is accepted. Must be a whole
// number of nanoseconds.
Parsed<sim::Duration> parse_duration(std::string_view text);
// "0.5%" -> 0.005, "2bps" -> 0.0002. Signed.
Parsed<double> parse_fraction(std::string_view text);
// A non-negative decimal amount with a gas-price unit, in whole wei.
Parsed<std::uint64_t> parse_gas_price(std::string_view text);
// A non-negative decimal amount of `token` ("LINK": LINK or juels; "ETH": ETH, gwei or wei), in the token's
// smallest unit (10^-18).
Parsed<std::uint64_t> parse_token_amount(std::string_view text, std::string_view token);
// Plain integers and numbers (no unit). Integers accept an optional leading '-' and digit separators '_'.
Parsed<std::int64_t> parse_int(std::string_view text);
Parsed<std::uint64_t> parse_uint(std::string_view text);
Parsed<double> parse_number(std::string_view text);

// Canonical text of a value: the largest unit the value is a whole multiple of (3600s -> "1h", 90s -> "90s",
// 1500ms -> "1500ms"); parse_* of the text gives the value back exactly.
std::string format_duration(sim::Duration d);
std::string format_fraction(double f);         // 0.005 -> "0.5%"
std::string format_gas_price(std::uint64_t wei);  // 30000000000 -> "30gwei"
std::string format_token_amount(std::uint64_t base_units, std::string_view token);  // 10^17, LINK -> "0.1LINK"
std::string format_number(double x);           // shortest round-trip text

}  // namespace models::scenario
