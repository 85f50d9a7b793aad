#include "models/scenario/schema.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "analysis/subsystems.hpp"
#include "models/scenario/describe.hpp"
#include "models/scenario/scenario.hpp"

using namespace models::scenario;
using namespace sim::literals;

namespace {

// A small schema of its own, to test the mechanics independently of the scenario's keys.
enum class Mode { fast, slow };
struct Inner {
  sim::Duration every = 1_s;  // test field
  std::uint64_t fee = 0;      // wei
};
struct Item {
  std::string name;
  std::uint32_t n = 4;
  Mode mode = Mode::fast;
};
struct Root {
  double share = 0.01;
  std::vector<std::string> tags;
  Inner inner;
  std::vector<Item> items;
};

Schema test_schema() {
  Schema s;
  auto root = s.root<Root>("root");
  root.key("share", &Root::share, KeySpec::fraction().at_least(0).at_most(1).doc("a share").from("assumption"));
  root.key("tags", &Root::tags, KeySpec::text_list({"a", "b"}).doc("tags").from("-"));
  auto inner = root.block("inner", &Root::inner, "inner block");
  inner.key("every", &Inner::every, KeySpec::duration().greater_than(0).doc("period").from("assumption"));
  inner.key("fee", &Inner::fee, KeySpec::gas_price().doc("fee").from("facts"));
  auto items = root.list("items", &Root::items, "items");
  items.key("name", &Item::name, KeySpec::text().required().doc("name").from("-"));
  items.key("n", &Item::n, KeySpec::integer().at_least(1).doc("count").from("-"));
  items.key_enum("mode", &Item::mode, {{"fast", Mode::fast}, {"slow", Mode::slow}}, KeySpec::choice({}).doc("mode").from("-"));
  items.validate([](const Item& it, const std::string& path, sim::ConfigIssues& out) {
    if (it.mode == Mode::slow && it.n > 10) out.add(path + ".n", "slow items allow at most 10");
  });
  return s;
}

Node parse(const std::string& text) {
  Diagnostics d;
  auto n = parse_yaml(text, "t.yaml", d);
  EXPECT_TRUE(d.empty()) << d.front().to_string();
  return *n;
}

Diagnostics decode(const Schema& s, const std::string& text, Root& out) {
  Diagnostics d;
  s.decode(parse(text), &out, d);
  return d;
}

}  // namespace

TEST(Schema, DecodesEveryTypeIntoTheStruct) {
  Root r;
  const auto d = decode(test_schema(), R"(
share: 2.5%
tags: [b, a]
inner: { every: 250ms, fee: 30gwei }
items:
  - { name: x, n: 7, mode: slow }
  - { name: y }
)", r);
  ASSERT_TRUE(d.empty()) << d.front().to_string();
  EXPECT_DOUBLE_EQ(r.share, 0.025);
  EXPECT_EQ(r.tags, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(r.inner.every, 250_ms);
  EXPECT_EQ(r.inner.fee, 30'000'000'000u);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].mode, Mode::slow);
  EXPECT_EQ(r.items[0].n, 7u);
  EXPECT_EQ(r.items[1].n, 4u);  // default
}

TEST(Schema, CollectsEveryErrorWithLocationAndPath) {
  Root r;
  const auto d = decode(test_schema(), "share: 150%\ninner: { every: 0s, feee: 1 }\nitems:\n  - { n: 11, mode: slo }\n", r);
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0].to_string(), "t.yaml:1:8: share: out of range: must be 0% .. 100% (got 150%)");
  EXPECT_EQ(d[1].to_string(), "t.yaml:2:17: inner.every: out of range: must be > 0s (got 0s)");
  EXPECT_EQ(d[2].to_string(), "t.yaml:2:21: inner.feee: unknown key 'feee' (did you mean 'fee'?)");
  EXPECT_EQ(d[3].to_string(), "t.yaml:4:20: items[0].mode: expected one of: fast, slow; got 'slo' (did you mean 'slow'?)");
  EXPECT_EQ(d[4].to_string(), "t.yaml:4:5: items[0].name: required key 'name' is missing");
}

TEST(Schema, ValidatorsRunAfterDecodingAndAreLocated) {
  Root r;
  const auto d = decode(test_schema(), "items:\n  - { name: x, mode: slow, n: 11 }\n", r);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].to_string(), "t.yaml:2:31: items[0].n: slow items allow at most 10");
}

