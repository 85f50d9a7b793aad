// The streams world as the scenario World builds it from scenarios/streams_failover.yaml.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "models/scenario/study.hpp"
#include "models/scenario/world.hpp"
#include "sim/hash.hpp"
#include "sim/random.hpp"

namespace {

using namespace sim::literals;
namespace fs = std::filesystem;
const std::string kBase = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/streams_failover.yaml";

// A scenario extending streams_failover.yaml with `steering` (YAML flow list) and no outage during the test.
std::string with_steering(const std::string& steering) {
  const fs::path p = fs::temp_directory_path() / ("oraclesim_steering_" + std::to_string(sim::fnv1a64(steering)) + ".yaml");
  std::ofstream(p) << "extends: " << kBase << "\n"
                   << "faults: [{ at: 50min, kind: site_outage, target: streams/origin-a, duration: 1min }]\n"
                   << "streams: { load_balancer: { steering: " << steering << " } }\n";
  return p.string();
}

// The site the "single" client (clients[0], no origin pinned) is connected to after `run_for`.
std::string single_client_site(const std::string& steering, sim::Duration run_for) {
  const auto study = models::scenario::single_run(models::scenario::load_study(with_steering(steering)));
  const auto& cfg = study.points.at(0).config;
  sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
  models::scenario::World world(sim, cfg);
  world.start();
  sim.run_until(sim::Time() + run_for);
  auto* streams = world.streams();
  EXPECT_NE(streams, nullptr);
  const auto site = streams->client(0).socket_site(0);
  EXPECT_TRUE(site.has_value());
  return site ? streams->config().sites.at(*site).name : "";
}

std::string load_error(const std::string& steering) {
  try {
    models::scenario::load_study(with_steering(steering));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(StreamsWorld, ManualSteeringSendsNewConnectionsToTheSteeredSite) {
  const std::string unsteered = single_client_site("[]", 30_s);
  const std::string other = unsteered == "origin-a" ? "origin-b" : "origin-a";
  EXPECT_EQ(single_client_site("[{ site: " + other + ", at: 0s }]", 30_s), other);
  // A window that starts after the client connected does not move it (the LB routes new connections only).
  EXPECT_EQ(single_client_site("[{ site: " + other + ", at: 20s, duration: 1min }]", 30_s), unsteered);
}

TEST(StreamsWorld, SteeringWindowsAreValidated) {
  EXPECT_NE(load_error("[{ site: origin-a, at: 0s, duration: 10min }, { site: origin-b, at: 5min }]")
                .find("streams.load_balancer.steering[1].at: steering windows must be in time order and not overlap"),
            std::string::npos);
  EXPECT_NE(load_error("[{ site: origin-z, at: 0s }]").find("streams.load_balancer.steering[0].site: unknown site 'origin-z'"),
            std::string::npos);
  EXPECT_EQ(load_error("[{ site: origin-a, at: 0s, duration: 10min }, { site: origin-b, at: 10min }]"), "");
}

}  // namespace
