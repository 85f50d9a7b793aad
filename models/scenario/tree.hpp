#pragma once
// The scenario document as a plain tree with source locations: what the YAML files say, after `extends:`
// has been resolved and merged, before decoding into config structs. Keeping our own tree (instead of
// yaml-cpp nodes) lets every key remember the file it came from, and lets sweeps and --set apply overrides.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/diagnostic.hpp"

namespace models::scenario {

struct Entry;

struct Node {
  enum class Kind { Null, Scalar, Map, Seq };
  Kind kind = Kind::Null;
  std::string scalar;          // Kind::Scalar: the text as written (without quotes)
  std::vector<Entry> map;      // Kind::Map: entries in file order, keys unique
  std::vector<Node> seq;       // Kind::Seq
  Location where;              // where the value was written

  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Seq; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_null() const { return kind == Kind::Null; }
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  const Entry* find_entry(std::string_view key) const;
  // "a map", "a list", "a scalar", "nothing (null)"
  std::string kind_name() const;
};

struct Entry {
  std::string key;
  Location key_where;  // where the key was written
  Node value;
};

// Limits of what a scenario may make the loader read (documented in docs/scenarios.md "Limits"): each file's size,
// the values a document may expand to (YAML aliases can repeat a large part exponentially), the extends depth.
inline constexpr std::size_t kMaxScenarioBytes = 4u << 20;  // 4 MiB per file
inline constexpr std::size_t kMaxScenarioNodes = 1'000'000;
// Deepest nesting of maps and lists a scenario may have (a YAML alias inside its own anchor's value nests forever).
inline constexpr int kMaxScenarioDepth = 64;
inline constexpr std::size_t kMaxExtendsDepth = 16;

// A file a scenario names (`text`, written at `where`): relative paths are relative to the directory of the file
// that wrote them (for --set values, the working directory); absolute paths stay.
std::string resolve_relative(const std::string& text, const Location& where);

// Parses a YAML document (or flow text such as "[1, 2]" or "250ms"). Syntax errors and duplicate keys are
// reported against `origin` (the file name, or "--set k=v"), as are what YAML would accept silently or report
// obscurely: invalid UTF-8, tabs in indentation, a second document, a quote left open (a value must fit on its
// line), a document past the size limits. Returns nullopt when it could not be parsed.
std::optional<Node> parse_yaml(const std::string& text, const std::string& origin, Diagnostics& out);

// Loads `path`, resolving `extends:` chains (relative to the including file; cycles and missing files are
// errors located at the `extends:` value), and returns the merged tree without `extends` keys.
std::optional<Node> load_tree(const std::string& path, Diagnostics& out);

// Deep merge: `over`'s map entries override `base`'s (maps merge recursively, anything else replaces).
void merge_into(Node& base, const Node& over);

// A key path: "feeds[0].ocr.delta_round" -> {feeds, [0], ocr, delta_round}.
struct PathStep {
  std::string key;                    // empty for an index step
  std::optional<std::size_t> index;   // set for "[i]"
};
std::optional<std::vector<PathStep>> parse_path(std::string_view path);
// The schema form of a path: indices replaced by "[]" ("feeds[0].oracles" -> "feeds[].oracles").
std::string schema_form(std::string_view path);

// The node at `path`, or nullptr. `nearest` (if given) receives the deepest existing node on the way.
const Node* find_path(const Node& root, std::string_view path, const Node** nearest = nullptr);

// Sets the value at `path`, creating maps on the way; list items must exist. On failure returns a message.
std::optional<std::string> set_path(Node& root, std::string_view path, const Node& value, const Location& key_where);

}  // namespace models::scenario
