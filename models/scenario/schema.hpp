#pragma once
// The declarative scenario schema. Each key is registered once, next to the config struct field it fills,
// with its type, unit, allowed range, a one-line doc and the fact or assumption its default comes from.
// The default itself is read from the default-constructed struct, so docs never disagree with the code.
// The schema drives decoding (type, unit and range errors; unknown keys with "did you mean"), validation
// hooks (the config structs' own validate functions), `oraclesim describe` and docs/scenarios.md.
//
//   Schema s;
//   auto root = s.root<ScenarioConfig>();
//   root.key("duration", &ScenarioConfig::duration,
//            KeySpec::duration().greater_than(0).doc("simulated time").from("assumption: one hour"));
//   auto demo = root.block("demo", &ScenarioConfig::demo, "PHOLD engine workload");
//   demo.key("lps", &DemoConfig::lps, KeySpec::integer().at_least(1).doc("logical processes").from("..."));
//   auto feeds = root.list("feeds", &ScenarioConfig::feeds, "data feeds");   // keys feeds[i].*
//   feeds.validate([](const FeedConfig& f, const std::string& path, sim::ConfigIssues& out) { ... });
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "models/scenario/diagnostic.hpp"
#include "models/scenario/tree.hpp"
#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace models::scenario {

enum class ValueType { Boolean, Integer, Number, Fraction, Duration, GasPrice, TokenAmount, Text, Choice, TextList };

// How one key is written and checked. Bounds are in the key's base unit: seconds for durations, a fraction
// (0.01 = 1%) for percentages, wei/juels for amounts, the number itself otherwise.
struct KeySpec {
  ValueType type = ValueType::Text;
  std::string unit;                   // shown in docs; filled by the factories, override with .in("gas units")
  std::string token;                  // TokenAmount: "LINK" or "ETH"
  std::vector<std::string> choices;   // Choice / TextList: allowed values (empty: any text)
  std::optional<double> lo, hi;       // allowed range
  bool lo_open = false, hi_open = false;
  bool is_required = false;
  std::string doc_text;               // one line: what the key means
  std::string source;                 // where the default comes from: "facts §6 ..." or "assumption: ..."
  std::string shown_default;          // reserved keys only: the default to document

  static KeySpec boolean();
  static KeySpec integer();
  static KeySpec number();
  static KeySpec fraction();
  static KeySpec duration();
  static KeySpec gas_price();
  static KeySpec token_amount(std::string token);  // "LINK" (-> juels) or "ETH" (-> wei)
  static KeySpec text();
  static KeySpec choice(std::vector<std::string> values);
  static KeySpec text_list(std::vector<std::string> allowed = {});

  KeySpec& at_least(double v) { lo = v; lo_open = false; return *this; }
  KeySpec& greater_than(double v) { lo = v; lo_open = true; return *this; }
  KeySpec& at_most(double v) { hi = v; hi_open = false; return *this; }
  KeySpec& less_than(double v) { hi = v; hi_open = true; return *this; }
  KeySpec& in(std::string u) { unit = std::move(u); return *this; }
  KeySpec& required() { is_required = true; return *this; }
  KeySpec& doc(std::string d) { doc_text = std::move(d); return *this; }
  KeySpec& from(std::string s) { source = std::move(s); return *this; }
  KeySpec& shows_default(std::string d) { shown_default = std::move(d); return *this; }

  std::string type_name() const;   // "duration", "integer", "percentage", ...
  // The unit a value of this key has as a number: "s" (durations), "fraction", "wei" (gas prices, ETH), "juels"
  // (LINK), the key's own unit for integers and numbers ("" when it has none); "" for text, choices and booleans.
  std::string base_unit() const;
  // The unit a swept value of this key is written in, in runs.csv and summary.csv (the column then is
  // "<key>_<unit>"): s for durations, gwei for gas prices, eth or link for token amounts, pct for fractions; "" to
  // write the value as it is (numbers, integers, text).
  std::string column_unit() const;
  // A value written as scenario text, as a number in base_unit(); nullopt for text, choices, booleans and text that
  // does not parse.
  std::optional<double> numeric_value(const std::string& text) const;
  std::string range_text() const;  // "> 0s", "1 .. 1000000", "one of: ocr, flux", "" when unconstrained
};

