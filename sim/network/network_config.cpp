#include "sim/network/network_config.hpp"

#include <cmath>
#include <set>

#include <fmt/core.h>

namespace sim {

std::string_view to_string(JitterDist d) {
  switch (d) {
    case JitterDist::none: return "none";
    case JitterDist::lognormal: return "lognormal";
    case JitterDist::pareto: return "pareto";
  }
  return "?";
}

std::string_view to_string(TopologyKind k) {
  switch (k) {
    case TopologyKind::full_mesh: return "full_mesh";
    case TopologyKind::edges: return "edges";
    case TopologyKind::random_graph: return "random_graph";
  }
  return "?";
}

std::string_view to_string(Delivery d) {
  switch (d) {
    case Delivery::reliable_ordered: return "reliable_ordered";
    case Delivery::best_effort: return "best_effort";
  }
  return "?";
}

std::string_view to_string(RandomGraphModel m) {
  switch (m) {
    case RandomGraphModel::waxman: return "waxman";
    case RandomGraphModel::geometric: return "geometric";
  }
  return "?";
}

namespace {

void check_loss(double loss, const std::string& path, ConfigIssues& issues) {
  if (!std::isfinite(loss) || loss < 0.0 || loss >= 1.0)
    issues.add(path, fmt::format("loss probability must be in [0, 1) (got {})", loss));
}

void check_latency(Duration d, const std::string& path, ConfigIssues& issues) {
  if (d.ns() < 0) issues.add(path, fmt::format("latency must be >= 0 (got {})", d));
}

void check_link(const LinkParams& l, const std::string& path, ConfigIssues& issues) {
  check_latency(l.latency, path + ".latency", issues);
  validate(l.jitter, path + ".jitter", issues);
  check_loss(l.loss, path + ".loss", issues);
}

}  // namespace

void validate(const JitterConfig& j, const std::string& path, ConfigIssues& issues) {
  if (j.dist == JitterDist::none) return;
  if (!std::isfinite(j.scale) || j.scale <= 0)
    issues.add(path + ".scale", fmt::format("must be > 0 (a fraction of the base latency, got {})", j.scale));
  if (j.dist == JitterDist::lognormal && (!std::isfinite(j.sigma) || j.sigma <= 0))
    issues.add(path + ".sigma", fmt::format("lognormal sigma must be > 0 (got {})", j.sigma));
  if (j.dist == JitterDist::pareto && (!std::isfinite(j.alpha) || j.alpha <= 0))
    issues.add(path + ".alpha", fmt::format("pareto alpha must be > 0 (got {})", j.alpha));
}

ConfigIssues validate(const NetworkConfig& cfg) {
  ConfigIssues issues;
  const std::string root = "network";

  // Regions and the latency matrix.
  std::set<std::string> regions;
  for (std::size_t i = 0; i < cfg.regions.size(); ++i) {
    const std::string& r = cfg.regions[i];
    const std::string path = fmt::format("{}.regions[{}]", root, i);
    if (r.empty()) issues.add(path, "region name must not be empty");
    else if (!regions.insert(r).second) issues.add(path, fmt::format("duplicate region '{}'", r));
  }
  const bool implicit_region = cfg.regions.empty();
  if (implicit_region) regions.insert("default");

  std::map<std::pair<std::string, std::string>, Duration> seen;  // unordered pair -> latency
  for (const auto& [a, row] : cfg.latency) {
    for (const auto& [b, d] : row) {
      const std::string path = fmt::format("{}.latency.{}.{}", root, a, b);
      bool ok = true;
      if (!regions.count(a)) {
        issues.add(path, fmt::format("unknown region '{}' (declare it in network.regions)", a));
        ok = false;
      }
      if (!regions.count(b)) {
        issues.add(path, fmt::format("unknown region '{}' (declare it in network.regions)", b));
        ok = false;
      }
      check_latency(d, path, issues);
      if (a == b && ok) {
        issues.add(path, "latency inside a region is network.intra_region_latency, not a matrix entry");
        continue;
      }
      const auto key = a < b ? std::pair{a, b} : std::pair{b, a};
      auto [it, fresh] = seen.emplace(key, d);
      if (!fresh && it->second != d)
        issues.add(path, fmt::format("conflicts with {}.latency.{}.{} ({} vs {})", root, b, a, d, it->second));
    }
  }
  check_latency(cfg.intra_region_latency, root + ".intra_region_latency", issues);
  if (cfg.topology == TopologyKind::full_mesh) {
    for (auto a = regions.begin(); a != regions.end(); ++a)
      for (auto b = std::next(a); b != regions.end(); ++b)
        if (!seen.count({*a, *b}))
          issues.add(fmt::format("{}.latency.{}.{}", root, *a, *b),
                     fmt::format("missing: no latency between regions '{}' and '{}'", *a, *b));
  }

  validate(cfg.jitter, root + ".jitter", issues);
  check_loss(cfg.loss, root + ".loss", issues);

  for (std::size_t i = 0; i < cfg.region_links.size(); ++i) {
    const RegionLinkConfig& rl = cfg.region_links[i];
    const std::string path = fmt::format("{}.region_links[{}]", root, i);
    if (!regions.count(rl.a)) issues.add(path + ".a", fmt::format("unknown region '{}'", rl.a));
    if (!regions.count(rl.b)) issues.add(path + ".b", fmt::format("unknown region '{}'", rl.b));
    if (rl.jitter) validate(*rl.jitter, path + ".jitter", issues);
    if (rl.loss) check_loss(*rl.loss, path + ".loss", issues);
  }

  // Explicit edges.
  if (cfg.topology == TopologyKind::edges && cfg.edges.empty())
    issues.add(root + ".edges", "topology 'edges' needs at least one edge");
  std::set<std::pair<std::string, std::string>> edge_set;
  for (std::size_t i = 0; i < cfg.edges.size(); ++i) {
    const EdgeConfig& e = cfg.edges[i];
    const std::string path = fmt::format("{}.edges[{}]", root, i);
    if (e.a.empty()) issues.add(path + ".a", "host name must not be empty");
    if (e.b.empty()) issues.add(path + ".b", "host name must not be empty");
    if (!e.a.empty() && e.a == e.b) issues.add(path + ".b", fmt::format("self-loop on host '{}'", e.a));
    const auto key = e.a < e.b ? std::pair{e.a, e.b} : std::pair{e.b, e.a};
    if (!edge_set.insert(key).second) issues.add(path, fmt::format("duplicate edge {} - {}", e.a, e.b));
    check_link(e.link, path, issues);
  }

  // Random graph.
  const RandomGraphConfig& g = cfg.random_graph;
  const std::string gp = root + ".random_graph";
  if (!(g.alpha > 0 && g.alpha <= 1)) issues.add(gp + ".alpha", fmt::format("must be in (0, 1] (got {})", g.alpha));
  if (!(g.beta > 0 && g.beta <= 1)) issues.add(gp + ".beta", fmt::format("must be in (0, 1] (got {})", g.beta));
  if (!(g.radius > 0 && g.radius <= 1.5))
    issues.add(gp + ".radius", fmt::format("must be in (0, 1.5] (got {})", g.radius));
  check_latency(g.latency_per_unit, gp + ".latency_per_unit", issues);
  check_latency(g.min_latency, gp + ".min_latency", issues);

  // Channels.
  if (cfg.retransmit_timeout.ns() <= 0)
    issues.add(root + ".retransmit_timeout", fmt::format("must be > 0 (got {})", cfg.retransmit_timeout));
  if (cfg.max_retransmissions > 30)
    issues.add(root + ".max_retransmissions", fmt::format("must be <= 30 (got {})", cfg.max_retransmissions));
  for (const auto& [kind, d] : cfg.channels) {
    (void)d;
    if (kind.empty()) issues.add(root + ".channels", "message kind must not be empty");
  }
  return issues;
}

}  // namespace sim
