#pragma once
// The one check every input file goes through before it is read (scenario files, extends, replay CSVs): it must
// exist, be a regular file (never a directory, device, pipe or socket, which could block or never end) and be no
// larger than the caller's limit.
#include <cstdint>
#include <string>

namespace sim {

// Empty when `path` is a regular file of at most `max_bytes`; else why not: "no such file", "it is a directory",
// "not a regular file (a device, pipe or socket)", "N bytes, above the limit of M".
std::string regular_file_problem(const std::string& path, std::uintmax_t max_bytes);

}  // namespace sim
