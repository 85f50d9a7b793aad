#pragma once
// Simulated time: strong types over int64 nanoseconds.
//
// `Duration` is a signed span, `Time` a point since the start of the run (t = 0). Both are exact
// integers, so event order never depends on floating-point rounding. The range is +-292 years.
#include <compare>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/core.h>

namespace sim {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(std::int64_t ns) { return Duration(ns); }
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }
  // Rounds to the nearest nanosecond. The caller checks the range (see checked_from_seconds).
  static constexpr Duration from_seconds(double s) {
    return Duration(static_cast<std::int64_t>(s * 1e9 + (s >= 0 ? 0.5 : -0.5)));
  }

  constexpr std::int64_t ns() const { return ns_; }
  constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }
  constexpr double millis() const { return static_cast<double>(ns_) * 1e-6; }

  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
  constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }
  friend constexpr Duration operator+(Duration a, Duration b) { return Duration(a.ns_ + b.ns_); }
  friend constexpr Duration operator-(Duration a, Duration b) { return Duration(a.ns_ - b.ns_); }
  friend constexpr Duration operator*(Duration a, std::int64_t k) { return Duration(a.ns_ * k); }
  friend constexpr Duration operator*(std::int64_t k, Duration a) { return Duration(a.ns_ * k); }
  friend constexpr std::int64_t operator/(Duration a, Duration b) { return a.ns_ / b.ns_; }
  friend constexpr Duration operator/(Duration a, std::int64_t k) { return Duration(a.ns_ / k); }
  friend constexpr Duration operator%(Duration a, Duration b) { return Duration(a.ns_ % b.ns_); }
  friend constexpr auto operator<=>(Duration, Duration) = default;

 private:
  constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time zero() { return Time(); }
  static constexpr Time max() { return Time(std::numeric_limits<std::int64_t>::max()); }
  static constexpr Time from_ns(std::int64_t ns) { return Time(ns); }
  static constexpr Time from_seconds(double s) { return Time() + Duration::from_seconds(s); }

  constexpr std::int64_t ns() const { return ns_; }
  constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }
  // Time since t = 0 as a Duration.
  constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }

  constexpr Time& operator+=(Duration d) { ns_ += d.ns(); return *this; }
  constexpr Time& operator-=(Duration d) { ns_ -= d.ns(); return *this; }
  friend constexpr Time operator+(Time t, Duration d) { return Time(t.ns_ + d.ns()); }
  friend constexpr Time operator+(Duration d, Time t) { return Time(t.ns_ + d.ns()); }
  friend constexpr Time operator-(Time t, Duration d) { return Time(t.ns_ - d.ns()); }
  friend constexpr Duration operator-(Time a, Time b) { return Duration::nanoseconds(a.ns_ - b.ns_); }
  friend constexpr auto operator<=>(Time, Time) = default;

 private:
  constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

// "1.25s", "3600s", "0.000000001s", "-2s": seconds with the shortest exact decimal fraction.
std::string to_string(Duration d);
// "t=1.25s"-style without the prefix: the time since start in seconds, as for Duration.
std::string to_string(Time t);

namespace literals {
constexpr Duration operator""_ns(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_us(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v) * 1'000); }
constexpr Duration operator""_ms(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v) * 1'000'000); }
constexpr Duration operator""_s(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v) * 1'000'000'000); }
constexpr Duration operator""_min(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v) * 60'000'000'000); }
constexpr Duration operator""_h(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v) * 3'600'000'000'000); }
constexpr Duration operator""_d(unsigned long long v) { return Duration::nanoseconds(static_cast<std::int64_t>(v) * 86'400'000'000'000); }
}  // namespace literals

}  // namespace sim

// fmt support without pulling fmt/format.h into every translation unit. No format specs are accepted.
template <>
struct fmt::formatter<sim::Duration> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  template <class Ctx>
  auto format(sim::Duration d, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "{}", sim::to_string(d));
  }
};

template <>
struct fmt::formatter<sim::Time> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  template <class Ctx>
  auto format(sim::Time t, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "{}", sim::to_string(t));
  }
};
