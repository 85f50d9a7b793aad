#include "sim/log.hpp"

namespace sim {

void Logger::write(const std::string& msg) const {
  fmt::print(sink_, "[t={}] {}: {}\n", sim_.now(), component_, msg);
}

}  // namespace sim
