#include "models/streams/streams_faults.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include <fmt/core.h>

#include "models/streams/aggregation_network.hpp"

namespace models::streams {

namespace {
const double* number(const faults::Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<double>(&it->second);
}
const sim::Duration* duration(const faults::Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<sim::Duration>(&it->second);
}

void validate_degraded(const faults::FaultSpec& f, const std::string& path, sim::ConfigIssues& issues) {
  const sim::Duration* added = duration(f.params, "added_latency");
  const double* mult = number(f.params, "multiplier");
  const double* loss = number(f.params, "loss");
  if (!added && !mult && !loss) issues.add(path, "site_degraded needs added_latency, multiplier or loss");
  if (added && added->ns() < 0) issues.add(path + ".added_latency", "must be >= 0");
  if (mult && !(std::isfinite(*mult) && *mult > 0)) issues.add(path + ".multiplier", fmt::format("must be > 0 (got {})", *mult));
  if (loss && !(*loss >= 0 && *loss <= 1)) issues.add(path + ".loss", fmt::format("must be in [0, 1] (got {})", *loss));
}

std::vector<std::size_t> sites_of(const AggregationNetwork& agg, const faults::InjectedFault& f) {
  std::vector<std::size_t> out;
  for (const std::string& t : f.targets)
    if (auto i = agg.site_of_actor(t)) out.push_back(*i);
  return out;
}
}  // namespace

void register_streams_fault_kinds(faults::FaultKindRegistry& registry) {
  const std::vector<std::string> sites = {"streams-site"};
  registry.add_kind({.name = "site_outage", .target = faults::TargetUse::required, .params = {}, .validate = {}, .inject = {},
                     .target_models = sites, .one_group = false,
                     .doc = "the aggregation-network site goes down: its client connections drop, reports sent to it are "
                            "lost, and the load balancer's health checks find it dead",
                     .effects = {"connections_dropped", "messages_dropped", "report_copies_dropped"}});
  registry.add_kind({.name = "site_degraded",
                     .target = faults::TargetUse::required,
                     .params = {{"added_latency", faults::ParamType::duration, false, "added to every message, >= 0"},
                                {"multiplier", faults::ParamType::number, false, "sampled latency factor, > 0"},
                                {"loss", faults::ParamType::number, false, "extra loss per transmission, [0, 1]"}},
                     .validate = validate_degraded,
                     .inject = {},
                     .target_models = sites, .one_group = false,
                     .doc = "impairs every message between the site and the other hosts as a link fault does (health "
                            "checks too, so a slow site may leave the load balancer's rotation)",
                     .effects = {"messages_delayed", "messages_dropped"}});
  registry.add_kind(
      {.name = "lb_health_check_failure", .target = faults::TargetUse::required, .params = {}, .validate = {}, .inject = {},
       .target_models = sites, .one_group = false,
       .doc = "the load balancer's health probes of the site fail although the site keeps serving; after unhealthy_after "
              "failures the balancer routes new connections elsewhere",
       .effects = {"health_checks_failed"}});
}

void set_streams_fault_injectors(faults::FaultKindRegistry& registry, AggregationNetwork& agg) {
  registry.set_injector("site_outage", [&agg](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    const std::vector<std::size_t> hit = sites_of(agg, f);
    sim::Network& net = agg.network();
    auto is_target = std::make_shared<std::vector<char>>(net.host_count(), 0);
    for (std::size_t i : hit) (*is_target)[agg.site_host(i)] = 1;
    faults::FaultEffect* e = &effect;
    const sim::MessageKind report_kind = net.kind("streams/report");
    auto conn = std::make_shared<sim::Connection>(
        net.dropped.connect([e, is_target, report_kind](const sim::MessageInfo& m, sim::DropReason r) {
          const auto& t = *is_target;
          const bool to_site = r == sim::DropReason::receiver_down && m.to < t.size() && t[m.to];
          const bool mine = to_site || (r == sim::DropReason::sender_down && m.from < t.size() && t[m.from]);
          if (mine) e->count("messages_dropped");
          if (to_site && m.kind == report_kind) e->count("report_copies_dropped");  // a DON node's report never arrived
        }));
    for (std::size_t i : hit) agg.set_site_down(i, true, &effect);
    return faults::Healer([&agg, hit, conn] {
      conn->disconnect();
      for (std::size_t i : hit) agg.set_site_down(i, false);
    });
  });
  registry.set_injector("site_degraded", [&agg](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    sim::LinkEffect le;
    if (const sim::Duration* d = duration(f.spec->params, "added_latency")) le.added_latency = *d;
    if (const double* m = number(f.spec->params, "multiplier")) le.multiplier = *m;
    if (const double* l = number(f.spec->params, "loss")) le.loss = *l;
    std::vector<sim::ImpairmentId> ids;
    for (std::size_t i : sites_of(agg, f)) ids.push_back(agg.degrade_site(i, le, &effect));
    return faults::Healer([&agg, ids] {
      for (sim::ImpairmentId id : ids) agg.restore_site(id);
    });
  });
  registry.set_injector("lb_health_check_failure", [&agg](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    const std::vector<std::size_t> hit = sites_of(agg, f);
    for (std::size_t i : hit) agg.set_health_check_failing(i, true, &effect);
    return faults::Healer([&agg, hit] {
      for (std::size_t i : hit) agg.set_health_check_failing(i, false);
    });
  });
}

}  // namespace models::streams
