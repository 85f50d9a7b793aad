#include "analysis/run.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "analysis/fault_metrics.hpp"
#include "analysis/feed_probe.hpp"
#include "analysis/ocr_feed_probe.hpp"
#include "analysis/phold_collector.hpp"
#include "analysis/request_metrics.hpp"
#include "analysis/streams_collector.hpp"
#include "models/scenario/world.hpp"
#include "sim/simulation.hpp"

namespace analysis {

namespace {

// The collectors for the actors a world holds. A new model's collector is attached here.
std::vector<std::unique_ptr<Collector>> attach_collectors(models::scenario::World& world) {
  std::vector<std::unique_ptr<Collector>> c;
  c.push_back(std::make_unique<EngineCollector>(world.simulation()));
  if (world.phold()) c.push_back(std::make_unique<PholdCollector>(*world.phold()));
  if (auto* fw = world.feed_world()) {
    for (std::size_t i = 0; i < fw->feed_count(); ++i)
      c.push_back(std::make_unique<FeedCollector>(*fw, i, fw->feed_count() == 1 ? "" : fw->feed(i).config().name + "."));
  }
  if (auto* ow = world.ocr_world()) {
    const auto& cfg = world.config();
    for (std::size_t i = 0; i < ow->feed_count(); ++i)
      c.push_back(std::make_unique<OcrFeedCollector>(*ow, i, ow->feed_count() == 1 ? "" : ow->feed(i).config().name + ".",
                                                     cfg.warmup, cfg.duration));
  }
  if (auto* rw = world.requests())
    c.push_back(std::make_unique<RequestMetricsCollector>(*rw, RequestMetricsConfig{world.config().requests.link_eth}));
  if (auto* sw = world.streams())
    c.push_back(std::make_unique<StreamsCollector>(world.simulation(), *sw, sim::Time() + world.config().warmup));
  if (const auto* faults = world.fault_schedule()) c.push_back(std::make_unique<FaultCollector>(*faults));
  return c;
}

}  // namespace

RunResult run_one(const models::scenario::ScenarioConfig& cfg, std::uint64_t seed, std::uint64_t replication) {
  const auto t0 = std::chrono::steady_clock::now();  // wall_s only
  sim::Simulation sim(seed, replication);
  models::scenario::World world(sim, cfg);
  auto collectors = attach_collectors(world);
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
  while (!sim.stopped()) {
    sim::Time next = std::min(end, next_sample);
    if (!measuring) next = std::min(next, last_warm);
    sim.run_until(next);
    if (sim.stopped()) break;
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
  RunResult r;
  for (auto& c : collectors) c->finish(stop, r.metrics);
  r.fingerprint = sim.fingerprint();
  r.events = sim.stats().executed;
  r.series = recorder.take();
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace analysis
