#include "models/scenario/schema.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "models/scenario/units.hpp"

namespace models::scenario {

// ---- KeySpec ----------------------------------------------------------------------------------------------

KeySpec KeySpec::boolean() { KeySpec s; s.type = ValueType::Boolean; s.unit = "-"; return s; }
KeySpec KeySpec::integer() { KeySpec s; s.type = ValueType::Integer; s.unit = "-"; return s; }
KeySpec KeySpec::number() { KeySpec s; s.type = ValueType::Number; s.unit = "-"; return s; }
KeySpec KeySpec::fraction() { KeySpec s; s.type = ValueType::Fraction; s.unit = std::string(kFractionUnits); return s; }
KeySpec KeySpec::duration() { KeySpec s; s.type = ValueType::Duration; s.unit = std::string(kDurationUnits); return s; }
KeySpec KeySpec::gas_price() { KeySpec s; s.type = ValueType::GasPrice; s.unit = std::string(kGasPriceUnits); return s; }
KeySpec KeySpec::token_amount(std::string token) {
  KeySpec s;
  s.type = ValueType::TokenAmount;
  s.unit = token == "ETH" ? "ETH, gwei, wei" : "LINK, juels";
  s.token = std::move(token);
  return s;
}
KeySpec KeySpec::text() { KeySpec s; s.type = ValueType::Text; s.unit = "-"; return s; }
KeySpec KeySpec::choice(std::vector<std::string> values) {
  KeySpec s;
  s.type = ValueType::Choice;
  s.unit = "-";
  s.choices = std::move(values);
  return s;
}
KeySpec KeySpec::text_list(std::vector<std::string> allowed) {
  KeySpec s;
  s.type = ValueType::TextList;
  s.unit = "-";
  s.choices = std::move(allowed);
  return s;
}

std::string KeySpec::type_name() const {
  switch (type) {
    case ValueType::Boolean: return "boolean";
    case ValueType::Integer: return "integer";
    case ValueType::Number: return "number";
    case ValueType::Fraction: return "percentage";
    case ValueType::Duration: return "duration";
    case ValueType::GasPrice: return "gas price";
    case ValueType::TokenAmount: return token + " amount";
    case ValueType::Text: return "text";
    case ValueType::Choice: return "choice";
    case ValueType::TextList: return "list of text";
  }
  return "?";
}

std::string KeySpec::base_unit() const {
  switch (type) {
    case ValueType::Duration: return "s";
    case ValueType::Fraction: return "fraction";
    case ValueType::GasPrice: return "wei";
    case ValueType::TokenAmount: return token == "ETH" ? "wei" : "juels";
    case ValueType::Integer:
    case ValueType::Number: return unit == "-" ? "" : unit;
    default: return "";
  }
}

std::string KeySpec::column_unit() const {
  switch (type) {
    case ValueType::Duration: return "s";
    case ValueType::Fraction: return "pct";
    case ValueType::GasPrice: return "gwei";
    case ValueType::TokenAmount: return token == "ETH" ? "eth" : "link";
    default: return "";
  }
}

std::optional<double> KeySpec::numeric_value(const std::string& text) const {
  switch (type) {
    case ValueType::Duration:
      if (auto p = parse_duration(text); p.ok()) return p.value().seconds();
      return std::nullopt;
    case ValueType::Fraction:
      if (auto p = parse_fraction(text); p.ok()) return p.value();
      return std::nullopt;
    case ValueType::GasPrice:
      if (auto p = parse_gas_price(text); p.ok()) return static_cast<double>(p.value());
      return std::nullopt;
    case ValueType::TokenAmount:
      if (auto p = parse_token_amount(text, token); p.ok()) return static_cast<double>(p.value());
      return std::nullopt;
    case ValueType::Integer:
    case ValueType::Number:
      if (auto p = parse_number(text); p.ok()) return p.value();
      return std::nullopt;
    default: return std::nullopt;
  }
}

namespace {

std::string bound_text(const KeySpec& s, double v) {
  switch (s.type) {
    case ValueType::Duration: return format_duration(sim::Duration::from_seconds(v));
    case ValueType::Fraction: return format_fraction(v);
    case ValueType::GasPrice: return format_gas_price(static_cast<std::uint64_t>(v));
    case ValueType::TokenAmount: return format_token_amount(static_cast<std::uint64_t>(v), s.token);
    default: return fmt::format("{:.15g}", v);
  }
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

}  // namespace

std::string KeySpec::range_text() const {
  if (!choices.empty()) return (type == ValueType::TextList ? "each one of: " : "one of: ") + join(choices, ", ");
  if (lo && hi) {
    if (!lo_open && !hi_open) return fmt::format("{} .. {}", bound_text(*this, *lo), bound_text(*this, *hi));
    return fmt::format("{} {}, {} {}", lo_open ? ">" : ">=", bound_text(*this, *lo), hi_open ? "<" : "<=",
                       bound_text(*this, *hi));
  }
  if (lo) return fmt::format("{} {}", lo_open ? ">" : ">=", bound_text(*this, *lo));
  if (hi) return fmt::format("{} {}", hi_open ? "<" : "<=", bound_text(*this, *hi));
  return "";
}

// ---- decoding one value ------------------------------------------------------------------------------------

namespace detail {

namespace {

bool need_scalar(const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  if (v.is_scalar()) return true;
  out.push_back({v.where, path, fmt::format("expected {}{}, got {}", s.type_name() == "integer" ? "an " : "a ",
                                            s.type_name(), v.kind_name())});
  return false;
}

// Range check on the value in base units; `shown` is the value as written.
bool in_range(const KeySpec& s, double x, const Node& v, const std::string& path, Diagnostics& out) {
  const bool low = s.lo && (s.lo_open ? !(x > *s.lo) : !(x >= *s.lo));
  const bool high = s.hi && (s.hi_open ? !(x < *s.hi) : !(x <= *s.hi));
  if (!low && !high) return true;
  out.push_back({v.where, path, fmt::format("out of range: must be {} (got {})", s.range_text(), v.scalar)});
  return false;
}

}  // namespace

void check_type(const std::string& name, const KeySpec& s, bool ok) {
  if (!ok) throw std::logic_error(fmt::format("schema: key '{}' declared as {} does not fit its field type", name, s.type_name()));
}

void unknown_choice(const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  const std::string hint = v.is_scalar() ? did_you_mean(v.scalar, s.choices) : "";
  out.push_back({v.where, path, fmt::format("expected one of: {}; got {}{}", join(s.choices, ", "), v.kind_name(),
                                            hint.empty() ? "" : " (" + hint + ")")});
}

void decode(bool& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  if (!need_scalar(s, v, path, out)) return;
  if (v.scalar == "true") target = true;
  else if (v.scalar == "false") target = false;
  else out.push_back({v.where, path, fmt::format("expected true or false, got '{}'", v.scalar)});
}

void decode(double& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  if (!need_scalar(s, v, path, out)) return;
  const Parsed<double> p = s.type == ValueType::Fraction ? parse_fraction(v.scalar) : parse_number(v.scalar);
  if (!p.ok()) {
    out.push_back({v.where, path, p.error()});
    return;
  }
  if (in_range(s, p.value(), v, path, out)) target = p.value();
}

void decode(sim::Duration& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  if (!need_scalar(s, v, path, out)) return;
  const auto p = parse_duration(v.scalar);
  if (!p.ok()) {
    out.push_back({v.where, path, p.error()});
    return;
  }
  if (in_range(s, p.value().seconds(), v, path, out)) target = p.value();
}

void decode(std::string& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  if (!need_scalar(s, v, path, out)) return;
  if (!s.choices.empty() && std::find(s.choices.begin(), s.choices.end(), v.scalar) == s.choices.end()) {
    unknown_choice(s, v, path, out);
    return;
  }
  target = v.scalar;
}

void decode(std::vector<std::string>& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out) {
  if (v.is_null()) {
    target.clear();
    return;
  }
  if (!v.is_seq()) {
    out.push_back({v.where, path, fmt::format("expected a list, e.g. [a, b]; got {}", v.kind_name())});
    return;
  }
  std::vector<std::string> r;
  bool ok = true;
  for (std::size_t i = 0; i < v.seq.size(); ++i) {
    const Node& item = v.seq[i];
    const std::string p = fmt::format("{}[{}]", path, i);
    if (!item.is_scalar()) {
      out.push_back({item.where, p, fmt::format("expected text, got {}", item.kind_name())});
      ok = false;
    } else if (!s.choices.empty() && std::find(s.choices.begin(), s.choices.end(), item.scalar) == s.choices.end()) {
      unknown_choice(s, item, p, out);
      ok = false;
    } else {
      r.push_back(item.scalar);
    }
  }
  if (ok) target = std::move(r);
}

std::optional<std::int64_t> decode_signed(const KeySpec& s, const Node& v, std::int64_t type_lo, std::int64_t type_hi,
                                          const std::string& path, Diagnostics& out) {
  if (!need_scalar(s, v, path, out)) return std::nullopt;
  const auto p = parse_int(v.scalar);
  if (!p.ok()) {
    out.push_back({v.where, path, p.error()});
    return std::nullopt;
  }
  if (p.value() < type_lo || p.value() > type_hi) {
    out.push_back({v.where, path, fmt::format("out of range: must be {} .. {} (got {})", type_lo, type_hi, v.scalar)});
    return std::nullopt;
  }
  if (!in_range(s, static_cast<double>(p.value()), v, path, out)) return std::nullopt;
  return p.value();
}

std::optional<std::uint64_t> decode_unsigned(const KeySpec& s, const Node& v, std::uint64_t type_hi,
                                             const std::string& path, Diagnostics& out) {
  if (!need_scalar(s, v, path, out)) return std::nullopt;
  Parsed<std::uint64_t> p = s.type == ValueType::GasPrice      ? parse_gas_price(v.scalar)
                            : s.type == ValueType::TokenAmount ? parse_token_amount(v.scalar, s.token)
                                                               : parse_uint(v.scalar);
  if (!p.ok()) {
    out.push_back({v.where, path, p.error()});
    return std::nullopt;
  }
  if (p.value() > type_hi) {
    out.push_back({v.where, path, fmt::format("out of range: must be at most {} (got {})", type_hi, v.scalar)});
    return std::nullopt;
  }
  if (!in_range(s, static_cast<double>(p.value()), v, path, out)) return std::nullopt;
  return p.value();
}

// ---- printing values ---------------------------------------------------------------------------------------

std::string json_string(const std::string& s) {
  std::string r = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      case '\t': r += "\\t"; break;
      case '\r': r += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) r += fmt::format("\\u{:04x}", static_cast<int>(c));
        else r += c;
    }
  }
  return r + "\"";
}

