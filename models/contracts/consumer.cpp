#include "models/contracts/consumer.hpp"

#include <fmt/core.h>

#include "sim/distributions.hpp"

namespace models::contracts {

sim::ConfigIssues ConsumerConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (name.empty()) out.add(path + ".name", "a consumer needs a name");
  if (read_every.ns() <= 0) out.add(path + ".read_every", fmt::format("must be > 0 (got {})", read_every));
  return out;
}

FeedConsumer::FeedConsumer(sim::Simulation& sim, const ConsumerConfig& cfg, const AggregatorProxy& proxy)
    : sim_(sim),
      cfg_(cfg),
      proxy_(proxy),
      timer_(sim, [this] { on_timer(); }, "consumer/read"),
      rng_(sim.stream("consumers/" + cfg.name + "/phase")) {}

void FeedConsumer::start() {
  const auto phase = static_cast<std::int64_t>(sim::uniform_index(rng_, static_cast<std::uint64_t>(cfg_.read_every.ns())));
  timer_.arm(sim::Duration::nanoseconds(phase));
}

void FeedConsumer::on_timer() {
  timer_.arm(cfg_.read_every);
  ConsumerRead r;
  r.at = sim_.now();
  if (const auto d = proxy_.latest_round_data()) {
    r.ok = true;
    r.round_id = d->round_id;
    r.answer = d->answer;
    r.age = r.at - d->updated_at;
  } else {
    ++failed_;
  }
  ++reads_;
  last_ = r;
  read.emit(r);
}

}  // namespace models::contracts
