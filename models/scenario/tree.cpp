#include "models/scenario/tree.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <fmt/core.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "sim/file_check.hpp"

namespace models::scenario {

namespace fs = std::filesystem;

const Entry* Node::find_entry(std::string_view key) const {
  for (const auto& e : map)
    if (e.key == key) return &e;
  return nullptr;
}

const Node* Node::find(std::string_view key) const {
  const Entry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& e : map)
    if (e.key == key) return &e.value;
  return nullptr;
}

std::string Node::kind_name() const {
  switch (kind) {
    case Kind::Null: return "nothing (null)";
    case Kind::Scalar: return fmt::format("'{}'", scalar);
    case Kind::Map: return "a map";
    case Kind::Seq: return "a list";
  }
  return "?";
}

namespace {

Location at(const YAML::Mark& m, const std::string& origin, const Location& fallback) {
  if (m.line < 0) return fallback.known() ? fallback : Location{origin, 0, 0};
  return Location{origin, m.line + 1, m.column + 1};
}

// What a conversion needs besides the node: the source text (to see where quoted scalars end) and a budget of
// nodes (YAML aliases can make a small file expand exponentially).
struct Source {
  const std::string& origin;
  std::vector<std::string_view> lines;
  std::size_t nodes_left = kMaxScenarioNodes;
  int depth = 0;  // maps and lists entered
  bool over_budget = false;
};

// The key path of the value being converted ("feeds[0].oracles"), as a chain of frames on the stack: the string is
// only built when a diagnostic needs it, so converting a value costs no allocation for its path.
struct PathFrame {
  const PathFrame* parent = nullptr;  // nullptr at the document's root
  std::string_view key;               // a map entry's key; empty for a list item
  std::size_t index = 0;              // a list item's index
  bool item = false;

