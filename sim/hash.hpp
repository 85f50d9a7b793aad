#pragma once
// Small, fixed, platform-independent hash functions. Anything that feeds results (random stream seeds,
// fingerprints, leader election) hashes through these, never std::hash.
#include <cstdint>
#include <string_view>

namespace sim {

// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 64-bit FNV-1a over the bytes of a string.
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Combines a value into a running hash (order-sensitive).
constexpr std::uint64_t hash_combine(std::uint64_t h, std::uint64_t v) { return splitmix64(h ^ splitmix64(v)); }

}  // namespace sim
