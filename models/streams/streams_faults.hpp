#pragma once
// The aggregation network's fault kinds for the scenario's `faults:` list; `target` names site actors
// ("streams/<site name>"):
//   - { at: 30m, kind: site_outage, target: "streams/origin-a", duration: 10m }
//       the site is down: its host drops every message, its connections and rate-limit state are lost, reports
//       reaching it meanwhile are never stored. Effects: connections_dropped, messages_dropped, report_copies_dropped
//       (report transmissions to the down site: each DON node sends every report, so one report missed counts
//       once per sending node).
//   - { at: 30m, kind: site_degraded, target: "streams/origin-b", added_latency: 500ms, loss: 0.2, duration: 10m }
//       slow or lossy: a link effect (added latency, latency multiplier, loss per transmission) between the site
//       and every other host (hosts registered by injection time). Effects: messages_delayed, messages_dropped.
//       Health checks cross the same link: once the round trip exceeds the LB's health_check_timeout the LB takes
//       the slow site out as well.
//   - { at: 30m, kind: lb_health_check_failure, target: "streams/origin-a", duration: 10m }
//       the LB's health checks of the site fail (the site keeps serving): the LB marks it unhealthy and routes
//       new connections elsewhere. Effect: health_checks_failed.
// Overlapping outages and health-check failures of a site nest; degradations add up. A built-in `crash` of a site
// actor has the effect of an outage too (its host goes down and the site forgets its connections); the host is
// up again only when neither an outage nor a crash is active.
#include "models/faults/fault_kind_registry.hpp"

namespace models::streams {

class AggregationNetwork;

// Adds the three kinds with their parameters and validators (no injectors): enough to validate a scenario.
void register_streams_fault_kinds(faults::FaultKindRegistry& registry);
// Sets the injectors that act on `agg` (the kinds must be registered). `agg` must outlive the run.
void set_streams_fault_injectors(faults::FaultKindRegistry& registry, AggregationNetwork& agg);

}  // namespace models::streams
