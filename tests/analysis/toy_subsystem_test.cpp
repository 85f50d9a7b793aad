// A subsystem the project does not ship plugs in with one registration call: its scenario keys, the actor faults
// may name, a fault kind of its own, its builder and its collector, with no edit to the scenario, world or run
// code. The toy is a ticker that emits a tick every `period`; its collector counts the ticks in the window.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/scenario/diagnostic.hpp"
#include "sim/hash.hpp"
#include "sim/timer.hpp"

using namespace sim::literals;
namespace fs = std::filesystem;
namespace sc = models::scenario;

namespace {

struct ToyConfig {
  bool enabled = false;                                              // build the ticker
  sim::Duration period = sim::Duration::nanoseconds(1'000'000'000);  // time between ticks, 1 s
};

constexpr const char* kToy = "toy";
const ToyConfig& toy_of(const sc::ScenarioConfig& c) { return c.subsystems.get<ToyConfig>(kToy); }
ToyConfig& toy_of(sc::ScenarioConfig& c) { return c.subsystems.edit<ToyConfig>(kToy); }

class ToyPart : public models::world::Part {
 public:
  ToyPart(models::world::Environment& env, const ToyConfig& cfg)
      : sim_(env.simulation()), cfg_(cfg), control_("toy/ticker", "toy-ticker"), timer_(sim_, [this] { tick(); }, "toy/tick") {}
  void start() override { timer_.arm(cfg_.period); }
  void register_actors(models::faults::ActorDirectory& d) override { d.add(control_); }
  void install_fault_injectors(models::faults::FaultKindRegistry& r) override {
    // toy_mute: the ticker keeps time but emits nothing while the fault lasts.
    r.set_injector("toy_mute", [this](const models::faults::InjectedFault&, models::faults::FaultEffect& effect) {
      muted_ = &effect;
      return [this] { muted_ = nullptr; };
    });
  }
  sim::Signal<sim::Time> ticked;

 private:
  void tick() {
    timer_.arm(cfg_.period);
    if (!control_.admit()) return;  // crashed: nothing happens (counted by the crash fault)
    if (muted_ != nullptr) return muted_->count("ticks_muted");
    ticked.emit(sim_.now());
  }
  sim::Simulation& sim_;
  ToyConfig cfg_;
  models::faults::ActorControl control_;
  sim::Timer timer_;
  models::faults::FaultEffect* muted_ = nullptr;
};

class ToyCollector : public analysis::Collector {
 public:
  explicit ToyCollector(ToyPart& part) : conn_(part.ticked.connect([this](sim::Time) { ticks_ += measuring_; })) {}
  void begin_measurement(sim::Time) override { measuring_ = true; }
  void sample(sim::Time, analysis::SeriesRecorder&) override {}
  void finish(sim::Time, analysis::MetricSet& out) override { out.set("toy_ticks", static_cast<double>(ticks_)); }

