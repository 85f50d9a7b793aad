#include "models/node/node_config.hpp"

#include <fmt/format.h>

namespace models::node {

sim::ConfigIssues validate(const GasEstimatorConfig& c, const std::string& path) {
  sim::ConfigIssues out;
  auto key = [&](const char* k) { return path + "." + k; };
  if (c.block_history_size == 0 || c.block_history_size > 1024)
    out.add(key("block_history_size"), fmt::format("must be in [1, 1024] blocks (got {})", c.block_history_size));
  if (c.transaction_percentile > 100)
    out.add(key("transaction_percentile"), fmt::format("must be in [0, 100] (got {})", c.transaction_percentile));
  if (c.tip_cap_min == 0) out.add(key("tip_cap_min"), "must be >= 1 wei");
  if (c.tip_cap_default < c.tip_cap_min)
    out.add(key("tip_cap_default"), fmt::format("must be >= tip_cap_min = {} wei (got {})", c.tip_cap_min, c.tip_cap_default));
  if (c.price_max < c.tip_cap_default)
    out.add(key("price_max"), fmt::format("must be >= tip_cap_default = {} wei (got {})", c.tip_cap_default, c.price_max));
  if (c.fee_cap_default < c.tip_cap_default)
    out.add(key("fee_cap_default"), fmt::format("must be >= tip_cap_default = {} wei (got {})", c.tip_cap_default, c.fee_cap_default));
  if (c.bump_percent > 1000) out.add(key("bump_percent"), fmt::format("must be in [0, 1000] (got {})", c.bump_percent));
  if (c.bump_threshold > 1000)
    out.add(key("bump_threshold"), fmt::format("must be in [0, 1000] blocks, 0 disables bumping (got {})", c.bump_threshold));
  if (c.fee_cap_buffer_blocks > 100)
    out.add(key("fee_cap_buffer_blocks"), fmt::format("must be in [0, 100] (got {})", c.fee_cap_buffer_blocks));
  return out;
}

NodeConfig resolve(NodeConfig base, const NodeOverride& o) {
  auto set = [](auto& field, const auto& value) {
    if (value) field = *value;
  };
  set(base.default_gas_limit, o.default_gas_limit);
  set(base.max_in_flight, o.max_in_flight);
  set(base.max_queued, o.max_queued);
  GasEstimatorConfig& g = base.gas;
  const GasEstimatorOverride& v = o.gas;
  set(g.mode, v.mode);
  set(g.block_history_size, v.block_history_size);
  set(g.transaction_percentile, v.transaction_percentile);
  set(g.bump_percent, v.bump_percent);
  set(g.bump_threshold, v.bump_threshold);
  set(g.fee_cap_buffer_blocks, v.fee_cap_buffer_blocks);
  set(g.tip_cap_default, v.tip_cap_default);
  set(g.tip_cap_min, v.tip_cap_min);
  set(g.price_max, v.price_max);
  set(g.fee_cap_default, v.fee_cap_default);
  set(g.bump_min, v.bump_min);
  return base;
}

sim::ConfigIssues validate(const NodeConfig& c, const std::string& path) {
  sim::ConfigIssues out;
  if (c.default_gas_limit < 21'000)
    out.add(path + ".default_gas_limit", fmt::format("must be >= 21000 (got {})", c.default_gas_limit));
  if (c.max_in_flight == 0) out.add(path + ".max_in_flight", "must be >= 1");
  out.append(validate(c.gas, path + ".gas"));
  return out;
}

}  // namespace models::node
