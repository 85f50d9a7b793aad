#pragma once
// The simulation kernel: one clock, one pending-event set, one random-stream factory, one fingerprint.
// There are no globals: a test or a sweep thread may hold any number of Simulations at once.
//
//   sim::Simulation s{seed, replication};
//   auto h = s.after(250_ms, [&] { ... }, "ocr/observe-req");
//   h.cancel();            // safe even after the event fired
//   s.run_until(Time::zero() + 1_h);
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/event_queue.hpp"
#include "sim/fingerprint.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace sim {

// Thrown when an event is scheduled before the current time. The simulator never reorders silently.
class SchedulingError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// A cancellable reference to a scheduled event. Copyable and cheap; it must not outlive its Simulation.
class EventHandle {
 public:
  EventHandle() = default;
  // True while the event is scheduled: not yet run, not running and not cancelled.
  bool pending() const { return queue_ && queue_->pending(slot_, gen_); }
  // Cancels the event if it is still pending; otherwise (fired, running, cancelled, empty) does nothing.
  // Returns whether this call cancelled it.
  bool cancel() {
    const bool done = queue_ && queue_->cancel(slot_, gen_);
    queue_ = nullptr;
    return done;
  }

 private:
  friend class Simulation;
  EventHandle(EventQueue* q, std::uint32_t slot, std::uint32_t gen) : queue_(q), slot_(slot), gen_(gen) {}
  EventQueue* queue_ = nullptr;
  std::uint32_t slot_ = 0;
  std::uint32_t gen_ = 0;
};

struct SimulationStats {
  std::uint64_t executed = 0;      // events run
  std::uint64_t pending = 0;       // events scheduled and not yet run or cancelled
  std::uint64_t peak_pending = 0;  // the most pending at once
  std::uint64_t scheduled = 0;     // events ever scheduled
  std::uint64_t cancelled = 0;     // events cancelled before running
};

class Simulation {
 public:
  explicit Simulation(std::uint64_t seed = 1, std::uint64_t replication = 0) : rng_(seed, replication) {}
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Time now() const { return now_; }

  // Schedules fn at absolute time t (t >= now(), else SchedulingError).
  template <class F>
  EventHandle at(Time t, F&& fn, Label label = {}, Priority prio = 0) {
    if (t < now_) throw_past(t);
    const std::uint32_t s = queue_.push(t.ns(), prio, label, std::forward<F>(fn));
    return EventHandle(&queue_, s, queue_.generation(s));
  }
  // Schedules fn after delay d (d >= 0, else SchedulingError).
  template <class F>
  EventHandle after(Duration d, F&& fn, Label label = {}, Priority prio = 0) {
    if (d.ns() < 0) throw_negative(d);
    return at(now_ + d, std::forward<F>(fn), label, prio);
  }

  // Runs until no event is pending or stop() is called.
  void run() { run_loop(Time::max()); }
  // Runs every event with time <= t, then advances the clock to t (unless stop() was called first).
  void run_until(Time t);
  // Makes run()/run_until() return after the current event. A later run call resumes.
  void stop() { stop_requested_ = true; }
  bool stopped() const { return stop_requested_; }

  SimulationStats stats() const;
  std::uint64_t fingerprint() const { return fingerprint_.value(); }

  const RngFactory& rng() const { return rng_; }
  Rng stream(std::string_view name) const { return rng_.stream(name); }

 private:
  void run_loop(Time limit);
  [[noreturn]] void throw_past(Time t) const;
  [[noreturn]] void throw_negative(Duration d) const;

  Time now_{};
  bool stop_requested_ = false;
  std::uint64_t executed_ = 0;
  EventQueue queue_;
  Fingerprint fingerprint_;
  RngFactory rng_;
};

}  // namespace sim