// One row of the reference: what `oraclesim describe` and docs/scenarios.md print.
struct KeyInfo {
  std::string path;           // schema form: "demo.lps", "feeds[].ocr.delta_round"
  KeySpec spec;
  std::string default_text;   // from the default-constructed struct; "(required)" or "(none)" when so
  std::string block_doc;      // doc of the block the key is in
};

struct FieldDef {
  std::string name;
  KeySpec spec;
  std::function<void(void* obj, const Node& value, const std::string& path, Diagnostics& out)> decode;
  std::function<std::string(const void* obj)> json;  // the value as a JSON literal
  std::function<std::string(const void* obj)> text;  // the value as scenario text
};

struct BlockDef {
  std::string name;
  std::string doc;
  bool list = false;
  // Map block: the child object inside its parent. List block: the vector's size, an element (growing the
  // vector), and clear.
  std::function<void*(void* parent)> get;
  std::function<std::size_t(const void* parent)> size;
  std::function<void*(void* parent, std::size_t i)> element;
  std::function<void(void* parent)> clear;
  std::shared_ptr<void> defaults;  // a default-constructed object (one list element for lists)
  std::vector<FieldDef> fields;
  std::vector<std::unique_ptr<BlockDef>> blocks;
  std::vector<std::pair<std::string, KeySpec>> reserved;  // documented here, decoded elsewhere (sweep, extends)
  std::vector<std::string> reserved_docs;                  // doc of each reserved key's section
  std::vector<std::pair<std::string, std::string>> removed;  // keys that no longer exist -> what to write instead
  std::vector<std::function<void(const void* obj, const std::string& path, sim::ConfigIssues& out)>> validators;
  // Decodes the block instead of the generic walk (for blocks whose keys depend on a value, e.g. a fault's
  // kind). Set by Block::custom.
  std::function<void(void* obj, const Node& node, const std::string& path, Diagnostics& out)> custom;
  // Receives keys that are not registered (set by Block::other_keys); unset: they are errors.
  std::function<void(void* obj, const Entry& entry, const std::string& path, Diagnostics& out)> other_keys;
};

// Typed non-template helpers behind Block::key (schema.cpp).
namespace detail {
void decode(bool& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out);
void decode(double& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out);
void decode(sim::Duration& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out);
void decode(std::string& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out);
void decode(std::vector<std::string>& target, const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out);
std::optional<std::int64_t> decode_signed(const KeySpec& s, const Node& v, std::int64_t type_lo, std::int64_t type_hi,
                                          const std::string& path, Diagnostics& out);
std::optional<std::uint64_t> decode_unsigned(const KeySpec& s, const Node& v, std::uint64_t type_hi,
                                             const std::string& path, Diagnostics& out);
std::string text_of(bool v, const KeySpec& s);
std::string text_of(double v, const KeySpec& s);
std::string text_of(sim::Duration v, const KeySpec& s);
std::string text_of(const std::string& v, const KeySpec& s);
std::string text_of(const std::vector<std::string>& v, const KeySpec& s);
std::string text_of_integer(std::int64_t v, bool is_unsigned, std::uint64_t u, const KeySpec& s);
std::string json_of(bool v, const KeySpec& s);
std::string json_of(double v, const KeySpec& s);
std::string json_of(sim::Duration v, const KeySpec& s);
std::string json_of(const std::string& v, const KeySpec& s);
std::string json_of(const std::vector<std::string>& v, const KeySpec& s);
std::string json_of_integer(std::int64_t v, bool is_unsigned, std::uint64_t u, const KeySpec& s);
std::string json_string(const std::string& s);
void check_type(const std::string& name, const KeySpec& s, bool ok);  // throws std::logic_error if !ok
void unknown_choice(const KeySpec& s, const Node& v, const std::string& path, Diagnostics& out);
}  // namespace detail

template <class M>
struct is_optional : std::false_type {};
template <class M>
struct is_optional<std::optional<M>> : std::true_type {};

