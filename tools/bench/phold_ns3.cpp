// PHOLD on ns-3 (ns3::Simulator with its default DefaultSimulatorImpl and MapScheduler), a callback per
// event through Simulator::Schedule with a member function and an argument. Same workload, streams and
// distribution functions as models/demo/phold, so the three PHOLD programs differ only in the engine.
//   phold_ns3 [--lps N] [--population P] [--events E] [--seed S]
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <ns3/nstime.h>
#include <ns3/simulator.h>

#include "sim/distributions.hpp"
#include "sim/random.hpp"

namespace {

struct Args {
  std::uint64_t lps = 1024;
  std::uint64_t population = 16;
  std::uint64_t events = 10'000'000;
  std::uint64_t seed = 1;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    auto value = [&]() -> std::uint64_t {
      if (i + 1 >= argc) {
        fmt::print(stderr, "error: {} needs a value\n", argv[i]);
        std::exit(2);
      }
      char* end = nullptr;
      const std::uint64_t v = std::strtoull(argv[++i], &end, 10);
      if (*end != '\0') {
        fmt::print(stderr, "error: {} expects a non-negative integer, got '{}'\n", argv[i - 1], argv[i]);
        std::exit(2);
      }
      return v;
    };
    if (std::strcmp(argv[i], "--lps") == 0) a.lps = value();
    else if (std::strcmp(argv[i], "--population") == 0) a.population = value();
    else if (std::strcmp(argv[i], "--events") == 0) a.events = value();
    else if (std::strcmp(argv[i], "--seed") == 0) a.seed = value();
    else {
      fmt::print(stderr, "usage: {} [--lps N] [--population P] [--events E] [--seed S]\n", argv[0]);
      std::exit(2);
    }
  }
  if (a.lps == 0 || a.population == 0 || a.events == 0 || a.lps > 0xffffffffULL) {
    fmt::print(stderr, "error: --lps, --population and --events must be >= 1 (and --lps < 2^32)\n");
    std::exit(2);
  }
  return a;
}

class Phold {
 public:
  explicit Phold(const Args& a) : a_(a), per_lp_(a.lps, 0) {
    const sim::RngFactory factory(a.seed, 0);
    rng_.reserve(a.lps);
    for (std::uint64_t i = 0; i < a.lps; ++i) rng_.push_back(factory.stream("phold/lp-" + std::to_string(i)));
  }
  void start() {
    for (std::uint64_t lp = 0; lp < a_.lps; ++lp)
      for (std::uint64_t k = 0; k < a_.population; ++k) schedule_from(static_cast<std::uint32_t>(lp));
  }
  std::uint64_t handled() const { return handled_; }

 private:
  static constexpr std::int64_t kMinDelayNs = 100'000;  // 0.1 ms, as PholdConfig::min_delay
  static constexpr double kMeanDelayNs = 1'000'000.0;   // 1 ms, as PholdConfig::mean_delay

  void schedule_from(std::uint32_t lp) {
    sim::Rng& r = rng_[lp];
    const auto target = static_cast<std::uint32_t>(sim::uniform_index(r, a_.lps));
    const auto delay = kMinDelayNs + static_cast<std::int64_t>(sim::exponential(r, kMeanDelayNs));
    ns3::Simulator::Schedule(ns3::NanoSeconds(delay), &Phold::handle, this, target);
  }
  void handle(std::uint32_t lp) {
    ++handled_;
    ++per_lp_[lp];
    if (handled_ >= a_.events) {
      ns3::Simulator::Stop();
      return;
    }
    schedule_from(lp);
  }

  Args a_;
  std::vector<sim::Rng> rng_;
  std::vector<std::uint64_t> per_lp_;
  std::uint64_t handled_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  Phold model(a);
  model.start();
  const auto t0 = std::chrono::steady_clock::now();  // timing output only
  ns3::Simulator::Run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto end_ns = ns3::Simulator::Now().GetNanoSeconds();
  ns3::Simulator::Destroy();
  fmt::print("phold-ns3 lps={} population={} events={} wall_s={:.3f} events/s={:.0f} end_time_ns={}\n", a.lps,
             a.population, model.handled(), wall, static_cast<double>(model.handled()) / wall,
             static_cast<long long>(end_ns));
  return 0;
}
