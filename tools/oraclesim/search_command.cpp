#include "tools/oraclesim/search_command.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cmath>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "analysis/results/results_dir.hpp"
#include "analysis/run.hpp"
#include "analysis/search/chaos_search.hpp"
#include "analysis/subsystems.hpp"
#include "models/scenario/units.hpp"
#include "sim/random.hpp"
#include "tools/oraclesim/sweep_runner.hpp"
#include "tools/oraclesim/sweep_session.hpp"

namespace oraclesim {

namespace {

namespace fs = std::filesystem;
namespace sc = models::scenario;
namespace srch = analysis::search;
namespace res = analysis::results;

constexpr const char* kJournalHeader = "# oraclesim search journal 2";
constexpr const char* kFiles[] = {"journal.tsv", "search.csv", "best.yaml", "shrunk.yaml", "report.md"};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string number(double x) { return std::isnan(x) ? "nan" : sc::format_number(x); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// What a finished run left in the journal.
struct Journaled {
  std::string yaml;
  srch::Evaluation eval;
};
using TrialKey = std::tuple<int, std::uint32_t, std::uint32_t>;  // phase, round, index

TrialKey key_of(const srch::Trial& t) { return {static_cast<int>(t.phase), t.round, t.index}; }

std::string guide_text(const std::vector<double>& g) {
  std::string s;
  for (const double v : g) s += (s.empty() ? "" : ",") + number(v);
  return s.empty() ? "-" : s;
}

std::string journal_line(const srch::Trial& t, const srch::Evaluation& e) {
  return fmt::format("T\t{}\t{}\t{}\t{}\t{}\t{:016x}\t{}\t{}", srch::phase_name(t.phase), t.round, t.index, number(e.objective),
                     guide_text(e.guide), e.fingerprint, e.events, t.yaml);
}

// The runs of a journal line "T\tphase\tround\tindex\tobjective\tguide,...\tfingerprint\tevents\tyaml"; lines that do
// not parse are skipped (they can only be torn).
std::multimap<TrialKey, Journaled> parse_journal(const std::vector<std::string>& lines) {
  std::multimap<TrialKey, Journaled> out;
  for (const auto& line : lines) {
    std::vector<std::string> f;
    std::size_t from = 0;
    while (f.size() < 8) {
      const auto tab = line.find('\t', from);
      if (tab == std::string::npos) break;
      f.push_back(line.substr(from, tab - from));
      from = tab + 1;
    }
    if (f.size() != 8 || f[0] != "T" || (f[1] != "search" && f[1] != "shrink")) continue;
    try {
      const auto value = [](const std::string& x) { return x == "nan" ? std::nan("") : std::stod(x); };
      Journaled j;
      j.yaml = line.substr(from);
      j.eval.objective = value(f[4]);
      if (f[5] != "-")
        for (std::size_t at = 0; at <= f[5].size();) {
          const auto comma = std::min(f[5].find(',', at), f[5].size());
          j.eval.guide.push_back(value(f[5].substr(at, comma - at)));
          at = comma + 1;
        }
      j.eval.fingerprint = std::stoull(f[6], nullptr, 16);
      j.eval.events = std::stoull(f[7]);
      const int phase = f[1] == "search" ? 0 : 1;
      out.emplace(TrialKey{phase, static_cast<std::uint32_t>(std::stoul(f[2])), static_cast<std::uint32_t>(std::stoul(f[3]))},
                  std::move(j));
    } catch (const std::exception&) {
      continue;
    }
  }
  return out;
}

// A run as `oraclesim run` makes it: replication 0 of the scenario's seed.
analysis::RunResult run_replication0(const sc::ScenarioConfig& cfg) {
  return analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0, analysis::builtin_registry());
}

// What the search reads of a run (NaN for a metric the run did not report).
srch::Evaluation evaluation_of(const analysis::RunResult& rr, const std::string& objective, const std::vector<std::string>& guide) {
  srch::Evaluation e;
  e.objective = rr.metrics.get(objective).value_or(std::nan(""));
  for (const auto& g : guide) e.guide.push_back(rr.metrics.get(g).value_or(std::nan("")));
  e.fingerprint = rr.fingerprint;
  e.events = rr.events;
  return e;
}

// Runs trials on a pool of threads, reusing what the journal already holds and journaling every new run. The
// sweep's test hooks apply (sweep_session.cpp): ORACLESIM_TEST_KILL_AFTER=K / ORACLESIM_TEST_SIGINT_AFTER=K send
// SIGKILL / SIGINT to this process right after its K-th run is journaled.
class Evaluator {
 public:
  Evaluator(const sc::ScenarioConfig& base, std::string objective, unsigned jobs, res::Journal& journal,
            std::multimap<TrialKey, Journaled> done)
      : base_(base), objective_(std::move(objective)), guide_(base.search.guide), jobs_(std::max(1u, jobs)), journal_(journal),
        done_(std::move(done)),
        kill_at_(kill_after(std::nullopt)), sigint_at_(test_hook("ORACLESIM_TEST_SIGINT_AFTER")) {}

