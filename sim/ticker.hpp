#pragma once
// Periodic actions that share one timer per period. At every tick of a period its actions run in the order they were
// added, in one event. That is the order, and the place among other events, that one self-rearming timer per action
// would give them when those timers are armed one after the other, as a loop starting actors does: such timers are
// re-armed one after the other at every tick, so they stay adjacent in the (time, priority, sequence) order and the
// shared event takes the first one's place. The results are the same; the run has one event per tick and period
// instead of one per action (many data providers refreshing every second, many true prices moving every second).
// One difference: the shared timer is re-armed before the actions run, so an action scheduling an event for exactly
// the next tick sees it after that tick's actions (none of the model's actions schedules anything).
// Not copyable or movable: the scheduled events point at it.
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace sim {

class Ticker {
 public:
  Ticker(Simulation& sim, Label label) : sim_(sim), label_(label) {}
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  // Runs `action` every `period` (> 0) from start() on; periods are grouped by their exact value. A period first
  // added after start() starts one period from then.
  void add(Duration period, std::function<void()> action) {
    for (auto& g : groups_)
      if (g->period == period) {
        g->actions.push_back(std::move(action));
        return;
      }
    auto g = std::make_unique<Group>();
    g->period = period;
    g->actions.push_back(std::move(action));
    Group* raw = g.get();
    g->timer = std::make_unique<Timer>(sim_, [raw] {
      raw->timer->arm(raw->period);
      for (auto& a : raw->actions) a();
    }, label_);
    if (started_) g->timer->arm(period);
    groups_.push_back(std::move(g));
  }
  // Arms the first tick of every period, one period from now, in the order the periods were first added.
  void start() {
    started_ = true;
    for (auto& g : groups_) g->timer->arm(g->period);
  }
  std::size_t periods() const { return groups_.size(); }

 private:
  struct Group {
    Duration period{};
    std::vector<std::function<void()>> actions;
    std::unique_ptr<Timer> timer;
  };
  Simulation& sim_;
  Label label_;
  bool started_ = false;
  std::vector<std::unique_ptr<Group>> groups_;
};

}  // namespace sim
