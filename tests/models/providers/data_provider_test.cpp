#include "models/providers/data_provider.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

using namespace models::providers;
using namespace sim::literals;

namespace {
ProviderConfig basic(const char* name, const char* asset) {
  ProviderConfig c;
  c.name = std::string(name);
  c.asset = std::string(asset);
  return c;
}
PriceProcessConfig flat(double price) {
  PriceProcessConfig c;
  c.start = price;
  c.volatility = 0;
  return c;
}
}  // namespace

TEST(DataProvider, NoiseBiasLatencyAndErrorsAsConfigured) {
  sim::Simulation s(11);
  TruePrice truth(s, "ETH/USD", flat(2000));
  ProviderConfig cfg = basic("ex", "ETH/USD");
  cfg.noise = 10e-4;
  cfg.bias = 5e-4;
  cfg.refresh = 1_s;
  cfg.latency.median = 100_ms;
  cfg.latency.p99 = 500_ms;
  cfg.error_rate = 0.2;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();

  std::vector<double> rel, lat;
  int errors = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    s.at(sim::Time::zero() + 1_s * i + 500_ms, [&] {
      const sim::Time sent = s.now();
      p.query([&, sent](const Quote& q) {
        lat.push_back((s.now() - sent).seconds());
        if (!q.ok) {
          ++errors;
          EXPECT_EQ(q.error, "error");
          return;
        }
        rel.push_back(q.price / 2000 - 1);
      });
    });
  }
  s.run_until(sim::Time::zero() + 1_s * (n + 10));
  ASSERT_EQ(lat.size(), static_cast<std::size_t>(n));
  EXPECT_NEAR(static_cast<double>(errors) / n, 0.2, 0.015);
  double m = 0, v = 0;
  for (double x : rel) m += x;
  m /= static_cast<double>(rel.size());
  for (double x : rel) v += (x - m) * (x - m);
  v /= static_cast<double>(rel.size() - 1);
  EXPECT_NEAR(m * 1e4, 5.0, 0.3);                // bias 5 bps
  EXPECT_NEAR(std::sqrt(v) * 1e4, 10.0, 0.3);    // noise 10 bps
  std::sort(lat.begin(), lat.end());
  EXPECT_NEAR(lat[lat.size() / 2], 0.1, 0.005);  // median latency
  EXPECT_NEAR(lat[lat.size() * 99 / 100], 0.5, 0.05);
}

TEST(DataProvider, ValueRefreshesOnItsCadenceOnly) {
  sim::Simulation s(1);
  TruePrice truth(s, "X", flat(100));
  ProviderConfig cfg = basic("p", "X");
  cfg.noise = 50e-4;
  cfg.refresh = 10_s;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  std::vector<double> seen;
  for (int i = 0; i < 30; ++i) s.at(sim::Time::zero() + 1_s * i + 1_ms, [&] { seen.push_back(p.published()); });
  s.run_until(sim::Time::zero() + 30_s);
  for (int i = 1; i < 30; ++i) {
    if (i % 10 == 0) EXPECT_NE(seen[i], seen[i - 1]) << i;
    else EXPECT_EQ(seen[i], seen[i - 1]) << i;
  }
}

TEST(DataProvider, RateLimitRejectsBursts) {
  sim::Simulation s(1);
  TruePrice truth(s, "X", flat(100));
  ProviderConfig cfg = basic("p", "X");
  cfg.rate_limit = 2;  // 2 req/s, burst 2
  cfg.latency.dist = "constant";
  cfg.latency.median = 50_ms;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  int ok = 0, limited = 0;
  // 10 queries at t = 1 s (bucket full: 2 pass), then 1 query every 0.5 s for 10 s (all pass).
  for (int i = 0; i < 10; ++i)
    s.at(sim::Time::zero() + 1_s, [&] { p.query([&](const Quote& q) { q.ok ? ++ok : ++limited; }); });
  for (int i = 1; i <= 20; ++i)
    s.at(sim::Time::zero() + 2_s + 500_ms * i, [&] { p.query([&](const Quote& q) { q.ok ? ++ok : ++limited; }); });
  s.run_until(sim::Time::zero() + 20_s);
  EXPECT_EQ(ok, 22);
  EXPECT_EQ(limited, 8);
}