  // The scenario with `s` as its faults: (ScheduleSpace yields only schedules that pass the faults: checks).
  srch::Evaluation run_one(const srch::Schedule& s) const {
    sc::ScenarioConfig cfg = base_;
    cfg.faults.clear();
    for (const auto& f : s) cfg.faults.push_back(f.fault);
    return evaluation_of(run_replication0(cfg), objective_, guide_);
  }

  std::vector<srch::Evaluation> operator()(const std::vector<srch::Trial>& batch) {
    std::vector<srch::Evaluation> out(batch.size());
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto [lo, hi] = done_.equal_range(key_of(batch[i]));
      const auto it = std::find_if(lo, hi, [&](const auto& kv) { return kv.second.yaml == batch[i].yaml; });
      if (it != hi) {
        out[i] = it->second.eval;
        ++reused_;
      } else {
        todo.push_back(i);
      }
    }
    std::atomic<std::size_t> next{0};
    std::mutex mu;
    std::exception_ptr error;
    const auto worker = [&] {
      for (;;) {
        const std::size_t k = next.fetch_add(1);
        if (k >= todo.size()) return;
        {
          std::lock_guard lock(mu);
          if (error || StopSignals::stop_signal() != 0) return;
        }
        try {
          const srch::Trial& t = batch[todo[k]];
          out[todo[k]] = run_one(t.schedule);
          std::lock_guard lock(mu);
          journal_.append_line(journal_line(t, out[todo[k]]));
          ++finished_;
          if (kill_at_ != 0 && finished_ == kill_at_) std::raise(SIGKILL);
          if (sigint_at_ != 0 && finished_ == sigint_at_) std::raise(SIGINT);
        } catch (...) {
          std::lock_guard lock(mu);
          if (!error) error = std::current_exception();
        }
      }
    };
    const unsigned n = static_cast<unsigned>(std::min<std::size_t>(jobs_, todo.size()));
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < n; ++w) pool.emplace_back(worker);
    if (n > 0) worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (const int sig = StopSignals::stop_signal(); sig != 0) throw Interrupted(sig, finished_ + reused_, 0);
    return out;
  }

  std::uint64_t reused() const { return reused_; }

 private:
  const sc::ScenarioConfig& base_;
  std::string objective_;
  std::vector<std::string> guide_;
  unsigned jobs_;
  res::Journal& journal_;
  std::multimap<TrialKey, Journaled> done_;
  std::uint64_t reused_ = 0, finished_ = 0;
  std::uint64_t kill_at_, sigint_at_;
};

struct Context {
  const sc::Study& study;
  const SearchOptions& opt;
  std::string objective;
  double baseline = 0;
  double threshold = 0;
  std::string threshold_source;
  std::uint64_t budget = 0;
};

std::string schedule_words(const srch::Schedule& s, const std::string& indent) {
  std::string out;
  for (const auto& f : s) out += indent + srch::describe_fault(f.fault) + "\n";
  return out.empty() ? indent + "(no fault)\n" : out;
}

std::string sets_text(const std::vector<std::string>& sets) {
  std::string s;
  for (const auto& x : sets) s += " --set " + x;
  return s;
}

