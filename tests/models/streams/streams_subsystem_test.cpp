// The streams subsystem as the World builds it from scenarios/streams_failover.yaml.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "models/scenario/study.hpp"
#include "analysis/subsystems.hpp"
#include "models/streams/streams_subsystem.hpp"
#include "models/world/world.hpp"
#include "sim/hash.hpp"
#include "sim/random.hpp"

namespace {

using namespace sim::literals;
namespace fs = std::filesystem;
const std::string kBase = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/streams_failover.yaml";

// A scenario extending streams_failover.yaml with `steering` (YAML flow list) and no outage during the test.
std::string with_steering(const std::string& steering) {
  // Per process: ctest runs the tests of this file in parallel, some with the same steering.
  const fs::path p = fs::temp_directory_path() / ("oraclesim_steering_" + std::to_string(::getpid()) + "_" +
                                                  std::to_string(sim::fnv1a64(steering)) + ".yaml");
  std::ofstream(p) << "extends: " << kBase << "\n"
                   << "faults: [{ at: 50min, kind: site_outage, target: streams/origin-a, duration: 1min }]\n"
                   << "streams: { load_balancer: { steering: " << steering << " } }\n";
  return p.string();
}

// The site the "single" client (clients[0], no origin pinned) is connected to after `run_for`.
std::string single_client_site(const std::string& steering, sim::Duration run_for) {
  const auto study = models::scenario::single_run(analysis::builtin_registry().load_study(with_steering(steering)));
  const auto& cfg = study.points.at(0).config;
  sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
  auto world_ptr = analysis::builtin_registry().make_world(sim, cfg);
  models::world::World& world = *world_ptr;
  world.start();
  sim.run_until(sim::Time() + run_for);
  auto* streams = world.part_as<models::streams::StreamsPart>(models::streams::kSubsystem);
  EXPECT_NE(streams, nullptr);
  const auto site = streams->client(0).socket_site(0);
  EXPECT_TRUE(site.has_value());
  return site ? streams->config().sites.at(*site).name : "";
}

std::string load_error(const std::string& steering) {
  try {
    analysis::builtin_registry().load_study(with_steering(steering));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(StreamsSubsystem, ManualSteeringSendsNewConnectionsToTheSteeredSite) {
  const std::string unsteered = single_client_site("[]", 30_s);
  const std::string other = unsteered == "origin-a" ? "origin-b" : "origin-a";
  EXPECT_EQ(single_client_site("[{ site: " + other + ", at: 0s }]", 30_s), other);
  // A window that starts after the client connected does not move it (the LB routes new connections only).
  EXPECT_EQ(single_client_site("[{ site: " + other + ", at: 20s, duration: 1min }]", 30_s), unsteered);
}

TEST(StreamsSubsystem, SteeringWindowsAreValidated) {
  EXPECT_NE(load_error("[{ site: origin-a, at: 0s, duration: 10min }, { site: origin-b, at: 5min }]")
                .find("streams.load_balancer.steering[1].at: steering windows must be in time order and not overlap"),
            std::string::npos);
  EXPECT_NE(load_error("[{ site: origin-z, at: 0s }]").find("streams.load_balancer.steering[0].site: unknown site 'origin-z'"),
            std::string::npos);
  EXPECT_EQ(load_error("[{ site: origin-a, at: 0s, duration: 10min }, { site: origin-b, at: 10min }]"), "");
}

// crash_leader crashes the DON node that leads the current epoch when the fault starts.
TEST(StreamsSubsystem, CrashLeaderCrashesTheCurrentDonLeader) {
  const fs::path p = fs::temp_directory_path() / "oraclesim_crash_leader.yaml";
  std::ofstream(p) << "extends: " << kBase << "\n"
                   << "faults: [{ at: 10min, kind: crash_leader, target: \"streams/don/node-*\", duration: 1min }]\n";
  const auto study = models::scenario::single_run(analysis::builtin_registry().load_study(p.string()));
  const auto& cfg = study.points.at(0).config;
  sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
  auto world_ptr = analysis::builtin_registry().make_world(sim, cfg);
  models::world::World& world = *world_ptr;
  world.start();
  sim.run_until(sim::Time() + 10_min + 1_ms);  // injected, and too soon for the pacemaker to move on
  auto& don = world.part_as<models::streams::StreamsPart>(models::streams::kSubsystem)->don();
  int crashed = -1, up = -1;
  for (int i = 0; i < don.n(); ++i) (don.control(i).up() ? up : crashed) = i;
  ASSERT_GE(crashed, 0);
  ASSERT_GE(up, 0);
  EXPECT_EQ(don.leader_of(don.epoch(up)), crashed);
  for (int i = 0; i < don.n(); ++i) {
    if (i != crashed) {
      EXPECT_TRUE(don.control(i).up()) << i;  // exactly one node crashed
    }
  }
  const auto before = don.reports_attested();
  sim.run_until(sim::Time() + 11_min);
  // A new leader took over within delta_progress: about one report a second per feed during the crash.
  EXPECT_GT(don.reports_attested() - before, 2u * 50u);
  sim.run_until(sim::Time() + 12_min);
  EXPECT_TRUE(don.control(crashed).up());  // healed after 1 min
}

// Streams Trade in the World: a crash fault on one Automation node, fee settings and owner payouts.
TEST(StreamsSubsystem, AutomationNodesAreFaultTargetsAndFeesSettle) {
  const std::string trade = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/streams_trade.yaml";
  const fs::path p = fs::temp_directory_path() / ("oraclesim_automation_" + std::to_string(::getpid()) + ".yaml");
  auto write = [&](const std::string& extra) {
    std::ofstream(p) << "extends: " << trade << "\n" << extra;
    return p.string();
  };
  const auto study = models::scenario::single_run(analysis::builtin_registry().load_study(write(
      "faults: [{ at: 10min, kind: crash, target: streams/automation/node-2, duration: 40min }]\n"
      "streams: { fees: { discount: 50%, payout_every: 20min } }\n")));
  const auto& cfg = study.points.at(0).config;
  sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
  auto world_ptr = analysis::builtin_registry().make_world(sim, cfg);
  models::world::World& world = *world_ptr;
  auto* streams = world.part_as<models::streams::StreamsPart>(models::streams::kSubsystem);
  ASSERT_NE(streams, nullptr);
  std::vector<models::streams::TradeExecution> executed;
  auto conn = streams->trade()->trader().trade_executed.connect([&](const models::streams::TradeExecution& e) {
    if (e.kind == models::streams::TradeKind::streams) executed.push_back(e);
  });
  world.start();
  sim.run_until(sim::Time() + 30_min);
  EXPECT_FALSE(streams->trade()->don().control(2).up());
  std::size_t during = 0;
  for (const auto& e : executed) during += e.executed_at > sim::Time() + 11_min ? 1 : 0;
  EXPECT_GT(during, 5u);  // three of four nodes keep performing
  sim.run_until(sim::Time() + 1_h);
  EXPECT_TRUE(streams->trade()->don().control(2).up());
  // Half price: each report's 0.01 LINK fee cost the upkeep 0.005 LINK; the owner paid the payees every 20 min.
  const auto books = models::streams::audit_fees(streams->env().chain().contracts(), streams->verifier().fee_manager);
  EXPECT_TRUE(books.problem.empty()) << books.problem;
  const auto& fm = *streams->env().chain().contract<models::streams::FeeManager>(streams->verifier().fee_manager);
  ASSERT_GT(fm.state().fees_paid, 0u);
  EXPECT_EQ(books.rewards_due, models::chain::Amount{fm.state().fees_paid} * 5'000'000'000'000'000ULL);
  EXPECT_GT(books.paid_out, 0u);
  EXPECT_EQ(books.deficit, 0u);

  // The old single-node name is no actor, and the DON needs more than 3f nodes.
  auto error = [&](const std::string& extra) {
    try {
      analysis::builtin_registry().load_study(write(extra));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("faults: [{ at: 1min, kind: crash, target: streams/automation }]\n").find("streams/automation"),
            std::string::npos);
  EXPECT_NE(error("streams: { trade: { automation: { nodes: 6, faulty: 2 } } }\n")
                .find("streams.trade.automation.nodes: must be more than 3 x faulty (2): got 6"),
            std::string::npos);
  fs::remove(p);
}

}  // namespace
