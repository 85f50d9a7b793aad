#include "sim/time.hpp"

#include <cstdlib>

namespace sim {

std::string to_string(Duration d) {
  const std::int64_t ns = d.ns();
  // Magnitude as unsigned so that INT64_MIN does not overflow.
  const std::uint64_t mag = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string out = ns < 0 ? "-" : "";
  out += std::to_string(mag / 1'000'000'000ULL);
  std::uint64_t frac = mag % 1'000'000'000ULL;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 9 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
  out += 's';
  return out;
}

std::string to_string(Time t) { return to_string(t.since_start()); }

}  // namespace sim