// A scenario that extends the searched one with `s` as its faults.
std::string scenario_yaml(const Context& c, const srch::TrialResult& r, const std::string& what, const fs::path& dir) {
  std::error_code ec;
  fs::path base = fs::relative(fs::absolute(c.study.file), fs::absolute(dir), ec);
  if (ec || base.empty()) base = fs::absolute(c.study.file);
  std::string y;
  y += fmt::format("# {} of `oraclesim search {} --objective {}`{} (seed {}):\n", what, c.study.file, c.objective,
                   sets_text(c.opt.sets), c.study.base.seed);
  y += fmt::format("#   {} = {} ({} threshold {}: {})\n", c.objective, number(r.eval.objective),
                   r.breaks ? "above the" : "not above the", number(c.threshold), c.threshold_source);
  y += fmt::format("#   {} fault{}, {} faulty actor{}:\n", r.trial.schedule.size(), r.trial.schedule.size() == 1 ? "" : "s",
                   r.faulty, r.faulty == 1 ? "" : "s");
  y += schedule_words(r.trial.schedule, "#     ");
  y += fmt::format("#   fingerprint 0x{:016x}, {} events\n", r.eval.fingerprint, r.eval.events);
  y += fmt::format("# Reproduce: oraclesim run <this file>{}\n", sets_text(c.opt.sets));
  std::string quoted = "\"";
  for (const char ch : base.string()) quoted += ch == '"' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
  y += fmt::format("extends: {}\"\n", quoted);
  y += fmt::format("name: {}-{}\n", c.study.base.name, what == "Best schedule" ? "best" : "shrunk");
  y += "faults:\n";
  for (const auto& f : r.trial.schedule) y += "  - " + srch::fault_yaml(f.fault) + "\n";
  if (r.trial.schedule.empty()) y += "  []\n";
  return y;
}

std::string search_csv(const srch::SearchOutcome& o, const std::vector<std::string>& guide) {
  std::string s = "phase,round,index,origin,objective,";
  for (const auto& g : guide) s += csv_field(g) + ",";
  s += "breaks,faults,faulty_actors,fingerprint,events,schedule\n";
  for (const auto& r : o.trials) {
    std::string g;
    for (const double v : r.eval.guide) g += number(v) + ",";
    s += fmt::format("{},{},{},{},{},{}{},{},{},{:016x},{},{}\n", srch::phase_name(r.trial.phase), r.trial.round, r.trial.index,
                     csv_field(r.trial.origin), number(r.eval.objective), g, r.breaks ? 1 : 0, r.trial.schedule.size(), r.faulty,
                     r.eval.fingerprint, r.eval.events, csv_field(r.trial.yaml));
  }
  return s;
}