std::string text_of(bool v, const KeySpec&) { return v ? "true" : "false"; }
std::string text_of(double v, const KeySpec& s) { return s.type == ValueType::Fraction ? format_fraction(v) : format_number(v); }
std::string text_of(sim::Duration v, const KeySpec&) { return format_duration(v); }
std::string text_of(const std::string& v, const KeySpec&) { return v.empty() ? "\"\"" : v; }
std::string text_of(const std::vector<std::string>& v, const KeySpec&) { return "[" + join(v, ", ") + "]"; }
std::string text_of_integer(std::int64_t v, bool is_unsigned, std::uint64_t u, const KeySpec& s) {
  if (s.type == ValueType::GasPrice) return format_gas_price(u);
  if (s.type == ValueType::TokenAmount) return format_token_amount(u, s.token);
  return is_unsigned ? fmt::format("{}", u) : fmt::format("{}", v);
}

std::string json_of(bool v, const KeySpec&) { return v ? "true" : "false"; }
std::string json_of(double v, const KeySpec& s) {
  return s.type == ValueType::Fraction ? json_string(format_fraction(v)) : format_number(v);
}
std::string json_of(sim::Duration v, const KeySpec&) { return json_string(format_duration(v)); }
std::string json_of(const std::string& v, const KeySpec&) { return json_string(v); }
std::string json_of(const std::vector<std::string>& v, const KeySpec&) {
  std::string r = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) r += ',';
    r += json_string(v[i]);
  }
  return r + "]";
}
std::string json_of_integer(std::int64_t v, bool is_unsigned, std::uint64_t u, const KeySpec& s) {
  if (s.type == ValueType::GasPrice || s.type == ValueType::TokenAmount) return json_string(text_of_integer(v, is_unsigned, u, s));
  return is_unsigned ? fmt::format("{}", u) : fmt::format("{}", v);
}

}  // namespace detail

