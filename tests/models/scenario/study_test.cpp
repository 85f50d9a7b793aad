#include "models/scenario/study.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analysis/subsystems.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/tree.hpp"

using namespace models::scenario;
using namespace sim::literals;
namespace fs = std::filesystem;

namespace {

using models::demo::demo_of;

// The scenario language with the shipped subsystems.
Study load_study(const std::string& file, const std::vector<std::string>& sets = {}) {
  return analysis::builtin_registry().load_study(file, sets);
}

struct Files {
  fs::path dir;
  Files() {
    std::string tmpl = (fs::temp_directory_path() / "oraclesim-study-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
  }
  ~Files() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

std::string errors_of(const std::string& file, const std::vector<std::string>& sets = {}) {
  try {
    load_study(file, sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Study, ExtendsMergesMapsDeeplyAndListsReplace) {
  Files f;
  f.write("base/root.yaml", "name: root\nduration: 2s\ndemo: { lps: 8, population: 3 }\nrecord: { timeseries: [phold_handled] }\n");
  f.write("base/mid.yaml", "extends: root.yaml\ndemo: { lps: 16 }\n");
  const auto top = f.write("top.yaml", "extends: base/mid.yaml\nname: top\nrecord: { timeseries: [pending_events] }\n");
  const Study s = load_study(top);
  EXPECT_EQ(s.base.name, "top");
  EXPECT_EQ(s.base.duration, 2_s);
  EXPECT_EQ(demo_of(s.base).lps, 16u);
  EXPECT_EQ(demo_of(s.base).population, 3u);  // merged from the root
  EXPECT_EQ(s.base.record.timeseries, (std::vector<std::string>{"pending_events"}));
  EXPECT_FALSE(s.has_sweep);
  EXPECT_EQ(s.points.size(), 1u);
}

TEST(Study, ErrorsInABaseNameTheBaseFile) {
  Files f;
  f.write("b.yaml", "name: b\n\ndemo: { lps: 0 }\n");
  const auto top = f.write("t.yaml", "extends: b.yaml\n");
  EXPECT_NE(errors_of(top).find((f.dir / "b.yaml").string() + ":3:14: demo.lps: out of range"), std::string::npos)
      << errors_of(top);
}

TEST(Study, SetOverridesWithTheSameValidation) {
  Files f;
  const auto file = f.write("s.yaml", "name: s\nduration: 1s\n");
  EXPECT_EQ(load_study(file, {"demo.lps=5", "duration=3s"}).base.duration, 3_s);
  EXPECT_EQ(demo_of(load_study(file, {"demo.lps=5"}).base).lps, 5u);
  EXPECT_EQ(errors_of(file, {"demo.lps=0"}), "--set demo.lps=0: demo.lps: out of range: must be 1 .. 1000000 (got 0)");
  EXPECT_EQ(errors_of(file, {"warmup=2s"}), "--set warmup=2s: warmup: must be less than duration (1s)");
}

TEST(Study, GridTimesZipWithFirstGridKeySlowest) {
  Files f;
  const auto file = f.write("s.yaml", R"(name: s
duration: 1s
sweep:
  grid: { demo.lps: [1, 2, 3], demo.population: [5, 6] }
  zip: { duration: [2s, 3s], warmup: [0s, 1s] }
  replications: 4
)");
  const Study s = load_study(file);
  EXPECT_TRUE(s.has_sweep);
  EXPECT_EQ(s.replications, 4u);
  EXPECT_EQ(s.swept_keys, (std::vector<std::string>{"demo.lps", "demo.population", "duration", "warmup"}));
  ASSERT_EQ(s.points.size(), 3u * 2u * 2u);
  EXPECT_EQ(s.points[0].values, (std::vector<std::string>{"1", "5", "2s", "0s"}));
  EXPECT_EQ(s.points[1].values, (std::vector<std::string>{"1", "5", "3s", "1s"}));
  EXPECT_EQ(s.points[2].values, (std::vector<std::string>{"1", "6", "2s", "0s"}));
  EXPECT_EQ(s.points[11].values, (std::vector<std::string>{"3", "6", "3s", "1s"}));
  EXPECT_EQ(demo_of(s.points[11].config).lps, 3u);
  EXPECT_EQ(demo_of(s.points[11].config).population, 6u);
  EXPECT_EQ(s.points[11].config.duration, 3_s);
  EXPECT_EQ(s.points[11].config.warmup, 1_s);
  EXPECT_EQ(s.base.duration, 1_s);  // the base has no overrides
}

TEST(Study, HashIgnoresReplicationsButNotValues) {
  Files f;
  const auto a = f.write("a.yaml", "name: s\nsweep: { grid: { demo.lps: [1, 2] }, replications: 2 }\n");
  const auto b = f.write("b.yaml", "name: s\nsweep: { grid: { demo.lps: [1, 2] }, replications: 5 }\n");
  const auto c = f.write("c.yaml", "name: s\nsweep: { grid: { demo.lps: [1, 3] }, replications: 2 }\n");
  EXPECT_EQ(load_study(a).hash, load_study(b).hash);
  EXPECT_NE(load_study(a).hash, load_study(c).hash);
  EXPECT_NE(load_study(a).hash, load_study(a, {"seed=2"}).hash);
  EXPECT_EQ(load_study(a).hash.size(), 32u);
}

TEST(Study, SweepErrorsPointAtTheSweepValue) {
  Files f;
  const auto file = f.write("s.yaml", "name: s\nsweep:\n  grid:\n    duration: [1s, 0s, 2s]\n    demo.lps: [1, 2]\n");
  // The bad value is reported once, though two points contain it.
  EXPECT_EQ(errors_of(file), file + ":4:20: duration: out of range: must be > 0s (got 0s)");
}

TEST(Tree, PathsParseAndSet) {
  EXPECT_TRUE(parse_path("feeds[0].ocr.delta_round"));
  EXPECT_FALSE(parse_path("feeds[x].a"));
  EXPECT_FALSE(parse_path(".a"));
  EXPECT_FALSE(parse_path("a."));
  EXPECT_EQ(schema_form("feeds[12].oracles"), "feeds[].oracles");
  Diagnostics d;
  Node root = *parse_yaml("feeds: [{ oracles: 4 }]\n", "t", d);
  Node v;
  v.kind = Node::Kind::Scalar;
  v.scalar = "7";
  EXPECT_FALSE(set_path(root, "feeds[0].oracles", v, {}));
  EXPECT_EQ(find_path(root, "feeds[0].oracles")->scalar, "7");
  EXPECT_TRUE(set_path(root, "feeds[1].oracles", v, {}));  // no item [1]
  EXPECT_FALSE(set_path(root, "a.b.c", v, {}));
  EXPECT_EQ(find_path(root, "a.b.c")->scalar, "7");
}

TEST(Study, NetworkAndFaultBlocksDecodeIntoTheirConfigs) {
  const std::string text = R"(name: n
duration: 7h
network:
  regions: [us-east, eu-west]
  latency: { us-east: { eu-west: 40ms } }
  jitter: { dist: lognormal, sigma: 0.4 }
  channels: { ocr/observe: best_effort }
  region_links: [{ a: us-east, b: eu-west, loss: 0.01, jitter: { dist: pareto, alpha: 2 } }]
faults:
  - { at: 6h, kind: link, from: "us-*", to: ["eu-*"], duration: 30m, added_latency: 20ms, loss: 5% }
)";
  Diagnostics d;
  const Node tree = *parse_yaml(text, "n.yaml", d);
  ScenarioConfig c;
  analysis::builtin_registry().schema().decode(tree, &c, d);
  // The world holds no actors yet (PHOLD demo only), so the fault validator finds no network host to cut: those are
  // the only issues, located at the globs.
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].to_string(), "n.yaml:10:33: faults[0].from: 'us-*' matches no network host (there are none)");
  EXPECT_EQ(d[1].to_string(), "n.yaml:10:45: faults[0].to: 'eu-*' matches no network host (there are none)");
  const auto& n = c.network;
  EXPECT_EQ(n.regions, (std::vector<std::string>{"us-east", "eu-west"}));
  EXPECT_EQ(n.latency.at("us-east").at("eu-west"), 40_ms);
  EXPECT_EQ(n.jitter.dist, sim::JitterDist::lognormal);
  EXPECT_DOUBLE_EQ(n.jitter.sigma, 0.4);
  EXPECT_EQ(n.channels.at("ocr/observe"), sim::Delivery::best_effort);
  ASSERT_EQ(n.region_links.size(), 1u);
  ASSERT_TRUE(n.region_links[0].jitter);
  EXPECT_EQ(n.region_links[0].jitter->dist, sim::JitterDist::pareto);
  EXPECT_DOUBLE_EQ(*n.region_links[0].loss, 0.01);
  EXPECT_FALSE(n.region_links[0].bandwidth_bps);
  ASSERT_EQ(c.faults.size(), 1u);
  const auto& fl = c.faults[0];
  EXPECT_EQ(fl.at, 6_h);
  EXPECT_EQ(fl.duration, std::optional<sim::Duration>(30_min));
  EXPECT_EQ(fl.from, (std::vector<std::string>{"us-*"}));
  EXPECT_EQ(fl.to, (std::vector<std::string>{"eu-*"}));
  EXPECT_EQ(std::get<sim::Duration>(fl.params.at("added_latency")), 20_ms);
  EXPECT_DOUBLE_EQ(std::get<double>(fl.params.at("loss")), 0.05);
}

TEST(Study, SetReachesIntoNestedMapsAndLists) {
  Files f;
  const auto file = f.write("n.yaml", "name: n\nnetwork:\n  regions: [a, b]\n  latency: { a: { b: 40ms } }\n"
                                      "  region_links: [{ a: a, b: b }]\n");
  EXPECT_EQ(load_study(file, {"network.latency.a.b=70ms"}).base.network.latency.at("a").at("b"), 70_ms);
  EXPECT_EQ(*load_study(file, {"network.region_links[0].loss=0.5"}).base.network.region_links[0].loss, 0.5);
  EXPECT_NE(errors_of(file, {"network.region_links[1].loss=0.5"}).find("there is no item [1]"), std::string::npos);
}
