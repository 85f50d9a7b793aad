#pragma once
// The world of one run: the actors a ScenarioConfig asks for, built on a caller-owned Simulation. The world
// exposes its models (for analysis collectors to subscribe to their signals); it never writes files.
// It builds the engine-level PHOLD demo and the feed world (chain, providers, feeds), gives every actor a fault
// may name an ActorControl, and schedules the scenario's faults on them.
#include <memory>
#include <string>
#include <vector>

#include "models/demo/phold.hpp"
#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/faults/fault_schedule.hpp"
#include "models/feeds/feed_world.hpp"
#include "models/feeds/ocr_feed_world.hpp"
#include "models/request/request_world.hpp"
#include "models/scenario/scenario.hpp"
#include "models/streams/streams_world.hpp"
#include "sim/simulation.hpp"

namespace models::scenario {

class World {
 public:
  // Builds every actor from `cfg` (a validated config). Nothing is scheduled until start().
  World(sim::Simulation& sim, const ScenarioConfig& cfg);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Schedules the initial events of every actor.
  void start();

  sim::Simulation& simulation() { return sim_; }
  const ScenarioConfig& config() const { return cfg_; }
  // The PHOLD demo, or nullptr when demo.enabled is false.
  const demo::Phold* phold() const { return phold_.get(); }
  // The chain, providers and feeds, or nullptr when the scenario has no feeds or its feeds are OCR.
  feeds::FeedWorld* feed_world() { return feed_world_.get(); }
  // The OCR feed world (chain, providers, OCR feeds over the `network:` block), or nullptr unless the
  // scenario's feeds use `aggregation: ocr` (all feeds of a scenario use one mode).
  feeds::OcrFeedWorld* ocr_world() { return ocr_world_.get(); }
  // The fault schedule, or nullptr when the scenario has no faults or fault processes.
  const faults::FaultSchedule* fault_schedule() const { return fault_schedule_.get(); }
  // The basic request model (its own chain with the `chain:` settings), or nullptr unless requests.enabled.
  request::RequestWorld* requests() { return requests_.get(); }
  // Data Streams (DON, aggregation network, clients, Streams Trade), or nullptr unless streams.enabled. It uses
  // the feed world's chain and providers (a feed world without feeds is built for it when the scenario has none)
  // and the OCR world's network when there is one.
  streams::StreamsWorld* streams() { return streams_.get(); }

 private:
  sim::Simulation& sim_;
  const ScenarioConfig& cfg_;
  std::unique_ptr<demo::Phold> phold_;
  std::unique_ptr<feeds::FeedWorld> feed_world_;
  std::unique_ptr<feeds::OcrFeedWorld> ocr_world_;
  std::unique_ptr<request::RequestWorld> requests_;
  std::unique_ptr<streams::StreamsWorld> streams_;
  void build_streams();
  // Among fault targets, the one that leads its protocol now (crash_leader), or "".
  std::string current_leader(const std::vector<std::string>& targets) const;
  // Fault wiring (declared after the actors: destroyed first, so no fault outlives what it targets).
  void build_faults();
  faults::FaultKindRegistry fault_registry_;
  faults::ActorDirectory actors_;
  std::vector<std::unique_ptr<faults::ActorControl>> controls_;
  std::unique_ptr<faults::FaultSchedule> fault_schedule_;
};

}  // namespace models::scenario
