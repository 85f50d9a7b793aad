#pragma once
// A chain whose background demand sits exactly at the target and never misses a slot: the base fee only moves
// when a test moves it, so tests of nodes and contracts on the chain see fixed block times and prices.
#include "models/chain/chain_config.hpp"

namespace chain_test {

inline models::chain::ChainConfig flat_chain() {
  models::chain::ChainConfig c;
  c.missed_slot_probability = 0;
  c.demand.volatility = 0;
  c.demand.elasticity = 0;
  return c;
}

}  // namespace chain_test