  void append_to(std::string& out) const {
    if (parent == nullptr) return;
    parent->append_to(out);
    if (item) {
      fmt::format_to(std::back_inserter(out), "[{}]", index);
    } else {
      if (!out.empty()) out += '.';
      out += key;
    }
  }
  std::string str() const {
    std::string s;
    append_to(s);
    return s;
  }
  // The top-level key the value is under ("feeds" for feeds[0].oracles); "" at the root.
  std::string top_key() const {
    const PathFrame* f = this;
    if (f->parent == nullptr) return "";
    while (f->parent->parent != nullptr) f = f->parent;
    return f->str();
  }
};

// Where the quoted scalar opened at line[open] closes on its line (the closing quote's index), or npos. Inside
// double quotes a backslash escapes the next character; inside single quotes '' is a quote.
std::size_t closing_quote(std::string_view line, std::size_t open) {
  const char q = line[open];
  for (std::size_t i = open + 1; i < line.size(); ++i) {
    if (q == '"' && line[i] == '\\') {
      ++i;
    } else if (line[i] == q) {
      if (q != '\'' || i + 1 >= line.size() || line[i + 1] != '\'') return i;
      ++i;
    }
  }
  return std::string_view::npos;
}

std::string unclosed_quote_message(char quote, std::string_view then) {
  return fmt::format("the {} quote opened here is not closed on this line (a missing closing quote takes the following "
                     "lines into the value{})", quote == '"' ? "double" : "single", then);
}

// A quoted scalar must close on the line it opens: a missing closing quote otherwise swallows the lines after it
// into the value (`name: "x` then `duration: 5h` would be one name). Reports and returns false when it does not.
bool quoted_on_one_line(const YAML::Node& y, const Source& src, const Location& where, const PathFrame& path,
                        Diagnostics& out) {
  const YAML::Mark m = y.Mark();
  if (m.line < 0 || static_cast<std::size_t>(m.line) >= src.lines.size()) return true;
  const std::string_view line = src.lines[static_cast<std::size_t>(m.line)];
  const auto open = static_cast<std::size_t>(m.column);
  if (m.column < 0 || open >= line.size() || (line[open] != '"' && line[open] != '\'')) return true;  // plain or block
  if (closing_quote(line, open) != std::string_view::npos) return true;
  out.push_back({where, path.str(), unclosed_quote_message(line[open], "); a value must fit on one line")});
  return false;
}

Node convert(const YAML::Node& y, Source& src, const Location& fallback, const PathFrame& path, Diagnostics& out) {
  Node n;
  const std::string& origin = src.origin;
  n.where = at(y.Mark(), origin, fallback);
  if (src.nodes_left == 0) {
    if (!src.over_budget)
      out.push_back({n.where, path.str(), fmt::format("the document expands past {} values (YAML aliases repeating large "
                                                "parts?); scenarios are limited to that size", kMaxScenarioNodes)});
    src.over_budget = true;
    return n;
  }
  --src.nodes_left;
  if ((y.IsSequence() || y.IsMap()) && src.depth >= kMaxScenarioDepth) {
    // The path would be as deep as the nesting: name the top-level key it runs under.
    out.push_back({n.where, path.top_key(),
                   fmt::format("the document nests deeper than {} levels under this key (a YAML alias inside its own "
                               "anchor's value?)", kMaxScenarioDepth)});
    src.over_budget = true;
    return n;
  }
  struct Enter {
    int& depth;
    explicit Enter(int& d) : depth(d) { ++depth; }
    ~Enter() { --depth; }
  } enter(src.depth);
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      n.kind = Node::Kind::Null;
      break;
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::Scalar;
      n.scalar = y.Scalar();
      quoted_on_one_line(y, src, n.where, path, out);
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::Seq;
      for (const auto& item : y) {
        const PathFrame item_path{&path, {}, n.seq.size(), true};
        n.seq.push_back(convert(item, src, n.where, item_path, out));
        if (src.over_budget) break;
      }
      break;
    case YAML::NodeType::Map: {
      n.kind = Node::Kind::Map;
      std::map<std::string, std::size_t, std::less<>> index;  // key -> its entry in n.map
      for (const auto& kv : y) {
        Entry e;
        e.key_where = at(kv.first.Mark(), origin, n.where);
        if (!kv.first.IsScalar()) {
          out.push_back({e.key_where, "", "keys must be plain names"});
          continue;
        }
        e.key = kv.first.Scalar();
        const PathFrame key_path{&path, e.key, 0, false};
        if (!quoted_on_one_line(kv.first, src, e.key_where, key_path, out)) continue;
        // An index by key: a linear search per key would make a map of many keys quadratic to load.
        const auto [at_index, is_new] = index.try_emplace(e.key, n.map.size());
        if (!is_new) {
          out.push_back({e.key_where, key_path.str(), fmt::format("duplicate key (first written at {})",
                                                                  n.map[at_index->second].key_where.to_string())});
          continue;
        }
        e.value = convert(kv.second, src, e.key_where, key_path, out);
        n.map.push_back(std::move(e));
        if (src.over_budget) break;
      }
      break;
    }
  }
  return n;
}

std::optional<Node> load_one(const std::string& path, std::vector<fs::path>& stack, const Location& included_from,
                             Diagnostics& out) {
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(fs::path(path), ec);
  const Location where = included_from.known() ? included_from : Location{path, 0, 0};
  const std::string key = included_from.known() ? "extends" : "";
  for (const auto& p : stack) {
    if (p == canon) {
      out.push_back({included_from, "extends", fmt::format("extends cycle: '{}' includes itself", path)});
      return std::nullopt;
    }
  }
  if (stack.size() >= kMaxExtendsDepth) {
    out.push_back({included_from, "extends", fmt::format("more than {} files deep in extends chains", kMaxExtendsDepth)});
    return std::nullopt;
  }
  if (const std::string why = sim::regular_file_problem(path, kMaxScenarioBytes); !why.empty()) {
    out.push_back({where, key, fmt::format("cannot read scenario file '{}': {}", path, why)});
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.push_back({where, key, fmt::format("cannot open scenario file '{}'", path)});
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto tree = parse_yaml(ss.str(), path, out);
  if (!tree) return std::nullopt;
  if (tree->is_null()) {
    tree->kind = Node::Kind::Map;
  } else if (!tree->is_map()) {
    out.push_back({tree->where, "", "a scenario must be a map of keys (name:, duration:, ...)"});
    return std::nullopt;
  }
  const Entry* ext = tree->find_entry("extends");
  if (!ext) return tree;
  if (!ext->value.is_scalar() || ext->value.scalar.empty()) {
    out.push_back({ext->value.where, "extends", "expected a file name (relative to this file)"});
    return std::nullopt;
  }
  const std::string base_path = resolve_relative(ext->value.scalar, Location{path, 1, 1});
  stack.push_back(canon);
  auto base = load_one(base_path, stack, ext->value.where, out);
  stack.pop_back();
  if (!base) return std::nullopt;
  std::erase_if(tree->map, [](const Entry& e) { return e.key == "extends"; });
  merge_into(*base, *tree);
  return base;
}

}  // namespace

