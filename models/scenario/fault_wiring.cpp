#include "models/scenario/fault_wiring.hpp"

#include "models/chain/chain_faults.hpp"
#include "models/ocr/ocr_node.hpp"
#include "models/providers/provider_faults.hpp"

namespace models::scenario {

faults::FaultKindRegistry scenario_fault_registry() {
  auto registry = faults::FaultKindRegistry::with_builtin_kinds();
  chain::register_chain_fault_kinds(registry);
  providers::register_provider_fault_kinds(registry);
  ocr::register_ocr_behaviours(registry);
  return registry;
}

}  // namespace models::scenario
