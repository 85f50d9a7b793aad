// The YAML document as a tree: the value budget (aliases counted before anything is built) and duplicate keys.
#include "models/scenario/tree.hpp"

#include <gtest/gtest.h>

#include <fmt/core.h>

using namespace models::scenario;

namespace {

// A list whose first item is an anchored list of `anchored - 1` scalars, then `copies` aliases of it, then
// `scalars` scalars: 1 + anchored * (1 + copies) + scalars values.
std::string aliased_list(std::size_t anchored, std::size_t copies, std::size_t scalars) {
  std::string s = "- &a [x";
  for (std::size_t i = 2; i < anchored; ++i) s += ", x";
  s += "]\n";
  for (std::size_t i = 0; i < copies; ++i) s += "- *a\n";
  for (std::size_t i = 0; i < scalars; ++i) s += "- y\n";
  return s;
}

std::size_t values_in(const Node& n) {
  std::size_t v = 1;
  for (const auto& item : n.seq) v += values_in(item);
  for (const auto& e : n.map) v += values_in(e.value);
  return v;
}

}  // namespace

// The budget counted from the YAML events is the one the tree has: a document of exactly kMaxScenarioNodes values
// loads, one more value is refused before it is built.
TEST(ScenarioTree, ValueBudgetIsExactAndCountsAliasesExpanded) {
  static_assert(kMaxScenarioNodes == 1'000'000, "the document below is sized for this budget");
  Diagnostics out;
  const auto full = parse_yaml(aliased_list(1000, 998, 999), "full.yaml", out);
  ASSERT_TRUE(full.has_value()) << (out.empty() ? "" : out.front().to_string());
  EXPECT_EQ(values_in(*full), kMaxScenarioNodes);
  EXPECT_EQ(full->seq.size(), 1 + 998 + 999u);
  EXPECT_EQ(full->seq[998].seq.size(), 999u);  // an alias is a copy of its anchor's value

  const auto over = parse_yaml(aliased_list(1000, 998, 1000), "over.yaml", out);
  EXPECT_FALSE(over.has_value());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].to_string(), "over.yaml:1:1: the document expands to 1000001 values, which takes the document past "
                                "the 1000000 values a scenario may have (YAML aliases repeating large parts?)");
}

TEST(ScenarioTree, TheTopLevelKeyWhoseValuePassesTheBudgetIsNamed) {
  std::string text = "name: x\nsmall: &s [a, b, c]\nbig: &b [";
  for (int i = 0; i < 1000; ++i) text += i == 0 ? "*s" : ", *s";
  text += "]\nbomb: [";
  for (int i = 0; i < 1000; ++i) text += i == 0 ? "*b" : ", *b";
  text += "]\n";
  Diagnostics out;
  EXPECT_FALSE(parse_yaml(text, "s.yaml", out).has_value());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].where.to_string(), "s.yaml:4:1");
  EXPECT_EQ(out[0].path, "bomb");
  EXPECT_NE(out[0].message.find("this value expands to 4001001 values"), std::string::npos) << out[0].message;
}

// Exponential expansion that saturates the counter still reports (and quickly: nothing is built).
TEST(ScenarioTree, AnExponentialAliasChainIsRefusedWithoutBeingBuilt) {
  std::string text = "a0: &a0 [x, x]\n";
  for (int i = 1; i < 80; ++i) text += fmt::format("a{}: &a{} [*a{}, *a{}]\n", i, i, i - 1, i - 1);
  Diagnostics out;
  EXPECT_FALSE(parse_yaml(text, "e.yaml", out).has_value());
  ASSERT_EQ(out.size(), 1u);
  // a<i> has 2^(i+2) - 1 values; through a16 the document has 524,268, a17 (524,287) takes it past the budget.
  EXPECT_EQ(out[0].path, "a17");
  EXPECT_NE(out[0].message.find("past the 1000000 values"), std::string::npos) << out[0].message;
}

TEST(ScenarioTree, ManyKeysLoadAndADuplicateNamesTheFirst) {
  std::string text;
  for (int i = 0; i < 50'000; ++i) text += fmt::format("k{}: {}\n", i, i);
  Diagnostics out;
  const auto ok = parse_yaml(text, "k.yaml", out);
  ASSERT_TRUE(ok.has_value());
  ASSERT_EQ(ok->map.size(), 50'000u);
  EXPECT_EQ(ok->map[49'999].key, "k49999");
  EXPECT_EQ(ok->find("k12345")->scalar, "12345");

  text += "k7: again\n";
  EXPECT_FALSE(parse_yaml(text, "k.yaml", out).has_value());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].to_string(), "k.yaml:50001:1: k7: duplicate key (first written at k.yaml:8:1)");
}

TEST(ScenarioTree, ErrorsDeepInsideNameTheFullPath) {
  Diagnostics out;
  EXPECT_FALSE(parse_yaml("feeds:\n  - name: a\n    ocr: {x: 1, x: 2}\n", "p.yaml", out).has_value());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "feeds[0].ocr.x");
}
