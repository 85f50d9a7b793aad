#pragma once
// A consumer contract's reads of a feed: latestRoundData through the proxy every `read_every` (view calls, no
// gas), recording the answer it saw and its age (now - updatedAt). Reads that find no data count as failed.
// The first read happens at `start` + a phase drawn uniformly in [0, read_every) from the stream
// "consumers/<name>/phase", so several consumers do not read in lockstep.
#include <cstdint>
#include <string>

#include "models/contracts/aggregator_proxy.hpp"
#include "sim/config_issue.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::contracts {

struct ConsumerConfig {
  std::string name = "consumer-0";  // unique per feed
  sim::Duration read_every = sim::Duration::nanoseconds(12'000'000'000);  // one read per slot (12 s); assumption

  sim::ConfigIssues validate(const std::string& path) const;
};

struct ConsumerRead {
  sim::Time at{};
  bool ok = false;           // false: "No data present"
  RoundId round_id = 0;
  Answer answer = 0;
  sim::Duration age{};       // at - updatedAt
};

class FeedConsumer {
 public:
  FeedConsumer(sim::Simulation& sim, const ConsumerConfig& cfg, const AggregatorProxy& proxy);
  FeedConsumer(const FeedConsumer&) = delete;
  FeedConsumer& operator=(const FeedConsumer&) = delete;

  void start();
  std::uint64_t reads() const { return reads_; }
  std::uint64_t failed_reads() const { return failed_; }
  const ConsumerRead& last() const { return last_; }

  sim::Signal<ConsumerRead> read;

 private:
  void on_timer();

  sim::Simulation& sim_;
  ConsumerConfig cfg_;
  const AggregatorProxy& proxy_;
  sim::Timer timer_;
  sim::Rng rng_;
  ConsumerRead last_;
  std::uint64_t reads_ = 0;
  std::uint64_t failed_ = 0;
};

}  // namespace models::contracts
