// Whether an MPI launcher started this process (built with or without MPI).
#include <cstdlib>
#include <string>

#include "tools/oraclesim/mpi_sweep.hpp"

namespace oraclesim::mpi {

std::optional<unsigned> launched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* v = std::getenv(name);
    if (v && *v) return static_cast<unsigned>(std::strtoul(v, nullptr, 10));
  }
  const char* pmix = std::getenv("PMIX_RANK");
  if (pmix && *pmix) return 0u;
  return std::nullopt;
}

unsigned launched_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    const char* v = std::getenv(name);
    if (v && *v) return static_cast<unsigned>(std::strtoul(v, nullptr, 10));
  }
  return 0;
}

}  // namespace oraclesim::mpi
