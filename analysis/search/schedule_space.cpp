#include "analysis/search/schedule_space.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <variant>

#include "models/faults/glob.hpp"
#include "models/scenario/units.hpp"
#include "sim/distributions.hpp"

namespace analysis::search {

namespace mf = models::faults;
using models::scenario::format_duration;
using models::scenario::format_number;

namespace {

constexpr int kMaxTries = 32;  // draws of a mutation before falling back to a fresh schedule

sim::Duration grain_of(sim::Duration span) {
  return span >= sim::Duration::nanoseconds(10'000'000'000) ? sim::Duration::nanoseconds(1'000'000'000)
                                                              : sim::Duration::nanoseconds(1'000'000);
}

// A number in [lo, hi] with four significant digits of the range, computed as an integer over a power of ten so that
// its shortest text reads back to the same double.
double quantize(double x, double lo, double hi) {
  if (!(hi > lo)) return lo;
  const int m = 3 - static_cast<int>(std::floor(std::log10(hi - lo)));
  const double scale = std::pow(10.0, std::abs(m));
  const auto snap = [&](double v) { return m > 0 ? std::round(v * scale) / scale : std::round(v / scale) * scale; };
  double v = snap(x);
  if (v < lo) v = snap(lo) < lo ? lo : snap(lo);
  if (v > hi) v = snap(hi) > hi ? hi : snap(hi);
  return v;
}

bool is_partition(const std::string& kind) { return kind == "partition"; }
bool is_link(const std::string& kind) { return kind == "link"; }

std::string names(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", \"" : "\"") + v[i] + "\"";
  return s + "]";
}

std::string param_text(const mf::ParamValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
  if (const auto* t = std::get_if<sim::Duration>(&v)) return format_duration(*t);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "\"" + std::get<std::string>(v) + "\"";
}

// The network hosts matching `globs`, sorted, each once.
std::vector<std::string> hosts_matching(const std::vector<std::string>& globs, std::span<const mf::ActorInfo> actors) {
  std::vector<std::string> hosts;
  for (const auto& a : actors)
    if (a.host) hosts.push_back(a.name);
  return mf::match_all(globs, hosts);
}

// The value of a param's range closest to zero (0 when the range holds it): where a milder param moves.
double magnitude_target(double lo, double hi) { return std::clamp(0.0, lo, hi); }

}  // namespace

ScheduleSpace::ScheduleSpace(const mf::SearchConfig& cfg, sim::Duration run_duration, std::span<const mf::ActorInfo> actors,
                             const mf::FaultKindRegistry& kinds)
    : cfg_(cfg), start_(cfg.start), end_(cfg.end.value_or(run_duration)), kinds_(kinds), actors_(actors.begin(), actors.end()) {
  if (end_ <= start_) throw std::invalid_argument("search: the injection window is empty");
  for (std::size_t i = 0; i < cfg_.faults.size(); ++i) {
    const mf::SearchFault& f = cfg_.faults[i];
    Entry e;
    e.index = i;
    e.max = f.max.value_or(cfg_.max_faults);
    const mf::FaultKindInfo* kind = kinds.find_kind(f.kind);
    if (kind == nullptr) throw std::invalid_argument(fmt::format("search.faults[{}]: unknown kind '{}'", i, f.kind));
    const auto fits = [&](const mf::ActorInfo& a) {
      if (!kind->target_models.empty() &&
          std::find(kind->target_models.begin(), kind->target_models.end(), a.model) == kind->target_models.end())
        return false;
      return f.kind != "byzantine" || kinds.find_behaviour(a.model, f.behaviour) != nullptr;
    };
    if (is_partition(f.kind) || is_link(f.kind)) {
      e.shape = is_partition(f.kind) ? Shape::groups : Shape::link;
      e.pool = hosts_matching(f.hosts, actors);
      if (e.pool.size() < 2) throw std::invalid_argument(fmt::format("search.faults[{}].hosts: fewer than two hosts", i));
    } else if (!f.target.empty()) {
      e.shape = Shape::target;
      std::vector<std::string> candidates;
      for (const auto& a : actors)
        if (a.actor && fits(a)) candidates.push_back(a.name);
      e.pool = mf::match_all(f.target, candidates);
      if (e.pool.empty()) throw std::invalid_argument(fmt::format("search.faults[{}].target: matches no actor", i));
    }
    entries_.push_back(std::move(e));
  }
  if (entries_.empty()) throw std::invalid_argument("search.faults: no fault to search over");
}

