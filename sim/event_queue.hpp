#pragma once
// The pending-event set: a 4-ary min-heap of 24-byte entries ordered by (time, priority, sequence), whose
// callbacks live in a pool of stable 64-byte slots. Cancelling marks the slot and destroys its callback at
// once; the heap entry is discarded lazily when it surfaces (or in a compaction when cancelled entries
// dominate). Handles carry (slot, generation), so a handle to a fired or cancelled event can never touch a
// reused slot.
//
// Speed (see docs/performance.md): the ordering key is one 128-bit unsigned number (biased time, then
// priority and sequence), so a comparison is a compare and a subtract-with-borrow; the smallest of four
// children is picked without branches; removing the top walks the hole down to a leaf and sifts the last
// entry up from there (bottom-up), which saves the comparison with the moved entry at every level; three
// sentinel entries past the end give every inner node four children; callbacks are constructed in place in
// their slot; the slot of the next event is prefetched while the current one runs.
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
    std::uint64_t key_hi;  // time with its sign bit flipped: unsigned order equals signed time order
    std::uint64_t key_lo;  // (priority + 2^15) << 48 | sequence number
    std::uint32_t slot;
    std::uint32_t label;   // Label::hash, for the fingerprint
    std::int64_t time() const { return static_cast<std::int64_t>(key_hi ^ kSignBit); }
  };
  enum class State : std::uint8_t { free, scheduled, cancelled, running };
  struct alignas(64) Slot {  // one cache line
    Callback fn;
    std::uint32_t gen = 0;
    State state = State::free;
  };
  static_assert(sizeof(Slot) == 64);

  EventQueue() : heap_(kSentinels, kSentinel) {}
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Schedules fn; returns the slot index. The caller has checked that time is not in the past.
  template <class F>
  std::uint32_t push(std::int64_t time, Priority prio, Label label, F&& fn) {
    const std::uint32_t s = alloc_slot();
    Slot& sl = slot(s);
    sl.fn.emplace(std::forward<F>(fn));  // may throw (heap fallback): the slot is still free then
    sl.state = State::scheduled;
    const Entry e{static_cast<std::uint64_t>(time) ^ kSignBit, make_order(prio), s, label.hash};
    if (root_running_) {
      // The first event scheduled by a running event takes over the running event's root entry.
      root_running_ = false;
      replace_root(e);
    } else {
      if (n_ + kSentinels >= heap_.size()) heap_.push_back(kSentinel);
      sift_up(n_++, e);
    }
    if (++live_ > peak_live_) peak_live_ = live_;
    return s;
  }

  // The earliest entry whose event is still scheduled, discarding cancelled ones; nullptr if none.
  const Entry* top() {
    if (root_running_) drop_running_root();  // top() called from inside an event (a nested run)
    while (n_ != 0) {
      const Entry& e = heap_.front();
      // With no cancelled entry in the heap, the top is scheduled: skip the look at its slot.
      if (cancelled_ == 0 || slot(e.slot).state == State::scheduled) return &e;
      release(e.slot);
      --cancelled_;
      pop_heap_front();
    }
    return nullptr;
  }
  // Takes the top entry (which top() returned) out of the pending set and marks its slot running. The entry
  // stays at the root while the event runs: the first event it schedules replaces it there (one sift instead
  // of a removal plus an insertion); otherwise finish() removes it.
  Slot& pop_for_run(std::uint32_t s) {
    root_running_ = true;
    --live_;
    if (n_ > 1) __builtin_prefetch(&slot(heap_[min_child(1)].slot));  // most likely the next event's slot
    Slot& sl = slot(s);
    sl.state = State::running;
    return sl;
  }
  // After a popped event ran (or threw): destroys its callback and frees the slot.
  void finish(std::uint32_t s) {
    if (root_running_) drop_running_root();
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
  std::size_t heap_size() const { return n_ - (root_running_ ? 1 : 0); }

 private:
  __extension__ using Key = unsigned __int128;
  static constexpr std::uint64_t kSignBit = 1ULL << 63;
  static constexpr unsigned kChunkBits = 12;
  static constexpr std::uint32_t kChunkMask = (1U << kChunkBits) - 1;
  static constexpr std::uint64_t kCompactMin = 4096;
  static constexpr std::uint64_t kSeqLimit = 1ULL << 48;
  // Past the last entry the heap holds this many entries with the largest key, so the children of every
  // inner node form a full group of four. A real entry never loses a tie to them (ties keep the lower index).
  static constexpr std::size_t kSentinels = 3;
  static constexpr Entry kSentinel{~0ULL, ~0ULL, 0, 0};

  static Key key(const Entry& e) { return (static_cast<Key>(e.key_hi) << 64) | e.key_lo; }
  std::uint64_t make_order(Priority prio) {
    if (seq_ >= kSeqLimit) throw_seq_overflow();
    const auto p = static_cast<std::uint64_t>(static_cast<std::int32_t>(prio) + 32768);
    return (p << 48) | seq_++;
  }
  [[noreturn]] static void throw_seq_overflow();
  std::uint32_t alloc_slot() {
    if (free_.empty()) grow();
    const std::uint32_t s = free_.back();
    free_.pop_back();
    return s;
  }
  void release(std::uint32_t s) {
    Slot& sl = slot(s);
    ++sl.gen;
    sl.state = State::free;
    free_.push_back(s);  // never reallocates: reserved to the capacity in grow()
  }
  void grow();
  void compact();

  // The index of the smallest of the four children starting at c, without branches.
  std::size_t min_child(std::size_t c) const {
    const Entry* h = heap_.data();
    const Key k0 = key(h[c]), k1 = key(h[c + 1]), k2 = key(h[c + 2]), k3 = key(h[c + 3]);
    const bool b01 = k1 < k0, b23 = k3 < k2;
    const std::size_t a = c + b01, b = c + 2 + b23;
    const Key ka = b01 ? k1 : k0, kb = b23 ? k3 : k2;
    return kb < ka ? b : a;
  }
  void sift_up(std::size_t i, const Entry& e) {
    const Key k = key(e);
    while (i > 0) {
      const std::size_t p = (i - 1) / 4;
      if (!(k < key(heap_[p]))) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = e;
  }
  void sift_down(std::size_t i) {
    const Entry e = heap_[i];
    const Key k = key(e);
    for (;;) {
      const std::size_t c = 4 * i + 1;
      if (c >= n_) break;
      const std::size_t m = min_child(c);
      if (!(key(heap_[m]) < k)) break;
      heap_[i] = heap_[m];
      i = m;
    }
    heap_[i] = e;
  }
  // Replaces the root by e: walks the hole at the root down to a leaf along the smaller children, then sifts
  // e up from there (most entries belong near the bottom, so this rarely climbs far).
  void replace_root(const Entry& e) {
    std::size_t i = 0;
    for (std::size_t c = 1; c < n_; c = 4 * i + 1) {
      // While this level is compared, fetch the next one: the children of all four candidates are the 16
      // consecutive entries from 4c + 1 (6 cache lines).
      if (4 * c + 1 < n_) {
        const char* g = reinterpret_cast<const char*>(heap_.data() + 4 * c + 1);
        for (std::size_t b = 0; b < 16 * sizeof(Entry); b += 64) __builtin_prefetch(g + b);
      }
      const std::size_t m = min_child(c);
      heap_[i] = heap_[m];
      i = m;
    }
    sift_up(i, e);
  }
  void pop_heap_front() {
    const std::size_t n = --n_;
    const Entry last = heap_[n];
    heap_[n] = kSentinel;
    if (n != 0) replace_root(last);
  }
  void drop_running_root() {
    root_running_ = false;
    pop_heap_front();
  }

  std::vector<Entry> heap_;  // n_ entries, then at least kSentinels sentinels
  std::size_t n_ = 0;
  bool root_running_ = false;  // heap_[0] is the entry of the running event (see pop_for_run)
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<std::uint32_t> free_;  // free slot indices; the lowest is taken first after a grow()
  std::uint32_t capacity_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t live_ = 0;
  std::uint64_t peak_live_ = 0;
  std::uint64_t cancelled_ = 0;  // cancelled entries still in the heap
  std::uint64_t cancelled_total_ = 0;
};

}  // namespace sim
