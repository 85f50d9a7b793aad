#include "models/providers/provider_faults.hpp"

#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "models/providers/data_provider.hpp"

namespace models::providers {
namespace {

const double* number(const faults::Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<double>(&it->second);
}
const std::string* text(const faults::Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<std::string>(&it->second);
}

void validate_bad_value(const faults::FaultSpec& f, const std::string& path, sim::ConfigIssues& issues) {
  const std::string* mode = text(f.params, "mode");
  if (mode && *mode != "scale" && *mode != "random")
    issues.add(path + ".mode", fmt::format("must be scale or random (got '{}')", *mode));
  const bool random = mode && *mode == "random";
  if (!random) {
    const double* factor = number(f.params, "factor");
    if (!factor) issues.add(path + ".factor", "bad_value with mode scale needs factor (e.g. 1.1)");
    else if (!(std::isfinite(*factor) && *factor > 0)) issues.add(path + ".factor", fmt::format("must be > 0 (got {})", *factor));
  } else {
    const double* lo = number(f.params, "lo");
    const double* hi = number(f.params, "hi");
    if (!lo || !hi) issues.add(path, "bad_value with mode random needs lo and hi");
    else if (!(*lo > 0 && *hi > *lo)) issues.add(path + ".hi", fmt::format("needs 0 < lo < hi (got {} and {})", *lo, *hi));
  }
}

// An injector that applies `apply` to every target provider, handing it the fault's effect to count on;
// its healer applies `undo`.
faults::Injector injector(std::function<DataProvider*(const std::string&)> find,
                          std::function<void(DataProvider&, const faults::FaultSpec&, faults::FaultEffect&)> apply,
                          std::function<void(DataProvider&)> undo) {
  return [find = std::move(find), apply = std::move(apply), undo = std::move(undo)](
             const faults::InjectedFault& f, faults::FaultEffect& effect) -> faults::Healer {
    std::vector<DataProvider*> hit;
    for (const auto& name : f.targets)
      if (DataProvider* p = find(name)) {
        apply(*p, *f.spec, effect);
        hit.push_back(p);
      }
    return [hit, undo] {
      for (DataProvider* p : hit) undo(*p);
    };
  };
}

BadValue bad_value_of(const faults::FaultSpec& spec) {
  BadValue bad;
  if (const std::string* mode = text(spec.params, "mode"); mode && *mode == "random") {
    bad.mode = BadValue::Mode::random;
    bad.lo = *number(spec.params, "lo");
    bad.hi = *number(spec.params, "hi");
  } else {
    bad.factor = *number(spec.params, "factor");
  }
  return bad;
}

}  // namespace

void register_provider_fault_kinds(faults::FaultKindRegistry& registry) {
  const std::vector<std::string> providers = {"provider"};
  registry.add_kind({.name = "outage", .target = faults::TargetUse::required, .params = {}, .validate = {}, .inject = {},
                     .target_models = providers, .one_group = false,
                     .doc = "the provider's API answers every query with an error (its value keeps moving underneath); "
                            "flags do not nest: the first heal of two overlapping outages ends both",
                     .effects = {"queries_failed"}});
  registry.add_kind({.name = "stale", .target = faults::TargetUse::required, .params = {}, .validate = {}, .inject = {},
                     .target_models = providers, .one_group = false,
                     .doc = "the provider stops refreshing: queries succeed with the value and timestamp it had when the "
                            "fault started",
                     .effects = {"refreshes_frozen"}});
  registry.add_kind({.name = "bad_value",
                     .target = faults::TargetUse::required,
                     .params = {{"mode", faults::ParamType::string, false, "scale (default) or random"},
                                {"factor", faults::ParamType::number, false, "scale: published value x factor, > 0"},
                                {"lo", faults::ParamType::number, false, "random: lower bound of the factor, > 0"},
                                {"hi", faults::ParamType::number, false, "random: upper bound of the factor, > lo"}},
                     .validate = validate_bad_value,
                     .inject = {}, .target_models = providers, .one_group = false,
                     .doc = "every refresh publishes a distorted value: x factor (mode scale), or x a factor drawn "
                            "uniformly in [lo, hi] per refresh (mode random)",
                     .effects = {"values_distorted"}});
}

void set_provider_fault_injectors(faults::FaultKindRegistry& registry, std::function<DataProvider*(const std::string&)> find) {
  registry.set_injector(
      "outage", injector(find, [](DataProvider& p, const faults::FaultSpec&, faults::FaultEffect& e) { p.set_outage(true, &e); },
                         [](DataProvider& p) { p.set_outage(false); }));
  registry.set_injector(
      "stale", injector(find, [](DataProvider& p, const faults::FaultSpec&, faults::FaultEffect& e) { p.set_stale(true, &e); },
                        [](DataProvider& p) { p.set_stale(false); }));
  registry.set_injector("bad_value", injector(
                                         find,
                                         [](DataProvider& p, const faults::FaultSpec& s, faults::FaultEffect& e) {
                                           p.set_bad_value(bad_value_of(s), &e);
                                         },
                                         [](DataProvider& p) { p.set_bad_value(std::nullopt); }));
}

}  // namespace models::providers
