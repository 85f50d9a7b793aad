// The pending-event set against a reference: every event that was not cancelled runs exactly once, in
// (time, priority, scheduling order), whatever mix of ties, priorities, cancellations (including enough to
// trigger compactions) and events scheduled from inside events.
#include "sim/event_queue.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "sim/distributions.hpp"
#include "sim/simulation.hpp"

namespace {

struct Ref {
  std::int64_t time;
  int prio;
  std::uint64_t seq;
  bool cancelled = false;
};

class Mixed {
 public:
  explicit Mixed(std::uint64_t seed) : s_(seed), r_(s_.stream("test/mixed")) {}

  // Schedules n events at times in [now, now + span) (many ties when span is small) and cancels about
  // cancel_pct percent of all scheduled events; each run event may schedule a child.
  void run(int n, std::int64_t span, int cancel_pct) {
    for (int i = 0; i < n; ++i) schedule(span);
    for (std::size_t i = 0; i < handles_.size(); ++i)
      if (static_cast<int>(sim::uniform_index(r_, 100)) < cancel_pct) cancel(i);
    span_ = span;
    s_.run();
  }
  std::vector<std::uint64_t> expected_order() const {
    std::vector<const Ref*> live;
    for (const Ref& e : ref_)
      if (!e.cancelled) live.push_back(&e);
    std::sort(live.begin(), live.end(), [](const Ref* a, const Ref* b) {
      return std::tie(a->time, a->prio, a->seq) < std::tie(b->time, b->prio, b->seq);
    });
    std::vector<std::uint64_t> out;
    for (const Ref* e : live) out.push_back(e->seq);
    return out;
  }
  const std::vector<std::uint64_t>& ran() const { return ran_; }
  const sim::Simulation& sim() const { return s_; }

 private:
  // Children land strictly after now, so sorting everything at the end is a valid reference.
  void schedule(std::int64_t span, std::int64_t min_delay = 0) {
    const std::uint64_t seq = ref_.size();
    const std::int64_t t = s_.now().ns() + min_delay + static_cast<std::int64_t>(sim::uniform_index(r_, static_cast<std::uint64_t>(span)));
    const int prio = static_cast<int>(sim::uniform_index(r_, 5)) - 2;
    ref_.push_back(Ref{t, prio, seq});
    handles_.push_back(s_.at(sim::Time::from_ns(t), [this, seq] { fire(seq); }, "test/mixed",
                             static_cast<sim::Priority>(prio)));
  }
  void cancel(std::size_t i) {
    const bool was_pending = handles_[i].pending();
    EXPECT_EQ(handles_[i].cancel(), was_pending);
    if (was_pending) ref_[i].cancelled = true;
  }
  void fire(std::uint64_t seq) {
    EXPECT_EQ(s_.now().ns(), ref_[seq].time);
    ran_.push_back(seq);
    // A third of the events schedule a child; a tenth cancel a random earlier-scheduled event.
    if (ref_.size() < 60'000 && sim::uniform_index(r_, 3) == 0) schedule(span_, 1);
    if (sim::uniform_index(r_, 10) == 0) cancel(static_cast<std::size_t>(sim::uniform_index(r_, handles_.size())));
  }

  sim::Simulation s_;
  sim::Rng r_;
  std::vector<Ref> ref_;
  std::vector<sim::EventHandle> handles_;
  std::vector<std::uint64_t> ran_;
  std::int64_t span_ = 1;
};

}  // namespace

TEST(EventQueue, ManyTiesRunInPriorityThenSchedulingOrder) {
  Mixed m(7);
  m.run(20'000, 50, 10);  // ~400 events per distinct time
  EXPECT_EQ(m.ran(), m.expected_order());
  EXPECT_EQ(m.sim().stats().pending, 0u);
}

TEST(EventQueue, SpreadTimesWithHeavyCancellationAndCompaction) {
  Mixed m(11);
  m.run(30'000, 1'000'000'000, 70);  // more cancelled than live: compactions happen
  EXPECT_EQ(m.ran(), m.expected_order());
  EXPECT_GT(m.sim().stats().cancelled, 20'000u);
}

TEST(EventQueue, SizesStayCompact) {
  static_assert(sizeof(sim::EventQueue::Slot) == 64, "one slot per cache line");
  static_assert(sizeof(sim::EventQueue::Entry) == 24);
  sim::EventQueue q;
  EXPECT_EQ(q.heap_size(), 0u);
  EXPECT_EQ(q.top(), nullptr);
}

TEST(EventQueue, TimesAtTheExtremesKeepTheirOrder) {
  sim::Simulation s;
  std::vector<int> order;
  s.at(sim::Time::max(), [&] { order.push_back(3); });
  s.at(sim::Time::from_ns(0), [&] { order.push_back(1); });
  s.at(sim::Time::max(), [&] { order.push_back(4); }, {}, 32767);
  s.at(sim::Time::from_ns(1), [&] { order.push_back(2); }, {}, -32768);
  s.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(EventQueue, CompactionWhileAnEventRunsKeepsOrder) {
  // The running event's entry stays at the heap root until it schedules or finishes; a compaction triggered
  // from inside it (by mass cancellation) must neither lose nor rerun anything.
  sim::Simulation s;
  std::vector<sim::EventHandle> victims;
  std::vector<std::int64_t> ran;
  for (int i = 0; i < 6000; ++i)
    victims.push_back(s.at(sim::Time::from_ns(1000 + i), [&ran, &s] { ran.push_back(s.now().ns()); }));
  for (int i = 0; i < 100; ++i)
    s.at(sim::Time::from_ns(20'000 + i), [&ran, &s] { ran.push_back(s.now().ns()); });
  s.at(sim::Time::from_ns(10), [&] {
    for (auto& h : victims) h.cancel();  // 6000 cancelled > 100 live: compacts
    s.at(sim::Time::from_ns(15'000), [&ran, &s] { ran.push_back(s.now().ns()); });
    s.at(sim::Time::from_ns(11), [&ran, &s] { ran.push_back(s.now().ns()); });
  });
  s.run();
  std::vector<std::int64_t> expected{11, 15'000};
  for (int i = 0; i < 100; ++i) expected.push_back(20'000 + i);
  EXPECT_EQ(ran, expected);
  EXPECT_EQ(s.stats().cancelled, 6000u);
  EXPECT_EQ(s.stats().executed, 103u);
  EXPECT_EQ(s.stats().pending, 0u);
}

TEST(EventQueue, EventsThatScheduleNothingOrSeveralKeepOrder) {
  sim::Simulation s;
  std::vector<int> order;
  s.at(sim::Time::from_ns(5), [&] {
    order.push_back(1);
    s.at(sim::Time::from_ns(7), [&] { order.push_back(3); });
    s.at(sim::Time::from_ns(6), [&] { order.push_back(2); });
    s.at(sim::Time::from_ns(7), [&] { order.push_back(4); });
  });
  s.at(sim::Time::from_ns(8), [&] { order.push_back(5); });  // schedules nothing
  s.at(sim::Time::from_ns(9), [&] {
    order.push_back(6);
    EXPECT_THROW(s.at(sim::Time::from_ns(1), [] {}), sim::SchedulingError);
  });
  s.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(s.stats().pending, 0u);
}
