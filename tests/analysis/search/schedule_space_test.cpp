// The space of fault schedules (analysis/search/schedule_space.hpp) and the search over it (chaos_search.hpp), with
// a stand-in evaluator: every schedule stays within the search block's bounds, reads back from its YAML as the same
// faults, shrinks towards simpler schedules, and the search and shrinker find what the objective rewards whatever the
// evaluator does in parallel.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/search/chaos_search.hpp"
#include "analysis/search/schedule_space.hpp"
#include "analysis/subsystems.hpp"
#include "models/faults/glob.hpp"
#include "models/scenario/study.hpp"
#include "sim/hash.hpp"
#include "tests/analysis/scenario_run.hpp"

namespace {

namespace mf = models::faults;
namespace srch = analysis::search;
using models::scenario::ScenarioConfig;

std::string shipped(const std::string& file) {
  std::ifstream in(scenario_test::kScenarios + file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ocr_faults.yaml (n = 7, 2 h) with a search block.
const char* kSearch = R"(
search:
  objective: safety_violations
  max_faults: 3
  max_faulty: 2
  start: 5min
  end: 100min
  faults:
    - { kind: byzantine, behaviour: collude, target: "eth-usd/node-*", max_targets: 3, duration: [5min, 90min], offset: [1%, 10%] }
    - { kind: byzantine, behaviour: lie, target: "eth-usd/node-*", max_targets: 2, max: 1, duration: [5min, 90min], offset: [-10%, 10%] }
    - { kind: crash, target: "eth-usd/node-[0-3]", max_targets: 2, duration: [30s, 20min] }
    - { kind: partition, hosts: "eth-usd/node-*", duration: [1min, 20min] }
    - { kind: link, hosts: "eth-usd/node-*", max_targets: 2, duration: [1min, 20min], loss: [0, 50%], added_latency: [0s, 5s] }
    - { kind: congestion, duration: [10min, 1h], multiplier: [2, 20] }
)";

struct Space {
  ScenarioConfig cfg;
  std::vector<mf::ActorInfo> actors;
  std::optional<srch::ScheduleSpace> space;
  explicit Space(int max_faulty = 2) {
    std::string search = kSearch;
    search.replace(search.find("max_faulty: 2"), 13, "max_faulty: " + std::to_string(max_faulty));
    cfg = scenario_test::decode(shipped("ocr_faults.yaml") + search);
    for (const auto& a : analysis::builtin_registry().actors_of(cfg)) actors.push_back({a.name, a.model, a.actor, a.host});
    space.emplace(cfg.search, cfg.duration, actors, analysis::builtin_registry().fault_kinds());
  }
};

bool in_pool(const std::string& name, const std::string& glob) { return mf::glob_match(glob, name); }

void expect_within_bounds(const srch::Schedule& s, const mf::SearchConfig& sc) {
  EXPECT_GE(s.size(), 1u);
  EXPECT_LE(s.size(), sc.max_faults);
  std::set<std::string> faulty;
  std::map<std::size_t, int> count;
  for (const auto& f : s) {
    const auto& e = sc.faults.at(f.entry);
    ++count[f.entry];
    EXPECT_EQ(f.fault.kind, e.kind);
    EXPECT_GE(f.fault.at, sc.start);
    EXPECT_LT(f.fault.at, *sc.end);
    ASSERT_TRUE(f.fault.duration.has_value());
    EXPECT_GE(*f.fault.duration, *e.duration_lo);
    EXPECT_LE(*f.fault.duration, *e.duration_hi);
    EXPECT_LE(f.fault.target.patterns.size(), e.max_targets);
    for (const auto& t : f.fault.target.patterns) {
      EXPECT_TRUE(in_pool(t, e.target.at(0))) << t;
      faulty.insert(t);
    }
    if (e.kind == "partition") {
      ASSERT_EQ(f.fault.groups.size(), 2u);
      EXPECT_EQ(f.fault.groups[0].size() + f.fault.groups[1].size(), 7u);
    }
    if (e.kind == "link") {
      EXPECT_GE(f.fault.from.size(), 1u);
      EXPECT_LE(f.fault.from.size(), e.max_targets);
      EXPECT_EQ(f.fault.from.size() + f.fault.to.size(), 7u);
    }
    for (const auto& [name, p] : e.params) {
      ASSERT_TRUE(f.fault.params.contains(name)) << name;
      if (const auto* lo = std::get_if<double>(&p.lo)) {
        const double v = std::get<double>(f.fault.params.at(name));
        EXPECT_GE(v, *lo);
        EXPECT_LE(v, std::get<double>(*p.hi));
      }
    }
  }
  for (const auto& [entry, n] : count) EXPECT_LE(static_cast<std::uint32_t>(n), sc.faults[entry].max.value_or(sc.max_faults));
  EXPECT_LE(faulty.size(), sc.max_faulty);
}

TEST(ScheduleSpace, RandomAndMutatedSchedulesStayWithinTheBounds) {
  Space sp;
  sim::RngFactory streams(3, 0);
  std::set<std::string> kinds;
  for (int i = 0; i < 300; ++i) {
    sim::Rng rng = streams.stream("t/" + std::to_string(i));
    const auto s = sp.space->random(rng);
    SCOPED_TRACE(srch::schedule_yaml(s));
    expect_within_bounds(s, sp.cfg.search);
    const auto m = sp.space->mutate(s, rng);
    expect_within_bounds(m, sp.cfg.search);
    EXPECT_NE(srch::schedule_yaml(m), srch::schedule_yaml(s));
    for (const auto& f : s) kinds.insert(f.fault.kind);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"byzantine", "congestion", "crash", "link", "partition"}));
}