std::string report_md(const Context& c, const srch::SearchOutcome& o, const std::optional<srch::TrialResult>& verified) {
  const auto& sc_cfg = c.study.base.search;
  std::string m = fmt::format("# Chaos search: {}\n\n", c.study.base.name);
  m += fmt::format("Scenario `{}`{} (scenario hash {}), seed {}. Objective: maximise `{}`; a schedule breaks it above {} "
                   "({}).\n\n",
                   c.study.file, sets_text(c.opt.sets), c.study.hash, c.study.base.seed, c.objective, number(c.threshold),
                   c.study.base.search.threshold
                       ? fmt::format("search.threshold; the scenario as written gives {}", number(c.baseline))
                       : std::string("the value of the scenario as written, with its own faults:"));
  m += fmt::format("Bounds: at most {} fault{} per schedule, {}, faults injected in [{}, {}). Entries:\n\n", sc_cfg.max_faults,
                   sc_cfg.max_faults == 1 ? "" : "s",
                   sc_cfg.max_faulty == 0 ? std::string("any number of faulty actors")
                                          : fmt::format("at most {} faulty actor{}", sc_cfg.max_faulty, sc_cfg.max_faulty == 1 ? "" : "s"),
                   sc::format_duration(sc_cfg.start), sc::format_duration(sc_cfg.end.value_or(c.study.base.duration)));
  for (const auto& f : sc_cfg.faults) {
    std::string who = !f.target.empty() ? "target " + join(f.target) : !f.hosts.empty() ? "hosts " + join(f.hosts) : "no target";
    m += fmt::format("- `{}{}` on {}{}\n", f.kind, f.behaviour.empty() ? "" : " " + f.behaviour, who,
                     f.max ? fmt::format(", at most {} per schedule", *f.max) : "");
  }
  std::size_t search_runs = 0, breaking = 0;
  for (const auto& r : o.trials)
    if (r.trial.phase == srch::Phase::search) {
      ++search_runs;
      breaking += r.breaks ? 1 : 0;
    }
  m += fmt::format("\n## Result\n\n{} runs: {} in the search ({} per generation), {} shrinking. {} of the search's runs "
                   "break the objective.\n",
                   o.trials.size(), search_runs, sc_cfg.generation, o.trials.size() - search_runs, breaking);
  if (o.best)
    m += fmt::format("Best: {} = {} with {} fault(s) and {} faulty actor(s) (generation {}, trial {}).\n", c.objective,
                     number(o.trials[*o.best].eval.objective), o.trials[*o.best].trial.schedule.size(), o.trials[*o.best].faulty,
                     o.trials[*o.best].trial.round, o.trials[*o.best].trial.index);
  if (!o.counterexample())
    m += fmt::format("\nNo schedule of the {} broke the objective. This is the result of a search within the bounds above, "
                     "not a proof that none exists (docs/search.md).\n", search_runs);

  m += "\n## Objective over the search\n\n| generation | runs | best | breaking | best so far |\n| --- | --- | --- | --- | --- |\n";
  double so_far = -INFINITY;
  for (std::size_t i = 0; i < o.trials.size();) {
    const auto& first = o.trials[i].trial;
    if (first.phase != srch::Phase::search) break;
    std::size_t runs = 0, br = 0;
    double best = -INFINITY;
    for (; i < o.trials.size() && o.trials[i].trial.phase == srch::Phase::search && o.trials[i].trial.round == first.round; ++i) {
      ++runs;
      br += o.trials[i].breaks ? 1 : 0;
      if (!std::isnan(o.trials[i].eval.objective)) best = std::max(best, o.trials[i].eval.objective);
    }
    so_far = std::max(so_far, best);
    m += fmt::format("| {} | {} | {} | {} | {} |\n", first.round, runs, std::isinf(best) ? "nan" : number(best), br,
                     std::isinf(so_far) ? "nan" : number(so_far));
  }

  const auto& guide = c.study.base.search.guide;
  std::string guide_head, guide_rule;
  for (const auto& g : guide) {
    guide_head += " " + g + " |";
    guide_rule += " --- |";
  }
  m += fmt::format("\n## Best schedules\n\nRanked by `{}`{}, then fewer faulty actors and faults.\n\n| rank | generation/trial | "
                   "objective |{} faults | faulty actors | schedule |\n| --- | --- | --- |{} --- | --- | --- |\n",
                   c.objective, guide.empty() ? std::string() : ", then the guide metrics", guide_head, guide_rule);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < o.trials.size(); ++i)
    if (o.trials[i].trial.phase == srch::Phase::search) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return srch::ranks_before(o.trials[a], o.trials[b]); });
  std::set<std::string> shown;
  for (const std::size_t i : order) {
    if (shown.size() == 10) break;
    const auto& r = o.trials[i];
    if (!shown.insert(r.trial.yaml).second) continue;
    std::string words;
    for (const auto& f : r.trial.schedule) words += (words.empty() ? "" : "; ") + srch::describe_fault(f.fault);
    std::string g;
    for (const double v : r.eval.guide) g += " " + number(v) + " |";
    m += fmt::format("| {} | {}/{} | {} |{} {} | {} | {} |\n", shown.size(), r.trial.round, r.trial.index, number(r.eval.objective), g,
                     r.trial.schedule.size(), r.faulty, words);
  }

  if (const auto ce = o.counterexample(); ce && verified) {
    const auto& from = o.trials[*o.best];
    const auto& to = o.trials[*ce];
    m += fmt::format("\n## Shrunk counterexample\n\nFrom generation {}, trial {} ({} = {}, {} faults, {} faulty actors) in {} "
                     "step(s) to {} = {}, {} fault(s), {} faulty actor(s):\n\n| step | change | objective | faults | faulty actors |\n"
                     "| --- | --- | --- | --- | --- |\n",
                     from.trial.round, from.trial.index, c.objective, number(from.eval.objective), from.trial.schedule.size(),
                     from.faulty, o.shrink_path.size(), c.objective, number(to.eval.objective), to.trial.schedule.size(), to.faulty);
    for (std::size_t k = 0; k < o.shrink_path.size(); ++k) {
      const auto& r = o.trials[o.shrink_path[k]];
      m += fmt::format("| {} | {} | {} | {} | {} |\n", k + 1, o.shrink_changes.at(k), number(r.eval.objective), r.trial.schedule.size(),
                       r.faulty);
    }
    m += "\nWhat it does:\n\n";
    for (const auto& f : to.trial.schedule) m += "- " + srch::describe_fault(f.fault) + "\n";
    m += fmt::format("\n`oraclesim run shrunk.yaml{}` reproduces it: fingerprint 0x{:016x}, {} events, {} = {} (checked by "
                     "running the written file).\n",
                     sets_text(c.opt.sets), verified->eval.fingerprint, verified->eval.events, c.objective,
                     number(verified->eval.objective));
  }
  m += "\n## What this shows\n\nEvery run is deterministic (seed and replication 0 of `oraclesim run`), so each schedule here "
       "replays exactly. A search samples the schedules the bounds admit; finding none that breaks the objective is evidence, "
       "not a proof (docs/search.md).\n";
  return m;
}

}  // namespace

