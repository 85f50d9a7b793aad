#pragma once
// Random numbers: xoshiro256** generators seeded from stable stream names.
//
// A stream's state depends only on (master seed, replication, name):
//   x0 = splitmix64(splitmix64(seed) ^ replication) ^ fnv1a64(name); state[i] = splitmix64(x0 + i * golden)
// (see RngFactory::stream). Creating, removing or drawing from one stream never changes another, so adding
// a node to a scenario leaves every other node's randomness as it was.
#include <array>
#include <cstdint>
#include <string_view>

namespace sim {

// xoshiro256** 1.0 (Blackman and Vigna, 2018): 256-bit state, period 2^256 - 1.
class Rng {
 public:
  using result_type = std::uint64_t;
  explicit Rng(std::uint64_t seed);
  // A generator with an explicit state (not all zero), e.g. to check against reference vectors.
  static Rng from_state(const std::array<std::uint64_t, 4>& state);
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }

  result_type operator()() { return next(); }
  result_type next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  Rng() = default;
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
};

class RngFactory {
 public:
  explicit RngFactory(std::uint64_t seed = 1, std::uint64_t replication = 0) : seed_(seed), replication_(replication) {}
  // The generator for a named stream, e.g. "ocr/node-3/observation". Same name, same sequence.
  Rng stream(std::string_view name) const;
  std::uint64_t seed() const { return seed_; }
  std::uint64_t replication() const { return replication_; }

 private:
  std::uint64_t seed_;
  std::uint64_t replication_;
};

// The seed of replication r under master seed m, as used for a sweep (common random numbers: the same at
// every sweep point). Exposed so tools and manifests print exactly what runs used.
std::uint64_t replication_seed(std::uint64_t master_seed, std::uint64_t replication);

}  // namespace sim
