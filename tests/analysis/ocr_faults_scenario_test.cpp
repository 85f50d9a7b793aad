// The OCR fault family (scenarios/ocr_faults.yaml and scenarios/ocr_faults/*.yaml): each fault leaves its mark
// on the OCR metrics, compared with the fault-free base run of the same seed.
#include <string>

#include <gtest/gtest.h>

#include "tests/analysis/scenario_run.hpp"

using scenario_test::metric;
using scenario_test::run;

TEST(OcrFaults, EachFaultShowsInTheMetrics) {
  const auto base = run("ocr_faults.yaml");
  EXPECT_EQ(metric(base, "safety_violations"), 0.0);
  EXPECT_GE(metric(base, "updates"), 1.0);

  const auto crash = run("ocr_faults/leader_crash.yaml");
  EXPECT_EQ(metric(crash, "faults_without_effect"), 0.0);
  EXPECT_EQ(metric(crash, "fault_leaders_crashed"), 1.0);  // crash_leader found the epoch's leader among the targets
  EXPECT_GE(metric(crash, "leader_changes"), metric(base, "leader_changes"));
  EXPECT_GE(metric(crash, "updates"), 1.0);

  // f liars cannot move the median out of the honest range; f + 1 colluders can.
  const auto lying = run("ocr_faults/lying.yaml");
  EXPECT_EQ(metric(lying, "faults_without_effect"), 0.0);
  EXPECT_EQ(metric(lying, "safety_violations"), 0.0);
  const auto colluding = run("ocr_faults/colluding.yaml");
  EXPECT_GT(metric(colluding, "safety_violations"), 0.0);

  // 3 / 4 split of 7 oracles for 40 min with a 10 min heartbeat: no side reaches 2f + 1 = 5, so a report is due for most of the
  // partition with nothing on chain; it resumes afterwards (an unhealed stop would last to the end, >= 90 min).
  const auto part = run("ocr_faults/partition.yaml");
  EXPECT_EQ(metric(part, "faults_without_effect"), 0.0);
  EXPECT_GT(metric(part, "liveness_gap_s_max"), metric(base, "liveness_gap_s_max"));
  EXPECT_GE(metric(part, "liveness_gap_s_max"), 25 * 60.0);
  EXPECT_LT(metric(part, "liveness_gap_s_max"), 90 * 60.0);

  // 5% message loss: the run differs, the feed stays safe and updates.
  const auto loss = run("ocr_faults/loss.yaml");
  EXPECT_NE(loss.fingerprint, base.fingerprint);
  EXPECT_EQ(metric(loss, "safety_violations"), 0.0);
  EXPECT_GE(metric(loss, "updates"), 1.0);
}

// The same family on an OCR2 feed (scenarios/ocr2_faults.yaml and scenarios/ocr2_faults/*.yaml): the f bound holds
// with exactly f + 1 signatures per report, and a crashed leader is replaced within DeltaProgress plus a few rounds.
TEST(OcrFaults, Ocr2FamilyKeepsTheFBoundAndRecoversFromALeaderCrash) {
  const auto base = run("ocr2_faults.yaml");
  EXPECT_EQ(metric(base, "safety_violations"), 0.0);
  EXPECT_GE(metric(base, "updates"), 1.0);

  const auto lying = run("ocr2_faults/lying.yaml");
  EXPECT_EQ(metric(lying, "faults_without_effect"), 0.0);
  EXPECT_EQ(metric(lying, "safety_violations"), 0.0);
  const auto colluding = run("ocr2_faults/colluding.yaml");
  EXPECT_EQ(metric(colluding, "faults_without_effect"), 0.0);
  EXPECT_GT(metric(colluding, "safety_violations"), 0.0);

  // 20 s rounds, 23 s DeltaProgress: a report due during the crash waits at most DeltaProgress for the new epoch,
  // a round, the grace period and a slot or two for inclusion.
  const auto crash = run("ocr2_faults/leader_crash.yaml");
  EXPECT_EQ(metric(crash, "fault_leaders_crashed"), 1.0);
  EXPECT_GE(metric(crash, "updates"), 1.0);
  EXPECT_LT(metric(crash, "liveness_gap_s_max"), 23.0 + 2 * 20.0 + 24.0);
  EXPECT_EQ(metric(crash, "safety_violations"), 0.0);
}
