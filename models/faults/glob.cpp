#include "models/faults/glob.hpp"

#include <algorithm>

#include "sim/distributions.hpp"

namespace models::faults {

namespace {

// Matches the set starting at pattern[i] == '[' against c. Sets `end` to the index after ']'.
// Returns false with end = npos when the set is not closed.
bool match_set(std::string_view p, std::size_t i, char c, std::size_t& end) {
  std::size_t j = i + 1;
  bool negate = false;
  if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
    negate = true;
    ++j;
  }
  bool hit = false;
  bool first = true;
  while (j < p.size() && (p[j] != ']' || first)) {
    first = false;
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      if (p[j] <= c && c <= p[j + 2]) hit = true;
      j += 3;
    } else {
      if (p[j] == c) hit = true;
      ++j;
    }
  }
  if (j >= p.size()) {
    end = std::string_view::npos;
    return false;
  }
  end = j + 1;
  return hit != negate;
}

}  // namespace

bool glob_match(std::string_view p, std::string_view s) {
  // Iterative matcher with one backtrack point for the last '*' (linear in practice).
  std::size_t pi = 0, si = 0;
  std::size_t star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size()) {
      const char pc = p[pi];
      if (pc == '*') {
        star_p = pi++;
        star_s = si;
        continue;
      }
      if (pc == '?') {
        ++pi;
        ++si;
        continue;
      }
      if (pc == '[') {
        std::size_t end = 0;
        const bool hit = match_set(p, pi, s[si], end);
        if (end == std::string_view::npos) {
          if (s[si] == '[') {  // unclosed: literal '['
            ++pi;
            ++si;
            continue;
          }
        } else if (hit) {
          pi = end;
          ++si;
          continue;
        }
      } else if (pc == s[si]) {
        ++pi;
        ++si;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<std::string> match_all(std::span<const std::string> patterns, std::span<const std::string> names) {
  std::vector<std::string> out;
  for (const std::string& n : names)
    for (const std::string& p : patterns)
      if (glob_match(p, n)) {
        out.push_back(n);
        break;
      }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> resolve_target(const TargetSpec& target, std::span<const std::string> names, sim::Rng& rng) {
  std::vector<std::string> m = match_all(target.patterns, names);
  if (target.any == 0 || target.any >= m.size()) return m;
  // Partial Fisher-Yates from the front: positions 0..k-1 receive a uniform k-subset.
  const std::size_t k = target.any;
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(sim::uniform_index(rng, m.size() - i));
    std::swap(m[i], m[j]);
  }
  m.resize(k);
  std::sort(m.begin(), m.end());
  return m;
}

}  // namespace models::faults
