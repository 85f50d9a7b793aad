#pragma once
// A move-only `void()` callable that stores captures of up to `Capacity` bytes inline, without a heap
// allocation. Larger (or throwing-move) callables fall back to the heap transparently. This is what the
// event queue stores for each scheduled event.
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace sim {

template <std::size_t Capacity = 48>
class InlineFunction {
 public:
  static constexpr std::size_t capacity = Capacity;
  // Inline storage is pointer-aligned, so InlineFunction<48> is 56 bytes and an event slot fits a cache
  // line; callables that need more alignment (long double, 128-bit integers) go to the heap.
  static constexpr std::size_t kAlign = alignof(void*);

  InlineFunction() = default;

  template <class F, class D = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<D, InlineFunction> && std::is_invocable_r_v<void, D&>>>
  InlineFunction(F&& f) {  // NOLINT(google-explicit-constructor): callables convert implicitly
    construct<D>(std::forward<F>(f));
  }

  // Replaces the held callable by one constructed in place from f (no intermediate InlineFunction, no move).
  template <class F, class D = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<D, InlineFunction> && std::is_invocable_r_v<void, D&>>>
  void emplace(F&& f) {
    reset();
    construct<D>(std::forward<F>(f));
  }

  InlineFunction(InlineFunction&& o) noexcept : ops_(o.ops_) {
    if (ops_) {
      ops_->move(buf_, o.buf_);
      o.ops_ = nullptr;
    }
  }
  InlineFunction& operator=(InlineFunction&& o) noexcept {
    if (this != &o) {
      reset();
      ops_ = o.ops_;
      if (ops_) {
        ops_->move(buf_, o.buf_);
        o.ops_ = nullptr;
      }
    }
    return *this;
  }
  InlineFunction(const InlineFunction&) = delete;
  InlineFunction& operator=(const InlineFunction&) = delete;
  ~InlineFunction() { reset(); }

  void operator()() { ops_->invoke(buf_); }
  explicit operator bool() const { return ops_ != nullptr; }
  void reset() {
    if (ops_) {
      if (ops_->destroy) ops_->destroy(buf_);  // null for trivially destructible inline callables
      ops_ = nullptr;
    }
  }
  // True when the callable lives in the inline buffer (exposed for tests).
  bool is_inline() const { return ops_ && ops_->inline_storage; }

  template <class D>
  static constexpr bool fits_inline() {
    return sizeof(D) <= Capacity && alignof(D) <= kAlign &&
           std::is_nothrow_move_constructible_v<D>;
  }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*move)(void* dst, void* src);
    void (*destroy)(void*);
    bool inline_storage;
  };

  template <class D, class F>
  void construct(F&& f) {
    if constexpr (fits_inline<D>()) {
      ::new (static_cast<void*>(buf_)) D(std::forward<F>(f));
      ops_ = &inline_ops<D>;
    } else {
      ::new (static_cast<void*>(buf_)) D*(new D(std::forward<F>(f)));
      ops_ = &heap_ops<D>;
    }
  }

  static constexpr void (*kNoDestroy)(void*) = nullptr;
  template <class D>
  static constexpr Ops inline_ops{
      [](void* p) { (*static_cast<D*>(p))(); },
      [](void* dst, void* src) {
        ::new (dst) D(std::move(*static_cast<D*>(src)));
        static_cast<D*>(src)->~D();
      },
      std::is_trivially_destructible_v<D> ? kNoDestroy : +[](void* p) { static_cast<D*>(p)->~D(); },
      true};

  template <class D>
  static constexpr Ops heap_ops{
      [](void* p) { (**static_cast<D**>(p))(); },
      [](void* dst, void* src) { ::new (dst) D*(*static_cast<D**>(src)); },
      [](void* p) { delete *static_cast<D**>(p); },
      false};

  alignas(kAlign) unsigned char buf_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace sim
