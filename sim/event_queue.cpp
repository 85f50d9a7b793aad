#include "sim/event_queue.hpp"

#include <stdexcept>

namespace sim {

std::uint64_t EventQueue::make_order(Priority prio) {
  if (seq_ >= kSeqLimit) throw std::overflow_error("sim::EventQueue: more than 2^48 events scheduled in one run");
  const auto p = static_cast<std::uint64_t>(static_cast<std::int32_t>(prio) + 32768);
  return (p << 48) | seq_++;
}

void EventQueue::grow() {
  if (capacity_ > kNoSlot - (1U << kChunkBits)) throw std::overflow_error("sim::EventQueue: too many pending events");
  chunks_.push_back(std::make_unique<Slot[]>(1U << kChunkBits));
  const std::uint32_t base = capacity_;
  capacity_ += 1U << kChunkBits;
  // Thread the new slots onto the free list in ascending order.
  for (std::uint32_t i = (1U << kChunkBits); i-- > 0;) {
    Slot& sl = slot(base + i);
    sl.next_free = free_head_;
    free_head_ = base + i;
  }
}

void EventQueue::compact() {
  std::size_t w = 0;
  for (std::size_t r = 0; r < heap_.size(); ++r) {
    if (slot(heap_[r].slot).state == State::cancelled) {
      release(heap_[r].slot);
    } else {
      heap_[w++] = heap_[r];
    }
  }
  heap_.resize(w);
  cancelled_ = 0;
  if (heap_.size() > 1)
    for (std::size_t i = (heap_.size() - 2) / 4 + 1; i-- > 0;) sift_down(i);
}

}  // namespace sim