TEST(ScheduleSpace, ASchedulesDependsOnlyOnItsStream) {
  Space a, b;
  sim::Rng r1 = sim::RngFactory(9, 0).stream("x"), r2 = sim::RngFactory(9, 0).stream("x"), r3 = sim::RngFactory(9, 0).stream("y");
  const auto s1 = srch::schedule_yaml(a.space->random(r1));
  EXPECT_EQ(s1, srch::schedule_yaml(b.space->random(r2)));
  EXPECT_NE(s1, srch::schedule_yaml(a.space->random(r3)));
}

// The YAML a schedule is written as decodes to the same faults: what makes the written scenario replay the run.
TEST(ScheduleSpace, ScheduleYamlReadsBackAsTheSameFaults) {
  Space sp;
  sim::RngFactory streams(5, 0);
  for (int i = 0; i < 100; ++i) {
    sim::Rng rng = streams.stream("r/" + std::to_string(i));
    const auto s = sp.space->random(rng);
    std::string text = shipped("ocr_faults.yaml") + "\nfaults:\n";
    for (const auto& f : s) text += "  - " + srch::fault_yaml(f.fault) + "\n";
    const ScenarioConfig back = scenario_test::decode(text);
    ASSERT_EQ(back.faults.size(), s.size());
    EXPECT_TRUE(analysis::builtin_registry().validate(back).empty());
    for (std::size_t k = 0; k < s.size(); ++k) {
      const auto& x = s[k].fault;
      const auto& y = back.faults[k];
      EXPECT_EQ(x.at, y.at);
      EXPECT_EQ(x.duration, y.duration);
      EXPECT_EQ(x.kind, y.kind);
      EXPECT_EQ(x.behaviour, y.behaviour);
      EXPECT_EQ(x.target.patterns, y.target.patterns);
      EXPECT_EQ(x.groups, y.groups);
      EXPECT_EQ(x.from, y.from);
      EXPECT_EQ(x.to, y.to);
      EXPECT_EQ(x.params, y.params) << srch::fault_yaml(x);
    }
  }
}

TEST(ScheduleSpace, ShrinkStepsAreSimplerAndWithinTheBounds) {
  Space sp;
  sim::Rng rng = sim::RngFactory(2, 0).stream("s");
  for (int i = 0; i < 50; ++i) {
    const auto s = sp.space->random(rng);
    const auto actors = sp.space->faulty_actors(s).size();
    for (const auto& step : sp.space->shrink_steps(s)) {
      SCOPED_TRACE(step.change);
      EXPECT_TRUE(sp.space->admissible(step.schedule));
      EXPECT_LE(step.schedule.size(), s.size());
      EXPECT_LE(sp.space->faulty_actors(step.schedule).size(), actors);
      EXPECT_NE(srch::schedule_yaml(step.schedule), srch::schedule_yaml(s));
    }
  }
}

TEST(ScheduleSpace, SearchBlockProblemsNameTheEntry) {
  const std::string text = shipped("ocr_faults.yaml") + R"(
search:
  faults:
    - { kind: crash, target: "eth-usd/oracle-*", duration: [1min, 2min] }
    - { kind: partition, duration: [1min, 2min] }
    - { kind: byzantine, behaviour: lie, target: "eth-usd/node-*", offset: [1%, 5%], speed: 3 }
    - { kind: crash_leader }
)";
  models::scenario::Diagnostics d;
  ScenarioConfig c;
  const auto tree = models::scenario::parse_yaml(text, "test.yaml", d);
  ASSERT_TRUE(tree.has_value());
  analysis::builtin_registry().schema().decode(*tree, &c, d);
  std::set<std::string> paths;
  for (const auto& x : d) paths.insert(x.path);
  EXPECT_TRUE(paths.contains("search.faults[0].target"));
  EXPECT_TRUE(paths.contains("search.faults[1].hosts"));
  EXPECT_TRUE(paths.contains("search.faults[2].speed"));
  EXPECT_TRUE(paths.contains("search.faults[3].target"));
  EXPECT_EQ(paths.size(), 4u);
}