// ---- suggestions -------------------------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best.empty() ? "" : fmt::format("did you mean '{}'?", best);
}

// ---- decoding a tree ---------------------------------------------------------------------------------------

namespace {

std::string join_path(const std::string& prefix, const std::string& key) { return prefix.empty() ? key : prefix + "." + key; }

std::vector<std::string> names_in(const BlockDef& b) {
  std::vector<std::string> names;
  for (const auto& f : b.fields) names.push_back(f.name);
  for (const auto& c : b.blocks) names.push_back(c->name);
  for (const auto& r : b.reserved) {
    const std::string top = r.first.substr(0, r.first.find('.'));
    if (std::find(names.begin(), names.end(), top) == names.end()) names.push_back(top);
  }
  return names;
}

void decode_block(const BlockDef& b, void* obj, const Node& n, const std::string& path, Diagnostics& out);

void decode_child(const BlockDef& c, void* parent, const Node& v, const std::string& path, Diagnostics& out) {
  if (!c.list) {
    decode_block(c, c.get(parent), v, path, out);
    return;
  }
  if (v.is_null()) {
    c.clear(parent);
    return;
  }
  if (!v.is_seq()) {
    out.push_back({v.where, path, fmt::format("expected a list of maps (- key: value), got {}", v.kind_name())});
    return;
  }
  c.clear(parent);
  for (std::size_t i = 0; i < v.seq.size(); ++i) decode_block(c, c.element(parent, i), v.seq[i], fmt::format("{}[{}]", path, i), out);
}

void decode_block(const BlockDef& b, void* obj, const Node& n, const std::string& path, Diagnostics& out) {
  if (b.custom) {
    b.custom(obj, n, path, out);
    return;
  }
  if (n.is_null()) return;
  if (!n.is_map()) {
    out.push_back({n.where, path, fmt::format("expected a map of keys, got {}", n.kind_name())});
    return;
  }
  for (const Entry& e : n.map) {
    const std::string p = join_path(path, e.key);
    if (auto f = std::find_if(b.fields.begin(), b.fields.end(), [&](const FieldDef& x) { return x.name == e.key; });
        f != b.fields.end()) {
      f->decode(obj, e.value, p, out);
    } else if (auto c = std::find_if(b.blocks.begin(), b.blocks.end(), [&](const auto& x) { return x->name == e.key; });
               c != b.blocks.end()) {
      decode_child(**c, obj, e.value, p, out);
    } else if (auto r = std::find_if(b.removed.begin(), b.removed.end(), [&](const auto& x) { return x.first == e.key; });
               r != b.removed.end()) {
      out.push_back({e.key_where, p, fmt::format("'{}' was removed: {}", e.key, r->second)});
    } else if (std::any_of(b.reserved.begin(), b.reserved.end(),
                           [&](const auto& r) { return r.first.substr(0, r.first.find('.')) == e.key; })) {
      continue;
    } else if (b.other_keys) {
      b.other_keys(obj, e, p, out);
    } else {
      const auto names = names_in(b);
      const std::string hint = did_you_mean(e.key, names);
      out.push_back({e.key_where, p,
                     hint.empty() ? fmt::format("unknown key '{}'; valid keys here: {}", e.key, join(names, ", "))
                                  : fmt::format("unknown key '{}' ({})", e.key, hint)});
    }
  }
  for (const auto& f : b.fields)
    if (f.spec.is_required && !n.find(f.name))
      out.push_back({n.where, join_path(path, f.name), fmt::format("required key '{}' is missing", f.name)});
}

void validate_block(const BlockDef& b, const void* obj, const std::string& path, sim::ConfigIssues& out) {
  for (const auto& v : b.validators) v(obj, path, out);
  for (const auto& c : b.blocks) {
    const std::string p = join_path(path, c->name);
    if (!c->list) {
      validate_block(*c, c->get(const_cast<void*>(obj)), p, out);
    } else {
      for (std::size_t i = 0; i < c->size(obj); ++i)
        validate_block(*c, c->element(const_cast<void*>(obj), i), fmt::format("{}[{}]", p, i), out);
    }
  }
}

void collect_resolved(const BlockDef& b, const void* obj, const std::string& path,
                      std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& f : b.fields) out.emplace_back(join_path(path, f.name), f.json(obj));
  for (const auto& c : b.blocks) {
    const std::string p = join_path(path, c->name);
    if (!c->list) {
      collect_resolved(*c, c->get(const_cast<void*>(obj)), p, out);
    } else {
      for (std::size_t i = 0; i < c->size(obj); ++i)
        collect_resolved(*c, c->element(const_cast<void*>(obj), i), fmt::format("{}[{}]", p, i), out);
    }
  }
}