namespace {

// The first byte that is not valid UTF-8 (overlongs, surrogates and code points past U+10FFFF included), or npos.
std::size_t invalid_utf8_at(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size()) {
    const auto b = static_cast<unsigned char>(t[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      len = 2;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return i;
    }
    if (i + len > t.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(t[i + k]);
      if ((c & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    const std::uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> split_lines(std::string_view t) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '\n') {
      std::string_view l = t.substr(start, i - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines.push_back(l);
      start = i + 1;
    }
  }
  return lines;
}

// Checks what yaml-cpp accepts or reports obscurely: the size, the encoding, tabs in indentation. False on error.
bool check_text(std::string_view text, const std::vector<std::string_view>& lines, const std::string& origin,
                Diagnostics& out) {
  if (text.size() > kMaxScenarioBytes) {
    out.push_back({Location{origin, 1, 1}, "", fmt::format("{} bytes: a scenario file is at most {} bytes", text.size(),
                                                            kMaxScenarioBytes)});
    return false;
  }
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    const std::size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t col = line_start == std::string_view::npos || bad == 0 ? bad : bad - line_start - 1;
    const auto line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    out.push_back({Location{origin, line + 1, static_cast<int>(col) + 1}, "",
                   fmt::format("invalid UTF-8 (byte 0x{:02x}): scenario files are UTF-8 text",
                               static_cast<unsigned>(static_cast<unsigned char>(text[bad])))});
    return false;
  }
  if (text.find('\0') != std::string_view::npos) {
    out.push_back({Location{origin, 1, 1}, "", "a NUL byte: scenario files are text"});
    return false;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view l = lines[i];
    const std::size_t first = l.find_first_not_of(" \t");
    if (first == std::string_view::npos || l[first] == '#') continue;
    if (const std::size_t tab = l.substr(0, first).find('\t'); tab != std::string_view::npos) {
      out.push_back({Location{origin, static_cast<int>(i) + 1, static_cast<int>(tab) + 1}, "",
                     "a tab in the indentation: YAML indents with spaces only"});
      return false;
    }
  }
  return true;
}

// After a syntax error: the first quoted value, on the lines up to the error, whose quote does not close on its
// line (the usual cause: `name: "x` followed by more keys). Returns its 0-based line and column, and the key
// written before it on that line ("" if none).
struct OpenQuote {
  std::size_t line = 0, column = 0;
  char quote = '"';
  std::string key;
};

std::optional<OpenQuote> first_unclosed_quote(const std::vector<std::string_view>& lines, std::size_t last_line) {
  for (std::size_t i = 0; i <= last_line && i < lines.size(); ++i) {
    const std::string_view l = lines[i];
    std::optional<std::size_t> opened_at;
    bool token_start = true;  // a quote opens a scalar only where a token starts
    for (std::size_t c = 0; c < l.size() && !opened_at; ++c) {
      const char ch = l[c];
      if (ch == '#' && (c == 0 || l[c - 1] == ' ')) break;  // a comment
      if ((ch == '"' || ch == '\'') && token_start) {
        const std::size_t close = closing_quote(l, c);
        if (close == std::string_view::npos) opened_at = c;
        else c = close;  // a complete quoted scalar
        token_start = false;
        continue;
      }
      token_start = ch == ' ' || ch == '[' || ch == '{' || ch == ',';
    }
    if (opened_at) {
      OpenQuote q{i, *opened_at, l[*opened_at], ""};
      const std::string_view before = l.substr(0, *opened_at);
      if (const std::size_t colon = before.rfind(':'); colon != std::string_view::npos) {
        std::size_t b = colon;
        while (b > 0 && before[b - 1] != ' ' && before[b - 1] != '{' && before[b - 1] != ',' && before[b - 1] != '-') --b;
        q.key = std::string(before.substr(b, colon - b));
      }
      return q;
    }
  }
  return std::nullopt;
}

// Where each YAML document of a text starts, read with a bound, and how many values the first one expands to.
// yaml-cpp 0.7's LoadAll loops forever, allocating, on a token no grammar rule consumes (a stray ',' in block
// context: every further "document" is a null at the same place; jbeder/yaml-cpp#1040, fixed upstream after 0.8.0).
// A document that starts where the previous one did is that stuck parser: `stuck` is set and the reading stops.
// The expansion is counted from the events, each alias adding the size its anchor was found to have, so a document
// whose aliases repeat a large part (a "billion laughs") is measured in the time it takes to read it, and the
// top-level key whose value passes the budget is named before anything is built.
struct DocumentScan : YAML::EventHandler {
  std::vector<YAML::Mark> starts;  // first node of each document
  bool stuck = false;
  bool first_node = false;

  // The first document's expansion: values as convert() counts them (map keys are not values).
  static constexpr std::uint64_t kSaturated = std::uint64_t{1} << 62;
  struct Frame {
    bool map = false;
    YAML::anchor_t anchor = 0;
    std::uint64_t values = 1;  // the container itself
    bool expect_key = true;    // maps: the next complete node is a key
    std::string key;           // maps: the last key read (scalar keys)
    YAML::Mark key_mark;
    YAML::Mark start;
  };
  std::vector<Frame> stack;
  std::map<YAML::anchor_t, std::uint64_t> anchor_values;  // closed anchors -> their expansion
  bool in_first = false;
  bool self_alias = false;  // an alias inside its own anchor: the converter's depth limit reports it
  std::uint64_t root_values = 0;
  std::optional<std::pair<std::string, YAML::Mark>> over_budget_at;  // top-level key (or "" for the root)
  std::uint64_t over_budget_values = 0;                               // that key's value's expansion

  static std::uint64_t add(std::uint64_t a, std::uint64_t b) { return a + b >= kSaturated ? kSaturated : a + b; }

  void node(const YAML::Mark& m) {
    if (!first_node) return;
    first_node = false;
    if (!starts.empty() && starts.back().pos == m.pos) stuck = true;
    in_first = starts.empty();
    starts.push_back(m);
  }
  // A complete node of `values` values (anchored by `anchor`, 0 if none) has been read.
  void complete(std::uint64_t values, YAML::anchor_t anchor, const std::string* scalar, const YAML::Mark& m) {
    if (!in_first) return;
    if (anchor != 0) anchor_values[anchor] = values;
    if (stack.empty()) {
      root_values = values;
      if (values > kMaxScenarioNodes && !over_budget_at) {
        over_budget_at.emplace("", m);
        over_budget_values = values;
      }
      return;
    }
    Frame& f = stack.back();
    if (f.map && f.expect_key) {
      f.expect_key = false;
      f.key = scalar ? *scalar : std::string();
      f.key_mark = m;
      return;
    }
    f.expect_key = true;
    f.values = add(f.values, values);
    if (stack.size() == 1 && f.map && f.values > kMaxScenarioNodes && !over_budget_at) {
      over_budget_at.emplace(f.key, f.key_mark);
      over_budget_values = values;
    }
  }
  void open(bool map, YAML::anchor_t anchor, const YAML::Mark& m) {
    if (!in_first) return;
    Frame f;
    f.map = map;
    f.anchor = anchor;
    f.start = m;
    stack.push_back(std::move(f));
  }
  void close() {
    if (!in_first || stack.empty()) return;
    const Frame f = std::move(stack.back());
    stack.pop_back();
    complete(f.values, f.anchor, nullptr, f.start);
  }

  void OnDocumentStart(const YAML::Mark&) override { first_node = true; }
  void OnDocumentEnd() override {
    first_node = false;
    in_first = false;
  }
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override {
    node(m);
    complete(1, a, nullptr, m);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override {
    node(m);
    const auto it = anchor_values.find(a);
    if (it == anchor_values.end()) self_alias = in_first || self_alias;  // its anchor is still open
    complete(it == anchor_values.end() ? 1 : it->second, 0, nullptr, m);
  }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t a, const std::string& value) override {
    node(m);
    complete(1, a, &value, m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a, YAML::EmitterStyle::value) override {
    node(m);
    open(false, a, m);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a, YAML::EmitterStyle::value) override {
    node(m);
    open(true, a, m);
  }
  void OnMapEnd() override { close(); }
};

// The number of documents in `text` (at most `cap`), or the mark where yaml-cpp got stuck; `scan` receives the
// first document's expansion. Throws YAML::Exception.
std::size_t count_documents(const std::string& text, std::size_t cap, std::optional<YAML::Mark>& stuck_at,
                            DocumentScan& starts) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  std::size_t docs = 0;
  while (docs < cap && parser.HandleNextDocument(starts)) {
    if (starts.stuck) {
      stuck_at = starts.starts.back();
      return docs;
    }
    ++docs;
  }
  return docs;
}

}  // namespace

std::optional<Node> parse_yaml(const std::string& text, const std::string& origin, Diagnostics& out) {
  Source src{origin, split_lines(text)};
  if (!check_text(text, src.lines, origin, out)) return std::nullopt;
  constexpr std::size_t kMaxDocuments = 64;  // enough to say how many a file has; bounds the reading
  std::size_t n_docs = 0;
  YAML::Node first;
  try {
    std::optional<YAML::Mark> stuck_at;
    DocumentScan scan;
    n_docs = count_documents(text, kMaxDocuments, stuck_at, scan);
    if (stuck_at) {
      const auto line = static_cast<std::size_t>(std::max(stuck_at->line, 0));
      const auto column = static_cast<std::size_t>(std::max(stuck_at->column, 0));
      const std::string what = line < src.lines.size() && column < src.lines[line].size()
                                   ? fmt::format("'{}'", src.lines[line][column]) : std::string("text");
      out.push_back({Location{origin, stuck_at->line + 1, stuck_at->column + 1}, "",
                     fmt::format("YAML syntax error: unexpected {} here (a ',' belongs inside [ ] or {{ }})", what)});
      return std::nullopt;
    }
    if (n_docs == 1 && scan.over_budget_at) {
      const auto& [key, mark] = *scan.over_budget_at;
      const std::string size = scan.over_budget_values >= DocumentScan::kSaturated
                                   ? fmt::format("more than {}", DocumentScan::kSaturated)
                                   : fmt::format("{}", scan.over_budget_values);
      out.push_back({at(mark, origin, Location{origin, 1, 1}), key,
                     fmt::format("{} expands to {} values, which takes the document past the {} values a scenario "
                                 "may have (YAML aliases repeating large parts?)",
                                 key.empty() ? "the document" : "this value", size, kMaxScenarioNodes)});
      return std::nullopt;
    }
    if (n_docs == 1) first = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // The parser fails where an unclosed quote finally stops making sense, often lines later: name the quote.
    if (const auto q = e.mark.line >= 0 ? first_unclosed_quote(src.lines, static_cast<std::size_t>(e.mark.line)) : std::nullopt) {
      out.push_back({Location{origin, static_cast<int>(q->line) + 1, static_cast<int>(q->column) + 1}, q->key,
                     unclosed_quote_message(q->quote, fmt::format("; the YAML parser then failed at {}:{}: {})",
                                                                  e.mark.line + 1, e.mark.column + 1, e.msg))});
      return std::nullopt;
    }
    out.push_back({Location{origin, e.mark.line + 1, e.mark.column + 1}, "", fmt::format("YAML syntax error: {}", e.msg)});
    return std::nullopt;
  }
  if (n_docs > 1) {
    // The separator of the second document: the first "---" line, or the second if nothing but comments precedes
    // the first (that one opens the first document).
    std::vector<std::size_t> seps;
    bool content_before_first = false;
    for (std::size_t i = 0; i < src.lines.size(); ++i) {
      const std::string_view l = src.lines[i];
      if (l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t')) {
        seps.push_back(i);
      } else if (seps.empty()) {
        const std::size_t first = l.find_first_not_of(" \t");
        content_before_first = content_before_first || (first != std::string_view::npos && l[first] != '#');
      }
    }
    const std::size_t k = content_before_first ? 0 : 1;
    const int sep = k < seps.size() ? static_cast<int>(seps[k]) : 0;
    out.push_back({Location{origin, sep + 1, 1}, "",
                   fmt::format("a second YAML document starts here ('---'); a scenario is one document ({}{} found)",
                               n_docs == kMaxDocuments ? "at least " : "", n_docs)});
    return std::nullopt;
  }
  const std::size_t before = out.size();
  Node n = convert(first, src, Location{origin, 1, 1}, PathFrame{}, out);
  if (out.size() != before) return std::nullopt;
  return n;
}

std::string resolve_relative(const std::string& text, const Location& where) {
  const fs::path p(text);
  if (p.is_absolute() || where.file.empty() || where.file.rfind("--set", 0) == 0) return p.lexically_normal().string();
  return (fs::path(where.file).parent_path() / p).lexically_normal().string();
}

std::optional<Node> load_tree(const std::string& path, Diagnostics& out) {
  std::vector<fs::path> stack;
  return load_one(path, stack, Location{}, out);
}

void merge_into(Node& base, const Node& over) {
  if (!(base.is_map() && over.is_map())) {
    base = over;
    return;
  }
  for (const auto& e : over.map) {
    auto it = std::find_if(base.map.begin(), base.map.end(), [&](const Entry& b) { return b.key == e.key; });
    if (it == base.map.end()) {
      base.map.push_back(e);
    } else {
      it->key_where = e.key_where;
      merge_into(it->value, e.value);
    }
  }
  base.where = over.where;
}

std::optional<std::vector<PathStep>> parse_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return std::nullopt;
      std::size_t idx = 0;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (path[k] < '0' || path[k] > '9') return std::nullopt;
        idx = idx * 10 + static_cast<std::size_t>(path[k] - '0');
      }
      steps.push_back({"", idx});
      i = close + 1;
      if (i < path.size() && path[i] == '.') {
        ++i;
        if (i == path.size()) return std::nullopt;
      }
    } else {
      std::size_t end = i;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      if (end == i) return std::nullopt;
      steps.push_back({std::string(path.substr(i, end - i)), std::nullopt});
      i = end;
      if (i < path.size() && path[i] == '.') {
        ++i;
        if (i == path.size()) return std::nullopt;
      }
    }
  }
  if (steps.empty() || steps.front().index) return std::nullopt;
  return steps;
}

