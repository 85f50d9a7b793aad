#include "models/providers/provider_faults.hpp"

#include <cmath>
#include <memory>
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

// Resolves the targets; returns the providers found.
std::vector<DataProvider*> resolve(const faults::InjectedFault& f, const std::function<DataProvider*(const std::string&)>& find) {
  std::vector<DataProvider*> out;
  for (const auto& name : f.targets)
    if (DataProvider* p = find(name)) out.push_back(p);
  return out;
}

std::uint64_t total_queries(const std::vector<DataProvider*>& ps) {
  std::uint64_t n = 0;
  for (auto* p : ps) n += p->queries();
  return n;
}

}  // namespace

void register_provider_fault_kinds(faults::FaultKindRegistry& registry) {
  registry.add_kind({.name = "outage", .target = faults::TargetUse::required, .params = {}, .validate = {}, .inject = {}});
  registry.add_kind({.name = "stale", .target = faults::TargetUse::required, .params = {}, .validate = {}, .inject = {}});
  registry.add_kind({.name = "bad_value",
                     .target = faults::TargetUse::required,
                     .params = {{"mode", faults::ParamType::string, false, "scale (default) or random"},
                                {"factor", faults::ParamType::number, false, "scale: published value x factor, > 0"},
                                {"lo", faults::ParamType::number, false, "random: lower bound of the factor, > 0"},
                                {"hi", faults::ParamType::number, false, "random: upper bound of the factor, > lo"}},
                     .validate = validate_bad_value,
                     .inject = {}});
}

void set_provider_fault_injectors(faults::FaultKindRegistry& registry, std::function<DataProvider*(const std::string&)> find) {
  registry.set_injector("outage", [find](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    auto ps = resolve(f, find);
    std::uint64_t failed_before = 0;
    for (auto* p : ps) {
      failed_before += p->failures();
      p->set_outage(true);
    }
    return faults::Healer([ps, &effect, failed_before] {
      std::uint64_t failed = 0;
      for (auto* p : ps) {
        failed += p->failures();
        p->set_outage(false);
      }
      effect.count("queries_failed", failed - failed_before);
    });
  });
  registry.set_injector("stale", [find](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    auto ps = resolve(f, find);
    const std::uint64_t before = total_queries(ps);
    for (auto* p : ps) p->set_stale(true);
    return faults::Healer([ps, &effect, before] {
      effect.count("queries_served", total_queries(ps) - before);
      for (auto* p : ps) p->set_stale(false);
    });
  });
  registry.set_injector("bad_value", [find](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    auto ps = resolve(f, find);
    BadValue bad;
    if (const std::string* mode = text(f.spec->params, "mode"); mode && *mode == "random") {
      bad.mode = BadValue::Mode::random;
      bad.lo = *number(f.spec->params, "lo");
      bad.hi = *number(f.spec->params, "hi");
    } else {
      bad.factor = *number(f.spec->params, "factor");
    }
    const std::uint64_t before = total_queries(ps);
    for (auto* p : ps) p->set_bad_value(bad);
    return faults::Healer([ps, &effect, before] {
      effect.count("queries_served", total_queries(ps) - before);
      for (auto* p : ps) p->set_bad_value(std::nullopt);
    });
  });
}

}  // namespace models::providers
