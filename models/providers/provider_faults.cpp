#include "models/providers/provider_faults.hpp"

#include <optional>
#include <variant>
#include <vector>

#include "models/providers/data_provider.hpp"

namespace models::providers {

namespace {

std::optional<double> number(const faults::Params& p, const char* key) {
  auto it = p.find(key);
  if (it == p.end()) return std::nullopt;
  if (const double* d = std::get_if<double>(&it->second)) return *d;
  return std::nullopt;
}

BadValue bad_value_of(const faults::FaultSpec& s) {
  BadValue b;
  if (auto lo = number(s.params, "random_low")) {
    b.mode = BadValue::Mode::random;
    b.lo = *lo;
    b.hi = number(s.params, "random_high").value_or(*lo);
  } else {
    b.mode = BadValue::Mode::scale;
    b.factor = number(s.params, "factor").value_or(b.factor);
  }
  return b;
}

void validate_bad_value(const faults::FaultSpec& s, const std::string& path, sim::ConfigIssues& out) {
  const auto factor = number(s.params, "factor");
  const auto lo = number(s.params, "random_low");
  const auto hi = number(s.params, "random_high");
  if (factor && (lo || hi)) out.add(path + ".factor", "give either factor or random_low/random_high, not both");
  if (!factor && !lo && !hi) out.add(path, "bad_value needs factor (e.g. 1.1) or random_low and random_high");
  if (factor && !(*factor > 0)) out.add(path + ".factor", "must be > 0");
  if (lo.has_value() != hi.has_value()) out.add(path + (lo ? ".random_high" : ".random_low"), "random_low and random_high go together");
  if (lo && hi && !(*lo > 0 && *lo < *hi)) out.add(path + ".random_low", "needs 0 < random_low < random_high");
}

// Applies `apply(provider, effect)` to every target provider; the healer applies `undo(provider)`.
faults::Injector injector(std::function<DataProvider*(const std::string&)> find,
                          std::function<void(DataProvider&, const faults::FaultSpec&, faults::FaultEffect*)> apply,
                          std::function<void(DataProvider&)> undo) {
  return [find, apply, undo](const faults::InjectedFault& f, faults::FaultEffect& effect) -> faults::Healer {
    std::vector<DataProvider*> hit;
    for (const auto& name : f.targets)
      if (DataProvider* p = find(name)) {
        apply(*p, *f.spec, &effect);
        hit.push_back(p);
      }
    return [hit, undo] {
      for (DataProvider* p : hit) undo(*p);
    };
  };
}

}  // namespace

void register_provider_fault_kinds(faults::FaultKindRegistry& registry) {
  faults::FaultKindInfo outage;
  outage.name = "outage";
  outage.target = faults::TargetUse::required;
  registry.add_kind(outage);

  faults::FaultKindInfo stale;
  stale.name = "stale";
  stale.target = faults::TargetUse::required;
  registry.add_kind(stale);

  faults::FaultKindInfo bad;
  bad.name = "bad_value";
  bad.target = faults::TargetUse::required;
  bad.params = {{"factor", faults::ParamType::number, false, "published value * factor (scale mode)"},
                {"random_low", faults::ParamType::number, false, "random mode: value * U(random_low, random_high)"},
                {"random_high", faults::ParamType::number, false, "random mode: upper bound of the multiplier"}};
  bad.validate = validate_bad_value;
  registry.add_kind(bad);
}

void set_provider_fault_injectors(faults::FaultKindRegistry& registry,
                                  std::function<DataProvider*(const std::string&)> find) {
  registry.set_injector(
      "outage", injector(find, [](DataProvider& p, const faults::FaultSpec&, faults::FaultEffect* e) { p.set_outage(true, e); },
                         [](DataProvider& p) { p.set_outage(false); }));
  registry.set_injector(
      "stale", injector(find, [](DataProvider& p, const faults::FaultSpec&, faults::FaultEffect* e) { p.set_stale(true, e); },
                        [](DataProvider& p) { p.set_stale(false); }));
  registry.set_injector("bad_value",
                        injector(find,
                                 [](DataProvider& p, const faults::FaultSpec& s, faults::FaultEffect* e) {
                                   p.set_bad_value(bad_value_of(s), e);
                                 },
                                 [](DataProvider& p) { p.set_bad_value(std::nullopt); }));
}

}  // namespace models::providers