sim::Duration ScheduleSpace::draw_time(sim::Duration lo, sim::Duration hi, sim::Rng& rng) const {
  if (hi <= lo) return lo;
  const sim::Duration g = grain_of(hi - lo);
  const std::int64_t steps = (hi - lo) / g;
  return lo + g * sim::uniform_int(rng, 0, steps);
}

void ScheduleSpace::draw_targets(const Entry& e, mf::FaultSpec& f, sim::Rng& rng) const {
  std::vector<std::string> pool = e.pool;
  sim::shuffle(rng, std::span<std::string>(pool));
  switch (e.shape) {
    case Shape::none:
      break;
    case Shape::target: {
      const auto most = std::min<std::size_t>(spec(e).max_targets, pool.size());
      pool.resize(static_cast<std::size_t>(sim::uniform_int(rng, 1, static_cast<std::int64_t>(most))));
      std::sort(pool.begin(), pool.end());
      f.target.patterns = pool;
      break;
    }
    case Shape::groups: {
      const auto cut = static_cast<std::size_t>(sim::uniform_int(rng, 1, static_cast<std::int64_t>(pool.size() - 1)));
      std::vector<std::string> a(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(cut)), b(pool.begin() + static_cast<std::ptrdiff_t>(cut), pool.end());
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      f.groups = {a, b};
      break;
    }
    case Shape::link: {
      const auto most = std::min<std::size_t>(spec(e).max_targets, pool.size() - 1);
      const auto cut = static_cast<std::size_t>(sim::uniform_int(rng, 1, static_cast<std::int64_t>(most)));
      f.from.assign(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(cut));
      f.to.assign(pool.begin() + static_cast<std::ptrdiff_t>(cut), pool.end());
      std::sort(f.from.begin(), f.from.end());
      std::sort(f.to.begin(), f.to.end());
      break;
    }
  }
}

ScheduledFault ScheduleSpace::draw(std::size_t entry, sim::Rng& rng) const {
  const Entry& e = entries_[entry];
  const mf::SearchFault& s = spec(e);
  ScheduledFault out;
  out.entry = entry;
  mf::FaultSpec& f = out.fault;
  f.kind = s.kind;
  f.behaviour = s.behaviour;
  f.at = draw_time(start_, end_ - grain_of(end_ - start_), rng);
  if (s.duration_lo) f.duration = draw_time(*s.duration_lo, *s.duration_hi, rng);
  draw_targets(e, f, rng);
  for (const auto& [name, p] : s.params) {
    if (!p.hi) {
      f.params[name] = p.lo;
    } else if (const auto* lo = std::get_if<double>(&p.lo)) {
      const double hi = std::get<double>(*p.hi);
      f.params[name] = quantize(sim::uniform(rng, *lo, hi), *lo, hi);
    } else {
      f.params[name] = draw_time(std::get<sim::Duration>(p.lo), std::get<sim::Duration>(*p.hi), rng);
    }
  }
  return out;
}

std::vector<std::string> ScheduleSpace::faulty_actors(const Schedule& s) const {
  std::set<std::string> hit;
  for (const auto& f : s)
    if (entries_.at(f.entry).shape == Shape::target) hit.insert(f.fault.target.patterns.begin(), f.fault.target.patterns.end());
  return {hit.begin(), hit.end()};
}

bool ScheduleSpace::admissible(const Schedule& s) const {
  if (s.size() > cfg_.max_faults) return false;
  std::vector<std::uint32_t> count(entries_.size(), 0);
  for (const auto& f : s) {
    if (f.entry >= entries_.size() || ++count[f.entry] > entries_[f.entry].max) return false;
    if (f.fault.at < start_ || f.fault.at >= end_) return false;
  }
  if (cfg_.max_faulty != 0 && faulty_actors(s).size() > cfg_.max_faulty) return false;
  // Each fault as the scenario's faults: would be checked (limits between params a draw may break).
  mf::FaultsConfig faults;
  for (const auto& f : s) faults.faults.push_back(f.fault);
  return mf::validate(faults, kinds_, actors_).empty();
}

Schedule ScheduleSpace::random(sim::Rng& rng) const {
  const auto n = static_cast<std::size_t>(sim::uniform_int(rng, 1, cfg_.max_faults));
  Schedule s;
  for (int tries = 0; s.size() < n && tries < kMaxTries; ++tries) {
    Schedule next = s;
    next.push_back(draw(static_cast<std::size_t>(sim::uniform_index(rng, entries_.size())), rng));
    if (admissible(next)) s = std::move(next);
  }
  std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.fault.at < b.fault.at; });
  return s;
}

