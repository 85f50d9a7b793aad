#pragma once
// Shared fixtures for the OCR tests: a feed's keys and directory.
#include <vector>

#include "models/ocr/ocr_config.hpp"
#include "models/ocr/report.hpp"

namespace models::ocr::test_util {

struct Keys {
  std::vector<SecretKey> offchain, onchain;
  OracleDirectory directory;
  explicit Keys(int n) {
    for (int i = 0; i < n; ++i) {
      offchain.emplace_back(1000 + static_cast<std::uint64_t>(i));
      onchain.emplace_back(2000 + static_cast<std::uint64_t>(i));
      directory.add_oracle(offchain.back(), onchain.back());
    }
  }
};

inline OcrConfig small_config(int n = 4, int f = 1) {
  OcrConfig cfg;
  cfg.n = n;
  cfg.f = f;
  return cfg;
}

}  // namespace models::ocr::test_util
