#include "models/ocr/ocr_config.hpp"

#include <fmt/core.h>

namespace models::ocr {

std::vector<int> OcrConfig::schedule() const {
  if (!s.empty()) return s;
  return std::vector<int>(static_cast<std::size_t>(n > 0 ? n : 0), 1);
}

// The checks of libocr's checkPublicConfigParameters (facts §1), plus sum(S) >= 1 so that someone transmits.
sim::ConfigIssues validate(const OcrConfig& cfg, const std::string& path_prefix) {
  sim::ConfigIssues issues;
  auto key = [&](const char* name) { return path_prefix.empty() ? std::string(name) : path_prefix + "." + name; };
  auto positive = [&](sim::Duration d, const char* name) {
    if (d <= sim::Duration{}) issues.add(key(name), fmt::format("must be > 0 (got {})", d));
  };

  if (cfg.n < 1 || cfg.n > kMaxOracles) {
    issues.add(key("n"), fmt::format("number of oracles must be in 1..{} (got {})", kMaxOracles, cfg.n));
  }
  if (cfg.f < 0 || 3 * cfg.f >= cfg.n) {
    issues.add(key("f"), fmt::format("must satisfy 0 <= f and 3f < n (got f = {}, n = {})", cfg.f, cfg.n));
  }
  positive(cfg.delta_progress, "delta_progress");
  positive(cfg.delta_resend, "delta_resend");
  positive(cfg.delta_round, "delta_round");
  positive(cfg.delta_stage, "delta_stage");
  positive(cfg.delta_c, "delta_c");
  if (cfg.delta_grace < sim::Duration{}) {
    issues.add(key("delta_grace"), fmt::format("must be >= 0 (got {})", cfg.delta_grace));
  }
  // OCR1 starts a round every delta_round, so the grace period must end before; OCR2 waits for the round to end.
  if (cfg.version == OcrVersion::ocr1 && !(cfg.delta_grace < cfg.delta_round)) {
    issues.add(key("delta_grace"), fmt::format("must be less than delta_round (got delta_grace = {}, delta_round = {})",
                                               cfg.delta_grace, cfg.delta_round));
  }
  if (!(cfg.delta_round < cfg.delta_progress)) {
    issues.add(key("delta_round"), fmt::format("must be less than delta_progress (got delta_round = {}, "
                                               "delta_progress = {})", cfg.delta_round, cfg.delta_progress));
  }
  if (cfg.r_max <= 0 || cfg.r_max >= 255) {
    issues.add(key("r_max"), fmt::format("must satisfy 0 < r_max < 255 (got {})", cfg.r_max));
  }
  if (cfg.alpha_ppb > 1'000'000'000'000ULL) {
    issues.add(key("alpha_ppb"), fmt::format("deviation above 100000% is not meaningful (got {} ppb)", cfg.alpha_ppb));
  }
  if (cfg.version == OcrVersion::ocr2) {
    if (cfg.f < 1) issues.add(key("f"), fmt::format("OCR2 needs f >= 1 (OCR2Aggregator.setConfig; got f = {})", cfg.f));
    positive(cfg.max_duration_query, "max_duration_query");
    positive(cfg.max_duration_observation, "max_duration_observation");
    positive(cfg.max_duration_report, "max_duration_report");
    positive(cfg.max_duration_should_accept, "max_duration_should_accept");
    positive(cfg.max_duration_should_transmit, "max_duration_should_transmit");
    const sim::Duration sum = cfg.max_duration_query + cfg.max_duration_observation + cfg.max_duration_report;
    if (!(sum < cfg.delta_progress))
      issues.add(key("max_duration_report"),
                 fmt::format("max_duration_query + max_duration_observation + max_duration_report must be less than "
                             "delta_progress (got {} + {} + {} = {}, delta_progress = {}; libocr public_config.go)",
                             cfg.max_duration_query, cfg.max_duration_observation, cfg.max_duration_report, sum,
                             cfg.delta_progress));
    if (cfg.alpha_accept_ppb > 1'000'000'000'000ULL)
      issues.add(key("alpha_accept_ppb"), fmt::format("deviation above 100000% is not meaningful (got {} ppb)", cfg.alpha_accept_ppb));
    if (cfg.min_answer > cfg.max_answer)
      issues.add(key("min_answer"), "must be <= max_answer");
    if (cfg.juels_per_fee_coin < 0) issues.add(key("juels_per_fee_coin"), "must be >= 0");
  }
  if (cfg.s.size() >= 1000) {
    issues.add(key("s"), fmt::format("must have fewer than 1000 stages (got {})", cfg.s.size()));
  }
  long sum = 0;
  for (std::size_t i = 0; i < cfg.s.size(); ++i) {
    if (cfg.s[i] < 0 || cfg.s[i] > kMaxOracles) {
      issues.add(fmt::format("{}[{}]", key("s"), i),
                 fmt::format("stage size must be in 0..{} (got {})", kMaxOracles, cfg.s[i]));
    }
    sum += cfg.s[i];
  }
  if (!cfg.s.empty() && sum < 1) {
    issues.add(key("s"), "the stages must hold at least one oracle in total (sum of s >= 1), else no one transmits");
  }
  return issues;
}

}  // namespace models::ocr
