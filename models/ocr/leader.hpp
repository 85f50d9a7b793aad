#pragma once
// Leader election of the OCR1 pacemaker: leader(e) = PRF(key, e) mod n.
// libocr hashes keccak256(key || le64(e)) with a 16-byte shared key (facts §1, L pacemaker.go); here the PRF is
// sim::hash_combine(key, e), a fixed, documented 64-bit mixer, so a given key yields a fixed, reproducible sequence.
#include <cstdint>

#include "models/ocr/ocr_types.hpp"

namespace models::ocr {

OracleId leader(Epoch e, int n, std::uint64_t leader_key);

}  // namespace models::ocr
