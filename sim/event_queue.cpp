#include "sim/event_queue.hpp"

#include <stdexcept>

namespace sim {

void EventQueue::throw_seq_overflow() {
  throw std::overflow_error("sim::EventQueue: more than 2^48 events scheduled in one run");
}

void EventQueue::grow() {
  constexpr std::uint32_t kChunk = 1U << kChunkBits;
  if (capacity_ > 0xffffffffU - kChunk) throw std::overflow_error("sim::EventQueue: too many pending events");
  chunks_.push_back(std::make_unique<Slot[]>(kChunk));
  free_.reserve(static_cast<std::size_t>(capacity_) + kChunk);
  const std::uint32_t base = capacity_;
  capacity_ += kChunk;
  // Push the new slots in descending order so that they are taken in ascending order.
  for (std::uint32_t i = kChunk; i-- > 0;) free_.push_back(base + i);
}

void EventQueue::compact() {
  if (root_running_) drop_running_root();
  std::size_t w = 0;
  for (std::size_t r = 0; r < n_; ++r) {
    if (slot(heap_[r].slot).state == State::cancelled) {
      release(heap_[r].slot);
    } else {
      heap_[w++] = heap_[r];
    }
  }
  for (std::size_t i = w; i < n_; ++i) heap_[i] = kSentinel;
  n_ = w;
  cancelled_ = 0;
  if (n_ > 1)
    for (std::size_t i = (n_ - 2) / 4 + 1; i-- > 0;) sift_down(i);
}

}  // namespace sim
