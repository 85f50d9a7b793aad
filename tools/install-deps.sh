#!/usr/bin/env bash
# Installs, with apt-get, whatever oraclesim needs that this machine lacks. Idempotent and silent when everything
# is already present.
#   tools/install-deps.sh run    what building and running the simulator needs (tools/dev run)
#   tools/install-deps.sh test   that, and what the test suite and benchmarks need (tools/dev test; the default)
set -euo pipefail

set_name=${1:-test}
run_packages=(
  g++ cmake ninja-build ccache git pkg-config
  libyaml-cpp-dev libeigen3-dev libboost-graph-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  gnuplot-nox  # the report's plots
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium                     # the report's rendering test
  libopenmpi-dev openmpi-bin   # MPI sweeps and their tests
  python3 python3-pandas       # the test that reads results with pandas (and runs docs/analysis.md's Python)
  clang libclang-rt-14-dev     # the scenario loader's fuzzer (libFuzzer) and the clang build
)
case "$set_name" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  *)
    echo "install-deps: unknown set '$set_name'; expected run or test" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
