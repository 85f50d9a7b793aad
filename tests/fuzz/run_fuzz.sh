#!/usr/bin/env bash
# Runs the scenario loader's fuzzer (docs/testing.md#fuzzing):
#   run_fuzz.sh FUZZER SECONDS SOURCE_DIR WORK_DIR [libFuzzer flags...]
# Seeds: every scenario YAML under scenarios/ and tests/data/ (tests/data/fuzz/ holds the inputs earlier runs
# found); the corpus it grows stays in WORK_DIR/corpus, findings go to WORK_DIR/findings/. Exit 0 when the run
# ends without a finding.
set -euo pipefail
fuzzer=$1 seconds=$2 src=$3 work=$4
shift 4
seeds=$work/seeds corpus=$work/corpus findings=$work/findings
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$findings"
find "$src/scenarios" "$src/tests/data" -name '*.yaml' -size -64k -exec cp --backup=numbered -t "$seeds" {} +
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -dict="$src/tests/fuzz/scenario.dict" -artifact_prefix="$findings/" -print_final_stats=1 \
  "$@" "$corpus" "$seeds" "$src/tests/data/fuzz"
