#include "models/request/requests_subsystem.hpp"

#include "analysis/subsystems.hpp"

#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

using namespace models;
using namespace models::request;
using namespace sim::literals;

namespace {

// The request model's part of a scenario and the environment it reads (chain, assets, providers).
struct RequestWorldConfig {
  chain::ChainConfig chain;
  std::vector<providers::AssetConfig> assets;
  std::vector<providers::ProviderConfig> providers;
  std::vector<OperatorSetup> operators;
  std::vector<ConsumerSetup> consumers;
  scenario::ScenarioConfig scenario() const {
    scenario::ScenarioConfig c;
    c.chain = chain;
    c.assets = assets;
    c.providers = providers;
    auto& r = requests_of(c);
    r.enabled = true;
    r.operators = operators;
    r.consumers = consumers;
    return c;
  }
  sim::ConfigIssues validate() const { return requests_of(scenario()).validate(providers); }
};

// The request model on an environment of its own, as the World builds it.
struct RequestWorld : scenario::ScenarioConfig, world::Environment, RequestsPart {
  RequestWorld(sim::Simulation& s, const RequestWorldConfig& c)
      : scenario::ScenarioConfig(c.scenario()), world::Environment(s, *this), RequestsPart(*this, requests_of(*this)) {}
  void start() {
    world::Environment::start();
    RequestsPart::start();
  }
  using RequestsPart::chain;
};

RequestWorldConfig small_world(double rate_per_hour) {
  RequestWorldConfig w;
  w.chain.missed_slot_probability = 0;
  providers::AssetConfig a;
  a.name = "ETH/USD";
  a.process.start = 3000;
  a.process.volatility = 0;
  w.assets = {a};
  providers::ProviderConfig p;
  p.name = "exchange-a";
  p.asset = "ETH/USD";
  p.noise = 0;
  w.providers = {p};
  for (int i = 0; i < 2; ++i) {
    OperatorSetup o;
    o.name = "operator-" + std::to_string(i);
    w.operators.push_back(o);
  }
  for (int i = 0; i < 2; ++i) {
    ConsumerSetup c;
    c.name = "consumer-" + std::to_string(i);
    c.request.arrivals.rate_per_hour = rate_per_hour;
    w.consumers.push_back(c);
  }
  return w;
}

// Per-request outcomes seen through the consumers' and jobs' signals.
struct Outcomes {
  std::map<contracts::RequestId, std::uint64_t> request_block;
  std::map<contracts::RequestId, sim::Time> request_time;
  std::map<contracts::RequestId, chain::Address> request_operator;
  std::map<contracts::RequestId, std::uint64_t> fulfil_block;
  std::map<contracts::RequestId, std::size_t> fulfil_count;
  std::set<contracts::RequestId> expired, cancelled;
  std::map<contracts::RequestId, std::size_t> operator_of;
  std::uint64_t reverted_fulfilments = 0;
  std::vector<sim::Connection> conns;
  explicit Outcomes(RequestWorld& w) {
    for (std::size_t i = 0; i < w.consumer_count(); ++i) {
      auto& c = w.consumer(i);
      conns.push_back(c.request_included.connect([this](const std::string&, contracts::RequestId id, const chain::Receipt& r) {
        request_block[id] = r.block_number;
        request_time[id] = r.block_time;
        for (const auto& l : r.logs)
          if (l.event == "OracleRequest") request_operator[id] = l.emitter;
      }));
      conns.push_back(c.fulfilled.connect([this](const std::string&, contracts::RequestId id, sim::Duration, bool,
                                                 contracts::Juels, const chain::Receipt& r) {
        fulfil_block[id] = r.block_number;
        ++fulfil_count[id];
      }));
      conns.push_back(c.expired.connect([this](const std::string&, contracts::RequestId id) { expired.insert(id); }));
      conns.push_back(c.cancelled.connect([this](const std::string&, contracts::RequestId id, contracts::Juels,
                                                 const chain::Receipt&) { cancelled.insert(id); }));
    }
    for (std::size_t i = 0; i < w.operator_count(); ++i) {
      conns.push_back(w.job(i).fulfilment_included.connect([this, i](contracts::RequestId id, const chain::Receipt& r) {
        operator_of[id] = i;
        if (r.status != chain::TxStatus::success) ++reverted_fulfilments;
      }));
    }
  }
};

}  // namespace