void run_search_command(const SearchOptions& opt) {
  const auto& registry = analysis::builtin_registry();
  const sc::Study study = sc::single_run(registry.load_study(opt.file, opt.sets));
  const sc::ScenarioConfig& base = study.points.at(0).config;
  const auto& cfg = base.search;
  if (cfg.faults.empty())
    throw SearchUsageError(fmt::format("{}: no search.faults: the scenario's search: block must list the faults a schedule may "
                                       "contain (docs/search.md)", opt.file));
  const std::string objective = opt.objective.empty() ? cfg.objective : opt.objective;
  if (objective.empty())
    throw SearchUsageError(fmt::format("{}: no objective: give --objective METRIC or search.objective", opt.file));
  if (registry.find_metric(objective) == nullptr)
    throw SearchUsageError(fmt::format("--objective: '{}' is not a metric (`oraclesim describe metrics` lists them; a "
                                       "per-entity metric is written entity.metric, e.g. single.client_gap_s_max)", objective));
  const fs::path dir = opt.out_dir.empty() ? fs::path("results") / (base.name + "-search") : fs::path(opt.out_dir);
  check_out_dir(dir.string());

  // The world's actors and fault kinds bound the schedules.
  std::vector<models::faults::ActorInfo> actors;
  for (const auto& a : registry.actors_of(base)) actors.push_back({a.name, a.model, a.actor, a.host});
  const srch::ScheduleSpace space(cfg, base.duration, actors, registry.fault_kinds());

  // The journal: a resumed search must be the same search (scenario, objective, generation size, seed); its budget may grow.
  std::string guides;
  for (const auto& g : cfg.guide) guides += (guides.empty() ? "" : ",") + g;
  const std::string settings = fmt::format("settings\tscenario {}\tobjective {}\tguide {}\tgeneration {}\tseed {}", study.hash,
                                           objective, guides.empty() ? "-" : guides, cfg.generation, base.seed);
  const fs::path journal_path = dir / "journal.tsv";
  std::multimap<TrialKey, Journaled> done;
  if (opt.resume && fs::exists(journal_path)) {
    const auto lines = res::read_journal_lines(journal_path);
    if (lines.size() < 2 || lines[0] != kJournalHeader || lines[1] != settings)
      throw ResumeError(fmt::format("cannot resume {}: its journal was written by a different search ({}); use another --out, "
                                    "or drop --resume to start over",
                                    dir.string(), lines.size() < 2 ? "no header" : lines[1]));
    done = parse_journal(lines);
  }

  // The scenario as written sets the threshold unless search.threshold does.
  const auto t0 = std::chrono::steady_clock::now();  // for the stderr summary only
  srch::Evaluation as_written;
  {
    const auto rr = run_replication0(base);
    as_written = evaluation_of(rr, objective, cfg.guide);
    if (!rr.metrics.get(objective)) {
      std::string close;
      for (const auto& [k, v] : rr.metrics.values())
        if (k.find(objective) != std::string::npos || objective.find(k) != std::string::npos) close += (close.empty() ? "" : ", ") + k;
      throw SearchUsageError(fmt::format("{}: this scenario's runs do not report '{}'{}",
                                         opt.objective.empty() ? opt.file + ": search.objective" : std::string("--objective"), objective,
                                         close.empty() ? "; `oraclesim run` lists what they report" : " (they report: " + close + ")"));
    }
    for (const auto& g : cfg.guide)
      if (!rr.metrics.get(g))
        throw SearchUsageError(fmt::format("{}: search.guide: this scenario's runs do not report '{}'", opt.file, g));
  }

  fs::create_directories(dir);
  // The files of an earlier search go (a resumed one keeps its journal): what is there at the end is this search's.
  for (const char* f : kFiles)
    if (opt.resume && std::string(f) == "journal.tsv") continue;
    else fs::remove(dir / f);
  const bool fresh = !fs::exists(journal_path);
  res::Journal journal(journal_path);
  if (fresh) {
    journal.append_line(kJournalHeader);
    journal.append_line(settings);
  }

  Context c{study, opt, objective, as_written.objective, cfg.threshold.value_or(as_written.objective),
            cfg.threshold ? "search.threshold" : "the scenario as written", opt.budget.value_or(cfg.budget)};
  Evaluator evaluate(base, objective, opt.jobs, journal, std::move(done));
  srch::SearchSettings s;
  s.budget = c.budget;
  s.generation = cfg.generation;
  s.shrink_budget = cfg.shrink_budget;
  s.threshold = c.threshold;
  s.seed = base.seed;
  if (!opt.quiet)
    s.on_batch = [&](const std::vector<srch::TrialResult>& so_far) {
      const auto& last = so_far.back().trial;
      double best = -INFINITY;
      std::size_t br = 0;
      for (const auto& r : so_far) {
        if (!std::isnan(r.eval.objective)) best = std::max(best, r.eval.objective);
        br += r.breaks ? 1 : 0;
      }
      if (last.phase == srch::Phase::search)
        fmt::print(stderr, "search: generation {}, {}/{} runs, best {} = {}, {} break it\n", last.round, so_far.size(), c.budget,
                   objective, std::isinf(best) ? "nan" : number(best), br);
      else
        fmt::print(stderr, "shrink: step {}, {} runs so far\n", last.round + 1, so_far.size());
    };
  StopSignals signals;
  srch::SearchOutcome outcome;
  try {
    outcome = srch::run_search(space, s, std::ref(evaluate));
  } catch (const Interrupted& e) {
    throw Interrupted(e.signal, e.runs_done, c.budget);
  }

  // The best schedule and the shrunk counterexample as scenarios; the counterexample is run again from its file.
  std::optional<srch::TrialResult> verified;
  if (outcome.best) res::write_atomic(dir / "best.yaml", scenario_yaml(c, outcome.trials[*outcome.best], "Best schedule", dir));
  if (const auto ce = outcome.counterexample()) {
    const auto& r = outcome.trials[*ce];
    res::write_atomic(dir / "shrunk.yaml", scenario_yaml(c, r, "Shrunk counterexample", dir));
    const auto again = sc::single_run(registry.load_study((dir / "shrunk.yaml").string(), opt.sets));
    const auto replay = evaluation_of(run_replication0(again.points.at(0).config), objective, cfg.guide);
    if (replay.fingerprint != r.eval.fingerprint || replay.events != r.eval.events)
      throw std::runtime_error(fmt::format("{} does not reproduce its run (fingerprint 0x{:016x}, {} events; the search ran "
                                           "0x{:016x}, {} events)", (dir / "shrunk.yaml").string(), replay.fingerprint,
                                           replay.events, r.eval.fingerprint, r.eval.events));
    verified = r;
    verified->eval = replay;
  }
  res::write_atomic(dir / "search.csv", search_csv(outcome, cfg.guide));
  res::write_atomic(dir / "report.md", report_md(c, outcome, verified));

  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("search {}: {} runs ({} reused from the journal), objective {} (threshold {}: {})\n", base.name, outcome.trials.size(),
             evaluate.reused(), objective, number(c.threshold), c.threshold_source);
  if (outcome.best) {
    const auto& b = outcome.trials[*outcome.best];
    std::string guided;
    for (std::size_t i = 0; i < cfg.guide.size() && i < b.eval.guide.size(); ++i)
      guided += fmt::format("{}{} {}", guided.empty() ? " (" : ", ", cfg.guide[i], number(b.eval.guide[i]));
    if (!guided.empty()) guided += ")";
    fmt::print("  best: {} = {}{}, {} fault(s), {} faulty actor(s)\n", objective, number(b.eval.objective), guided,
               b.trial.schedule.size(), b.faulty);
  }
  if (verified) {
    fmt::print("  shrunk counterexample: {} = {}, {} fault(s), {} faulty actor(s), fingerprint 0x{:016x} (reproduced by {})\n",
               objective, number(verified->eval.objective), verified->trial.schedule.size(), verified->faulty,
               verified->eval.fingerprint, (dir / "shrunk.yaml").string());
    fmt::print("{}", schedule_words(verified->trial.schedule, "    "));
  } else {
    fmt::print("  no schedule broke the objective (a search, not a proof: docs/search.md)\n");
  }
  fmt::print("results: {}/ (report.md, search.csv, best.yaml{})\n", dir.string(), verified ? ", shrunk.yaml" : "");
  if (!opt.quiet) fmt::print(stderr, "{:.1f} s wall\n", wall);
}

}  // namespace oraclesim
