#include "models/providers/data_provider.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/core.h>

namespace models::providers {

sim::Distribution LatencyConfig::make() const {
  if (dist == "constant") return sim::Distribution::constant(median.seconds());
  return sim::Distribution::lognormal_from_quantiles(median.seconds(), p99.seconds());
}

sim::ConfigIssues ProviderConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (name.empty()) out.add(path + ".name", "a provider needs a name");
  if (asset.empty()) out.add(path + ".asset", "a provider needs the asset it quotes");
  if (!(noise >= 0 && noise < 1)) out.add(path + ".noise", fmt::format("must be in [0, 1) (got {})", noise));
  if (!(bias > -1 && bias < 1)) out.add(path + ".bias", fmt::format("must be in (-1, 1) (got {})", bias));
  if (latency.dist != "lognormal" && latency.dist != "constant")
    out.add(path + ".latency.dist", fmt::format("must be lognormal or constant (got '{}')", latency.dist));
  if (latency.median.ns() < 0 || (latency.dist == "lognormal" && latency.median.ns() == 0))
    out.add(path + ".latency.median", fmt::format("must be > 0 (got {})", latency.median));
  if (latency.dist == "lognormal" && latency.p99 <= latency.median)
    out.add(path + ".latency.p99", fmt::format("must be > median ({}) (got {})", latency.median, latency.p99));
  if (refresh.ns() <= 0) out.add(path + ".refresh", fmt::format("must be > 0 (got {})", refresh));
  if (!(error_rate >= 0 && error_rate <= 1)) out.add(path + ".error_rate", fmt::format("must be in [0, 1] (got {})", error_rate));
  if (!(rate_limit >= 0)) out.add(path + ".rate_limit", fmt::format("must be >= 0 requests/s (got {})", rate_limit));
  if (!(spread >= 0 && spread < 1)) out.add(path + ".spread", fmt::format("must be in [0, 1) (got {})", spread));
  if (!(outliers.probability >= 0 && outliers.probability <= 1))
    out.add(path + ".outliers.probability", fmt::format("must be in [0, 1] (got {})", outliers.probability));
  if (!(outliers.size >= 0 && outliers.size < 1))
    out.add(path + ".outliers.size", fmt::format("must be in [0, 1) (got {})", outliers.size));
  for (const auto& [name, e] : {std::pair{"stale", &stale}, std::pair{"halts", &halts}}) {
    if (e->mean_interval.ns() < 0)
      out.add(path + "." + name + ".mean_interval", fmt::format("must be >= 0 (0: none) (got {})", e->mean_interval));
    if (e->enabled() && e->mean_duration.ns() <= 0)
      out.add(path + "." + name + ".mean_duration", fmt::format("must be > 0 (got {})", e->mean_duration));
  }
  return out;
}

