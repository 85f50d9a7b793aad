// PHOLD on a bare std::priority_queue of plain {time, lp} structs: the floor an event engine is measured
// against. Same workload, streams and distribution functions as models/demo/phold (the engine's version),
// but no callbacks, no cancellation and no tie-break by scheduling order (events at equal times pop in an
// unspecified but deterministic order).
//   phold_bare_heap [--lps N] [--population P] [--events E] [--seed S]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "sim/distributions.hpp"
#include "sim/random.hpp"

namespace {

struct Args {
  std::uint64_t lps = 1024;
  std::uint64_t population = 16;
  std::uint64_t events = 10'000'000;
  std::uint64_t seed = 1;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    auto value = [&]() -> std::uint64_t {
      if (i + 1 >= argc) {
        fmt::print(stderr, "error: {} needs a value\n", argv[i]);
        std::exit(2);
      }
      char* end = nullptr;
      const std::uint64_t v = std::strtoull(argv[++i], &end, 10);
      if (*end != '\0') {
        fmt::print(stderr, "error: {} expects a non-negative integer, got '{}'\n", argv[i - 1], argv[i]);
        std::exit(2);
      }
      return v;
    };
    if (std::strcmp(argv[i], "--lps") == 0) a.lps = value();
    else if (std::strcmp(argv[i], "--population") == 0) a.population = value();
    else if (std::strcmp(argv[i], "--events") == 0) a.events = value();
    else if (std::strcmp(argv[i], "--seed") == 0) a.seed = value();
    else {
      fmt::print(stderr, "usage: {} [--lps N] [--population P] [--events E] [--seed S]\n", argv[0]);
      std::exit(2);
    }
  }
  if (a.lps == 0 || a.population == 0 || a.events == 0) {
    fmt::print(stderr, "error: --lps, --population and --events must be >= 1\n");
    std::exit(2);
  }
  return a;
}

struct Event {
  std::int64_t time;  // ns
  std::uint32_t lp;
};
struct Later {
  bool operator()(const Event& a, const Event& b) const { return a.time > b.time; }
};

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  constexpr std::int64_t kMinDelayNs = 100'000;  // 0.1 ms, as PholdConfig::min_delay
  constexpr double kMeanDelayNs = 1'000'000.0;   // 1 ms, as PholdConfig::mean_delay

  const sim::RngFactory factory(a.seed, 0);
  std::vector<sim::Rng> rng;
  rng.reserve(a.lps);
  for (std::uint64_t i = 0; i < a.lps; ++i) rng.push_back(factory.stream("phold/lp-" + std::to_string(i)));
  std::vector<std::uint64_t> per_lp(a.lps, 0);

  std::vector<Event> storage;
  storage.reserve(a.lps * a.population + 1);
  std::priority_queue<Event, std::vector<Event>, Later> pq(Later{}, std::move(storage));
  std::int64_t now = 0;
  auto schedule_from = [&](std::uint32_t lp) {
    sim::Rng& r = rng[lp];
    const auto target = static_cast<std::uint32_t>(sim::uniform_index(r, a.lps));
    const auto delay = kMinDelayNs + static_cast<std::int64_t>(sim::exponential(r, kMeanDelayNs));
    pq.push(Event{now + delay, target});
  };
  for (std::uint64_t lp = 0; lp < a.lps; ++lp)
    for (std::uint64_t k = 0; k < a.population; ++k) schedule_from(static_cast<std::uint32_t>(lp));

  std::uint64_t handled = 0;
  const auto t0 = std::chrono::steady_clock::now();  // timing output only
  while (!pq.empty()) {
    const Event e = pq.top();
    pq.pop();
    now = e.time;
    ++handled;
    ++per_lp[e.lp];
    if (handled >= a.events) break;
    schedule_from(e.lp);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("phold-bare-heap lps={} population={} events={} wall_s={:.3f} events/s={:.0f} end_time_ns={}\n", a.lps,
             a.population, handled, wall, static_cast<double>(handled) / wall, now);
  return 0;
}
