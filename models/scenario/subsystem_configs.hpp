#pragma once
// The configuration blocks of the registered subsystems inside a ScenarioConfig, one slot per subsystem name
// ("feeds", "requests", "streams", ...), each holding that subsystem's own config struct by value. The scenario
// layer knows none of the types: a subsystem registers its keys on a slot (Block::block_in / list_in in
// schema.hpp) and reads its config back with get<T>(name). Copies are deep, so sweep points never share state.
#include <any>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace models::scenario {

class SubsystemConfigs {
 public:
  // The config in slot `name`, or a default-constructed T when the scenario never set it.
  template <class T>
  const T& get(std::string_view name) const {
    if (const T* c = find<T>(name)) return *c;
    static const T defaults{};
    return defaults;
  }
  // The config in slot `name` for writing (created default-constructed on first use).
  template <class T>
  T& edit(std::string_view name) {
    auto it = slots_.find(name);
    if (it == slots_.end()) it = slots_.emplace(std::string(name), T{}).first;
    T* c = std::any_cast<T>(&it->second);
    if (c == nullptr) throw std::logic_error("subsystem config slot '" + std::string(name) + "' holds another type");
    return *c;
  }
  template <class T>
  const T* find(std::string_view name) const {
    auto it = slots_.find(name);
    return it == slots_.end() ? nullptr : std::any_cast<T>(&it->second);
  }

 private:
  std::map<std::string, std::any, std::less<>> slots_;
};

}  // namespace models::scenario
