#include "sim/random.hpp"

#include "sim/hash.hpp"

namespace sim {

Rng::Rng(std::uint64_t seed) {
  for (int i = 0; i < 4; ++i) s_[i] = splitmix64(seed + static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
  // An all-zero state is the one fixed point of xoshiro; splitmix64 is a bijection, so four distinct inputs
  // cannot all map to zero, but keep the guard explicit.
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
}

Rng Rng::from_state(const std::array<std::uint64_t, 4>& state) {
  Rng r;
  for (int i = 0; i < 4; ++i) r.s_[i] = state[static_cast<std::size_t>(i)];
  if ((r.s_[0] | r.s_[1] | r.s_[2] | r.s_[3]) == 0) r.s_[0] = 1;
  return r;
}

Rng RngFactory::stream(std::string_view name) const {
  const std::uint64_t x0 = splitmix64(splitmix64(seed_) ^ replication_) ^ fnv1a64(name);
  return Rng(x0);
}

std::uint64_t replication_seed(std::uint64_t master_seed, std::uint64_t replication) {
  return splitmix64(master_seed ^ splitmix64(replication + 0x5eed));
}

}  // namespace sim
