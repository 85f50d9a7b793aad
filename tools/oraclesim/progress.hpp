#pragma once
// Sweep progress on stderr: on a terminal a live bar (runs done/total, elapsed, ETA, simulated events/s),
// otherwise one line every few seconds; nothing with --quiet. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "sim/time.hpp"

namespace oraclesim {

class Progress {
 public:
  // Starts a ticker thread that redraws every 0.2 s on a terminal, every 5 s otherwise (none when quiet).
  // `terminal`: whether stderr reaches a terminal.
  Progress(std::uint64_t total, std::uint64_t already_done, bool quiet, bool terminal);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void run_finished(std::uint64_t events);
  void finish();  // stops the ticker; the last line (newline on a terminal)

 private:
  void draw(bool final);
  std::mutex mu_;
  std::uint64_t total_, done_, done_here_ = 0, events_ = 0;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool stopping_ = false, finished_ = false;
  std::condition_variable wake_;
  std::thread ticker_;
};

// One run's progress on a terminal (oraclesim run): simulated time reached of the duration, events/s, ETA, redrawn
// at most every 0.2 s from the run's own thread (analysis::RunProgress); the line is cleared when the run ends.
// Nothing when stderr is not a terminal or `quiet`.
class RunProgressBar {
 public:
  RunProgressBar(sim::Duration duration, bool quiet);
  ~RunProgressBar();
  RunProgressBar(const RunProgressBar&) = delete;
  RunProgressBar& operator=(const RunProgressBar&) = delete;
  bool active() const { return active_; }
  void update(sim::Time now, std::uint64_t events);

 private:
  sim::Duration duration_;
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace oraclesim