namespace detail {
// Whether a value type fits a key type (checked once, when the key is registered).
template <class M>
bool fits(ValueType t) {
  if constexpr (is_optional<M>::value) {
    return fits<typename M::value_type>(t);
  } else if constexpr (std::is_same_v<M, bool>) {
    return t == ValueType::Boolean;
  } else if constexpr (std::is_integral_v<M>) {
    return t == ValueType::Integer || (std::is_unsigned_v<M> && (t == ValueType::GasPrice || t == ValueType::TokenAmount));
  } else if constexpr (std::is_same_v<M, double>) {
    return t == ValueType::Number || t == ValueType::Fraction;
  } else if constexpr (std::is_same_v<M, sim::Duration>) {
    return t == ValueType::Duration;
  } else if constexpr (std::is_same_v<M, std::string>) {
    return t == ValueType::Text || t == ValueType::Choice;
  } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    return t == ValueType::TextList;
  } else {
    static_assert(sizeof(M) == 0, "unsupported field type: use key_enum, key_with, block or list");
    return false;
  }
}

template <class M>
void decode_into(M& target, const KeySpec& spec, const Node& v, const std::string& path, Diagnostics& out) {
  if constexpr (is_optional<M>::value) {
    typename M::value_type x = target.value_or(typename M::value_type{});
    const std::size_t before = out.size();
    decode_into(x, spec, v, path, out);
    if (out.size() == before) target = x;
  } else if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>) {
    if constexpr (std::is_unsigned_v<M>) {
      if (auto x = decode_unsigned(spec, v, std::numeric_limits<M>::max(), path, out)) target = static_cast<M>(*x);
    } else {
      if (auto x = decode_signed(spec, v, std::numeric_limits<M>::min(), std::numeric_limits<M>::max(), path, out))
        target = static_cast<M>(*x);
    }
  } else {
    decode(target, spec, v, path, out);
  }
}

template <class M>
std::string text_as(const M& v, const KeySpec& spec) {
  if constexpr (is_optional<M>::value)
    return v ? text_as(*v, spec) : std::string("(unset)");
  else if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>)
    return text_of_integer(static_cast<std::int64_t>(v), std::is_unsigned_v<M>, static_cast<std::uint64_t>(v), spec);
  else
    return text_of(v, spec);
}

template <class M>
std::string json_as(const M& v, const KeySpec& spec) {
  if constexpr (is_optional<M>::value)
    return v ? json_as(*v, spec) : std::string("null");
  else if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>)
    return json_of_integer(static_cast<std::int64_t>(v), std::is_unsigned_v<M>, static_cast<std::uint64_t>(v), spec);
  else
    return json_of(v, spec);
}
}  // namespace detail

template <class T>
class Block {
 public:
  explicit Block(BlockDef* def) : def_(def) {}

  // A field of type bool, an integer, double, sim::Duration, std::string, std::vector<std::string>, or an
  // std::optional of one of them (unset unless the scenario gives it).
  template <class M>
  Block& key(std::string name, M T::*member, KeySpec spec) {
    detail::check_type(name, spec, detail::fits<M>(spec.type));
    FieldDef f;
    f.name = std::move(name);
    f.spec = spec;
    f.decode = [member, spec](void* obj, const Node& v, const std::string& path, Diagnostics& out) {
      detail::decode_into(static_cast<T*>(obj)->*member, spec, v, path, out);
    };
    f.text = [member, spec](const void* obj) { return detail::text_as(static_cast<const T*>(obj)->*member, spec); };
    f.json = [member, spec](const void* obj) { return detail::json_as(static_cast<const T*>(obj)->*member, spec); };
    def_->fields.push_back(std::move(f));
    return *this;
  }

  // A key decoded by hand (maps keyed by names, values of several shapes). `json` prints the value as a
  // JSON literal (also shown as the default in the reference).
  Block& key_with(std::string name, KeySpec spec,
                  std::function<void(T&, const Node& value, const std::string& path, Diagnostics& out)> decode,
                  std::function<std::string(const T&)> json) {
    FieldDef f;
    f.name = std::move(name);
    f.spec = std::move(spec);
    f.decode = [decode](void* obj, const Node& v, const std::string& path, Diagnostics& out) {
      decode(*static_cast<T*>(obj), v, path, out);
    };
    f.text = [json](const void* obj) { return json(*static_cast<const T*>(obj)); };
    f.json = f.text;
    def_->fields.push_back(std::move(f));
    return *this;
  }

