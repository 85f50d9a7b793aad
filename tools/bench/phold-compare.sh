#!/usr/bin/env bash
# Runs the same PHOLD on the engine (oraclesim bench phold), on a bare std::priority_queue and on ns-3 (if
# phold_ns3 was built), interleaved, and prints each one's median events/s and the ratios. events/s is what
# each program prints (events over the wall time of its event loop). With /usr/bin/time present, it also
# prints events per CPU second of the whole process (setup included), which a busy machine disturbs less.
#   tools/bench/phold-compare.sh [--lps N] [--population P] [--events E] [--seed S] [--reps R] [--build DIR]
# Defaults: 1024 LPs x 16 events, 10M events, seed 1, 3 repetitions, build/release.
set -euo pipefail

lps=1024 population=16 events=10000000 seed=1 reps=3
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/release"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --lps) lps=$2; shift 2 ;;
    --population) population=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--lps N] [--population P] [--events E] [--seed S] [--reps R] [--build DIR]" >&2; exit 2 ;;
  esac
done

args=(--lps "$lps" --population "$population" --events "$events" --seed "$seed")
names=(oraclesim bare_heap)
cmds=("$build/tools/oraclesim bench phold" "$build/tools/bench/phold_bare_heap")
for i in 0 1; do
  bin=${cmds[$i]%% *}
  [[ -x $bin ]] || { echo "error: $bin not built (cmake --build --preset release)" >&2; exit 1; }
done
if [[ -x $build/tools/bench/phold_ns3 ]]; then
  names+=(ns3)
  cmds+=("$build/tools/bench/phold_ns3")
else
  echo "note: phold_ns3 not built (needs libns3-dev); comparing without ns-3" >&2
fi

timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "cpu_s %U %S" -o /dev/stderr)
declare -A rates cpu_rates
for ((r = 1; r <= reps; r++)); do
  for i in "${!names[@]}"; do
    out=$("${timer[@]}" ${cmds[$i]} "${args[@]}" 2>&1)
    line=$(grep ' events/s=' <<<"$out")
    echo "[$r/$reps] $line"
    rate=$(sed -n 's/.* events\/s=\([0-9]*\).*/\1/p' <<<"$line")
    [[ -n $rate ]] || { echo "error: no events/s in output of ${names[$i]}: $out" >&2; exit 1; }
    rates[${names[$i]}]+="$rate "
    if [[ ${#timer[@]} -gt 0 ]]; then
      ev=$(sed -n 's/.* events=\([0-9]*\).*/\1/p' <<<"$line")
      cpu_rates[${names[$i]}]+="$(awk -v e="$ev" '/^cpu_s/ {t = $2 + $3; printf "%.0f", (t > 0) ? e / t : 0}' <<<"$out") "
    fi
  done
done

median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
report() {  # title, name of the associative array of rates
  local -n rs=$2
  local -A med
  echo
  printf '%-10s %14s   (all runs)   [%s]\n' engine 'median' "$1"
  for n in "${names[@]}"; do
    med[$n]=$(median "${rs[$n]}")
    printf '%-10s %14.0f   (%s)\n' "$n" "${med[$n]}" "${rs[$n]% }"
  done
  awk -v o="${med[oraclesim]}" -v b="${med[bare_heap]}" 'BEGIN {printf "oraclesim / bare_heap = %.2f  (bare_heap is %.2fx oraclesim)\n", o / b, b / o}'
  if [[ -n ${med[ns3]:-} ]]; then
    awk -v o="${med[oraclesim]}" -v n="${med[ns3]}" 'BEGIN {printf "oraclesim / ns3       = %.2f\n", o / n}'
  fi
}
report "events/s, wall time of the event loop" rates
[[ ${#timer[@]} -gt 0 ]] && report "events per CPU second of the process" cpu_rates
echo
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