std::string schema_form(std::string_view path) {
  std::string s;
  bool in_index = false;
  for (char c : path) {
    if (c == '[') {
      in_index = true;
      s += "[]";
    } else if (c == ']') {
      in_index = false;
    } else if (!in_index) {
      s += c;
    }
  }
  return s;
}

const Node* find_path(const Node& root, std::string_view path, const Node** nearest) {
  const auto steps = parse_path(path);
  const Node* n = &root;
  if (nearest) *nearest = n;
  if (!steps) return nullptr;
  for (const auto& st : *steps) {
    const Node* next = nullptr;
    if (st.index) {
      if (n->is_seq() && *st.index < n->seq.size()) next = &n->seq[*st.index];
    } else if (n->is_map()) {
      next = n->find(st.key);
    }
    if (!next) return nullptr;
    n = next;
    if (nearest) *nearest = n;
  }
  return n;
}

std::optional<std::string> set_path(Node& root, std::string_view path, const Node& value, const Location& key_where) {
  const auto steps = parse_path(path);
  if (!steps) return fmt::format("'{}' is not a key path (expected e.g. duration, demo.lps or feeds[0].oracles)", path);
  Node* n = &root;
  std::string so_far;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const auto& st = (*steps)[i];
    const bool last = i + 1 == steps->size();
    if (st.index) {
      if (!n->is_seq() || *st.index >= n->seq.size())
        return fmt::format("'{}' has {} item(s); there is no item [{}]", so_far, n->is_seq() ? n->seq.size() : 0,
                           *st.index);
      n = &n->seq[*st.index];
      so_far += fmt::format("[{}]", *st.index);
      if (last) *n = value;
      continue;
    }
    if (!so_far.empty()) so_far += '.';
    so_far += st.key;
    if (n->is_null()) n->kind = Node::Kind::Map;
    if (!n->is_map()) return fmt::format("cannot set '{}': its parent is {}, not a map", so_far, n->kind_name());
    Node* child = n->find(st.key);
    if (!child) {
      n->map.push_back(Entry{st.key, key_where, Node{}});
      child = &n->map.back().value;
      child->where = key_where;
    } else if (last) {
      for (auto& e : n->map)
        if (e.key == st.key) e.key_where = key_where;
    }
    n = child;
    if (last) *n = value;
  }
  return std::nullopt;
}

}  // namespace models::scenario
