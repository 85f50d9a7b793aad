#pragma once
// A re-armable one-shot timer owned as a member by an actor. Arming replaces any earlier expiry; the timer
// cancels itself when destroyed, so an actor that dies never receives a stray callback. The callback may
// re-arm the timer (periodic work). Not copyable or movable: the scheduled event points at it.
#include <functional>
#include <utility>

#include "sim/simulation.hpp"

namespace sim {

class Timer {
 public:
  Timer(Simulation& sim, std::function<void()> on_expiry, Label label = {}, Priority prio = 0)
      : sim_(sim), on_expiry_(std::move(on_expiry)), label_(label), prio_(prio) {}
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void arm_at(Time t) {
    handle_.cancel();
    expiry_ = t;
    handle_ = sim_.at(t, [this] { fire(); }, label_, prio_);
  }
  void arm(Duration d) { arm_at(sim_.now() + d); }
  // Arms only if not armed already (e.g. a heartbeat that an update must not postpone).
  void arm_if_idle(Duration d) {
    if (!armed()) arm(d);
  }
  void cancel() { handle_.cancel(); }
  bool armed() const { return handle_.pending(); }
  // The time of the pending expiry; meaningful only while armed().
  Time expiry() const { return expiry_; }

 private:
  void fire() {
    handle_ = {};
    on_expiry_();
  }
  Simulation& sim_;
  std::function<void()> on_expiry_;
  Label label_;
  Priority prio_;
  EventHandle handle_;
  Time expiry_{};
};

}  // namespace sim
