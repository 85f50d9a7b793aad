#include "models/scenario/tree.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

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

Node convert(const YAML::Node& y, const std::string& origin, const Location& fallback, Diagnostics& out) {
  Node n;
  n.where = at(y.Mark(), origin, fallback);
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      n.kind = Node::Kind::Null;
      break;
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::Scalar;
      n.scalar = y.Scalar();
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::Seq;
      for (const auto& item : y) n.seq.push_back(convert(item, origin, n.where, out));
      break;
    case YAML::NodeType::Map:
      n.kind = Node::Kind::Map;
      for (const auto& kv : y) {
        Entry e;
        e.key_where = at(kv.first.Mark(), origin, n.where);
        if (!kv.first.IsScalar()) {
          out.push_back({e.key_where, "", "keys must be plain names"});
          continue;
        }
        e.key = kv.first.Scalar();
        if (const Entry* prev = n.find_entry(e.key)) {
          out.push_back({e.key_where, e.key, fmt::format("duplicate key (first written at {})", prev->key_where.to_string())});
          continue;
        }
        e.value = convert(kv.second, origin, e.key_where, out);
        n.map.push_back(std::move(e));
      }
      break;
  }
  return n;
}

std::optional<Node> load_one(const std::string& path, std::vector<fs::path>& stack, const Location& included_from,
                             Diagnostics& out) {
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(fs::path(path), ec);
  for (const auto& p : stack) {
    if (p == canon) {
      out.push_back({included_from, "extends", fmt::format("extends cycle: '{}' includes itself", path)});
      return std::nullopt;
    }
  }
  std::ifstream in(path);
  if (!in || fs::is_directory(path, ec)) {
    out.push_back({included_from.known() ? included_from : Location{path, 0, 0}, included_from.known() ? "extends" : "",
                   fmt::format("cannot open scenario file '{}'", path)});
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
  const std::string base_path = (fs::path(path).parent_path() / ext->value.scalar).lexically_normal().string();
  stack.push_back(canon);
  auto base = load_one(base_path, stack, ext->value.where, out);
  stack.pop_back();
  if (!base) return std::nullopt;
  std::erase_if(tree->map, [](const Entry& e) { return e.key == "extends"; });
  merge_into(*base, *tree);
  return base;
}

}  // namespace

std::optional<Node> parse_yaml(const std::string& text, const std::string& origin, Diagnostics& out) {
  YAML::Node y;
  try {
    y = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    out.push_back({Location{origin, e.mark.line + 1, e.mark.column + 1}, "", fmt::format("YAML syntax error: {}", e.msg)});
    return std::nullopt;
  }
  const std::size_t before = out.size();
  Node n = convert(y, origin, Location{origin, 1, 1}, out);
  if (out.size() != before) return std::nullopt;
  return n;
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
