#include "models/chain/chain_faults.hpp"

#include <cmath>
#include <memory>

#include <fmt/core.h>

#include "models/chain/chain.hpp"

namespace models::chain {

namespace {
const double* number(const faults::Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<double>(&it->second);
}

faults::ExtraValidator positive(const char* key, double max) {
  return [key, max](const faults::FaultSpec& f, const std::string& path, sim::ConfigIssues& issues) {
    const double* v = number(f.params, key);
    if (v && !(std::isfinite(*v) && *v > 0 && *v <= max))
      issues.add(path + "." + key, fmt::format("must be in (0, {}] (got {})", max, *v));
  };
}
}  // namespace

void register_chain_fault_kinds(faults::FaultKindRegistry& registry) {
  registry.add_kind({.name = "congestion",
                     .target = faults::TargetUse::none,
                     .params = {{"multiplier", faults::ParamType::number, true, "background demand factor, > 0"}},
                     .validate = positive("multiplier", 1000),
                     .inject = {}, .target_models = {}, .one_group = false,
                     .doc = "multiplies the chain's background demand (at most 1000x; overlapping congestions multiply), "
                            "which raises utilisation and, through EIP-1559, the base fee",
                     .effects = {"blocks_congested"}});
  registry.add_kind({.name = "halt", .target = faults::TargetUse::none, .params = {}, .validate = {}, .inject = {},
                     .target_models = {}, .one_group = false,
                     .doc = "no block is produced in any slot while it lasts (slots_halted is counted at the heal, so a "
                            "halt without duration reports only halted)",
                     .effects = {"halted", "slots_halted"}});
  registry.add_kind({.name = "gas_spike",
                     .target = faults::TargetUse::none,
                     .params = {{"factor", faults::ParamType::number, true, "next base fee multiplier, > 0"}},
                     .validate = positive("factor", 1e6),
                     .inject = {}, .target_models = {}, .one_group = false,
                     .doc = "multiplies the next block's base fee once (EIP-1559 then decays it as usual); duration has no "
                            "effect",
                     .effects = {"base_fee_raised"}});
}

void set_chain_fault_injectors(faults::FaultKindRegistry& registry, Chain& chain) {
  registry.set_injector("congestion", [&chain](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    const double m = *number(f.spec->params, "multiplier");
    const std::uint64_t id = chain.add_congestion(m);
    auto conn = std::make_shared<sim::Connection>(
        chain.block_produced.connect([&effect](const Block&) { effect.count("blocks_congested"); }));
    return faults::Healer([&chain, id, conn] {
      chain.remove_congestion(id);
      conn->disconnect();
    });
  });
  registry.set_injector("halt", [&chain](const faults::InjectedFault&, faults::FaultEffect& effect) {
    chain.halt();
    effect.count("halted");
    const std::uint64_t before = chain.halted_slots();
    return faults::Healer([&chain, &effect, before] {
      effect.count("slots_halted", chain.halted_slots() - before);
      chain.resume();
    });
  });
  registry.set_injector("gas_spike", [&chain](const faults::InjectedFault& f, faults::FaultEffect& effect) {
    const Wei before = chain.next_base_fee();
    chain.spike_base_fee(*number(f.spec->params, "factor"));
    if (chain.next_base_fee() > before) effect.count("base_fee_raised");
    return faults::Healer{};
  });
}

}  // namespace models::chain