TEST(RequestWorld, RequestsAreFulfilledAfterThreeConfirmations) {
  sim::Simulation sim(7);
  RequestWorld w(sim, small_world(30));
  Outcomes o(w);
  w.start();
  sim.run_until(sim::Time::zero() + 2_h);
  ASSERT_GT(o.request_block.size(), 80u);  // ~2 consumers x 30/h x 2 h
  EXPECT_GE(o.fulfil_block.size() + 5, o.request_block.size());
  for (const auto& [id, b] : o.fulfil_block) {
    ASSERT_TRUE(o.request_block.count(id));
    // The job acts when the head is the log's block + 2 (3 confirmations); the tx lands in a later block.
    EXPECT_GE(b, o.request_block[id] + 3) << id;
  }
  EXPECT_TRUE(o.expired.empty());
  EXPECT_EQ(o.reverted_fulfilments, 0u);
  // Answers are the provider's price x 1e8.
  const auto* ans = w.client(0).answer(o.fulfil_block.begin()->first);
  if (ans == nullptr) ans = w.client(1).answer(o.fulfil_block.begin()->first);
  ASSERT_NE(ans, nullptr);
  EXPECT_EQ(*ans, 300'000'000'000);
  // Both operators served requests (round robin), and LINK is accounted for.
  EXPECT_GT(w.operator_contract(0).earned_total(), 0u);
  EXPECT_GT(w.operator_contract(1).earned_total(), 0u);
  const auto acc = w.link_accounting();
  EXPECT_EQ(acc.violation, "");
  EXPECT_EQ(acc.earned, contracts::Juels{o.fulfil_block.size()} * 100'000'000'000'000'000ULL);
}

TEST(RequestWorld, OneConfirmationIsFaster) {
  auto cfg = small_world(30);
  for (auto& op : cfg.operators) op.job.min_incoming_confirmations = 1;
  sim::Simulation sim(7);
  RequestWorld w(sim, cfg);
  Outcomes o(w);
  w.start();
  sim.run_until(sim::Time::zero() + 1_h);
  std::size_t early = 0;
  for (const auto& [id, b] : o.fulfil_block) early += b < o.request_block[id] + 3 ? 1 : 0;
  EXPECT_GT(early, 0u);
}

TEST(RequestWorld, NodeDownTenMinutesItsRequestsExpireAndAreRefunded) {
  sim::Simulation sim(11);
  RequestWorld w(sim, small_world(60));
  Outcomes o(w);
  w.start();
  const sim::Time down = sim::Time::zero() + 30_min, up = down + 10_min;
  sim.at(down, [&] { w.node(0).crash(); });
  sim.at(up, [&] { w.node(0).restart(); });
  sim.run_until(sim::Time::zero() + 90_min);
  ASSERT_FALSE(o.expired.empty());
  std::size_t during = 0;
  for (const auto& [id, t] : o.request_time) {
    // Requests to operator-0 included well inside the outage expire (5 min) before the node is back.
    if (t < down + 1_min || t > up - 6_min || o.request_operator[id] != w.operator_contract(0).address()) continue;
    ++during;
    EXPECT_EQ(o.fulfil_block.count(id), 0u) << id;
    EXPECT_TRUE(o.expired.count(id)) << id;
    EXPECT_TRUE(o.cancelled.count(id)) << id;
  }
  EXPECT_GT(during, 2u);
  for (const auto id : o.expired) EXPECT_EQ(o.fulfil_block.count(id), 0u) << "an expired request was paid: " << id;
  // No request was fulfilled twice; the restarted node skips the cancelled ones.
  for (const auto& [id, n] : o.fulfil_count) EXPECT_EQ(n, 1u);
  const auto acc = w.link_accounting();
  EXPECT_EQ(acc.violation, "");
  EXPECT_EQ(acc.refunded, contracts::Juels{o.cancelled.size()} * 100'000'000'000'000'000ULL);
  EXPECT_GT(acc.refunded, 0u);
}

TEST(RequestWorld, ReorgsNeverCauseADoubleFulfilment) {
  auto cfg = small_world(60);
  cfg.chain.reorg.probability = 0.2;
  cfg.chain.reorg.max_depth = 2;
  sim::Simulation sim(5);
  RequestWorld w(sim, cfg);
  Outcomes o(w);
  std::uint64_t reorgs = 0, undone_requests = 0;
  sim::Connection rc = w.chain().reorged.connect([&](const chain::Reorg& rg) {
    ++reorgs;
    for (const auto& r : rg.undone) undone_requests += r.label == "request/request" ? 1 : 0;
  });
  w.start();
  sim.run_until(sim::Time::zero() + 2_h);
  EXPECT_GT(reorgs, 50u);
  EXPECT_GT(undone_requests, 5u);  // requests were undone and re-included
  ASSERT_GT(o.fulfil_block.size(), 100u);
  std::uint64_t sent = 0;
  for (std::size_t i = 0; i < w.operator_count(); ++i) sent += w.job(i).fulfilments_sent();
  // Each request is run once: fulfilment txs sent = distinct requests fulfilled (+ those still in flight).
  EXPECT_LE(sent, o.request_block.size());
  EXPECT_EQ(o.reverted_fulfilments, 0u);
  EXPECT_EQ(w.link_accounting().violation, "");
}

TEST(RequestWorld, ApiOutageFailsRunsAndRequestsExpire) {
  auto cfg = small_world(60);
  sim::Simulation sim(3);
  RequestWorld w(sim, cfg);
  Outcomes o(w);
  std::uint64_t http_failed = 0;
  std::vector<sim::Connection> conns;
  for (std::size_t i = 0; i < w.operator_count(); ++i)
    conns.push_back(w.job(i).run_failed.connect([&](sim::Time, contracts::RequestId, RunFailure f) {
      if (f == RunFailure::http_failed) ++http_failed;
    }));
  w.start();
  sim.at(sim::Time::zero() + 20_min, [&] { w.provider("exchange-a")->set_outage(true); });
  sim.at(sim::Time::zero() + 40_min, [&] { w.provider("exchange-a")->set_outage(false); });
  sim.run_until(sim::Time::zero() + 70_min);
  EXPECT_GT(http_failed, 5u);
  EXPECT_GE(o.cancelled.size(), http_failed - 2);
  EXPECT_EQ(w.link_accounting().violation, "");
}

TEST(RequestWorld, ValidationNamesTheKey) {
  auto cfg = small_world(10);
  cfg.consumers[0].request.get = "nowhere";
  cfg.operators[1].job.gas_limit = 300'000;
  const auto issues = cfg.validate();
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues.items()[0].path, "requests.operators[1].job.gas_limit");
  EXPECT_EQ(issues.items()[1].path, "requests.consumers[0].request.get");
  EXPECT_EQ(analysis::builtin_registry().validate(cfg.scenario()).size(), 2u);  // what loading a file checks
}