bool TokenBucket::take(sim::Time t) {
  if (rate_ <= 0) return true;
  tokens_ = std::min(capacity_, tokens_ + (t - last_).seconds() * rate_);
  last_ = t;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

EpisodeClock::EpisodeClock(const EpisodeConfig& cfg, sim::Rng rng) : cfg_(cfg), rng_(rng) {
  if (!cfg_.enabled()) return;
  end_ = sim::Time{};
  next();
}

void EpisodeClock::next() {
  start_ = end_ + sim::Duration::from_seconds(sim::exponential(rng_, cfg_.mean_interval.seconds()));
  end_ = start_ + sim::Duration::from_seconds(sim::exponential(rng_, cfg_.mean_duration.seconds()));
}

bool EpisodeClock::on(sim::Time now) {
  if (!cfg_.enabled()) return false;
  while (now >= end_) {
    if (!counted_) ++started_;  // an episode that began and ended since the last call still happened
    next();
    counted_ = false;
  }
  if (now < start_) return false;
  if (!counted_) {
    ++started_;
    counted_ = true;
  }
  return true;
}

DataProvider::DataProvider(sim::Simulation& sim, const ProviderConfig& cfg, const TruePrice& truth)
    : sim_(sim),
      cfg_(cfg),
      truth_(truth),
      noise_rng_(sim.stream("providers/" + cfg.name + "/noise")),
      latency_rng_(sim.stream("providers/" + cfg.name + "/latency")),
      error_rng_(sim.stream("providers/" + cfg.name + "/errors")),
      micro_rng_(sim.stream("providers/" + cfg.name + "/microstructure")),
      stale_clock_(cfg.stale, sim.stream("providers/" + cfg.name + "/stale-episodes")),
      halt_clock_(cfg.halts, sim.stream("providers/" + cfg.name + "/halts")),
      latency_(cfg.latency.make()),
      refresh_timer_(sim, [this] { on_own_timer(); }, "providers/refresh"),
      bucket_(cfg.rate_limit) {}

void DataProvider::start(sim::Ticker* ticker) {
  if (ticker) {
    ticker->add(cfg_.refresh, [this] { refresh(); });
    refresh();
  } else {
    on_own_timer();
  }
}

void DataProvider::on_own_timer() {
  refresh_timer_.arm(cfg_.refresh);
  refresh();
}

void DataProvider::refresh() {
  if (stale_) {
    if (stale_effect_) stale_effect_->count("refreshes_frozen");
    return;
  }
  if (stale_clock_.on(sim_.now())) return;
  const double noise = cfg_.noise_scales_with_volatility ? cfg_.noise * truth_.volatility_ratio() : cfg_.noise;
  double v = truth_.price() * (1.0 + cfg_.bias) * (1.0 + noise * sim::normal(noise_rng_, 0, 1));
  if (cfg_.spread > 0) v *= sim::bernoulli(micro_rng_, 0.5) ? 1.0 + cfg_.spread / 2 : 1.0 - cfg_.spread / 2;
  if (cfg_.outliers.probability > 0 && sim::bernoulli(micro_rng_, cfg_.outliers.probability)) {
    v *= sim::bernoulli(micro_rng_, 0.5) ? 1.0 + cfg_.outliers.size : 1.0 - cfg_.outliers.size;
    ++outliers_;
  }
  if (bad_) {
    v *= bad_->mode == BadValue::Mode::scale ? bad_->factor : sim::uniform(noise_rng_, bad_->lo, bad_->hi);
    if (bad_effect_) bad_effect_->count("values_distorted");
  }
  value_ = v;
  value_at_ = sim_.now();
}

DataProvider::Reply DataProvider::ask() {
  ++queries_;
  Quote q;
  if (control_ && !control_->admit()) {
    q.error = "outage";  // crashed: admit() counted the suppressed query on the crash's effect
  } else if (outage_) {
    q.error = "outage";
    if (outage_effect_) outage_effect_->count("queries_failed");
  } else if (halt_clock_.on(sim_.now())) {
    q.error = "halted";
  } else if (!bucket_.take(sim_.now())) {
    q.error = "rate_limited";
  } else if (sim::bernoulli(error_rng_, cfg_.error_rate)) {
    q.error = "error";
  } else {
    q.ok = true;
    q.price = value_;
    q.observed_at = value_at_;
  }
  if (!q.ok) ++failures_;
  const double latency_s = std::max(0.0, latency_.sample(latency_rng_));
  return {std::move(q), sim::Duration::from_seconds(latency_s)};
}

void DataProvider::query(std::function<void(const Quote&)> on_reply) {
  Reply r = ask();
  sim_.after(r.latency, [q = std::move(r.quote), cb = std::move(on_reply)] { cb(q); }, "providers/reply");
}

void fetch_quotes(sim::Simulation& sim, const std::vector<DataProvider*>& providers, sim::Duration timeout,
                  std::function<void(std::vector<double> prices)> done, sim::Label label) {
  if (providers.empty()) return done({});
  std::vector<double> prices;
  sim::Duration last{};
  bool all = true;
  for (DataProvider* p : providers) {
    DataProvider::Reply r = p->ask();
    if (r.latency > timeout) {
      all = false;
      continue;
    }
    last = std::max(last, r.latency);
    if (r.quote.ok) prices.push_back(r.quote.price);
  }
  sim.after(all ? last : timeout, [prices = std::move(prices), done = std::move(done)]() mutable { done(std::move(prices)); },
            label);
}

}  // namespace models::providers
