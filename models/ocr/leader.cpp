#include "models/ocr/leader.hpp"

#include "sim/hash.hpp"

namespace models::ocr {

OracleId leader(Epoch e, int n, std::uint64_t leader_key) {
  return static_cast<OracleId>(sim::hash_combine(leader_key, e) % static_cast<std::uint64_t>(n));
}

}  // namespace models::ocr