void collect_keys(const BlockDef& b, const std::string& path, std::vector<KeyInfo>& out) {
  for (const auto& f : b.fields) {
    std::string def = f.text(b.defaults.get());
    if (f.spec.is_required) def = "(required)";
    out.push_back({join_path(path, f.name), f.spec, def, b.doc});
  }
  for (std::size_t i = 0; i < b.reserved.size(); ++i) {
    const auto& [name, spec] = b.reserved[i];
    out.push_back({join_path(path, name), spec, spec.shown_default.empty() ? "(none)" : spec.shown_default, b.reserved_docs[i]});
  }
  for (const auto& c : b.blocks) collect_keys(*c, join_path(path, c->name) + (c->list ? "[]" : ""), out);
}

}  // namespace

void Schema::decode(const Node& tree, void* root_obj, Diagnostics& out) const {
  const std::size_t before = out.size();
  decode_block(*root_, root_obj, tree, "", out);
  if (out.size() != before) return;  // validators assume well-typed values
  sim::ConfigIssues issues;
  validate_block(*root_, root_obj, "", issues);
  locate_issues(issues, tree, out);
}

sim::ConfigIssues Schema::validate(const void* root_obj) const {
  sim::ConfigIssues issues;
  validate_block(*root_, root_obj, "", issues);
  return issues;
}