TEST(DataProvider, FaultHooks) {
  sim::Simulation s(1);
  TruePrice truth(s, "X", flat(100));
  ProviderConfig cfg = basic("p", "X");
  cfg.noise = 0;
  cfg.latency.dist = "constant";
  cfg.latency.median = 10_ms;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  Quote last;
  auto ask = [&] { p.query([&](const Quote& q) { last = q; }); };
  s.at(sim::Time::zero() + 1_s, [&] { p.set_outage(true); ask(); });
  s.run_until(sim::Time::zero() + 2_s);
  EXPECT_FALSE(last.ok);
  EXPECT_EQ(last.error, "outage");
  s.at(s.now(), [&] { p.set_outage(false); p.set_bad_value(BadValue{BadValue::Mode::scale, 1.5, 0, 0}); });
  s.at(s.now() + 1_s + 1_ms, ask);
  s.run_until(sim::Time::zero() + 4_s);
  ASSERT_TRUE(last.ok);
  EXPECT_DOUBLE_EQ(last.price, 150);
  // Stale: the value freezes although the true price would move.
  s.at(s.now(), [&] { p.set_bad_value(std::nullopt); });
  s.run_until(sim::Time::zero() + 6_s);
  const double frozen = p.published();
  p.set_stale(true);
  s.run_until(sim::Time::zero() + 20_s);
  EXPECT_EQ(p.published(), frozen);
  EXPECT_DOUBLE_EQ(frozen, 100);
}

TEST(TruePrice, ReplayFollowsTheCsv) {
  sim::Simulation s(1);
  PriceProcessConfig cfg;
  cfg.kind = PriceProcessConfig::Kind::replay;
  cfg.csv = "inline";
  TruePrice truth(s, "X", cfg, parse_price_csv("0,10\n5,11\n9,12\n", "inline"));
  std::vector<std::pair<double, double>> changes;
  auto c = truth.changed.connect([&](sim::Time t, double p) { changes.emplace_back(t.seconds(), p); });
  truth.start();
  s.run();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[1], std::make_pair(5.0, 11.0));
  EXPECT_EQ(changes[2], std::make_pair(9.0, 12.0));
}

