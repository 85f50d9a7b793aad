#include "sim/file_check.hpp"

#include <filesystem>
#include <system_error>

namespace sim {

std::string regular_file_problem(const std::string& path, std::uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return "no such file";
  if (fs::is_directory(st)) return "it is a directory";
  if (!fs::is_regular_file(st)) return "not a regular file (a device, pipe or socket)";
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return ec.message();
  if (size > max_bytes) return std::to_string(size) + " bytes, above the limit of " + std::to_string(max_bytes);
  return "";
}

}  // namespace sim
