// The oraclesim command line.
#include <chrono>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "models/demo/phold.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/simulation.hpp"

namespace {

int cmd_run(const std::string& file) {
  const auto cfg = models::scenario::load_scenario(file);
  sim::Simulation s(cfg.seed, 0);
  models::demo::Phold model(s, cfg.phold);
  model.start();
  s.run_until(sim::Time::zero() + cfg.duration);
  const auto st = s.stats();
  fmt::print("scenario {}: simulated {} — events {}, peak pending {}, fingerprint {:016x}\n", cfg.name,
             cfg.duration, st.executed, st.peak_pending, s.fingerprint());
  return 0;
}

int cmd_bench_phold(std::uint32_t lps, std::uint32_t population, std::uint64_t events, std::uint64_t seed) {
  sim::Simulation s(seed, 0);
  models::demo::PholdConfig cfg;
  cfg.lps = lps;
  cfg.population = population;
  cfg.max_events = events;
  models::demo::Phold model(s, cfg);
  model.start();
  const auto t0 = std::chrono::steady_clock::now();  // timing output only
  s.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("phold lps={} population={} events={} wall_s={:.3f} events/s={:.0f} fingerprint={:016x}\n", lps,
             population, model.handled(), wall, static_cast<double>(model.handled()) / wall, s.fingerprint());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"oraclesim: a deterministic discrete-event simulator of the Chainlink oracle ecosystem"};
  app.set_version_flag("--version", std::string("oraclesim ") + ORACLESIM_VERSION);
  app.require_subcommand(1);

  std::string file;
  auto* run = app.add_subcommand("run", "Run one scenario");
  run->add_option("file", file, "Scenario YAML file")->required();

  auto* bench = app.add_subcommand("bench", "Engine benchmarks");
  bench->require_subcommand(1);
  auto* phold = bench->add_subcommand("phold", "PHOLD through the public Simulation API");
  std::uint32_t lps = 1024, population = 16;
  std::uint64_t events = 10'000'000, seed = 1;
  phold->add_option("--lps", lps, "Logical processes")->check(CLI::PositiveNumber);
  phold->add_option("--population", population, "Initial events per LP")->check(CLI::PositiveNumber);
  phold->add_option("--events", events, "Events to process")->check(CLI::PositiveNumber);
  phold->add_option("--seed", seed, "Master seed");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*run) return cmd_run(file);
    if (*phold) return cmd_bench_phold(lps, population, events, seed);
  } catch (const models::scenario::ScenarioError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
