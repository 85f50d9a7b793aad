#pragma once
// A running 64-bit hash of the executed event sequence: each event folds in its time (ns) and label hash.
// Two runs with equal fingerprints executed the same labelled events at the same times in the same order.
//   h <- (h ^ time) * 0x9e3779b97f4a7c15;  h <- (h ^ (h >> 29) ^ label) * 0xbf58476d1ce4e5b9
#include <cstdint>

namespace sim {

class Fingerprint {
 public:
  void add(std::int64_t time_ns, std::uint32_t label) {
    h_ = (h_ ^ static_cast<std::uint64_t>(time_ns)) * 0x9e3779b97f4a7c15ULL;
    h_ = (h_ ^ (h_ >> 29) ^ label) * 0xbf58476d1ce4e5b9ULL;
  }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0x6f7261636c657369ULL;  // "oraclesi"
};

}  // namespace sim