// fetch_quotes decides every reply at query time, as query() does, and completes once: when the last reply arrives,
// or at the timeout with the replies that arrived by then (one arriving exactly then counts).
TEST(DataProvider, FetchQuotesIsOneEventWithWhatQueriesWouldHaveDelivered) {
  const auto setup = [](sim::Simulation& s, TruePrice& truth, std::vector<std::unique_ptr<DataProvider>>& ps) {
    for (const char* name : {"a", "b", "c"}) {
      ProviderConfig cfg = basic(name, "ETH/USD");
      cfg.noise = 5e-4;
      cfg.latency.median = 100_ms;
      cfg.latency.p99 = 2_s;
      cfg.error_rate = 0.1;
      ps.push_back(std::make_unique<DataProvider>(s, cfg, truth));
    }
    truth.start();
    for (auto& p : ps) p->start();
  };
  for (const sim::Duration timeout : {150_ms, 400_ms, 5_s}) {
    SCOPED_TRACE(timeout.ns());
    // What the queries deliver, reply by reply: the prices that arrive within the timeout, and when the fetch would
    // complete (the last arrival when every provider answers in time, else the timeout).
    std::vector<std::pair<sim::Time, std::vector<double>>> by_queries;
    {
      sim::Simulation s(21);
      TruePrice truth(s, "ETH/USD", flat(2000));
      std::vector<std::unique_ptr<DataProvider>> ps;
      setup(s, truth, ps);
      for (int round = 0; round < 30; ++round) {
        s.run_until(s.now() + 10_s);
        const sim::Time asked = s.now();
        auto replies = std::make_shared<std::vector<std::pair<sim::Time, Quote>>>();
        for (auto& p : ps) p->query([&s, replies](const Quote& q) { replies->emplace_back(s.now(), q); });
        s.run_until(asked + 10_s - 1_ms);
        std::vector<double> in_time;
        sim::Time done = asked;
        bool all = replies->size() == ps.size();
        for (const auto& [at, q] : *replies) {
          if (at - asked > timeout) {
            all = false;
            continue;
          }
          done = std::max(done, at);
          if (q.ok) in_time.push_back(q.price);
        }
        by_queries.emplace_back(all ? done : asked + timeout, in_time);
      }
    }
    // What fetch_quotes delivers.
    std::vector<std::pair<sim::Time, std::vector<double>>> by_fetch;
    {
      sim::Simulation s(21);
      TruePrice truth(s, "ETH/USD", flat(2000));
      std::vector<std::unique_ptr<DataProvider>> ps;
      setup(s, truth, ps);
      std::vector<DataProvider*> raw;
      for (auto& p : ps) raw.push_back(p.get());
      for (int round = 0; round < 30; ++round) {
        s.run_until(s.now() + 10_s);
        const sim::Time asked = s.now();
        int calls = 0;
        fetch_quotes(s, raw, timeout, [&](std::vector<double> prices) {
          ++calls;
          by_fetch.emplace_back(s.now(), std::move(prices));
        }, "test/fetch");
        s.run_until(asked + 10_s - 1_ms);
        ASSERT_EQ(calls, 1);
      }
    }
    ASSERT_EQ(by_fetch.size(), by_queries.size());
    for (std::size_t i = 0; i < by_fetch.size(); ++i) {
      EXPECT_EQ(by_fetch[i].first, by_queries[i].first) << i;  // completes when the queries' fetch would
      // The same prices; the replies arrive in latency order, the fetch lists them in provider order.
      auto a = by_fetch[i].second, b = by_queries[i].second;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      EXPECT_EQ(a, b) << i;
    }
    std::size_t partial = 0;
    for (const auto& q : by_queries) partial += q.second.size() < 3 ? 1 : 0;
    if (timeout == 150_ms) {
      EXPECT_GT(partial, 5u);  // the short timeout cuts replies off: the test sees both cases
    }
  }
  // No provider: done at once with nothing.
  sim::Simulation s(1);
  bool called = false;
  fetch_quotes(s, {}, 1_s, [&](std::vector<double> prices) { called = prices.empty(); }, "test/fetch");
  EXPECT_TRUE(called);
}

// A reply arriving exactly at the timeout counts (its reply event came before the timeout's in the per-reply code);
// one a nanosecond later does not.
TEST(DataProvider, FetchQuotesCountsAReplyAtExactlyTheTimeout) {
  for (const sim::Duration timeout : {200_ms, 200_ms - sim::Duration::nanoseconds(1)}) {
    sim::Simulation s(5);
    TruePrice truth(s, "ETH/USD", flat(2000));
    ProviderConfig cfg = basic("ex", "ETH/USD");
    cfg.latency.dist = "constant";
    cfg.latency.median = 200_ms;
    DataProvider p(s, cfg, truth);
    truth.start();
    p.start();
    std::optional<std::pair<sim::Time, std::size_t>> got;
    fetch_quotes(s, {&p}, timeout, [&](std::vector<double> prices) { got.emplace(s.now(), prices.size()); }, "test/fetch");
    s.run_until(sim::Time::zero() + 1_s);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->first, sim::Time::zero() + timeout);
    EXPECT_EQ(got->second, timeout == 200_ms ? 1u : 0u);
  }
}

// Bid-ask bounce: with no noise the published value is the bid or the ask, each about half the time.
TEST(DataProvider, SpreadPublishesTheBidOrTheAsk) {
  sim::Simulation s(3);
  TruePrice truth(s, "ETH/USD", flat(2000));
  ProviderConfig cfg = basic("ex", "ETH/USD");
  cfg.noise = 0;
  cfg.spread = 0.001;  // 10 bps: bid 1999, ask 2001
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  int asks = 0, n = 0;
  for (int i = 0; i < 4000; ++i) {
    s.run_until(sim::Time::zero() + 1_s * i + 500_ms);
    const double v = p.published();
    ASSERT_TRUE(std::fabs(v - 2001) < 1e-9 || std::fabs(v - 1999) < 1e-9) << v;
    asks += v > 2000;
    ++n;
  }
  EXPECT_NEAR(static_cast<double>(asks) / n, 0.5, 0.03);
}

