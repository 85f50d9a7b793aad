#include "tools/oraclesim/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <fmt/core.h>

#include "sim/time.hpp"

namespace oraclesim {

namespace {
std::string clock_text(double s) {
  if (s < 0) return "?";
  const auto t = static_cast<long long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{:.1f}s", s);
}
}  // namespace

Progress::Progress(std::uint64_t total, std::uint64_t already_done, bool quiet, bool terminal)
    : total_(total), done_(already_done), quiet_(quiet), tty_(terminal),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {
  if (quiet_) return;
  if (already_done > 0) fmt::print(stderr, "resuming: {} of {} runs already done\n", already_done, total_);
  ticker_ = std::thread([this] {
    std::unique_lock lock(mu_);
    const auto period = std::chrono::milliseconds(tty_ ? 200 : 5000);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) draw(false);
  });
}

Progress::~Progress() { finish(); }

void Progress::run_finished(std::uint64_t events) {
  std::lock_guard lock(mu_);
  ++done_;
  ++done_here_;
  events_ += events;
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  if (tty_ && since >= 0.1) draw(false);
}

void Progress::finish() {
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard lock(mu_);
  if (!quiet_) draw(true);
}

void Progress::draw(bool final) {
  const auto now = std::chrono::steady_clock::now();
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::uint64_t left = total_ - done_;
  const double eta = done_here_ > 0 ? elapsed / static_cast<double>(done_here_) * static_cast<double>(left) : -1;
  const double rate = elapsed > 0 ? static_cast<double>(events_) / elapsed : 0;
  const std::string stats = fmt::format("{}/{} runs  elapsed {}  ETA {}  {:.3g} events/s", done_, total_,
                                        clock_text(elapsed), final ? clock_text(0) : clock_text(eta), rate);
  if (tty_) {
    constexpr int width = 30;
    const int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    fmt::print(stderr, "\r[{}{}] {}\x1b[K{}", std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(width - filled), ' '), stats, final ? "\n" : "");
  } else {
    fmt::print(stderr, "progress: {}\n", stats);
  }
  std::fflush(stderr);
}

RunProgressBar::RunProgressBar(sim::Duration duration, bool quiet)
    : duration_(duration), active_(!quiet && isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

RunProgressBar::~RunProgressBar() {
  if (drawn_) {
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
  }
}

void RunProgressBar::update(sim::Time now, std::uint64_t events) {
  if (!active_) return;
  const auto wall = std::chrono::steady_clock::now();
  if (wall - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = wall;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(wall - start_).count();
  const double done = duration_.ns() > 0 ? static_cast<double>((now - sim::Time::zero()).ns()) / static_cast<double>(duration_.ns()) : 1.0;
  const double eta = done > 0 ? elapsed * (1 - done) / done : -1;
  constexpr int width = 30;
  const int filled = std::clamp(static_cast<int>(width * done), 0, width);
  fmt::print(stderr, "\r[{}{}] {} of {} simulated  {:.3g} events/s  ETA {}\x1b[K",
             std::string(static_cast<std::size_t>(filled), '#'), std::string(static_cast<std::size_t>(width - filled), ' '),
             clock_text((now - sim::Time::zero()).seconds()), clock_text(duration_.seconds()),
             elapsed > 0 ? static_cast<double>(events) / elapsed : 0.0, clock_text(eta));
  std::fflush(stderr);
}

}  // namespace oraclesim
