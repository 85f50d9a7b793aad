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
  if (!cfg.feeds.empty()) feed_world_ = std::make_unique<feeds::FeedWorld>(sim, feed_world_config(cfg));
  if (cfg.requests.enabled) {
    auto rw = cfg.requests.world();
    rw.chain = cfg.chain;
    requests_ = std::make_unique<request::RequestWorld>(sim, rw);
    request::schedule_episodes(sim, *requests_, cfg.requests.episodes);
  }
}

void World::start() {
  if (phold_) phold_->start();
  if (feed_world_) feed_world_->start();
  if (requests_) requests_->start();
}

}  // namespace models::scenario
