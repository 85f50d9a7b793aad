#pragma once
// PHOLD (Fujimoto 1990), the classic synthetic discrete-event workload, built on the public Simulation API
// with one lambda per event: `lps` logical processes each start with `population` events; an event at LP i
// schedules one new event at a uniformly chosen LP at now + min_delay + exponential(mean_delay).
// The population stays constant, so the pending-event set holds lps * population events throughout.
// Used as the engine benchmark (`oraclesim bench phold`) and as the engine-level demo scenario.
#include <cstdint>
#include <vector>

#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace models::demo {

struct PholdConfig {
  std::uint32_t lps = 1024;                               // logical processes, >= 1
  std::uint32_t population = 16;                          // initial events per LP, >= 1
  sim::Duration min_delay = sim::Duration::nanoseconds(100'000);    // 0.1 ms lookahead
  sim::Duration mean_delay = sim::Duration::nanoseconds(1'000'000); // exponential part, mean 1 ms
  std::uint64_t max_events = 0;                           // stop after this many events (0: no limit)
};

class Phold {
 public:
  Phold(sim::Simulation& sim, const PholdConfig& cfg);
  // Schedules the initial population (once, before running).
  void start();
  std::uint64_t handled() const { return handled_; }
  // Events handled per LP (for checking uniformity).
  const std::vector<std::uint64_t>& per_lp() const { return per_lp_; }

 private:
  void handle(std::uint32_t lp);
  void schedule_from(std::uint32_t lp);

  sim::Simulation& sim_;
  PholdConfig cfg_;
  std::vector<sim::Rng> rng_;  // one named stream per LP: "phold/lp-<i>"
  std::vector<std::uint64_t> per_lp_;
  std::uint64_t handled_ = 0;
  std::int64_t min_delay_ns_;
  double mean_delay_ns_;
};

}  // namespace models::demo
