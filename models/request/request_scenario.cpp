#include "models/request/request_scenario.hpp"

#include <fmt/core.h>

namespace models::request {

RequestWorldConfig RequestsConfig::world() const {
  RequestWorldConfig w;
  feeds::AssetConfig a;
  a.name = "ETH/USD";
  a.process.start = price_start;
  a.process.volatility = price_volatility;
  w.assets = {a};
  w.providers = providers;
  if (w.providers.empty()) {
    providers::ProviderConfig p;
    p.name = "exchange-a";
    w.providers = {p};
  }
  for (auto& p : w.providers) p.asset = "ETH/USD";
  w.operators = operators.empty() ? std::vector<OperatorSetup>{OperatorSetup{}} : operators;
  w.consumers = consumers.empty() ? std::vector<ConsumerSetup>{ConsumerSetup{}} : consumers;
  return w;
}

sim::ConfigIssues RequestsConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (!enabled) return out;
  if (!(price_start > 0)) out.add(path + ".price_start", "must be > 0 (USD)");
  if (!(price_volatility >= 0)) out.add(path + ".price_volatility", "must be >= 0");
  if (!(link_eth > 0)) out.add(path + ".link_eth", "must be > 0 (ETH per LINK)");
  const auto w = world();
  const sim::ConfigIssues nested = w.validate(path);
  for (const auto& i : nested.items()) out.add(i.path.rfind("providers", 0) == 0 ? path + "." + i.path : i.path, i.message);
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    const auto& e = episodes[i];
    const std::string ep = fmt::format("{}.episodes[{}]", path, i);
    if (e.at.ns() < 0) out.add(ep + ".at", "must be >= 0");
    if (e.duration.ns() <= 0) out.add(ep + ".duration", "must be > 0");
    bool known = false;
    if (e.kind == RequestEpisode::Kind::node_down) {
      for (const auto& o : w.operators) known = known || o.name == e.target;
      if (!known) out.add(ep + ".target", "unknown operator '" + e.target + "'");
    } else if (e.kind == RequestEpisode::Kind::api_outage) {
      for (const auto& p : w.providers) known = known || p.name == e.target;
      if (!known) out.add(ep + ".target", "unknown provider '" + e.target + "'");
    } else if (!(e.multiplier > 0)) {
      out.add(ep + ".multiplier", "must be > 0");
    }
  }
  return out;
}

void schedule_episodes(sim::Simulation& sim, RequestWorld& world, const std::vector<RequestEpisode>& episodes) {
  for (const auto& e : episodes) {
    const sim::Time start = sim::Time::zero() + e.at, end = start + e.duration;
    switch (e.kind) {
      case RequestEpisode::Kind::congestion: {
        auto id = std::make_shared<std::uint64_t>(0);
        sim.at(start, [&world, id, m = e.multiplier] { *id = world.chain().add_congestion(m); }, "request/congestion");
        sim.at(end, [&world, id] { world.chain().remove_congestion(*id); }, "request/congestion-end");
        break;
      }
      case RequestEpisode::Kind::node_down: {
        std::size_t idx = 0;
        for (std::size_t i = 0; i < world.operator_count(); ++i)
          if (world.config().operators[i].name == e.target) idx = i;
        sim.at(start, [&world, idx] { world.node(idx).crash(); }, "request/node-down");
        sim.at(end, [&world, idx] { world.node(idx).restart(); }, "request/node-up");
        break;
      }
      case RequestEpisode::Kind::api_outage: {
        const std::string name = e.target;
        sim.at(start, [&world, name] { world.provider(name).set_outage(true); }, "request/api-outage");
        sim.at(end, [&world, name] { world.provider(name).set_outage(false); }, "request/api-outage-end");
        break;
      }
    }
  }
}

}  // namespace models::request
