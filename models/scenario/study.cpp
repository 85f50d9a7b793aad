#include "models/scenario/study.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/core.h>

#include "models/scenario/schema.hpp"
#include "models/scenario/tree.hpp"
#include "sim/hash.hpp"

namespace models::scenario {

namespace {

struct Axis {
  std::string path;
  Location key_where;
  std::vector<Node> values;
};

std::string flow_text(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null: return "null";
    case Node::Kind::Scalar: return n.scalar;
    case Node::Kind::Seq: {
      std::string s = "[";
      for (std::size_t i = 0; i < n.seq.size(); ++i) s += (i ? ", " : "") + flow_text(n.seq[i]);
      return s + "]";
    }
    case Node::Kind::Map: {
      std::string s = "{";
      for (std::size_t i = 0; i < n.map.size(); ++i) s += (i ? ", " : "") + n.map[i].key + ": " + flow_text(n.map[i].value);
      return s + "}";
    }
  }
  return "";
}

// A --set that was applied: its key path and where to report it.
struct AppliedSet {
  std::string path;
  Location where;
};

// True when one key path is the other or contains it ("feeds" contains "feeds[0].oracles").
bool overlaps(const std::string& a, const std::string& b) {
  const auto within = [](const std::string& inner, const std::string& outer) {
    return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
           (inner[outer.size()] == '.' || inner[outer.size()] == '[');
  };
  return a == b || within(a, b) || within(b, a);
}

std::vector<AppliedSet> apply_sets(const Schema& schema, Node& tree, const std::vector<std::string>& sets, Diagnostics& out) {
  std::vector<AppliedSet> applied;
  for (const auto& arg : sets) {
    const std::string origin = "--set " + arg;
    const auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      out.push_back({Location{origin, 0, 0}, "", "expected key.path=value, e.g. --set demo.lps=16"});
      continue;
    }
    const std::string path = arg.substr(0, eq);
    if (path == "sweep" || path.rfind("sweep.", 0) == 0) {
      if (path != "sweep.replications") {
        out.push_back({Location{origin, 0, 0}, path,
                       "only sweep.replications can be set from the command line; sweep axes (sweep.grid, sweep.zip) "
                       "are written in the scenario file"});
        continue;
      }
    } else if (!parse_path(path) || !schema.is_settable(path)) {
      const std::string hint = schema.suggest(path);
      out.push_back({Location{origin, 0, 0}, path,
                     fmt::format("unknown key path '{}'{}", path, hint.empty() ? "" : " (" + hint + ")")});
      continue;
    }
    auto value = parse_yaml(arg.substr(eq + 1), origin, out);
    if (!value) continue;
    // The value's location is the --set argument itself.
    auto relocate = [&](auto&& self, Node& n) -> void {
      n.where = Location{origin, 0, 0};
      for (auto& e : n.map) {
        e.key_where = n.where;
        self(self, e.value);
      }
      for (auto& s : n.seq) self(self, s);
    };
    relocate(relocate, *value);
    if (auto err = set_path(tree, path, *value, Location{origin, 0, 0})) out.push_back({Location{origin, 0, 0}, path, *err});
    else applied.push_back({path, Location{origin, 0, 0}});
  }
  return applied;
}

