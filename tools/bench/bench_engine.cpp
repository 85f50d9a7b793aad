// Micro benchmarks of the engine through its public API (Google Benchmark):
//   schedule+run     a steady pending set of `range(0)` events; each event schedules its successor
//   schedule+cancel  schedule an event into a pending set of `range(0)` events, then cancel it
//   timer re-arm     a sim::Timer re-armed (cancel + schedule) while `range(0)` other events are pending
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/distributions.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace {

using sim::Duration;

// Fills s with n pending events spread over [1 s, 2 s) that do nothing.
void fill_background(sim::Simulation& s, std::int64_t n, sim::Rng& r) {
  for (std::int64_t i = 0; i < n; ++i)
    s.after(Duration::nanoseconds(1'000'000'000 + static_cast<std::int64_t>(sim::uniform_index(r, 1'000'000'000))),
            [] {});
}

struct Chain {
  sim::Simulation* s;
  sim::Rng* r;
  std::uint64_t left;
  void step() {
    if (left == 0) return;
    --left;
    const auto d = Duration::nanoseconds(1 + static_cast<std::int64_t>(sim::uniform_index(*r, 1'000'000)));
    s->after(d, [this] { step(); }, "bench/chain");
  }
};

void BM_ScheduleRun(benchmark::State& state) {
  const auto n = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    sim::Simulation s(1);
    sim::Rng r = s.stream("bench/schedule-run");
    std::vector<Chain> chains(static_cast<std::size_t>(n), Chain{&s, &r, 0});
    const std::uint64_t per_chain = 1'000'000 / static_cast<std::uint64_t>(n) + 1;
    for (auto& c : chains) {
      c.left = per_chain;
      c.step();
    }
    state.ResumeTiming();
    s.run();
    benchmark::DoNotOptimize(s.fingerprint());
    state.SetItemsProcessed(state.items_processed() + static_cast<std::int64_t>(s.stats().executed));
  }
}
BENCHMARK(BM_ScheduleRun)->Arg(16)->Arg(1024)->Arg(16384)->Arg(262144)->Unit(benchmark::kMillisecond);

void BM_ScheduleCancel(benchmark::State& state) {
  sim::Simulation s(1);
  sim::Rng r = s.stream("bench/schedule-cancel");
  fill_background(s, state.range(0), r);
  std::int64_t k = 0;
  for (auto _ : state) {
    auto h = s.after(Duration::nanoseconds(1 + (k++ & 0xffff)), [] {});
    benchmark::DoNotOptimize(h.cancel());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScheduleCancel)->Arg(16)->Arg(16384)->Arg(262144);

void BM_TimerRearm(benchmark::State& state) {
  sim::Simulation s(1);
  sim::Rng r = s.stream("bench/timer-rearm");
  fill_background(s, state.range(0), r);
  int fired = 0;
  sim::Timer t(s, [&fired] { ++fired; }, "bench/timer");
  std::int64_t k = 0;
  for (auto _ : state) t.arm(Duration::nanoseconds(500'000'000 + (k++ & 0xffff)));
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimerRearm)->Arg(16)->Arg(16384)->Arg(262144);

}  // namespace

BENCHMARK_MAIN();
