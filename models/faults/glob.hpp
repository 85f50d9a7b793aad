#pragma once
// Glob patterns over actor names, and deterministic resolution of fault targets.
//
// Syntax: `*` any run of characters (including '/'), `?` one character, `[abc]`, `[a-z]`, `[!0-9]` one
// character of (not of) a set; every other character matches itself. An unclosed '[' matches literally.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "sim/random.hpp"

namespace models::faults {

bool glob_match(std::string_view pattern, std::string_view name);

// The names matching any pattern, sorted and without duplicates. `names` need not be sorted.
std::vector<std::string> match_all(std::span<const std::string> patterns, std::span<const std::string> names);

// The actors a target hits: every match (sorted), or with `any` = k, k matches chosen by a partial
// Fisher-Yates shuffle over the sorted matches driven by `rng`, returned sorted. Fewer than k matches: all.
std::vector<std::string> resolve_target(const TargetSpec& target, std::span<const std::string> names, sim::Rng& rng);

}  // namespace models::faults
