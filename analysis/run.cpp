#include "analysis/run.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "analysis/chain_collector.hpp"
#include "analysis/fault_metrics.hpp"
#include "analysis/phold_collector.hpp"
#include "analysis/subsystems.hpp"
#include "models/world/world.hpp"
#include "sim/simulation.hpp"

namespace analysis {

namespace {

// The environment's collectors (engine, chain, faults), then each built subsystem's, in registration order.
std::vector<std::unique_ptr<Collector>> attach_collectors(models::world::World& world, const Registry& registry) {
  const auto& cfg = world.config();
  const RunContext run{world, cfg, sim::Time::zero() + cfg.warmup, sim::Time::zero() + cfg.duration};
  std::vector<std::unique_ptr<Collector>> c;
  c.push_back(std::make_unique<EngineCollector>(world.simulation()));
  for (const Subsystem& s : registry.subsystems()) {
    models::world::Part* part = world.part(s.name);
    if (part != nullptr && s.collectors) s.collectors(*part, run, c);
  }
  if (world.environment().has_chain()) c.push_back(std::make_unique<ChainCollector>(world, run.warmup_end));
  if (const auto* faults = world.fault_schedule()) c.push_back(std::make_unique<FaultCollector>(*faults));
  return c;
}

}  // namespace

RunResult run_one(const models::scenario::ScenarioConfig& cfg, std::uint64_t seed, std::uint64_t replication) {
  return run_one(cfg, seed, replication, builtin_registry());
}

RunResult run_one(const models::scenario::ScenarioConfig& cfg, std::uint64_t seed, std::uint64_t replication,
                  const Registry& registry, const RunProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();  // wall_s only
  sim::Simulation sim(seed, replication);
  const auto world_ptr = registry.make_world(sim, cfg);
  models::world::World& world = *world_ptr;
  auto collectors = attach_collectors(world, registry);
  SeriesRecorder recorder(cfg.record.timeseries);
  world.start();

  const sim::Time end = sim::Time::zero() + cfg.duration;
  const sim::Duration one_ns = sim::Duration::nanoseconds(1);
  // Events at or after `warmup` are measured: begin_measurement runs once every earlier event has run.
  bool measuring = cfg.warmup.ns() == 0;
  const sim::Time last_warm = sim::Time::zero() + cfg.warmup - one_ns;
  if (measuring)
    for (auto& c : collectors) c->begin_measurement(sim::Time::zero());
  sim::Time next_sample = recorder.active() ? sim::Time::zero() : sim::Time::max();
  const sim::Duration progress_step = std::max(one_ns, cfg.duration / 1000);
  sim::Time next_progress = progress ? sim::Time::zero() + progress_step : sim::Time::max();
  while (!sim.stopped()) {
    sim::Time next = std::min({end, next_sample, next_progress});
    if (!measuring) next = std::min(next, last_warm);
    sim.run_until(next);
    if (sim.stopped()) break;
    if (next == next_progress) {
      progress(next, sim.stats().executed);
      next_progress = next_progress + progress_step;
    }
    if (!measuring && next == last_warm) {
      measuring = true;
      for (auto& c : collectors) c->begin_measurement(last_warm + one_ns);
    }
    if (next == next_sample) {
      for (auto& c : collectors) c->sample(next, recorder);
      next_sample = next_sample + cfg.record.every;
    }
    if (next == end) break;
  }
  const sim::Time stop = std::min(sim.now(), end);
  if (recorder.active())
    for (auto& c : collectors) c->flush_series(recorder);
  RunResult r;
  // Each collector writes its own metrics; two collectors naming the same metric is a bug, never an overwrite.
  for (auto& c : collectors) {
    MetricSet mine;
    c->finish(stop, mine);
    for (const auto& [name, value] : mine.values()) {
      if (r.metrics.get(name)) throw std::logic_error("two collectors report the metric '" + name + "'");
      if (registry.find_metric(name) == nullptr)
        throw std::logic_error("a collector reports the metric '" + name +
                               "', which no registration names: add it to the subsystem's metrics "
                               "(analysis/metric_catalogue.cpp for the built-in ones)");
      r.metrics.set(name, value);
    }
  }
  r.fingerprint = sim.fingerprint();
  r.events = sim.stats().executed;
  r.series = recorder.take();
  if (const auto* faults = world.fault_schedule())
    for (const auto& e : faults->timeline())
      r.faults.push_back({(e.at - sim::Time::zero()).ns(), e.source, e.kind, e.heal, e.targets});
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace analysis
