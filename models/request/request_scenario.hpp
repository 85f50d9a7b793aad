#pragma once
// The scenario side of the basic request model (scenario key `requests:`): a self-contained world (its own chain
// with default settings, one asset, its providers, operators and consumers) and timed episodes that stress it:
//   congestion  background demand x multiplier on the chain for `duration`
//   node_down   the named operator's node crashes at `at` and restarts after `duration`
//   api_outage  the named provider fails every query for `duration`
// Simplified: the chain and the asset are not shared with other blocks of the scenario (feeds, OCR), and the
// episodes are the block's own, not entries of `faults:`.
#include <cstdint>
#include <string>
#include <vector>

#include "models/request/request_world.hpp"
#include "sim/config_issue.hpp"
#include "sim/simulation.hpp"

namespace models::request {

struct RequestEpisode {
  enum class Kind { congestion, node_down, api_outage };
  Kind kind = Kind::congestion;
  std::string target;             // node_down: an operator name; api_outage: a provider name; congestion: unused
  sim::Duration at{};             // start, from t = 0
  sim::Duration duration = sim::Duration::nanoseconds(600'000'000'000);  // default 10 min
  double multiplier = 3;          // congestion: background demand factor; assumption
};

struct RequestsConfig {
  bool enabled = false;                    // build the request model
  double price_start = 3000;               // USD, initial price of the asset the APIs quote (ETH/USD); assumption
  double price_volatility = 0.8;           // annualised volatility of that price; assumption
  double link_eth = 0.005;                 // ETH per LINK, for node_profit_link; assumption
  std::vector<providers::ProviderConfig> providers;  // the APIs; default one "exchange-a"
  std::vector<OperatorSetup> operators;    // default one "operator-0"
  std::vector<ConsumerSetup> consumers;    // default one "consumer-0"
  std::vector<RequestEpisode> episodes;    // timed stress

  // The world it describes (defaults filled in for empty lists).
  RequestWorldConfig world() const;
  sim::ConfigIssues validate(const std::string& path = "requests") const;
};

// Schedules the episodes on `world` (call before running).
void schedule_episodes(sim::Simulation& sim, RequestWorld& world, const std::vector<RequestEpisode>& episodes);

}  // namespace models::request
