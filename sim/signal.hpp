#pragma once
// Typed publish/subscribe between models (which emit) and analysis collectors (which record).
//
//   sim::Signal<Time, double> answer_updated;
//   sim::Connection c = answer_updated.connect([&](Time t, double v) { ... });   // scoped
//   answer_updated.emit(now, 3000.5);
//
// Subscribers run synchronously in the order they connected. A Connection disconnects when destroyed;
// either side may be destroyed first. Disconnecting during emit is safe (the slot is skipped).
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace sim {

namespace detail {
struct SignalStateBase {
  virtual ~SignalStateBase() = default;
  virtual void disconnect(std::uint64_t id) = 0;
};
}  // namespace detail

class Connection {
 public:
  Connection() = default;
  Connection(std::weak_ptr<detail::SignalStateBase> state, std::uint64_t id) : state_(std::move(state)), id_(id) {}
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&& o) noexcept {
    if (this != &o) {
      disconnect();
      state_ = std::move(o.state_);
      id_ = o.id_;
    }
    return *this;
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { disconnect(); }

  void disconnect() {
    if (auto s = state_.lock()) s->disconnect(id_);
    state_.reset();
  }
  bool connected() const { return !state_.expired(); }

 private:
  std::weak_ptr<detail::SignalStateBase> state_;
  std::uint64_t id_ = 0;
};

template <class... Args>
class Signal {
 public:
  using Handler = std::function<void(const Args&...)>;

  Signal() : state_(std::make_shared<State>()) {}
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  [[nodiscard]] Connection connect(Handler h) {
    const std::uint64_t id = ++state_->next_id;
    state_->slots.push_back({id, std::move(h)});
    return Connection(state_, id);
  }
  void emit(const Args&... args) const {
    State& s = *state_;
    ++s.emitting;
    const std::size_t n = s.slots.size();  // handlers connected during emit wait for the next one
    for (std::size_t i = 0; i < n; ++i)
      if (s.slots[i].fn) s.slots[i].fn(args...);
    if (--s.emitting == 0 && s.dirty) s.compact();
  }
  // Whether anyone listens: models may skip building an expensive payload when not.
  bool has_subscribers() const {
    for (const auto& sl : state_->slots)
      if (sl.fn) return true;
    return false;
  }

 private:
  struct SlotEntry {
    std::uint64_t id;
    Handler fn;
  };
  struct State : detail::SignalStateBase {
    std::vector<SlotEntry> slots;
    std::uint64_t next_id = 0;
    int emitting = 0;
    bool dirty = false;
    void disconnect(std::uint64_t id) override {
      for (auto& sl : slots)
        if (sl.id == id) sl.fn = nullptr;
      dirty = true;
      if (emitting == 0) compact();
    }
    void compact() {
      std::erase_if(slots, [](const SlotEntry& e) { return !e.fn; });
      dirty = false;
    }
  };
  std::shared_ptr<State> state_;
};

}  // namespace sim