  // Keys not registered on this block go to `fn` (e.g. a fault's kind-specific parameters) instead of
  // being unknown-key errors; `fn` reports its own errors.
  Block& other_keys(std::function<void(T&, const Entry& entry, const std::string& path, Diagnostics& out)> fn) {
    def_->other_keys = [fn](void* obj, const Entry& e, const std::string& path, Diagnostics& out) {
      fn(*static_cast<T*>(obj), e, path, out);
    };
    return *this;
  }

  // An enum field written as one of the given names.
  template <class E>
  Block& key_enum(std::string name, E T::*member, std::vector<std::pair<std::string, E>> values, KeySpec spec) {
    static_assert(std::is_enum_v<E>);
    std::vector<std::string> names;
    for (const auto& [n, e] : values) names.push_back(n);
    spec.type = ValueType::Choice;
    spec.choices = names;
    FieldDef f;
    f.name = std::move(name);
    f.spec = spec;
    f.decode = [member, spec, values](void* obj, const Node& v, const std::string& path, Diagnostics& out) {
      if (v.is_scalar())
        for (const auto& [n, e] : values)
          if (n == v.scalar) {
            static_cast<T*>(obj)->*member = e;
            return;
          }
      detail::unknown_choice(spec, v, path, out);
    };
    auto name_of = [member, values](const void* obj) -> std::string {
      for (const auto& [n, e] : values)
        if (e == static_cast<const T*>(obj)->*member) return n;
      return "?";
    };
    f.text = name_of;
    f.json = [name_of](const void* obj) { return detail::json_string(name_of(obj)); };
    def_->fields.push_back(std::move(f));
    return *this;
  }

  // A nested map of keys ("chain:" -> chain.slot, chain.base_fee, ...).
  template <class C>
  Block<C> block(std::string name, C T::*member, std::string doc) {
    auto b = std::make_unique<BlockDef>();
    b->name = std::move(name);
    b->doc = std::move(doc);
    b->get = [member](void* parent) -> void* { return &(static_cast<T*>(parent)->*member); };
    b->defaults = std::shared_ptr<void>(def_->defaults, b->get(def_->defaults.get()));
    def_->blocks.push_back(std::move(b));
    return Block<C>(def_->blocks.back().get());
  }

  // A list of maps ("feeds:" -> feeds[i].name, feeds[i].oracles, ...); a scenario's list replaces the default.
  template <class C>
  Block<C> list(std::string name, std::vector<C> T::*member, std::string doc) {
    auto b = std::make_unique<BlockDef>();
    b->name = std::move(name);
    b->doc = std::move(doc);
    b->list = true;
    b->size = [member](const void* parent) { return (static_cast<const T*>(parent)->*member).size(); };
    b->element = [member](void* parent, std::size_t i) -> void* {
      auto& v = static_cast<T*>(parent)->*member;
      if (v.size() <= i) v.resize(i + 1);
      return &v[i];
    };
    b->clear = [member](void* parent) { (static_cast<T*>(parent)->*member).clear(); };
    b->defaults = std::make_shared<C>();
    def_->blocks.push_back(std::move(b));
    return Block<C>(def_->blocks.back().get());
  }

  // A nested map of keys kept where `get` says (e.g. a subsystem's slot in ScenarioConfig::subsystems).
  template <class C>
  Block<C> block_in(std::string name, std::string doc, std::function<C&(T&)> get) {
    auto b = std::make_unique<BlockDef>();
    b->name = std::move(name);
    b->doc = std::move(doc);
    b->get = [get](void* parent) -> void* { return &get(*static_cast<T*>(parent)); };
    b->defaults = std::shared_ptr<void>(def_->defaults, b->get(def_->defaults.get()));
    def_->blocks.push_back(std::move(b));
    return Block<C>(def_->blocks.back().get());
  }

