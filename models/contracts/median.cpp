#include "models/contracts/median.hpp"

#include <array>
#include <limits>
#include <stdexcept>
#include <utility>

namespace models::contracts {
namespace {

constexpr std::size_t kNetworkSize = 7;
// A 16-comparator sorting network for 7 inputs (Hibbard's construction).
constexpr std::array<std::pair<int, int>, 16> kNetwork{{{0, 1}, {2, 3}, {4, 5}, {0, 2}, {1, 3}, {4, 6}, {1, 2}, {5, 6},
                                                        {0, 4}, {1, 5}, {2, 6}, {1, 4}, {3, 6}, {2, 4}, {3, 5}, {3, 4}}};

class Selector {
 public:
  Selector(std::vector<Answer>& v, MedianWork& w) : v_(v), w_(w) {}

  // Sorts v[lo..hi] (at most 7 values) through the network; the values land back in place.
  void network(std::size_t lo, std::size_t hi) {
    ++w_.networks;
    std::array<Answer, kNetworkSize> x;
    x.fill(kAnswerMax);
    for (std::size_t i = lo; i <= hi; ++i) x[i - lo] = v_[i];
    for (const auto& [a, b] : kNetwork) {
      ++w_.compares;
      if (x[a] > x[b]) {
        std::swap(x[a], x[b]);
        ++w_.swaps;
      }
    }
    for (std::size_t i = lo; i <= hi; ++i) v_[i] = x[i - lo];
  }

  // Hoare partition around the middle element; returns p with lo <= p < hi, v[lo..p] <= v[p+1..hi].
  std::size_t partition(std::size_t lo, std::size_t hi) {
    ++w_.partitions;
    const Answer pivot = v_[lo + (hi - lo) / 2];
    std::size_t i = lo, j = hi;
    bool first = true;
    while (true) {
      if (!first) ++i;
      for (++w_.compares; v_[i] < pivot; ++w_.compares) ++i;
      if (!first) --j;
      for (++w_.compares; v_[j] > pivot; ++w_.compares) --j;
      first = false;
      if (i >= j) return j;
      std::swap(v_[i], v_[j]);
      ++w_.swaps;
    }
  }

  Answer select(std::size_t lo, std::size_t hi, std::size_t k) {
    while (lo < hi) {
      if (hi - lo < kNetworkSize) {
        network(lo, hi);
        return v_[k];
      }
      const std::size_t p = partition(lo, hi);
      if (k <= p) hi = p; else lo = p + 1;
    }
    return v_[lo];
  }

  std::pair<Answer, Answer> select_two(std::size_t lo, std::size_t hi, std::size_t k1, std::size_t k2) {
    while (true) {
      if (hi - lo < kNetworkSize) {
        network(lo, hi);
        return {v_[k1], v_[k2]};
      }
      const std::size_t p = partition(lo, hi);
      if (k2 <= p) {
        hi = p;
      } else if (p < k1) {
        lo = p + 1;
      } else {
        const Answer a = select(lo, p, k1);
        const Answer b = select(p + 1, hi, k2);
        return {a, b};
      }
    }
  }

 private:
  std::vector<Answer>& v_;
  MedianWork& w_;
};

// Mean of two values rounded toward zero, without overflow.
Answer average(Answer a, Answer b) {
  const Answer halves = a / 2 + b / 2;
  return halves + (a % 2 + b % 2) / 2;
}

}  // namespace

MedianWork median_in_place(std::vector<Answer>& values) {
  if (values.empty()) throw std::invalid_argument("median of an empty list");
  MedianWork w;
  Selector s(values, w);
  const std::size_t n = values.size();
  if (n % 2 == 1) {
    w.median = s.select(0, n - 1, n / 2);
  } else {
    const auto [a, b] = s.select_two(0, n - 1, n / 2 - 1, n / 2);
    w.median = average(a, b);
  }
  return w;
}

}  // namespace models::contracts