std::vector<std::pair<std::string, std::string>> Schema::resolved(const void* root_obj) const {
  std::vector<std::pair<std::string, std::string>> r;
  collect_resolved(*root_, root_obj, "", r);
  return r;
}

std::vector<KeyInfo> Schema::keys() const {
  std::vector<KeyInfo> r;
  collect_keys(*root_, "", r);
  return r;
}

std::vector<KeyInfo> Schema::find(const std::string& path) const {
  const std::string want = schema_form(path);
  std::vector<KeyInfo> r;
  for (auto& k : keys()) {
    if (k.path == want || k.path.rfind(want + ".", 0) == 0 || k.path.rfind(want + "[].", 0) == 0) r.push_back(k);
  }
  if (!r.empty()) return r;
  // "feeds.ocr" is understood as "feeds[].ocr": the path with its list markers left out.
  const auto bare = [](std::string p) {
    for (auto at = p.find("[]"); at != std::string::npos; at = p.find("[]")) p.erase(at, 2);
    return p;
  };
  const std::string want_bare = bare(want);
  for (auto& k : keys()) {
    const std::string b = bare(k.path);
    if (b == want_bare || b.rfind(want_bare + ".", 0) == 0) r.push_back(k);
  }
  return r;
}

std::string Schema::suggest(const std::string& path) const {
  std::vector<std::string> paths;
  for (const auto& k : keys()) paths.push_back(k.path);
  return did_you_mean(schema_form(path), paths);
}

bool Schema::is_settable(const std::string& path) const {
  const std::string want = schema_form(path);
  if (want == "extends" || want.rfind("sweep", 0) == 0) return false;
  for (const auto& k : keys()) {
    if (k.path == want) return true;
    // Inside a map-valued key (network.latency.a.b, faults[0].params.offset).
    if (k.spec.unit.rfind("map", 0) == 0 && want.size() > k.path.size() + 1 && want.rfind(k.path + ".", 0) == 0) return true;
  }
  return false;
}

void locate_issues(const sim::ConfigIssues& issues, const Node& tree, Diagnostics& out) {
  for (const auto& is : issues.items()) {
    const Node* nearest = nullptr;
    const Node* n = find_path(tree, is.path, &nearest);
    out.push_back({(n ? n : nearest)->where, is.path, is.message});
  }
}

}  // namespace models::scenario