  // A list of maps kept where `get` says (e.g. a subsystem's slot in ScenarioConfig::subsystems).
  template <class C>
  Block<C> list_in(std::string name, std::string doc, std::function<std::vector<C>&(T&)> get) {
    auto b = std::make_unique<BlockDef>();
    b->name = std::move(name);
    b->doc = std::move(doc);
    b->list = true;
    b->size = [get](const void* parent) { return get(*static_cast<T*>(const_cast<void*>(parent))).size(); };
    b->element = [get](void* parent, std::size_t i) -> void* {
      auto& v = get(*static_cast<T*>(parent));
      if (v.size() <= i) v.resize(i + 1);
      return &v[i];
    };
    b->clear = [get](void* parent) { get(*static_cast<T*>(parent)).clear(); };
    b->defaults = std::make_shared<C>();
    def_->blocks.push_back(std::move(b));
    return Block<C>(def_->blocks.back().get());
  }

  // A key that no longer exists: writing it is an error located at the key that says `message` (what to write
  // instead). Not listed in the reference.
  Block& removed(std::string name, std::string message) {
    def_->removed.emplace_back(std::move(name), std::move(message));
    return *this;
  }

  // Runs after decoding, with the block's key path ("network", "feeds[2]"); issues name full key paths.
  Block& validate(std::function<void(const T&, const std::string& path, sim::ConfigIssues& out)> fn) {
    def_->validators.push_back([fn](const void* obj, const std::string& path, sim::ConfigIssues& out) {
      fn(*static_cast<const T*>(obj), path, out);
    });
    return *this;
  }

  // Decodes this block by hand (the key stays documented through the keys registered on it).
  Block& custom(std::function<void(T&, const Node& node, const std::string& path, Diagnostics& out)> fn) {
    def_->custom = [fn](void* obj, const Node& node, const std::string& path, Diagnostics& out) {
      fn(*static_cast<T*>(obj), node, path, out);
    };
    return *this;
  }

  // A key documented here but decoded elsewhere (extends:, sweep:). Dotted names document sub-keys.
  Block& reserved(std::string name, KeySpec spec, std::string section_doc = "") {
    def_->reserved.emplace_back(std::move(name), std::move(spec));
    def_->reserved_docs.push_back(section_doc.empty() ? def_->doc : std::move(section_doc));
    return *this;
  }

  BlockDef& def() { return *def_; }

 private:
  BlockDef* def_;
};

class Schema {
 public:
  template <class Root>
  Block<Root> root(std::string doc) {
    root_ = std::make_unique<BlockDef>();
    root_->doc = std::move(doc);
    root_->defaults = std::make_shared<Root>();
    return Block<Root>(root_.get());
  }
  const BlockDef& root_def() const { return *root_; }

  // Decodes `tree` into `root_obj` (a default-constructed Root), then runs the validators; every problem is
  // appended to `out`, located in the tree.
  void decode(const Node& tree, void* root_obj, Diagnostics& out) const;
  // Runs every validator on a decoded (or hand-built) Root; the issues name full key paths.
  sim::ConfigIssues validate(const void* root_obj) const;
  // Every key with its resolved value as a JSON literal, in registration order ("demo.lps" -> "64").
  std::vector<std::pair<std::string, std::string>> resolved(const void* root_obj) const;

  std::vector<KeyInfo> keys() const;  // every key (schema form), registration order
  // The key (or the keys under a block) named by `path` ("demo.lps", "demo", "feeds[0].oracles"; "feeds.ocr"
  // for "feeds[].ocr" when nothing matches as written).
  std::vector<KeyInfo> find(const std::string& path) const;
  // The closest registered key paths to `path` ("" if nothing is close).
  std::string suggest(const std::string& path) const;
  // Whether `path` names a key that sweeps and --set may change (a registered field, indices allowed).
  bool is_settable(const std::string& path) const;

 private:
  std::unique_ptr<BlockDef> root_;
};

// Edit distance (optimal string alignment: a swap of neighbours counts 1).
std::size_t edit_distance(std::string_view a, std::string_view b);
// "did you mean 'x'?" for the candidate closest to `word`, or "" if none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// Maps validator issues (key paths) to locations in `tree` (the key's value, else its nearest written parent).
void locate_issues(const sim::ConfigIssues& issues, const Node& tree, Diagnostics& out);

}  // namespace models::scenario
