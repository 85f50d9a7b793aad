#pragma once
// Merging the shards of a sweep. `oraclesim sweep FILE --shard I/N --out DIR/shard-I` runs the runs
// k = point * replications + replication with k mod N = I (a job array's task I of N); `oraclesim merge
// DIR/shard-* --out DIR` joins the N shard directories into the directory one unsharded sweep writes: runs.jsonl
// (sorted by point and replication), runs.csv and summary.csv byte for byte as a single sweep writes them (wall_s
// aside, which each run measured where it ran), the per-run timeseries/ and faults/ files, and manifest.json
// equal to a single sweep's except for the wall-clock and invocation fields (command_line, started_at =
// the earliest shard's, finished_at = the latest's, host = the shards' hosts, threads = the most any shard used).
//
// Refused with MergeError (exit 2), naming the directories: a directory that is not a shard of a finished sweep,
// shards of different scenarios (hash), seeds, shard counts or binaries (version and commit), a shard given twice
// or missing, a shard whose journal does not hold exactly its runs, and an --out that already holds results or
// is one of the shards. Nothing is written before every check has passed; the manifest is written last.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace analysis::results {

struct MergeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct MergeSummary {
  std::uint64_t shards = 0;
  std::uint64_t runs = 0;
};

MergeSummary merge_shards(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& out,
                          const std::vector<std::string>& command_line);

}  // namespace analysis::results
