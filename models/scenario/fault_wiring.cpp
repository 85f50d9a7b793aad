#include "models/scenario/fault_wiring.hpp"

#include "models/chain/chain_faults.hpp"
#include "models/ocr/ocr_node.hpp"
#include "models/providers/provider_faults.hpp"
#include "models/streams/don.hpp"
#include "models/streams/streams_faults.hpp"

namespace models::scenario {

faults::FaultKindRegistry scenario_fault_registry() {
  auto registry = faults::FaultKindRegistry::with_builtin_kinds();
  chain::register_chain_fault_kinds(registry);
  providers::register_provider_fault_kinds(registry);
  ocr::register_ocr_behaviours(registry);
  streams::register_streams_fault_kinds(registry);
  streams::register_streams_don_behaviours(registry);
  return registry;
}

}  // namespace models::scenario