// Reads sweep.grid / sweep.zip / sweep.replications.
void read_sweep(const Schema& schema, const Node& sweep, std::vector<Axis>& grid, std::vector<Axis>& zip,
                std::uint64_t& replications, Diagnostics& out) {
  if (!sweep.is_map() || sweep.map.empty()) {
    out.push_back({sweep.where, "sweep", "empty sweep: give grid:, zip: and/or replications:"});
    return;
  }
  std::set<std::string> seen;
  auto read_axes = [&](const Entry& block, std::vector<Axis>& axes) {
    const std::string bpath = "sweep." + block.key;
    if (!block.value.is_map() || block.value.map.empty()) {
      out.push_back({block.value.where, bpath, fmt::format("expected a map of key.path: [values], got {}",
                                                           block.value.is_map() ? "an empty map" : block.value.kind_name())});
      return;
    }
    for (const Entry& e : block.value.map) {
      const std::string p = bpath + "." + e.key;
      if (!parse_path(e.key) || !schema.is_settable(e.key)) {
        const std::string hint = schema.suggest(e.key);
        out.push_back({e.key_where, p, fmt::format("unknown key path '{}'{}", e.key, hint.empty() ? "" : " (" + hint + ")")});
        continue;
      }
      if (!seen.insert(e.key).second) {
        out.push_back({e.key_where, p, fmt::format("'{}' is swept twice", e.key)});
        continue;
      }
      if (!e.value.is_seq() || e.value.seq.empty()) {
        out.push_back({e.value.where, p, fmt::format("expected a non-empty list of values, got {}",
                                                     e.value.is_seq() ? "an empty list" : e.value.kind_name())});
        continue;
      }
      axes.push_back({e.key, e.key_where, e.value.seq});
    }
  };
  for (const Entry& e : sweep.map) {
    if (e.key == "grid") {
      read_axes(e, grid);
    } else if (e.key == "zip") {
      read_axes(e, zip);
      for (const auto& a : zip)
        if (a.values.size() != zip.front().values.size())
          out.push_back({a.key_where, "sweep.zip." + a.path,
                         fmt::format("zip lists must have equal lengths: '{}' has {}, '{}' has {}", a.path,
                                     a.values.size(), zip.front().path, zip.front().values.size())});
    } else if (e.key == "replications") {
      KeySpec spec = KeySpec::integer().at_least(1).at_most(1'000'000);
      if (auto r = detail::decode_unsigned(spec, e.value, UINT64_MAX, "sweep.replications", out)) replications = *r;
    } else {
      const std::string hint = did_you_mean(e.key, {"grid", "zip", "replications"});
      out.push_back({e.key_where, "sweep." + e.key,
                     fmt::format("unknown key '{}' ({})", e.key, hint.empty() ? "valid keys here: grid, zip, replications" : hint)});
    }
  }
}

// Command-line problems first, then by file, line and column.
Diagnostics sorted(Diagnostics d) {
  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) {
    auto key = [](const Diagnostic& x) {
      return std::make_tuple(x.where.file.rfind("--set", 0) != 0, x.where.file, x.where.line, x.where.column);
    };
    return key(a) < key(b);
  });
  return d;
}

std::string target_label(const faults::TargetSpec& t) {
  std::string globs;
  for (const auto& p : t.patterns) globs += (globs.empty() ? "" : ", ") + p;
  return t.any > 0 && !globs.empty() ? fmt::format("any {} of {}", t.any, globs) : globs;
}

std::vector<FaultWindow> fault_windows_of(const ScenarioConfig& c) {
  std::vector<FaultWindow> out;
  for (const auto& f : c.faults) {
    FaultWindow w;
    w.kind = f.kind;
    w.target = target_label(f.target);
    w.at_s = f.at.seconds();
    if (f.duration) w.duration_s = f.duration->seconds();
    out.push_back(std::move(w));
  }
  return out;
}

std::string hash_hex(const std::string& text) {
  const std::uint64_t a = sim::fnv1a64(text);
  const std::uint64_t b = sim::fnv1a64(text + "\x01oraclesim");
  return fmt::format("{:016x}{:016x}", a, b);
}

Study study_of(const Schema& schema, Node&& tree_in, const std::string& file, const std::vector<std::string>& sets);

}  // namespace

Study load_study(const Schema& schema, const std::string& file, const std::vector<std::string>& sets) {
  Diagnostics diag;
  auto tree = load_tree(file, diag);
  if (!tree) throw ScenarioError(diag);
  return study_of(schema, std::move(*tree), file, sets);
}

Study load_study_text(const Schema& schema, const std::string& text, const std::string& origin) {
  Diagnostics diag;
  auto tree = parse_yaml(text, origin, diag);
  if (!tree || !diag.empty()) throw ScenarioError(diag);
  if (tree->find("extends"))
    throw ScenarioError({{tree->find_entry("extends")->key_where, "extends", "a scenario given as text cannot extend a file"}});
  return study_of(schema, std::move(*tree), origin, {});
}

