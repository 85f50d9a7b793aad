#pragma once
// Sweep progress on stderr: on a terminal a live bar (runs done/total, elapsed, ETA, simulated events/s),
// otherwise one line every few seconds; nothing with --quiet. Thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>

namespace oraclesim {

class Progress {
 public:
  Progress(std::uint64_t total, std::uint64_t already_done, bool quiet);
  void run_finished(std::uint64_t events);
  void finish();  // the last line (newline on a terminal)

 private:
  void draw(bool final);
  std::mutex mu_;
  std::uint64_t total_, done_, done_here_ = 0, events_ = 0;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace oraclesim