TEST(DataProvider, OutliersAreOffBySizeAtTheirRate) {
  sim::Simulation s(4);
  TruePrice truth(s, "ETH/USD", flat(2000));
  ProviderConfig cfg = basic("ex", "ETH/USD");
  cfg.noise = 0;
  cfg.outliers.probability = 0.01;
  cfg.outliers.size = 0.05;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  int off = 0;
  const int n = 50'000;
  for (int i = 0; i < n; ++i) {
    s.run_until(sim::Time::zero() + 1_s * i + 500_ms);
    const double v = p.published();
    if (v != 2000) {
      ++off;
      EXPECT_TRUE(std::fabs(v - 2100) < 1e-9 || std::fabs(v - 1900) < 1e-9) << v;
    }
  }
  EXPECT_EQ(static_cast<std::uint64_t>(off), p.outliers());
  EXPECT_NEAR(static_cast<double>(off) / n, 0.01, 0.0015);
}

// Stale episodes freeze the value (queries still succeed, with the old observed_at); halts fail queries. Each holds
// for mean_duration / (mean_interval + mean_duration) of the time.
TEST(DataProvider, StaleEpisodesAndHaltsHoldTheirShareOfTime) {
  sim::Simulation s(5);
  PriceProcessConfig moving = flat(2000);
  moving.volatility = 0.8;
  TruePrice truth(s, "ETH/USD", moving);
  ProviderConfig cfg = basic("ex", "ETH/USD");
  cfg.noise = 0;
  cfg.stale = {9_min, 1_min};  // 10 % of the time
  cfg.halts = {38_min, 2_min};  // 5 % of the time
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  int frozen = 0, halted = 0, answered = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    s.at(sim::Time::zero() + 1_s * i + 500_ms, [&] {
      p.query([&, asked = s.now()](const Quote& q) {
        if (!q.ok) {
          EXPECT_EQ(q.error, "halted");
          ++halted;
          return;
        }
        ++answered;
        if (asked - q.observed_at > 1_s) ++frozen;
      });
    });
  }
  s.run_until(sim::Time::zero() + 1_s * (n + 10));
  EXPECT_NEAR(static_cast<double>(halted) / n, 0.05, 0.015);
  EXPECT_NEAR(static_cast<double>(frozen) / answered, 0.10, 0.025);
  EXPECT_GT(p.stale_episodes(), 250u);  // ~333 in 200,000 s
  EXPECT_LT(p.stale_episodes(), 420u);
  EXPECT_GT(p.halts(), 55u);  // ~83
  EXPECT_LT(p.halts(), 115u);
}

// Noise scaled by volatility: a price always in its turbulent regime (twice the calm volatility) doubles it.
TEST(DataProvider, NoiseCanScaleWithTheVolatilityOfTheMoment) {
  sim::Simulation s(6);
  PriceProcessConfig turbulent = flat(2000);
  turbulent.volatility = 0.5;
  turbulent.regime.enabled = true;
  turbulent.regime.turbulent_volatility = 1.0;
  turbulent.regime.to_turbulent_rate = 1e12;  // turbulent from the first step on
  turbulent.regime.to_calm_rate = 0;
  TruePrice truth(s, "ETH/USD", turbulent);
  ProviderConfig cfg = basic("ex", "ETH/USD");
  cfg.noise = 0.001;
  cfg.noise_scales_with_volatility = true;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  std::vector<double> rel;
  for (int i = 0; i < 20'000; ++i) {
    s.run_until(sim::Time::zero() + 1_s * i + 500_ms);
    if (i > 0) rel.push_back(p.published() / truth.price() - 1);
  }
  double v = 0;
  for (double x : rel) v += x * x;
  EXPECT_NEAR(std::sqrt(v / static_cast<double>(rel.size())) * 1e4, 20.0, 0.6);  // 2 x 10 bps
  EXPECT_DOUBLE_EQ(truth.volatility_ratio(), 2.0);
}