namespace {

Study study_of(const Schema& schema, Node&& tree_in, const std::string& file, const std::vector<std::string>& sets) {
  Diagnostics diag;
  std::optional<Node> tree(std::move(tree_in));
  const std::vector<AppliedSet> applied = apply_sets(schema, *tree, sets, diag);  // reported with everything else

  Study st;
  st.file = file;
  schema.decode(*tree, &st.base, diag);

  std::vector<Axis> grid, zip;
  if (const Node* sw = tree->find("sweep")) {
    st.has_sweep = true;
    read_sweep(schema, *sw, grid, zip, st.replications, diag);
  }
  // A --set on a swept key would be overridden at every point without a word.
  for (const AppliedSet& s : applied)
    for (const auto* axes : {&grid, &zip})
      for (const Axis& a : *axes)
        if (overlaps(s.path, a.path))
          diag.push_back({s.where, s.path, fmt::format("'{}' is also swept (sweep.{}.{} at {}): the sweep would override "
                                                       "this --set at every point; drop one of them", s.path,
                                                       axes == &grid ? "grid" : "zip", a.path, a.key_where.to_string())});
  if (!diag.empty()) throw ScenarioError(sorted(std::move(diag)));

  for (const auto& a : grid) st.swept_keys.push_back(a.path);
  for (const auto& a : zip) st.swept_keys.push_back(a.path);
  // Each swept key's spec gives its unit and the numeric value of every value written.
  std::vector<std::optional<KeySpec>> specs;
  for (const auto& key : st.swept_keys) {
    const auto found = schema.find(key);
    specs.push_back(found.size() == 1 ? std::optional<KeySpec>(found[0].spec) : std::nullopt);
    st.sweep_units.push_back(specs.back() ? specs.back()->base_unit() : "");
    st.sweep_column_units.push_back(specs.back() ? specs.back()->column_unit() : "");
  }
  const auto number_of = [&](std::size_t k, const std::string& text) -> std::optional<double> {
    return specs[k] ? specs[k]->numeric_value(text) : std::nullopt;
  };
  std::size_t n_grid = 1;
  for (const auto& a : grid) n_grid *= a.values.size();
  const std::size_t n_zip = zip.empty() ? 1 : zip.front().values.size();
  if (n_grid * n_zip > 1'000'000) throw ScenarioError({{tree->find_entry("sweep")->key_where, "sweep", "more than 1000000 points"}});

  std::set<std::string> seen;
  std::string hash_text = fmt::format("replication_seeds_of:{}\n", st.base.seed);
  for (std::size_t g = 0; g < n_grid; ++g) {
    for (std::size_t z = 0; z < n_zip; ++z) {
      Node t = *tree;
      SweepPoint pt;
      std::size_t rest = g;
      std::vector<const Node*> chosen(grid.size());
      for (std::size_t i = grid.size(); i-- > 0;) {
        chosen[i] = &grid[i].values[rest % grid[i].values.size()];
        rest /= grid[i].values.size();
      }
      Diagnostics pd;
      for (std::size_t i = 0; i < grid.size(); ++i) {
        pt.values.push_back(flow_text(*chosen[i]));
        pt.numbers.push_back(number_of(i, pt.values.back()));
        if (auto err = set_path(t, grid[i].path, *chosen[i], grid[i].key_where)) pd.push_back({grid[i].key_where, grid[i].path, *err});
      }
      for (const auto& a : zip) {
        pt.values.push_back(flow_text(a.values[z]));
        pt.numbers.push_back(number_of(pt.values.size() - 1, pt.values.back()));
        if (auto err = set_path(t, a.path, a.values[z], a.key_where)) pd.push_back({a.key_where, a.path, *err});
      }
      if (pd.empty()) schema.decode(t, &pt.config, pd);
      for (auto& d : pd)
        if (seen.insert(d.to_string()).second) diag.push_back(std::move(d));
      hash_text += fmt::format("point {}\n", st.points.size());
      for (const auto& [k, v] : schema.resolved(&pt.config)) hash_text += k + "=" + v + "\n";
      st.points.push_back(std::move(pt));
    }
  }
  if (!diag.empty()) throw ScenarioError(sorted(std::move(diag)));
  st.resolved = schema.resolved(&st.base);
  st.fault_windows = fault_windows_of(st.base);
  st.hash = hash_hex(hash_text);
  if (st.has_sweep) {
    auto axes_json = [](const std::vector<Axis>& axes) {
      std::string j = "{";
      for (std::size_t i = 0; i < axes.size(); ++i) {
        if (i) j += ',';
        j += detail::json_string(axes[i].path);
        j += ":[";
        for (std::size_t k = 0; k < axes[i].values.size(); ++k) {
          if (k) j += ',';
          j += detail::json_string(flow_text(axes[i].values[k]));
        }
        j += "]";
      }
      return j + "}";
    };
    st.sweep_json = fmt::format("{{\"grid\":{},\"zip\":{},\"replications\":{}}}", axes_json(grid), axes_json(zip),
                                st.replications);
  }
  return st;
}

}  // namespace

Study single_run(const Study& s) {
  Study r;
  r.file = s.file;
  r.base = s.base;
  r.resolved = s.resolved;
  r.fault_windows = s.fault_windows;
  r.points.push_back(SweepPoint{{}, {}, s.base});
  r.replications = 1;
  std::string text = fmt::format("single run of seed {}\n", s.base.seed);
  for (const auto& [k, v] : s.resolved) text += k + "=" + v + "\n";
  r.hash = hash_hex(text);
  return r;
}

}  // namespace models::scenario
