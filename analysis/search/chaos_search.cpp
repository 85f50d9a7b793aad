#include "analysis/search/chaos_search.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <stdexcept>

#include "sim/distributions.hpp"

namespace analysis::search {

const char* phase_name(Phase p) { return p == Phase::search ? "search" : "shrink"; }

std::optional<std::size_t> SearchOutcome::counterexample() const {
  if (!shrink_path.empty()) return shrink_path.back();
  if (best && trials[*best].breaks) return best;
  return std::nullopt;
}

namespace {

// -1: x ranks first, 1: y does, 0: tie (higher first, NaN last).
int compare_higher(double x, double y) {
  if (std::isnan(x) != std::isnan(y)) return std::isnan(x) ? 1 : -1;
  if (std::isnan(x) || x == y) return 0;
  return x > y ? -1 : 1;
}

}  // namespace

bool ranks_before(const TrialResult& a, const TrialResult& b) {
  if (const int c = compare_higher(a.eval.objective, b.eval.objective); c != 0) return c < 0;
  for (std::size_t i = 0; i < std::min(a.eval.guide.size(), b.eval.guide.size()); ++i)
    if (const int c = compare_higher(a.eval.guide[i], b.eval.guide[i]); c != 0) return c < 0;
  if (a.faulty != b.faulty) return a.faulty < b.faulty;
  if (a.trial.schedule.size() != b.trial.schedule.size()) return a.trial.schedule.size() < b.trial.schedule.size();
  if (a.trial.phase != b.trial.phase) return a.trial.phase < b.trial.phase;
  if (a.trial.round != b.trial.round) return a.trial.round < b.trial.round;
  return a.trial.index < b.trial.index;
}

namespace {

class Runner {
 public:
  Runner(const ScheduleSpace& space, const SearchSettings& s, const Evaluator& ev) : space_(space), s_(s), ev_(ev) {}

  void run(std::vector<Trial> batch) {
    const auto evals = ev_(batch);
    if (evals.size() != batch.size())
      throw std::logic_error(fmt::format("search: the evaluator returned {} results for {} trials", evals.size(), batch.size()));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      TrialResult r;
      r.faulty = space_.faulty_actors(batch[i].schedule).size();
      r.eval = evals[i];
      r.breaks = !std::isnan(r.eval.objective) && r.eval.objective > s_.threshold;
      seen_.emplace(batch[i].yaml, out_.trials.size());
      r.trial = std::move(batch[i]);
      out_.trials.push_back(std::move(r));
    }
    if (s_.on_batch) s_.on_batch(out_.trials);
  }

  void search() {
    const std::uint64_t generations = (s_.budget + s_.generation - 1) / s_.generation;
    const sim::RngFactory streams(s_.seed, 0);
    for (std::uint64_t g = 0; g < generations; ++g) {
      const std::uint64_t size = std::min<std::uint64_t>(s_.generation, s_.budget - g * s_.generation);
      const auto elite = best_distinct(std::max<std::size_t>(1, s_.generation / 4));
      std::vector<Trial> batch;
      std::set<std::string> in_batch;
      for (std::uint64_t i = 0; i < size; ++i) {
        sim::Rng rng = streams.stream(fmt::format("search/generation-{}/trial-{}", g, i));
        Trial t;
        t.phase = Phase::search;
        t.round = static_cast<std::uint32_t>(g);
        t.index = static_cast<std::uint32_t>(i);
        for (int attempt = 0; attempt < 8; ++attempt) {
          if (elite.empty() || sim::bernoulli(rng, 0.25)) {
            t.schedule = space_.random(rng);
            t.origin = "random";
          } else {
            const auto& parent = out_.trials[elite[sim::uniform_index(rng, elite.size())]].trial;
            t.schedule = space_.mutate(parent.schedule, rng);
            t.origin = fmt::format("mutation of {}/{}", parent.round, parent.index);
          }
          t.yaml = schedule_yaml(t.schedule);
          if (!seen_.contains(t.yaml) && !in_batch.contains(t.yaml)) break;
        }
        in_batch.insert(t.yaml);
        batch.push_back(std::move(t));
      }
      run(std::move(batch));
    }
    for (std::size_t i = 0; i < out_.trials.size(); ++i)
      if (!out_.best || ranks_before(out_.trials[i], out_.trials[*out_.best])) out_.best = i;
  }

  void shrink() {
    if (!out_.best || !out_.trials[*out_.best].breaks) return;
    Schedule current = out_.trials[*out_.best].trial.schedule;
    std::uint64_t spent = 0;
    for (std::uint32_t step = 0; spent < s_.shrink_budget; ++step) {
      // The neighbours in order; one already run is not run again (its result is known), the others run in batches.
      std::optional<std::size_t> accepted;
      std::string change;
      std::vector<Trial> pending;
      std::uint32_t index = 0;
      const auto flush = [&] {
        if (pending.empty() || accepted) return;
        const std::size_t first = out_.trials.size();
        spent += pending.size();
        run(std::exchange(pending, {}));
        for (std::size_t k = first; k < out_.trials.size() && !accepted; ++k)
          if (out_.trials[k].breaks) {
            accepted = k;
            change = out_.trials[k].trial.origin;
          }
      };
      for (auto& st : space_.shrink_steps(current)) {
        if (accepted || spent + pending.size() >= s_.shrink_budget) break;
        std::string yaml = schedule_yaml(st.schedule);
        if (const auto it = seen_.find(yaml); it != seen_.end()) {
          flush();
          if (!accepted && out_.trials[it->second].breaks) {
            accepted = it->second;
            change = st.change;
          }
          continue;
        }
        Trial t;
        t.phase = Phase::shrink;
        t.round = step;
        t.index = index++;
        t.schedule = std::move(st.schedule);
        t.yaml = std::move(yaml);
        t.origin = std::move(st.change);
        pending.push_back(std::move(t));
        if (pending.size() == kShrinkBatch) flush();
      }
      flush();
      if (!accepted) return;
      out_.shrink_path.push_back(*accepted);
      out_.shrink_changes.push_back(change);
      current = out_.trials[*accepted].trial.schedule;
    }
  }

  SearchOutcome take() { return std::move(out_); }

 private:
  // The indices of the best `k` search trials with distinct schedules.
  std::vector<std::size_t> best_distinct(std::size_t k) const {
    std::vector<std::size_t> order(out_.trials.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranks_before(out_.trials[a], out_.trials[b]); });
    std::vector<std::size_t> out;
    std::set<std::string> names;
    for (const std::size_t i : order) {
      if (out.size() == k) break;
      if (names.insert(out_.trials[i].trial.yaml).second) out.push_back(i);
    }
    return out;
  }

  const ScheduleSpace& space_;
  const SearchSettings& s_;
  const Evaluator& ev_;
  SearchOutcome out_;
  std::map<std::string, std::size_t> seen_;  // schedule -> its trial
};

}  // namespace

SearchOutcome run_search(const ScheduleSpace& space, const SearchSettings& settings, const Evaluator& evaluate) {
  if (settings.generation == 0) throw std::invalid_argument("search: a generation needs at least one run");
  Runner r(space, settings, evaluate);
  r.search();
  r.shrink();
  return r.take();
}

}  // namespace analysis::search
