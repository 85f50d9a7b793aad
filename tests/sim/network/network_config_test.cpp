#include "sim/network/network_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sim;
using namespace sim::literals;

namespace {

bool has_issue(const ConfigIssues& is, const std::string& path) {
  return std::any_of(is.items().begin(), is.items().end(), [&](const ConfigIssue& i) { return i.path == path; });
}

NetworkConfig three_regions() {
  NetworkConfig c;
  c.regions = {"us-east", "eu-west", "ap-south"};
  c.latency["us-east"]["eu-west"] = 40_ms;
  c.latency["us-east"]["ap-south"] = 110_ms;
  c.latency["eu-west"]["ap-south"] = 70_ms;
  c.jitter.dist = JitterDist::lognormal;
  return c;
}

}  // namespace

TEST(NetworkConfig, DefaultsAreValid) {
  EXPECT_TRUE(validate(NetworkConfig{}).empty());
  EXPECT_TRUE(validate(three_regions()).empty());
}

TEST(NetworkConfig, MissingRegionPairIsNamedByPath) {
  NetworkConfig c = three_regions();
  c.latency["eu-west"].erase("ap-south");
  const ConfigIssues is = validate(c);
  ASSERT_EQ(is.size(), 1u);
  // Pairs are reported in sorted order of region names.
  EXPECT_EQ(is.items()[0].path, "network.latency.ap-south.eu-west");
}

TEST(NetworkConfig, UnknownRegionAndNegativeLatency) {
  NetworkConfig c = three_regions();
  c.latency["us-east"]["eu-west"] = -(5_ms);
  c.latency["us-east"]["mars"] = 1_s;
  const ConfigIssues is = validate(c);
  EXPECT_TRUE(has_issue(is, "network.latency.us-east.eu-west"));
  EXPECT_TRUE(has_issue(is, "network.latency.us-east.mars"));
}

TEST(NetworkConfig, ConflictingSymmetricEntries) {
  NetworkConfig c = three_regions();
  c.latency["eu-west"]["us-east"] = 41_ms;
  const ConfigIssues is = validate(c);
  ASSERT_EQ(is.size(), 1u);
  EXPECT_NE(is.items()[0].message.find("conflicts with"), std::string::npos) << is.items()[0].message;
  c.latency["eu-west"]["us-east"] = 40_ms;  // same value in both orders is fine
  EXPECT_TRUE(validate(c).empty());
}

TEST(NetworkConfig, JitterLossAndEdges) {
  NetworkConfig c;
  c.jitter.dist = JitterDist::pareto;
  c.jitter.alpha = 0;
  c.loss = 1.0;
  c.topology = TopologyKind::edges;
  c.edges.push_back({"a", "a", {}});
  c.edges.push_back({"a", "b", {}});
  c.edges.push_back({"b", "a", {}});
  c.edges[1].link.loss = -0.1;
  const ConfigIssues is = validate(c);
  EXPECT_TRUE(has_issue(is, "network.jitter.alpha"));
  EXPECT_TRUE(has_issue(is, "network.loss"));
  EXPECT_TRUE(has_issue(is, "network.edges[0].b"));
  EXPECT_TRUE(has_issue(is, "network.edges[1].loss"));
  EXPECT_TRUE(has_issue(is, "network.edges[2]"));
  EXPECT_EQ(is.size(), 5u);
}

TEST(NetworkConfig, EdgesTopologyNeedsEdgesAndRandomGraphRanges) {
  NetworkConfig c;
  c.topology = TopologyKind::edges;
  EXPECT_TRUE(has_issue(validate(c), "network.edges"));
  c.topology = TopologyKind::random_graph;
  c.random_graph.beta = 1.5;
  EXPECT_TRUE(has_issue(validate(c), "network.random_graph.beta"));
}

TEST(NetworkConfig, RegionLinkOverridesNameKnownRegions) {
  NetworkConfig c = three_regions();
  c.region_links.push_back({"us-east", "moon", std::nullopt, std::nullopt, 2.0});
  const ConfigIssues is = validate(c);
  EXPECT_TRUE(has_issue(is, "network.region_links[0].b"));
  EXPECT_TRUE(has_issue(is, "network.region_links[0].loss"));
}
