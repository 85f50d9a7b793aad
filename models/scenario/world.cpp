#include "models/scenario/world.hpp"

namespace models::scenario {

World::World(sim::Simulation& sim, const ScenarioConfig& cfg) : sim_(sim), cfg_(cfg) {
  if (cfg.demo.enabled) {
    demo::PholdConfig p;
    p.lps = cfg.demo.lps;
    p.population = cfg.demo.population;
    p.min_delay = cfg.demo.min_delay;
    p.mean_delay = cfg.demo.mean_delay;
    phold_ = std::make_unique<demo::Phold>(sim, p);
  }
}

void World::start() {
  if (phold_) phold_->start();
}

}  // namespace models::scenario
