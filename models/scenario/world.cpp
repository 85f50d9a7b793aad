#include "models/scenario/world.hpp"

#include <optional>
#include <string>

#include "models/chain/chain_faults.hpp"
#include "models/faults/builtin_injectors.hpp"
#include "models/providers/provider_faults.hpp"
#include "models/scenario/fault_wiring.hpp"
#include "models/streams/streams_faults.hpp"

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
  if (!cfg.feeds.empty() && cfg.feeds[0].aggregation == "ocr")
    ocr_world_ = std::make_unique<feeds::OcrFeedWorld>(sim, feed_world_config(cfg), std::vector<feeds::OcrSettings>{}, cfg.network);
  else if (!cfg.feeds.empty() || cfg.streams.enabled)
    feed_world_ = std::make_unique<feeds::FeedWorld>(sim, feed_world_config(cfg));
  if (cfg.streams.enabled) build_streams();
  if (cfg.requests.enabled) {
    auto rw = cfg.requests.world();
    rw.chain = cfg.chain;
    requests_ = std::make_unique<request::RequestWorld>(sim, rw);
    request::schedule_episodes(sim, *requests_, cfg.requests.episodes);
  }
  if (!cfg.faults.empty() || !cfg.fault_processes.empty()) build_faults();
}

void World::build_streams() {
  streams::StreamsEnvironment env;
  env.network_config = cfg_.network;
  if (ocr_world_) {
    for (std::size_t i = 0; i < ocr_world_->provider_count(); ++i) env.providers.push_back(&ocr_world_->provider(i));
    env.network = &ocr_world_->network();
    env.chain = &ocr_world_->chain();
  } else {
    for (std::size_t i = 0; i < feed_world_->provider_count(); ++i) env.providers.push_back(&feed_world_->provider(i));
    env.chain = &feed_world_->chain();
  }
  env.true_price = [this](const std::string& asset) -> providers::TruePrice* {
    for (const auto& a : cfg_.assets)
      if (a.name == asset) return ocr_world_ ? &ocr_world_->true_price(asset) : &feed_world_->true_price(asset);
    return nullptr;
  };
  env.push_feed_proxy = [this](const std::string& name) -> const contracts::AggregatorProxy* {
    if (ocr_world_) {
      for (std::size_t i = 0; i < ocr_world_->feed_count(); ++i)
        if (ocr_world_->feed(i).config().name == name) return &ocr_world_->feed(i).proxy();
    } else {
      for (std::size_t i = 0; i < feed_world_->feed_count(); ++i)
        if (feed_world_->feed(i).config().name == name) return &feed_world_->feed(i).proxy();
    }
    return nullptr;
  };
  streams_ = std::make_unique<streams::StreamsWorld>(sim_, cfg_.streams, std::move(env));
}

void World::build_faults() {
  fault_registry_ = scenario_fault_registry();
  // Every actor a fault may name (the same names actors_of(cfg) lists for validation).
  auto control = [this](const std::string& name, const char* model) -> faults::ActorControl& {
    controls_.push_back(std::make_unique<faults::ActorControl>(name, model));
    actors_.add(*controls_.back());
    return *controls_.back();
  };
  if (feed_world_) {
    for (std::size_t i = 0; i < feed_world_->provider_count(); ++i) {
      providers::DataProvider& p = feed_world_->provider(i);
      p.set_control(&control(p.config().name, "provider"));
    }
    for (std::size_t f = 0; f < feed_world_->feed_count(); ++f) {
      feeds::FluxFeed& feed = feed_world_->feed(f);
      for (std::size_t i = 0; i < feed.node_count(); ++i) {
        node::ChainlinkNode& n = feed.node(i);
        faults::ActorControl& c = control(feed.config().name + "/node-" + std::to_string(i), "flux-node");
        c.on_crash = [&n] { n.crash(); };
        c.on_restart = [&n] { n.restart(); };
        feed.monitor(i).set_control(&c);
      }
    }
    chain::set_chain_fault_injectors(fault_registry_, feed_world_->chain());
    providers::set_provider_fault_injectors(fault_registry_, [fw = feed_world_.get()](const std::string& name) {
      for (std::size_t i = 0; i < fw->provider_count(); ++i)
        if (fw->provider(i).config().name == name) return &fw->provider(i);
      return static_cast<providers::DataProvider*>(nullptr);
    });
  }
  if (ocr_world_) {
    for (std::size_t i = 0; i < ocr_world_->provider_count(); ++i) {
      providers::DataProvider& p = ocr_world_->provider(i);
      p.set_control(&control(p.config().name, "provider"));
    }
    // OCR oracles own their ActorControl (model "ocr-node", named "<feed>/node-<i>").
    for (std::size_t f = 0; f < ocr_world_->feed_count(); ++f) ocr_world_->feed(f).oracles().register_actors(actors_);
    chain::set_chain_fault_injectors(fault_registry_, ocr_world_->chain());
    providers::set_provider_fault_injectors(fault_registry_, [ow = ocr_world_.get()](const std::string& name) {
      for (std::size_t i = 0; i < ow->provider_count(); ++i)
        if (ow->provider(i).config().name == name) return &ow->provider(i);
      return static_cast<providers::DataProvider*>(nullptr);
    });
  }
  if (streams_) {
    streams::StreamsWorld& sw = *streams_;
    for (int i = 0; i < sw.don().n(); ++i) actors_.add(sw.don().control(i));
    for (std::size_t i = 0; i < sw.aggregation().site_count(); ++i) actors_.add(sw.aggregation().control(i));
    if (sw.trade() != nullptr) actors_.add(sw.trade()->node().control());
    streams::set_streams_fault_injectors(fault_registry_, sw.aggregation());
  }
  sim::Network* net = ocr_world_ ? &ocr_world_->network() : streams_ ? &streams_->network() : nullptr;
  faults::install_builtin_injectors(fault_registry_, net, actors_, [this](const std::vector<std::string>& targets) {
    return current_leader(targets);
  });
  fault_schedule_ = std::make_unique<faults::FaultSchedule>(
      sim_, faults::FaultsConfig{cfg_.faults, cfg_.fault_processes}, fault_registry_, actors_.infos());
}

std::string World::current_leader(const std::vector<std::string>& targets) const {
  // The leader as the first target that is up sees it (all up nodes agree outside epoch changes).
  const auto seen_by = [&](const std::string& prefix) -> std::optional<int> {
    for (const std::string& t : targets) {
      if (t.rfind(prefix, 0) != 0) continue;
      const faults::ActorControl* c = actors_.find(t);
      if (c == nullptr || !c->up()) continue;
      return std::stoi(t.substr(prefix.size()));
    }
    return std::nullopt;
  };
  if (ocr_world_) {
    for (std::size_t f = 0; f < ocr_world_->feed_count(); ++f) {
      const std::string prefix = ocr_world_->feed(f).config().name + "/node-";
      if (const auto i = seen_by(prefix)) return prefix + std::to_string(ocr_world_->feed(f).oracles().node(*i).leader());
    }
  }
  if (streams_) {
    const std::string prefix = "streams/don/node-";
    if (const auto i = seen_by(prefix)) {
      const streams::StreamsDon& don = streams_->don();
      return prefix + std::to_string(don.leader_of(don.epoch(*i)));
    }
  }
  return "";
}

void World::start() {
  if (phold_) phold_->start();
  if (feed_world_) feed_world_->start();
  if (ocr_world_) ocr_world_->start();
  if (fault_schedule_) fault_schedule_->start();
  if (requests_) requests_->start();
  if (streams_) streams_->start();
}

}  // namespace models::scenario
