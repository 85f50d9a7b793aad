#include "models/scenario/units.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include <fmt/core.h>

namespace models::scenario {

namespace {

__extension__ using u128 = unsigned __int128;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An exact decimal: (-1)^neg * mantissa / 10^frac_digits.
struct Decimal {
  bool neg = false;
  std::uint64_t mantissa = 0;
  int frac_digits = 0;
};

// Splits "[-+]digits[.digits]unit" into the number and the unit text. Digit separators '_' are skipped.
std::optional<std::pair<Decimal, std::string_view>> split(std::string_view s) {
  s = trim(s);
  Decimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) d.neg = s[i++] == '-';
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (__builtin_mul_overflow(d.mantissa, std::uint64_t{10}, &d.mantissa) ||
          __builtin_add_overflow(d.mantissa, static_cast<std::uint64_t>(c - '0'), &d.mantissa))
        return std::nullopt;
      if (dot) ++d.frac_digits;
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (c == '_' && digits) {
      continue;
    } else {
      break;
    }
  }
  if (!digits) return std::nullopt;
  return std::make_pair(d, trim(s.substr(i)));
}

// Why `s` is not a number split() reads, when that is more helpful than "expected ...": too many digits for 64
// bits, or scientific notation. Empty when neither.
std::string number_problem(std::string_view s) {
  s = trim(s);
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') ++digits;
    else if (s[i] == '.' && !dot) dot = true;
    else if (s[i] != '_') break;
  }
  if (digits == 0) return "";
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E') && i + 1 < s.size() &&
      ((s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 1] == '-' || s[i + 1] == '+'))
    return fmt::format("'{}': scientific notation is not accepted here; write the number out (e.g. 1000 for 1e3)", s);
  if (!split(s)) return fmt::format("'{}' has too many digits (the largest number here is {})", s,
                                    std::numeric_limits<std::uint64_t>::max());
  return "";
}

std::uint64_t pow10(int k) {
  std::uint64_t r = 1;
  for (int i = 0; i < k; ++i) r *= 10;
  return r;
}

// mantissa * multiplier / 10^frac_digits when exact and in range.
std::optional<std::uint64_t> scale(const Decimal& d, std::uint64_t multiplier) {
  if (d.frac_digits > 19) return std::nullopt;
  u128 v = static_cast<u128>(d.mantissa) * multiplier;  // cannot overflow 128 bits
  const std::uint64_t div = pow10(d.frac_digits);
  if (v % div != 0) return std::nullopt;
  v /= div;
  if (v > std::numeric_limits<std::uint64_t>::max()) return std::nullopt;
  return static_cast<std::uint64_t>(v);
}

struct Unit {
  std::string_view name;
  std::uint64_t multiplier;
};