 private:
  bool measuring_ = false;
  std::uint64_t ticks_ = 0;
  sim::Connection conn_;
};

analysis::Subsystem toy() {
  return {
      .name = kToy,
      .keys =
          [](sc::Block<sc::ScenarioConfig>& root) {
            auto t = root.block_in<ToyConfig>("toy", "a test-only ticker", [](sc::ScenarioConfig& c) -> ToyConfig& { return toy_of(c); });
            t.key("enabled", &ToyConfig::enabled, sc::KeySpec::boolean().doc("build the ticker").from("-"));
            t.key("period", &ToyConfig::period, sc::KeySpec::duration().greater_than(0).doc("time between ticks").from("-"));
          },
      .actors =
          [](const sc::ScenarioConfig& c, std::vector<sc::ActorName>& out) {
            if (toy_of(c).enabled) out.push_back({"toy/ticker", "toy-ticker"});
          },
      .fault_kinds =
          [](models::faults::FaultKindRegistry& r) {
            r.add_kind({.name = "toy_mute", .target = models::faults::TargetUse::required, .params = {}, .validate = {},
                        .inject = {}, .target_models = {"toy-ticker"}, .one_group = false,
                        .doc = "mutes the ticker", .effects = {"ticks_muted"}});
          },
      .build = [](models::world::Environment& env, const sc::ScenarioConfig& c) -> std::unique_ptr<models::world::Part> {
        if (!toy_of(c).enabled) return nullptr;
        return std::make_unique<ToyPart>(env, toy_of(c));
      },
      .collectors =
          [](models::world::Part& part, const analysis::RunContext&, analysis::CollectorList& out) {
            out.push_back(std::make_unique<ToyCollector>(dynamic_cast<ToyPart&>(part)));
          },
      .metrics = {{.name = "toy_ticks", .unit = "count", .entity = analysis::MetricEntity::kRun, .window = "whole run",
                   .definition = "ticks of the toy ticker", .subsystem = {}}},
      .timeseries = {},
  };
}

struct ScenarioFile {
  fs::path path;
  explicit ScenarioFile(const std::string& text)
      // The process id too: ctest runs the tests of this file in parallel processes, with the same texts.
      : path(fs::temp_directory_path() / ("oraclesim_toy_" + std::to_string(::getpid()) + "_" +
                                          std::to_string(sim::fnv1a64(text)) + ".yaml")) {
    std::ofstream(path) << text;
  }
  ~ScenarioFile() { fs::remove(path); }
};

const char* kScenario = R"(name: toy
duration: 60s
demo: { enabled: false }
toy: { enabled: true, period: 2s }
faults:
  - { at: 20s, kind: crash, target: toy/ticker, duration: 10s }
  - { at: 40s, kind: toy_mute, target: toy/ticker, duration: 6s }
)";

std::string errors_of(const analysis::Registry& reg, const std::string& text) {
  ScenarioFile f(text);
  try {
    reg.load_study(f.path.string());
  } catch (const sc::ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ToySubsystem, PlugsInWithOneRegistration) {
  analysis::Registry reg = analysis::builtin_registry();
  reg.add(toy());
  ScenarioFile f(kScenario);
  const auto study = reg.load_study(f.path.string());
  const auto r = analysis::run_one(study.base, 1, 0, reg);
  // 30 ticks in 60 s; the crash suppresses 5 (at 20, 22, ..., 28 s) and the mute 3 (at 40, 42 and 44 s).
  EXPECT_EQ(r.metrics.get("toy_ticks"), 30.0 - 5.0 - 3.0);
  EXPECT_EQ(r.metrics.get("faults_injected"), 2.0);
  EXPECT_EQ(r.metrics.get("faults_without_effect"), 0.0);
  EXPECT_EQ(r.metrics.get("fault_ticks_muted"), 3.0);
  // Its keys are in the reference like every other block, and its metric in the metric reference.
  EXPECT_FALSE(reg.schema().find("toy.period").empty());
  ASSERT_NE(reg.find_metric("toy_ticks"), nullptr);
  EXPECT_EQ(reg.find_metric("toy_ticks")->subsystem, "toy");
}

// A collector that reports a metric its subsystem did not register stops the run: the reference never falls behind.
TEST(ToySubsystem, AnUnregisteredMetricFailsTheRun) {
  analysis::Registry reg = analysis::builtin_registry();
  auto sub = toy();
  sub.metrics.clear();
  reg.add(std::move(sub));
  ScenarioFile f(kScenario);
  const auto study = reg.load_study(f.path.string());
  try {
    analysis::run_one(study.base, 1, 0, reg);
    FAIL() << "the run reported an unregistered metric without failing";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("'toy_ticks'"), std::string::npos) << e.what();
  }
  // Two subsystems cannot both claim one metric.
  analysis::Registry twice = analysis::builtin_registry();
  auto clash = toy();
  clash.metrics[0].name = "gas_per_update";
  EXPECT_THROW(twice.add(std::move(clash)), std::invalid_argument);
}

TEST(ToySubsystem, ItsKeysAndActorsGetTheSameErrorsAsBuiltInOnes) {
  analysis::Registry reg = analysis::builtin_registry();
  reg.add(toy());
  EXPECT_NE(errors_of(reg, "name: t\ntoy: { perod: 2s }\n").find("did you mean 'period'?"), std::string::npos);
  EXPECT_NE(errors_of(reg, "name: t\ntoy: { period: -1s }\n").find("toy.period"), std::string::npos);
  // The fault kind acts on the ticker only, and the ticker exists only when enabled.
  EXPECT_NE(errors_of(reg, "name: t\ndemo: { enabled: false }\ntoy: { enabled: false }\n"
                           "faults: [{ at: 1s, kind: toy_mute, target: toy/ticker }]\n")
                .find("'toy/ticker' matches no actor"),
            std::string::npos);
  // Without the registration the block is unknown: nothing about it lives outside the registration.
  EXPECT_NE(errors_of(analysis::builtin_registry(), "name: t\ntoy: { enabled: true }\n").find("unknown key 'toy'"),
            std::string::npos);
}
