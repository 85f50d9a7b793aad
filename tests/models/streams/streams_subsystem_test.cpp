// The streams subsystem as the World builds it from scenarios/streams_failover.yaml.
#include <filesystem>
#include <fstream>
#include <string>

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

}  // namespace