constexpr Unit kDuration[] = {{"ns", 1},
                              {"us", 1'000},
                              {"ms", 1'000'000},
                              {"s", 1'000'000'000},
                              {"m", 60'000'000'000},  // as in "30m"; printed as "min"
                              {"min", 60'000'000'000},
                              {"h", 3'600'000'000'000},
                              {"d", 86'400'000'000'000}};
constexpr Unit kGas[] = {{"wei", 1}, {"gwei", 1'000'000'000}, {"ether", 1'000'000'000'000'000'000}};
constexpr Unit kLink[] = {{"juels", 1}, {"LINK", 1'000'000'000'000'000'000}};
constexpr Unit kEth[] = {{"wei", 1}, {"gwei", 1'000'000'000}, {"ETH", 1'000'000'000'000'000'000}};

template <std::size_t N>
const Unit* find_unit(const Unit (&units)[N], std::string_view name) {
  for (const auto& u : units)
    if (u.name == name) return &u;
  return nullptr;
}

template <std::size_t N>
std::string unit_list(const Unit (&units)[N]) {
  std::string s;
  for (const auto& u : units) {
    if (!s.empty()) s += ", ";
    s += u.name;
  }
  return s;
}

template <std::size_t N>
std::string format_amount(std::uint64_t v, const Unit (&units)[N]);

template <std::size_t N>
Parsed<std::uint64_t> parse_amount(std::string_view text, const Unit (&units)[N], std::string_view what) {
  const auto sp = split(text);
  const std::string expected = fmt::format("expected {} with a unit ({}), got '{}'", what, unit_list(units), text);
  if (const std::string why = number_problem(text); !why.empty()) return {why};
  if (!sp) return {expected};
  const Unit* u = find_unit(units, sp->second);
  if (!u) return {expected};
  if (sp->first.neg && sp->first.mantissa != 0) return {fmt::format("must not be negative (got '{}')", text)};
  const auto v = scale(sp->first, u->multiplier);
  if (!v) {
    if (sp->first.frac_digits <= 19 && (static_cast<u128>(sp->first.mantissa) * u->multiplier) % pow10(sp->first.frac_digits) != 0)
      return {fmt::format("'{}' is not a whole number of {}", text, units[0].name)};
    return {fmt::format("'{}' is too large (at most {})", text, format_amount(std::numeric_limits<std::uint64_t>::max(), units))};
  }
  return {*v};
}

template <std::size_t N>
std::string format_amount(std::uint64_t v, const Unit (&units)[N]) {
  // The largest unit of which the value is at least a thousandth, written exactly without trailing zeros.
  for (std::size_t k = N; k-- > 0;) {
    const std::uint64_t m = units[k].multiplier;
    if (k != 0 && v < m / 1000) continue;
    const std::uint64_t whole = v / m, rest = v % m;
    if (rest == 0) return fmt::format("{}{}", whole, units[k].name);
    int digits = 0;
    for (std::uint64_t x = m; x > 1; x /= 10) ++digits;
    std::string frac = fmt::format("{:0{}}", rest, digits);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return fmt::format("{}.{}{}", whole, frac, units[k].name);
  }
  return fmt::format("{}{}", v, units[0].name);
}

}  // namespace

Parsed<sim::Duration> parse_duration(std::string_view text) {
  const auto sp = split(text);
  const std::string expected =
      fmt::format("expected a duration with a unit ({}), e.g. 250ms or 1.5s; got '{}'", kDurationUnits, text);
  if (const std::string why = number_problem(text); !why.empty()) return {why};
  if (!sp) return {expected};
  std::uint64_t mult = 0;
  if (sp->second.empty()) {
    if (sp->first.mantissa != 0) return {expected};
    mult = 1;
  } else if (const Unit* u = find_unit(kDuration, sp->second)) {
    mult = u->multiplier;
  } else {
    return {expected};
  }
  const auto v = scale(sp->first, mult);
  const bool whole = sp->first.frac_digits <= 19 && (static_cast<u128>(sp->first.mantissa) * mult) % pow10(sp->first.frac_digits) == 0;
  if (!v && !whole) return {fmt::format("'{}' is not a whole number of nanoseconds", text)};
  if (!v || *v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return {fmt::format("'{}' is too long (at most 106751d, about 292 years)", text)};
  const auto ns = static_cast<std::int64_t>(*v);
  return {sim::Duration::nanoseconds(sp->first.neg ? -ns : ns)};
}

Parsed<double> parse_fraction(std::string_view text) {
  const std::string expected =
      fmt::format("expected a percentage with a unit ({}), e.g. 0.5% or 2bps; got '{}'", kFractionUnits, text);
  const auto sp = split(text);
  if (!sp) return {expected};
  double divisor = 0;
  if (sp->second == "%") divisor = 100;
  else if (sp->second == "bps") divisor = 10'000;
  else return {expected};
  double x = static_cast<double>(sp->first.mantissa) / static_cast<double>(pow10(sp->first.frac_digits)) / divisor;
  return {sp->first.neg ? -x : x};
}

Parsed<std::uint64_t> parse_gas_price(std::string_view text) { return parse_amount(text, kGas, "a gas price"); }

Parsed<std::uint64_t> parse_token_amount(std::string_view text, std::string_view token) {
  if (token == "LINK") return parse_amount(text, kLink, "a LINK amount");
  if (token == "ETH") return parse_amount(text, kEth, "an ETH amount");
  return {fmt::format("unknown token '{}'", token)};
}

Parsed<std::int64_t> parse_int(std::string_view text) {
  const auto sp = split(text);
  if (const std::string why = number_problem(text); !why.empty()) return {why};
  if (!sp || !sp->second.empty() || sp->first.frac_digits != 0)
    return {fmt::format("expected an integer, got '{}'", text)};
  if (sp->first.mantissa > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return {fmt::format("'{}' is too large", text)};
  const auto v = static_cast<std::int64_t>(sp->first.mantissa);
  return {sp->first.neg ? -v : v};
}

Parsed<std::uint64_t> parse_uint(std::string_view text) {
  const auto sp = split(text);
  if (const std::string why = number_problem(text); !why.empty()) return {why};
  if (!sp || !sp->second.empty() || sp->first.frac_digits != 0)
    return {fmt::format("expected a non-negative integer, got '{}'", text)};
  if (sp->first.neg && sp->first.mantissa != 0) return {fmt::format("must not be negative (got '{}')", text)};
  return {sp->first.mantissa};
}

Parsed<double> parse_number(std::string_view text) {
  const std::string_view t = trim(text);
  double x = 0;
  const char* b = t.data();
  const char* e = t.data() + t.size();
  if (!t.empty() && *b == '+') ++b;
  const auto r = std::from_chars(b, e, x);
  if (t.empty() || r.ec != std::errc() || r.ptr != e || !std::isfinite(x))
    return {fmt::format("expected a number, got '{}'", text)};
  return {x};
}

std::string format_duration(sim::Duration d) {
  const std::int64_t ns = d.ns();
  if (ns == 0) return "0s";
  const std::uint64_t mag = ns < 0 ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
  for (std::size_t k = std::size(kDuration); k-- > 0;) {
    if (mag % kDuration[k].multiplier == 0)
      return fmt::format("{}{}{}", ns < 0 ? "-" : "", mag / kDuration[k].multiplier, kDuration[k].name);
  }
  return fmt::format("{}ns", ns);
}

std::string format_number(double x) { return fmt::format("{}", x); }

std::string format_fraction(double f) {
  std::string s = fmt::format("{:.12g}", f * 100);
  return s + "%";
}

std::string format_gas_price(std::uint64_t wei) { return format_amount(wei, kGas); }

std::string format_token_amount(std::uint64_t base_units, std::string_view token) {
  return token == "ETH" ? format_amount(base_units, kEth) : format_amount(base_units, kLink);
}

}  // namespace models::scenario
