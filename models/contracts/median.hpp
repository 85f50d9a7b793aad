#pragma once
// The on-chain median of a FluxAggregator round, with the work it costs: a quickselect with Hoare partitioning
// around the middle element and a 16-comparator sorting network once a range holds at most 7 values; for an even
// count both middle values are selected and averaged (rounded toward zero). The comparison and swap counts feed
// the gas model (models/contracts/gas_counter.hpp): the cost grows with the number of submissions.
#include <cstdint>
#include <vector>

#include "models/contracts/round_data.hpp"

namespace models::contracts {

struct MedianWork {
  Answer median = 0;
  std::uint64_t compares = 0;
  std::uint64_t swaps = 0;
  std::uint64_t partitions = 0;  // Hoare partitions run
  std::uint64_t networks = 0;    // sorting networks run
};

// `values` must not be empty (throws std::invalid_argument); it is permuted.
MedianWork median_in_place(std::vector<Answer>& values);

}  // namespace models::contracts