TEST(Schema, ResolvedListsEveryKeyAsJson) {
  Root r;
  ASSERT_TRUE(decode(test_schema(), "items: [{ name: x }]\n", r).empty());
  const auto res = test_schema().resolved(&r);
  std::map<std::string, std::string> m(res.begin(), res.end());
  EXPECT_EQ(m.at("share"), "\"1%\"");
  EXPECT_EQ(m.at("inner.every"), "\"1s\"");
  EXPECT_EQ(m.at("inner.fee"), "\"0wei\"");
  EXPECT_EQ(m.at("items[0].name"), "\"x\"");
  EXPECT_EQ(m.at("items[0].mode"), "\"fast\"");
  EXPECT_EQ(m.at("tags"), "[]");
}

TEST(Schema, KeysCarryDefaultsFromTheStruct) {
  const auto keys = test_schema().keys();
  ASSERT_EQ(keys.size(), 7u);
  EXPECT_EQ(keys[0].path, "share");
  EXPECT_EQ(keys[0].default_text, "1%");
  EXPECT_EQ(keys[2].path, "inner.every");
  EXPECT_EQ(keys[2].default_text, "1s");
  EXPECT_EQ(keys[4].path, "items[].name");
  EXPECT_EQ(keys[4].default_text, "(required)");
  EXPECT_EQ(test_schema().find("items[3].n").size(), 1u);
  EXPECT_EQ(test_schema().find("inner").size(), 2u);
  EXPECT_EQ(test_schema().suggest("inner.evry"), "did you mean 'inner.every'?");
}

TEST(Schema, MismatchedFieldTypeIsAProgrammingError) {
  Schema s;
  auto root = s.root<Root>("root");
  EXPECT_THROW(root.key("share", &Root::share, KeySpec::duration()), std::logic_error);
}

TEST(Schema, EditDistanceCountsSwapsOnce) {
  EXPECT_EQ(edit_distance("duraton", "duration"), 1u);
  EXPECT_EQ(edit_distance("popluation", "population"), 1u);
  EXPECT_EQ(edit_distance("abc", "xyz"), 3u);
  EXPECT_EQ(did_you_mean("colour", {"name", "seed", "duration"}), "");
}

TEST(ScenarioDocs, CheckedInReferenceMatchesTheSchema) {
  std::ifstream in(std::string(ORACLESIM_SOURCE_DIR) + "/docs/scenarios.md");
  ASSERT_TRUE(in) << "docs/scenarios.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), describe_markdown(analysis::builtin_registry().schema()))
      << "docs/scenarios.md is stale: run `build/release/tools/oraclesim describe --markdown > docs/scenarios.md`";
}

TEST(ScenarioDocs, EveryKeyHasDocAndSource) {
  for (const auto& k : analysis::builtin_registry().schema().keys()) {
    EXPECT_FALSE(k.spec.doc_text.empty()) << k.path;
    EXPECT_FALSE(k.spec.source.empty()) << k.path;
  }
}

TEST(KeySpec, SweptTextAsANumberInTheKeysBaseUnit) {
  EXPECT_EQ(KeySpec::duration().base_unit(), "s");
  EXPECT_EQ(KeySpec::duration().numeric_value("30min"), 1800.0);
  EXPECT_EQ(KeySpec::fraction().numeric_value("0.5%"), 0.005);
  EXPECT_EQ(KeySpec::gas_price().base_unit(), "wei");
  EXPECT_EQ(KeySpec::gas_price().numeric_value("5gwei"), 5e9);
  EXPECT_EQ(KeySpec::token_amount("LINK").base_unit(), "juels");
  EXPECT_EQ(KeySpec::token_amount("LINK").numeric_value("0.1LINK"), 1e17);
  EXPECT_EQ(KeySpec::integer().in("nodes").base_unit(), "nodes");
  EXPECT_EQ(KeySpec::integer().numeric_value("31"), 31.0);
  EXPECT_EQ(KeySpec::integer().base_unit(), "");
  EXPECT_FALSE(KeySpec::choice({"flux", "ocr"}).numeric_value("ocr").has_value());
  EXPECT_FALSE(KeySpec::duration().numeric_value("3 parsecs").has_value());
}
