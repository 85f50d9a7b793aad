#include "sim/simulation.hpp"

#include <fmt/core.h>

namespace sim {

void Simulation::run_loop(Time limit) {
  stop_requested_ = false;
  while (!stop_requested_) {
    const EventQueue::Entry* e = queue_.top();
    if (e == nullptr || e->time() > limit.ns()) break;
    const std::uint32_t s = e->slot;
    const std::int64_t t = e->time();
    fingerprint_.add(t, e->label);
    now_ = Time::from_ns(t);
    EventQueue::Slot& slot = queue_.pop_for_run(s);
    ++executed_;
    try {
      slot.fn();
    } catch (...) {
      queue_.finish(s);
      throw;
    }
    queue_.finish(s);
  }
}

void Simulation::run_until(Time t) {
  if (t < now_) throw_past(t);
  run_loop(t);
  if (!stop_requested_) now_ = t;
}

SimulationStats Simulation::stats() const {
  return SimulationStats{executed_, queue_.live(), queue_.peak_live(), queue_.scheduled_total(),
                         queue_.cancelled_total()};
}

void Simulation::throw_past(Time t) const {
  throw SchedulingError(fmt::format("event scheduled at t={} but the clock is already at t={}", t, now_));
}

void Simulation::throw_negative(Duration d) const {
  throw SchedulingError(fmt::format("event scheduled after a negative delay {} at t={}", d, now_));
}

}  // namespace sim