bool ScheduleSpace::change_targets(const Entry& e, mf::FaultSpec& f, sim::Rng& rng) const {
  if (e.shape != Shape::target) {
    if (e.shape == Shape::none) return false;
    draw_targets(e, f, rng);  // a new split of the hosts
    return true;
  }
  auto& t = f.target.patterns;
  std::vector<std::string> others;
  for (const auto& a : e.pool)
    if (std::find(t.begin(), t.end(), a) == t.end()) others.push_back(a);
  const auto op = sim::uniform_index(rng, 3);
  if (op == 0 && t.size() < spec(e).max_targets && !others.empty()) {
    t.push_back(others[sim::uniform_index(rng, others.size())]);
  } else if (op == 1 && t.size() > 1) {
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(sim::uniform_index(rng, t.size())));
  } else if (!others.empty()) {
    t[sim::uniform_index(rng, t.size())] = others[sim::uniform_index(rng, others.size())];
  } else {
    return false;
  }
  std::sort(t.begin(), t.end());
  return true;
}

Schedule ScheduleSpace::mutate(const Schedule& parent, sim::Rng& rng) const {
  for (int tries = 0; tries < kMaxTries; ++tries) {
    Schedule s = parent;
    const int changes = 1 + static_cast<int>(sim::uniform_index(rng, 2));
    bool changed = false;
    for (int c = 0; c < changes; ++c) {
      const auto op = sim::uniform_index(rng, 6);
      if (op == 0 || s.empty()) {  // add a fault
        s.push_back(draw(static_cast<std::size_t>(sim::uniform_index(rng, entries_.size())), rng));
        changed = true;
        continue;
      }
      const auto i = static_cast<std::size_t>(sim::uniform_index(rng, s.size()));
      mf::FaultSpec& f = s[i].fault;
      const Entry& e = entries_[s[i].entry];
      const mf::SearchFault& sp = spec(e);
      switch (op) {
        case 1:  // drop it
          if (s.size() > 1) {
            s.erase(s.begin() + static_cast<std::ptrdiff_t>(i));
            changed = true;
          }
          break;
        case 2:  // retime
          f.at = draw_time(start_, end_ - grain_of(end_ - start_), rng);
          changed = true;
          break;
        case 3:  // a new duration
          if (sp.duration_lo && *sp.duration_hi > *sp.duration_lo) {
            f.duration = draw_time(*sp.duration_lo, *sp.duration_hi, rng);
            changed = true;
          }
          break;
        case 4: {  // one param drawn again
          std::vector<std::string> ranged;
          for (const auto& [name, p] : sp.params)
            if (p.hi) ranged.push_back(name);
          if (!ranged.empty()) {
            const auto fresh = draw(s[i].entry, rng);
            const auto& name = ranged[sim::uniform_index(rng, ranged.size())];
            f.params[name] = fresh.fault.params.at(name);
            changed = true;
          }
          break;
        }
        default:
          changed = change_targets(e, f, rng) || changed;
          break;
      }
    }
    std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.fault.at < b.fault.at; });
    if (changed && !s.empty() && admissible(s) && schedule_yaml(s) != schedule_yaml(parent)) return s;
  }
  return random(rng);
}

