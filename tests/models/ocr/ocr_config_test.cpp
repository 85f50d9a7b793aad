#include "models/ocr/ocr_config.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace sim::literals;
using models::ocr::OcrConfig;
using models::ocr::validate;

namespace {
bool has_path(const sim::ConfigIssues& issues, const std::string& path) {
  for (const auto& i : issues.items()) {
    if (i.path == path) return true;
  }
  return false;
}
}  // namespace

TEST(OcrConfig, DefaultsAreEthereumMinimumsAndValid) {
  OcrConfig cfg;
  EXPECT_EQ(cfg.delta_c, 10_min);
  EXPECT_EQ(cfg.delta_stage, 10_s);
  EXPECT_EQ(cfg.delta_round, 20_s);
  EXPECT_EQ(cfg.delta_progress, 23_s);
  EXPECT_EQ(cfg.delta_resend, 10_s);
  EXPECT_EQ(cfg.alpha_ppb, 10'000'000U);  // 1%
  EXPECT_TRUE(validate(cfg, "feeds[0].ocr").empty());
}

TEST(OcrConfig, EmptyScheduleMeansOneOraclePerStage) {
  OcrConfig cfg;
  cfg.n = 5;
  cfg.f = 1;
  EXPECT_EQ(cfg.schedule(), (std::vector<int>{1, 1, 1, 1, 1}));
  cfg.s = {2, 3};
  EXPECT_EQ(cfg.schedule(), (std::vector<int>{2, 3}));
}

TEST(OcrConfig, RejectsTooManyOraclesAndTooLargeF) {
  OcrConfig cfg;
  cfg.n = 32;
  cfg.f = 10;
  auto issues = validate(cfg, "feeds[0].ocr");
  EXPECT_TRUE(has_path(issues, "feeds[0].ocr.n"));
  cfg.n = 31;
  EXPECT_TRUE(validate(cfg, "feeds[0].ocr").empty());  // 3 * 10 < 31
  cfg.n = 30;
  EXPECT_TRUE(has_path(validate(cfg, "feeds[0].ocr"), "feeds[0].ocr.f"));  // 3 * 10 = 30
}

TEST(OcrConfig, TimingOrderIsChecked) {
  OcrConfig cfg;
  cfg.delta_grace = 20_s;  // == delta_round
  EXPECT_TRUE(has_path(validate(cfg, "p"), "p.delta_grace"));
  cfg = OcrConfig{};
  cfg.delta_round = 23_s;  // == delta_progress
  auto issues = validate(cfg, "p");
  EXPECT_TRUE(has_path(issues, "p.delta_round"));
  EXPECT_EQ(issues.size(), 1U);
  cfg = OcrConfig{};
  cfg.delta_resend = 0_s;
  EXPECT_TRUE(has_path(validate(cfg, "p"), "p.delta_resend"));
}

TEST(OcrConfig, RMaxBounds) {
  OcrConfig cfg;
  cfg.r_max = 0;
  EXPECT_TRUE(has_path(validate(cfg, "p"), "p.r_max"));
  cfg.r_max = 255;
  EXPECT_TRUE(has_path(validate(cfg, "p"), "p.r_max"));
  cfg.r_max = 254;
  EXPECT_TRUE(validate(cfg, "p").empty());
}

TEST(OcrConfig, ScheduleEntriesAndSum) {
  OcrConfig cfg;
  cfg.s = {1, 32, -1};
  auto issues = validate(cfg, "feeds[2].ocr");
  EXPECT_TRUE(has_path(issues, "feeds[2].ocr.s[1]"));
  EXPECT_TRUE(has_path(issues, "feeds[2].ocr.s[2]"));
  EXPECT_FALSE(has_path(issues, "feeds[2].ocr.s[0]"));
  cfg.s = {0, 0};
  EXPECT_TRUE(has_path(validate(cfg, "feeds[2].ocr"), "feeds[2].ocr.s"));
}

TEST(OcrConfig, CollectsEveryIssue) {
  OcrConfig cfg;
  cfg.n = 0;
  cfg.r_max = 0;
  cfg.delta_stage = 0_s;
  EXPECT_GE(validate(cfg, "x").size(), 4U);  // n, f, r_max, delta_stage
}
