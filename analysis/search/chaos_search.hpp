#pragma once
// A chaos search over fault schedules (docs/search.md): random, then guided by the best schedules found, then a
// shrinker that reduces the best counterexample while it still breaks the objective. Pure: runs are asked of an
// Evaluator in batches, and everything the search draws comes from named random streams of its seed, so the trials
// and their order depend only on the scenario, the seed and the results of earlier batches, never on how many runs
// the evaluator makes at once.
//
// Search: ceil(budget / generation) generations of `generation` trials (the last one shorter). Generation 0 is
// random; in each later one a trial mutates one of the generation/4 best distinct schedules so far (3 in 4) or is drawn
// afresh (1 in 4). Shrinking, as property-based testers do: try the simpler neighbours of the current
// counterexample (ScheduleSpace::shrink_steps) in order, in batches of kShrinkBatch, and move to the first that still
// breaks the objective; stop when none does or the shrink budget is spent.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "analysis/search/schedule_space.hpp"

namespace analysis::search {

enum class Phase { search, shrink };
const char* phase_name(Phase p);  // "search", "shrink"

// A schedule to run and where it sits in the search.
struct Trial {
  Phase phase = Phase::search;
  std::uint32_t round = 0;  // generation (search) or step (shrink)
  std::uint32_t index = 0;  // in its round
  Schedule schedule;
  std::string yaml;         // schedule_yaml(schedule): identifies the trial in the journal
  std::string origin;       // "random", "mutation of 2/5", or the shrink step's change
};

struct Evaluation {
  double objective = std::numeric_limits<double>::quiet_NaN();  // NaN: the run did not report it
  std::vector<double> guide;       // the search block's guide metrics, in order (NaN: not reported)
  std::uint64_t fingerprint = 0;
  std::uint64_t events = 0;
};

struct TrialResult {
  Trial trial;
  Evaluation eval;
  bool breaks = false;      // objective > threshold
  std::size_t faulty = 0;   // ScheduleSpace::faulty_actors(...).size()
};

// Runs a batch; returns one Evaluation per trial, in the batch's order.
using Evaluator = std::function<std::vector<Evaluation>(const std::vector<Trial>&)>;

struct SearchSettings {
  std::uint64_t budget = 200;
  std::uint32_t generation = 20;
  std::uint64_t shrink_budget = 100;
  double threshold = 0;      // a trial breaks the objective above this
  std::uint64_t seed = 1;    // of the search's streams "search/generation-<g>/trial-<i>"
  // Called after each batch with every result so far (progress displays).
  std::function<void(const std::vector<TrialResult>&)> on_batch;
};

inline constexpr std::size_t kShrinkBatch = 8;

struct SearchOutcome {
  std::vector<TrialResult> trials;        // every run, in the order the search asked for them
  std::optional<std::size_t> best;        // the best search trial (index in trials)
  std::vector<std::size_t> shrink_path;   // the accepted shrink steps, in order (indices in trials)
  std::vector<std::string> shrink_changes;  // what each accepted step simplified (a step may reuse an earlier run)
  // The shrunk counterexample: the last accepted step, else the best trial when it breaks; nullopt when none breaks.
  std::optional<std::size_t> counterexample() const;
};

// Whether `a` ranks before `b`: higher objective (NaN last), then higher guide metrics in order (NaN last), then
// fewer faulty actors, fewer faults, earlier.
bool ranks_before(const TrialResult& a, const TrialResult& b);

SearchOutcome run_search(const ScheduleSpace& space, const SearchSettings& settings, const Evaluator& evaluate);

}  // namespace analysis::search