std::vector<ShrinkStep> ScheduleSpace::shrink_steps(const Schedule& s) const {
  std::vector<ShrinkStep> out;
  const auto push = [&](Schedule next, std::string change) {
    if (admissible(next)) out.push_back({std::move(next), std::move(change)});
  };
  // Fewer faults.
  for (std::size_t i = 0; i < s.size(); ++i) {
    Schedule next = s;
    next.erase(next.begin() + static_cast<std::ptrdiff_t>(i));
    push(std::move(next), fmt::format("drop faults[{}] ({})", i, s[i].fault.kind));
  }
  // Fewer actors or hosts.
  for (std::size_t i = 0; i < s.size(); ++i) {
    const mf::FaultSpec& f = s[i].fault;
    for (std::size_t j = 0; f.target.patterns.size() > 1 && j < f.target.patterns.size(); ++j) {
      Schedule next = s;
      auto& t = next[i].fault.target.patterns;
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(j));
      push(std::move(next), fmt::format("spare {} from faults[{}]", f.target.patterns[j], i));
    }
    for (std::size_t g = 0; g < f.groups.size(); ++g)
      for (std::size_t j = 0; f.groups[g].size() > 1 && j < f.groups[g].size(); ++j) {
        Schedule next = s;
        auto& h = next[i].fault.groups[g];
        h.erase(h.begin() + static_cast<std::ptrdiff_t>(j));
        push(std::move(next), fmt::format("leave {} out of faults[{}]'s partition", f.groups[g][j], i));
      }
    for (auto side : {&mf::FaultSpec::from, &mf::FaultSpec::to})
      for (std::size_t j = 0; (f.*side).size() > 1 && j < (f.*side).size(); ++j) {
        Schedule next = s;
        auto& h = next[i].fault.*side;
        h.erase(h.begin() + static_cast<std::ptrdiff_t>(j));
        push(std::move(next), fmt::format("leave {} out of faults[{}]'s link", (f.*side)[j], i));
      }
  }
  // Shorter faults.
  for (std::size_t i = 0; i < s.size(); ++i) {
    const mf::SearchFault& sp = spec(entries_[s[i].entry]);
    const auto& d = s[i].fault.duration;
    if (!d || !sp.duration_lo || *d <= *sp.duration_lo) continue;
    const sim::Duration g = grain_of(*sp.duration_hi - *sp.duration_lo);
    const sim::Duration half = std::max(*sp.duration_lo, (*d / 2) / g * g);
    for (const sim::Duration shorter : {*sp.duration_lo, half}) {
      if (shorter >= *d || (shorter == half && half == *sp.duration_lo)) continue;
      Schedule next = s;
      next[i].fault.duration = shorter;
      push(std::move(next), fmt::format("shorten faults[{}] to {}", i, format_duration(shorter)));
    }
  }
  // Milder params.
  for (std::size_t i = 0; i < s.size(); ++i) {
    const mf::SearchFault& sp = spec(entries_[s[i].entry]);
    for (const auto& [name, p] : sp.params) {
      if (!p.hi) continue;
      const auto it = s[i].fault.params.find(name);
      if (it == s[i].fault.params.end()) continue;
      // The mildest value first, then halfway to it.
      std::vector<mf::ParamValue> milder;
      if (const auto* v = std::get_if<double>(&it->second)) {
        const double lo = std::get<double>(p.lo), hi = std::get<double>(*p.hi), target = magnitude_target(lo, hi);
        const double half = quantize(target + (*v - target) / 2, lo, hi);
        if (target != *v) milder.emplace_back(target);
        if (half != *v && half != target) milder.emplace_back(half);
      } else {
        const auto d = std::get<sim::Duration>(it->second);
        const auto lo = std::get<sim::Duration>(p.lo), hi = std::get<sim::Duration>(*p.hi);
        const sim::Duration target = std::clamp(sim::Duration{}, lo, hi), g = grain_of(hi - lo);
        const sim::Duration half = target + ((d - target) / 2) / g * g;
        if (target != d) milder.emplace_back(target);
        if (half != d && half != target) milder.emplace_back(half);
      }
      for (const auto& m : milder) {
        Schedule next = s;
        next[i].fault.params[name] = m;
        push(std::move(next), fmt::format("lower faults[{}].{} to {}", i, name, param_text(m)));
      }
    }
  }
  // Earlier faults.
  for (std::size_t i = 0; i < s.size(); ++i) {
    const sim::Duration g = grain_of(end_ - start_);
    const sim::Duration half = start_ + ((s[i].fault.at - start_) / 2) / g * g;
    for (const sim::Duration at : {start_, half}) {
      if (at >= s[i].fault.at || (at == half && half == start_)) continue;
      Schedule next = s;
      next[i].fault.at = at;
      std::stable_sort(next.begin(), next.end(), [](const auto& a, const auto& b) { return a.fault.at < b.fault.at; });
      push(std::move(next), fmt::format("move faults[{}] to {}", i, format_duration(at)));
    }
  }
  return out;
}

