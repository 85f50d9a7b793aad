// The metric reference: every column of runs.csv resolves to one entry (by name, by an entity's prefix, or as an
// instance of a pattern), docs/metrics.md and docs/fault-kinds.md are what the registries generate, and the
// entries are complete enough to label an axis.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "analysis/metric_info.hpp"
#include "analysis/subsystems.hpp"
#include "models/scenario/describe.hpp"

namespace {

std::string read(const std::string& rel) {
  std::ifstream in(std::string(ORACLESIM_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const analysis::Registry& reg() { return analysis::builtin_registry(); }

}  // namespace

TEST(MetricRegistry, ColumnsResolveByNameEntityOrPattern) {
  ASSERT_NE(reg().find_metric("gas_per_update"), nullptr);
  EXPECT_EQ(reg().find_metric("gas_per_update")->unit, "gas");
  EXPECT_EQ(reg().find_metric("eth-usd.gas_per_update"), reg().find_metric("gas_per_update"));
  EXPECT_EQ(reg().find_metric("ha.failover_time_s")->entity, analysis::MetricEntity::kStreamsClient);
  // Patterns: the exact names win over a pattern they also fit.
  EXPECT_EQ(reg().find_metric("chain_gas_feeds")->name, "chain_gas_<subsystem>");
  EXPECT_EQ(reg().find_metric("chain_gas_used")->name, "chain_gas_used");
  EXPECT_EQ(reg().find_metric("fault_messages_dropped")->name, "fault_<counter>");
  // A run-level metric has no entity columns; unknown names resolve to nothing.
  EXPECT_EQ(reg().find_metric("eth-usd.chain_blocks"), nullptr);
  EXPECT_EQ(reg().find_metric("gas_per_updates"), nullptr);
  EXPECT_EQ(reg().find_metric("chain_gas_"), nullptr);
  // A pattern's placeholder takes only its values: subsystems (and other), the fault kinds' effect counters.
  EXPECT_NE(reg().find_metric("chain_gas_other"), nullptr);
  EXPECT_NE(reg().find_metric("fault_queries_failed"), nullptr);
  EXPECT_EQ(reg().find_metric("chain_gas_bogus"), nullptr);
  EXPECT_EQ(reg().find_metric("fault_mesages_dropped"), nullptr);
}

TEST(MetricRegistry, EveryEntryIsComplete) {
  std::set<std::string> names;
  for (const auto& m : reg().metrics()) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name << " twice";
    EXPECT_FALSE(m.unit.empty()) << m.name;
    EXPECT_FALSE(m.window.empty()) << m.name;
    EXPECT_GT(m.definition.size(), 20u) << m.name;
    EXPECT_FALSE(m.subsystem.empty()) << m.name;
  }
  EXPECT_EQ(analysis::metric_label("eth-usd.gas_per_update", reg().find_metric("eth-usd.gas_per_update")),
            "eth-usd.gas_per_update [gas]");
  EXPECT_EQ(analysis::metric_label("updates", reg().find_metric("updates")), "updates");
}

TEST(MetricRegistry, CheckedInReferencesMatchTheRegistries) {
  EXPECT_EQ(read("docs/metrics.md"), analysis::describe_metrics_markdown(reg().metrics()))
      << "docs/metrics.md is stale: run `build/release/tools/oraclesim describe metrics --markdown > docs/metrics.md`";
  EXPECT_EQ(read("docs/fault-kinds.md"), models::scenario::describe_fault_kinds_markdown(reg().fault_kinds()))
      << "docs/fault-kinds.md is stale: run `build/release/tools/oraclesim describe fault-kinds --markdown > "
         "docs/fault-kinds.md`";
}

TEST(FaultKinds, EveryKindSaysWhatItDoesAndWhatItCounts) {
  const auto kinds = reg().fault_kinds();
  EXPECT_GE(kinds.kind_names().size(), 15u);
  for (const auto& name : kinds.kind_names()) {
    const auto* k = kinds.find_kind(name);
    EXPECT_FALSE(k->doc.empty()) << name;
    EXPECT_FALSE(k->effects.empty()) << name;
    // Every effect is a fault_<counter> metric of the reference.
    for (const auto& e : k->effects) EXPECT_NE(reg().find_metric("fault_" + e), nullptr) << name << ": " << e;
  }
  for (const auto* b : kinds.behaviours()) EXPECT_FALSE(b->doc.empty()) << b->model << " " << b->name;
  const std::string one = models::scenario::describe_fault_kinds_text(kinds, "site_outage");
  EXPECT_NE(one.find("streams-site"), std::string::npos) << one;
  EXPECT_NE(one.find("fault_connections_dropped"), std::string::npos) << one;
  EXPECT_EQ(models::scenario::describe_fault_kinds_text(kinds, "no_such_kind"), "");
}
