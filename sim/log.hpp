#pragma once
// Per-component logging through fmt, each line prefixed with the simulated time. Off by default; enabled
// per component (or "*" for all) on a LogConfig shared by the components of one run. No global state.
//
//   sim::LogConfig logs;  logs.enable("chain");
//   sim::Logger log{sim, logs, "chain"};
//   log("block {} included {} txs", number, n);   // "[t=12s] chain: block 1 included 3 txs"
#include <cstdio>
#include <set>
#include <string>
#include <utility>

#include <fmt/core.h>

#include "sim/simulation.hpp"

namespace sim {

class LogConfig {
 public:
  void enable(std::string component) { enabled_.insert(std::move(component)); }
  bool enabled(const std::string& component) const { return enabled_.count("*") || enabled_.count(component); }
  std::FILE* sink = stderr;

 private:
  std::set<std::string> enabled_;
};

class Logger {
 public:
  Logger(const Simulation& sim, const LogConfig& cfg, std::string component)
      : sim_(sim), sink_(cfg.sink), on_(cfg.enabled(component)), component_(std::move(component)) {}
  bool enabled() const { return on_; }

  template <class... Args>
  void operator()(fmt::format_string<Args...> f, Args&&... args) const {
    if (!on_) return;
    write(fmt::format(f, std::forward<Args>(args)...));
  }

 private:
  void write(const std::string& msg) const;
  const Simulation& sim_;
  std::FILE* sink_;
  bool on_;
  std::string component_;
};

}  // namespace sim
