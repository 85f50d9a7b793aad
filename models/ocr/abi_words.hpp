#pragma once
// ABI words of the OCR aggregators' calldata (ocr_aggregator.cpp, ocr2_aggregator.cpp): a uint256 from a 64-bit
// value, an int192/int256 in two's complement, and 32 signature bytes derived from a signature tag with every byte
// non-zero (the models' signatures have no bytes; a real zero byte has probability 1/256).
#include <cstdint>
#include <vector>

#include "models/ocr/ocr_types.hpp"
#include "sim/hash.hpp"

namespace models::ocr::abi {

inline void put_word(std::vector<std::uint8_t>& out, std::uint64_t v) {
  out.insert(out.end(), 24, 0);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

inline void put_int_word(std::vector<std::uint8_t>& out, Value v) {
  __extension__ typedef unsigned __int128 U128;
  out.insert(out.end(), 16, v < 0 ? 0xff : 0x00);
  const auto u = static_cast<U128>(v);
  for (int i = 15; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

inline void put_sig_word(std::vector<std::uint8_t>& out, std::uint64_t tag, std::uint64_t which) {
  for (std::uint64_t k = 0; k < 4; ++k) {
    const std::uint64_t w = sim::splitmix64(tag ^ (which * 4 + k));
    for (int i = 7; i >= 0; --i) {
      auto b = static_cast<std::uint8_t>(w >> (8 * i));
      out.push_back(b == 0 ? 1 : b);
    }
  }
}

// The 16-byte config digest of the models: the 64-bit digest, then its bitwise complement (after `pad` zero bytes).
inline void put_config_digest(std::vector<std::uint8_t>& out, std::uint64_t digest, int pad) {
  out.insert(out.end(), static_cast<std::size_t>(pad), 0);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(digest >> (8 * i)));
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(~digest >> (8 * i)));
}

}  // namespace models::ocr::abi