// A stand-in objective: 1 per collude fault with three or more colluders, 0.5 per other fault. The search must find a
// schedule with three colluders and shrink it to exactly one such fault with the mildest offset at the window's start.
std::vector<srch::Evaluation> stand_in(const std::vector<srch::Trial>& batch) {
  std::vector<srch::Evaluation> out;
  for (const auto& t : batch) {
    srch::Evaluation e;
    e.objective = 0;
    for (const auto& f : t.schedule)
      e.objective += f.fault.behaviour == "collude" && f.fault.target.patterns.size() >= 3 ? 1.0 : 0.01;
    e.fingerprint = sim::fnv1a64(t.yaml);  // a stand-in (the search never reads it)
    out.push_back(e);
  }
  return out;
}

TEST(ChaosSearch, FindsAndShrinksWhatTheObjectiveRewards) {
  Space sp(3);
  srch::SearchSettings s;
  s.budget = 120;
  s.generation = 20;
  s.shrink_budget = 200;
  s.threshold = 0.5;
  s.seed = 7;
  const auto o = srch::run_search(*sp.space, s, stand_in);
  std::size_t searched = 0;
  for (const auto& r : o.trials) searched += r.trial.phase == srch::Phase::search ? 1 : 0;
  EXPECT_EQ(searched, 120u);
  EXPECT_LE(o.trials.size() - searched, 200u);
  const auto ce = o.counterexample();
  ASSERT_TRUE(ce.has_value());
  const auto& shrunk = o.trials[*ce].trial.schedule;
  ASSERT_EQ(shrunk.size(), 1u) << srch::schedule_yaml(shrunk);
  EXPECT_EQ(shrunk[0].fault.behaviour, "collude");
  EXPECT_EQ(shrunk[0].fault.target.patterns.size(), 3u);
  EXPECT_EQ(std::get<double>(shrunk[0].fault.params.at("offset")), 0.01);
  EXPECT_EQ(shrunk[0].fault.at, sp.cfg.search.start);
  EXPECT_EQ(*shrunk[0].fault.duration, *sp.cfg.search.faults[0].duration_lo);
}

// The evaluator may run a batch in any order or in parallel: the search asks for the same trials either way.
TEST(ChaosSearch, TrialsDependOnlyOnResultsNotOnHowTheyAreRun) {
  Space sp(3);
  srch::SearchSettings s;
  s.budget = 60;
  s.generation = 15;
  s.threshold = 0.5;
  const auto a = srch::run_search(*sp.space, s, stand_in);
  const auto b = srch::run_search(*sp.space, s, [](const std::vector<srch::Trial>& batch) {
    std::vector<srch::Trial> reversed(batch.rbegin(), batch.rend());
    auto e = stand_in(reversed);
    std::reverse(e.begin(), e.end());
    return e;
  });
  ASSERT_EQ(a.trials.size(), b.trials.size());
  for (std::size_t i = 0; i < a.trials.size(); ++i) EXPECT_EQ(a.trials[i].trial.yaml, b.trials[i].trial.yaml);
  EXPECT_EQ(a.shrink_path, b.shrink_path);
}

// Equal objectives are ranked by the guide metrics, in order, each higher first and NaN last; then by fewer faulty
// actors and faults.
TEST(ChaosSearch, GuideMetricsRankEqualObjectives) {
  auto result = [](double objective, std::vector<double> guide, std::size_t faulty) {
    srch::TrialResult r;
    r.eval.objective = objective;
    r.eval.guide = std::move(guide);
    r.faulty = faulty;
    return r;
  };
  const double nan = std::nan("");
  EXPECT_TRUE(srch::ranks_before(result(1, {0}, 3), result(0, {900}, 0)));      // the objective first
  EXPECT_TRUE(srch::ranks_before(result(0, {600}, 3), result(0, {20}, 0)));     // then the guide
  EXPECT_TRUE(srch::ranks_before(result(0, {600, 1}, 3), result(0, {600, 0}, 0)));
  EXPECT_TRUE(srch::ranks_before(result(0, {20}, 3), result(0, {nan}, 0)));     // NaN last
  EXPECT_TRUE(srch::ranks_before(result(0, {600}, 1), result(0, {600}, 2)));    // then fewer faulty actors
  EXPECT_FALSE(srch::ranks_before(result(0, {600}, 2), result(0, {600}, 2)));   // a strict order
}

TEST(ChaosSearch, NothingBreaksNothingShrinks) {
  Space sp;
  srch::SearchSettings s;
  s.budget = 40;
  s.generation = 10;
  s.threshold = 1e9;
  const auto o = srch::run_search(*sp.space, s, stand_in);
  EXPECT_EQ(o.trials.size(), 40u);
  EXPECT_FALSE(o.counterexample().has_value());
  ASSERT_TRUE(o.best.has_value());
}

}  // namespace
