#include "models/faults/fault_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "models/faults/glob.hpp"
#include "sim/distributions.hpp"

namespace models::faults {

namespace {

std::vector<std::string> involved(const InjectedFault& f) {
  std::vector<std::string> out = f.targets;
  for (const auto& g : f.groups) out.insert(out.end(), g.begin(), g.end());
  out.insert(out.end(), f.from.begin(), f.from.end());
  out.insert(out.end(), f.to.begin(), f.to.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

sim::Duration exp_duration(sim::Rng& rng, double mean_ns) {
  return sim::Duration::nanoseconds(static_cast<std::int64_t>(std::llround(sim::exponential(rng, mean_ns))));
}

}  // namespace

FaultSchedule::FaultSchedule(sim::Simulation& sim, FaultsConfig cfg, const FaultKindRegistry& registry,
                             std::vector<ActorInfo> actors)
    : sim_(sim), cfg_(std::move(cfg)), registry_(registry) {
  const sim::ConfigIssues issues = validate(cfg_, registry_, actors);
  issues.throw_if_any("invalid fault configuration");
  for (const ActorInfo& a : actors) {
    if (a.actor) names_.push_back(a.name);
    if (a.host) hosts_.push_back(a.name);
  }
  std::sort(names_.begin(), names_.end());
  std::sort(hosts_.begin(), hosts_.end());
}

FaultSchedule::~FaultSchedule() {
  for (sim::EventHandle& h : pending_) h.cancel();
}

const FaultKindInfo& FaultSchedule::kind_of(const std::string& kind) const {
  const FaultKindInfo* k = registry_.find_kind(kind);
  if (!k) throw std::logic_error(fmt::format("fault kind '{}' is not registered", kind));
  if (!k->inject) throw std::logic_error(fmt::format("fault kind '{}' has no injector in this world", kind));
  return *k;
}

void FaultSchedule::keep(sim::EventHandle h) {
  if (pending_.size() >= prune_at_) {  // forget handles of events that already ran
    std::erase_if(pending_, [](const sim::EventHandle& e) { return !e.pending(); });
    prune_at_ = std::max<std::size_t>(64, 2 * pending_.size());
  }
  pending_.push_back(h);
}

void FaultSchedule::start() {
  if (started_) throw std::logic_error("FaultSchedule::start called twice");
  started_ = true;
  const sim::Time zero = sim::Time::zero();

  for (std::size_t i = 0; i < cfg_.faults.size(); ++i) {
    const FaultSpec& spec = cfg_.faults[i];
    (void)kind_of(spec.kind);  // fail early, before the run, when an injector is missing
    InjectedFault f;
    f.source = fmt::format("faults[{}]", i);
    f.spec = &spec;
    sim::Rng rng = sim_.stream(spec.target.stream.empty() ? f.source + "/target" : spec.target.stream);
    f.targets = resolve_target(spec.target, names_, rng);
    for (const auto& g : spec.groups) f.groups.push_back(match_all(g, hosts_));
    f.from = match_all(spec.from, hosts_);
    f.to = match_all(spec.to, hosts_);
    resolved_.push_back(std::move(f));
    const InjectedFault* rf = &resolved_.back();
    const std::optional<sim::Duration> duration = spec.duration;
    keep(sim_.at(zero + spec.at, [this, rf, duration] { inject(*rf, duration); }, "faults/inject"));
  }

  for (std::size_t i = 0; i < cfg_.processes.size(); ++i) {
    const RandomCrashProcess& p = cfg_.processes[i];
    (void)kind_of("crash");
    const std::string prefix = p.stream.empty() ? fmt::format("fault_processes[{}]", i) : p.stream;
    sim::Rng pick = sim_.stream(prefix + "/target");
    for (const std::string& actor : resolve_target(p.target, names_, pick)) {
      FaultSpec spec;
      spec.kind = "crash";
      spec.target.patterns = {actor};
      processes_.push_back(Process{prefix + "/" + actor, actor, sim_.stream(prefix + "/" + actor), spec,
                                   static_cast<double>(p.mtbf.ns()), static_cast<double>(p.mttr.ns()),
                                   p.stop ? std::optional<sim::Time>(zero + *p.stop) : std::nullopt, 0});
      Process& proc = processes_.back();
      keep(sim_.at(zero + p.start, [this, &proc] { next_crash(proc); }, "faults/process"));
    }
  }
}

void FaultSchedule::next_crash(Process& p) {
  const sim::Time at = sim_.now() + exp_duration(p.rng, p.mtbf_ns);
  if (p.stop && at > *p.stop) return;
  const sim::Duration down = exp_duration(p.rng, p.mttr_ns);
  keep(sim_.at(at, [this, &p, down] {
    InjectedFault f;
    f.source = fmt::format("{}#{}", p.prefix, p.crashes++);
    f.spec = &p.spec;
    f.targets = {p.actor};
    resolved_.push_back(std::move(f));
    inject(resolved_.back(), down);
    // The next up period starts when this crash heals (scheduled after the heal at the same time).
    keep(sim_.at(sim_.now() + down, [this, &p] { next_crash(p); }, "faults/process"));
  }, "faults/process"));
}

void FaultSchedule::inject(const InjectedFault& f, std::optional<sim::Duration> duration) {
  const FaultKindInfo& kind = kind_of(f.spec->kind);
  FaultEffect& effect = effects_.emplace_back();
  effect.source = f.source;
  effect.kind = f.spec->kind;
  effect.targets = involved(f);
  effect.injected_at = sim_.now();
  Healer heal = kind.inject(f, effect);
  timeline_.push_back({sim_.now(), f.source, effect.kind, false, effect.targets});
  injected.emit(effect);
  if (!duration) {
    permanent_.push_back(std::move(heal));  // keeps the injector's hooks alive for the rest of the run
    return;
  }
  FaultEffect* e = &effect;
  keep(sim_.after(*duration, [this, e, heal = std::move(heal)] {
    if (heal) heal();
    e->healed_at = sim_.now();
    timeline_.push_back({sim_.now(), e->source, e->kind, true, e->targets});
    healed.emit(*e);
  }, "faults/heal", -1));
}

std::vector<const FaultEffect*> FaultSchedule::without_effect() const {
  std::vector<const FaultEffect*> out;
  for (const FaultEffect& e : effects_)
    if (!e.had_effect()) out.push_back(&e);
  return out;
}

}  // namespace models::faults
