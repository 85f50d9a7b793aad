#pragma once
// Sweep progress on stderr: on a terminal a live bar (runs done/total, elapsed, ETA, simulated events/s),
// otherwise one line every few seconds; nothing with --quiet. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

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

}  // namespace oraclesim
