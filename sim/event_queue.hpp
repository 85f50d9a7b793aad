#pragma once
// The pending-event set: a 4-ary min-heap of 24-byte entries ordered by (time, priority, sequence), whose
// callbacks live in a pool of stable slots. Cancelling marks the slot and destroys its callback at once; the
// heap entry is discarded lazily when it surfaces (or in a compaction when cancelled entries dominate).
// Handles carry (slot, generation), so a handle to a fired or cancelled event can never touch a reused slot.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sim/hash.hpp"
#include "sim/inline_function.hpp"

namespace sim {

// Among events at the same time, a lower priority value runs first; equal priorities run in the order
// they were scheduled.
using Priority = std::int16_t;

// A stable name for a kind of event, hashed at compile time where the string is a literal. Labels feed the
// run's fingerprint; they cost one 32-bit store per event.
struct Label {
  constexpr Label() = default;
  constexpr Label(const char* name) : Label(std::string_view(name)) {}  // NOLINT: literals convert
  constexpr explicit Label(std::string_view name) : hash(static_cast<std::uint32_t>(fnv1a64(name) >> 32)) {}
  std::uint32_t hash = 0;
};

using Callback = InlineFunction<48>;

class EventQueue {
 public:
  struct Entry {
    std::int64_t time;
    std::uint64_t order;  // (priority + 2^15) << 48 | sequence number
    std::uint32_t slot;
  };
  enum class State : std::uint8_t { free, scheduled, cancelled, running };
  struct Slot {
    Callback fn;
    std::uint32_t gen = 0;
    std::uint32_t label = 0;
    std::uint32_t next_free = 0;
    State state = State::free;
  };

  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Schedules fn; returns the slot index. The caller has checked that time is not in the past.
  template <class F>
  std::uint32_t push(std::int64_t time, Priority prio, Label label, F&& fn) {
    const std::uint32_t s = alloc_slot();
    Slot& sl = slot(s);
    sl.fn = Callback(std::forward<F>(fn));
    sl.label = label.hash;
    sl.state = State::scheduled;
    heap_.push_back(Entry{time, make_order(prio), s});
    sift_up(heap_.size() - 1);
    if (++live_ > peak_live_) peak_live_ = live_;
    return s;
  }

  // The earliest entry whose event is still scheduled, discarding cancelled ones; nullptr if none.
  const Entry* top() {
    while (!heap_.empty()) {
      const Entry& e = heap_.front();
      if (slot(e.slot).state == State::scheduled) return &e;
      release(e.slot);
      --cancelled_;
      pop_heap_front();
    }
    return nullptr;
  }
  // Removes the top entry (which top() returned) and marks its slot running.
  Slot& pop_for_run(std::uint32_t s) {
    pop_heap_front();
    --live_;
    Slot& sl = slot(s);
    sl.state = State::running;
    return sl;
  }
  // After a popped event ran (or threw): destroys its callback and frees the slot.
  void finish(std::uint32_t s) {
    slot(s).fn.reset();
    release(s);
  }

  bool pending(std::uint32_t s, std::uint32_t gen) const {
    if (s >= capacity_) return false;
    const Slot& sl = slot(s);
    return sl.gen == gen && sl.state == State::scheduled;
  }
  // Cancels a scheduled event; false (and no effect) if it already ran, runs now or was cancelled.
  bool cancel(std::uint32_t s, std::uint32_t gen) {
    if (!pending(s, gen)) return false;
    Slot& sl = slot(s);
    sl.fn.reset();
    sl.state = State::cancelled;
    --live_;
    ++cancelled_;
    ++cancelled_total_;
    if (cancelled_ > kCompactMin && cancelled_ > live_) compact();
    return true;
  }
  std::uint32_t generation(std::uint32_t s) const { return slot(s).gen; }
  Slot& slot(std::uint32_t s) { return chunks_[s >> kChunkBits][s & kChunkMask]; }
  const Slot& slot(std::uint32_t s) const { return chunks_[s >> kChunkBits][s & kChunkMask]; }

  std::uint64_t live() const { return live_; }
  std::uint64_t peak_live() const { return peak_live_; }
  std::uint64_t cancelled_total() const { return cancelled_total_; }
  std::uint64_t scheduled_total() const { return seq_; }
  std::size_t heap_size() const { return heap_.size(); }

 private:
  static constexpr unsigned kChunkBits = 12;
  static constexpr std::uint32_t kChunkMask = (1U << kChunkBits) - 1;
  static constexpr std::uint64_t kCompactMin = 4096;
  static constexpr std::uint32_t kNoSlot = 0xffffffffU;
  static constexpr std::uint64_t kSeqLimit = 1ULL << 48;

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  std::uint64_t make_order(Priority prio);
  std::uint32_t alloc_slot() {
    if (free_head_ == kNoSlot) grow();
    const std::uint32_t s = free_head_;
    free_head_ = slot(s).next_free;
    return s;
  }
  void release(std::uint32_t s) {
    Slot& sl = slot(s);
    ++sl.gen;
    sl.state = State::free;
    sl.next_free = free_head_;
    free_head_ = s;
  }
  void grow();
  void compact();

  void sift_up(std::size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const std::size_t p = (i - 1) / 4;
      if (!before(e, heap_[p])) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = e;
  }
  void sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    const Entry e = heap_[i];
    for (;;) {
      const std::size_t c = 4 * i + 1;
      if (c >= n) break;
      std::size_t best = c;
      const std::size_t end = c + 4 < n ? c + 4 : n;
      for (std::size_t k = c + 1; k < end; ++k)
        if (before(heap_[k], heap_[best])) best = k;
      if (!before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }
  void pop_heap_front() {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) {
      heap_[0] = last;
      sift_down(0);
    }
  }

  std::vector<Entry> heap_;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::uint32_t capacity_ = 0;
  std::uint32_t free_head_ = kNoSlot;
  std::uint64_t seq_ = 0;
  std::uint64_t live_ = 0;
  std::uint64_t peak_live_ = 0;
  std::uint64_t cancelled_ = 0;  // cancelled entries still in the heap
  std::uint64_t cancelled_total_ = 0;
};

}  // namespace sim
