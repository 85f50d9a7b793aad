#include "sim/config_issue.hpp"

#include <stdexcept>

namespace sim {

void ConfigIssues::throw_if_any(std::string_view what) const {
  if (issues_.empty()) return;
  std::string msg(what);
  msg += ':';
  for (const auto& i : issues_) msg += "\n  " + i.path + ": " + i.message;
  throw std::invalid_argument(msg);
}

}  // namespace sim