sim::ConfigIssues validate_search(const mf::SearchConfig& cfg, const mf::FaultKindRegistry& kinds,
                                  std::span<const mf::ActorInfo> actors) {
  sim::ConfigIssues out;
  for (std::size_t i = 0; i < cfg.faults.size(); ++i) {
    const mf::SearchFault& s = cfg.faults[i];
    const std::string path = fmt::format("search.faults[{}]", i);
    const mf::FaultKindInfo* kind = kinds.find_kind(s.kind);
    const bool hosts = is_partition(s.kind) || is_link(s.kind);
    if (kind != nullptr && hosts && s.hosts.empty())
      out.add(path + ".hosts", fmt::format("{} acts on network hosts: give hosts (globs) for the search to split or impair", s.kind));
    if (!hosts && !s.hosts.empty()) out.add(path + ".hosts", "only partition and link take hosts; other kinds take target");
    if (kind != nullptr && !hosts && kind->target == mf::TargetUse::required && s.target.empty())
      out.add(path + ".target", fmt::format("{} needs a target: the actors (globs) the search may hit", s.kind));
    // Check the faults the entry may produce at the ends of its ranges through the fault schedule's own checks.
    // Every combination of range ends (the duration's and each ranged param's, up to 2^8 corners), so that limits
    // between two params (bad_value's lo < hi) are checked too.
    std::vector<std::string> ranged;
    for (const auto& [name, p] : s.params)
      if (p.hi) ranged.push_back(name);
    const std::size_t dims = std::min<std::size_t>(ranged.size(), 7) + 1;
    // The hosts split in two: the first one and the others (every split the search draws uses the same hosts).
    const std::vector<std::string> matched = hosts ? hosts_matching(s.hosts, actors) : std::vector<std::string>{};
    if (hosts && !s.hosts.empty() && matched.size() < 2)
      out.add(path + ".hosts", fmt::format("matches {} network host{}; {} needs two or more", matched.size(),
                                           matched.size() == 1 ? "" : "s", s.kind));
    for (std::uint32_t corner = 0; corner < (1u << dims); ++corner) {
      const auto high = [&](std::size_t bit) { return ((corner >> bit) & 1u) != 0; };
      mf::FaultSpec f;
      f.kind = s.kind;
      f.behaviour = s.behaviour;
      f.at = cfg.start;
      f.duration = high(0) ? s.duration_hi : s.duration_lo;
      f.target.patterns = s.target;
      if (hosts) {
        if (matched.size() < 2) break;  // said above
        const std::vector<std::string> first{matched.front()}, rest(matched.begin() + 1, matched.end());
        if (is_partition(s.kind)) f.groups = {first, rest};
        else f.from = first, f.to = rest;
      }
      for (const auto& [name, p] : s.params) {
        const auto at = std::find(ranged.begin(), ranged.end(), name);
        const bool up = at != ranged.end() && static_cast<std::size_t>(at - ranged.begin()) + 1 < dims &&
                        high(static_cast<std::size_t>(at - ranged.begin()) + 1);
        f.params[name] = up ? *p.hi : p.lo;
      }
      const auto issues = mf::validate(mf::FaultsConfig{{f}, {}}, kinds, actors);
      for (const auto& is : issues.items()) {
        std::string rest = is.path.substr(std::min(is.path.size(), std::string("faults[0]").size()));
        if (rest.rfind(".groups", 0) == 0 || rest == ".from" || rest == ".to") rest = ".hosts";
        if (rest == ".at") {
          out.add("search.start", is.message);
          continue;
        }
        const std::string where = path + rest;
        const bool seen = std::any_of(out.items().begin(), out.items().end(),
                                      [&](const auto& o) { return o.path == where && o.message == is.message; });
        if (!seen) out.add(where, is.message);
      }
    }
  }
  return out;
}

std::string fault_yaml(const mf::FaultSpec& f) {
  std::string s = fmt::format("{{at: {}, kind: {}", format_duration(f.at), f.kind);
  if (!f.behaviour.empty()) s += ", behaviour: " + f.behaviour;
  if (!f.target.patterns.empty()) s += ", target: " + quoted_list(f.target.patterns);
  if (!f.groups.empty()) {
    s += ", groups: [";
    for (std::size_t g = 0; g < f.groups.size(); ++g) s += (g ? ", " : "") + quoted_list(f.groups[g]);
    s += "]";
  }
  if (!f.from.empty()) s += ", from: " + quoted_list(f.from) + ", to: " + quoted_list(f.to);
  if (f.duration) s += ", duration: " + format_duration(*f.duration);
  for (const auto& [name, v] : f.params) s += ", " + name + ": " + param_text(v);
  return s + "}";
}

std::string schedule_yaml(const Schedule& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + fault_yaml(s[i].fault);
  return out + "]";
}

std::string describe_fault(const mf::FaultSpec& f) {
  std::string s = "at " + format_duration(f.at);
  s += f.duration ? " for " + format_duration(*f.duration) : std::string(" to the end");
  s += ": " + f.kind;
  if (!f.behaviour.empty()) s += " " + f.behaviour;
  if (!f.params.empty()) {
    std::string p;
    for (const auto& [name, v] : f.params) p += (p.empty() ? "" : ", ") + name + " " + param_text(v);
    s += " (" + p + ")";
  }
  if (!f.target.patterns.empty()) s += " on " + names(f.target.patterns);
  if (!f.groups.empty()) {
    s += " splitting";
    for (std::size_t g = 0; g < f.groups.size(); ++g) s += (g ? " | " : " ") + names(f.groups[g]);
  }
  if (!f.from.empty()) s += " between " + names(f.from) + " and " + names(f.to);
  return s;
}

}  // namespace analysis::search
