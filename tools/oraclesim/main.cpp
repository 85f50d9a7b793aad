// The oraclesim command line: run, sweep, validate, describe, report, bench.
// Exit codes: 0 ok, 1 run failure, 2 usage or validation error.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <exception>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <tuple>
#include <utility>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "analysis/metric_info.hpp"
#include "analysis/report/results.hpp"
#include "analysis/results/merge.hpp"
#include "analysis/subsystems.hpp"
#include "models/demo/phold.hpp"
#include "models/scenario/describe.hpp"
#include "models/scenario/diagnostic.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/study.hpp"
#include "sim/simulation.hpp"
#include "tools/oraclesim/ecosystem_bench.hpp"
#include "tools/oraclesim/git_commit.hpp"
#include "tools/oraclesim/mpi_sweep.hpp"
#include "tools/oraclesim/progress.hpp"
#include "tools/oraclesim/report_command.hpp"
#include "tools/oraclesim/search_command.hpp"
#include "tools/oraclesim/sweep_runner.hpp"

namespace {

namespace sc = models::scenario;

constexpr int kOk = 0, kRunFailure = 1, kUsage = 2;

std::string default_out(const sc::Study& st) { return "results/" + st.base.name; }

// A command-line problem found after parsing: exit 2 with the message.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using oraclesim::check_out_dir;

constexpr const char* kCommands[] = {"run", "sweep", "search", "merge", "validate", "describe", "report", "bench"};

// "I/N" with 0 <= I < N: a job array's task I of N.
std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto number = [&](const std::string& s) -> std::optional<std::uint64_t> {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(s);
  };
  const auto i = slash == std::string::npos ? std::nullopt : number(text.substr(0, slash));
  const auto n = slash == std::string::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!i || !n || *n == 0 || *i >= *n)
    throw UsageError(fmt::format("--shard: expected I/N with 0 <= I < N (e.g. 0/4, a job array's task 0 of 4), got '{}'", text));
  return {*i, *n};
}

void print_diagnostics(const sc::ScenarioError& e) {
  for (const auto& d : e.diagnostics()) fmt::print(stderr, "{}\n", d.to_string());
  fmt::print(stderr, "{} error{}\n", e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
}

// Prints an error the way every command reports it and returns its exit code (2: usage, validation or a results
// directory that cannot be used; 1: a run failed). `print` false: the code only (an MPI rank that leaves quietly).
int report_error(const std::exception_ptr& error, bool print = true) {
  try {
    std::rethrow_exception(error);
  } catch (const sc::ScenarioError& e) {
    if (print) print_diagnostics(e);
    return kUsage;
  } catch (const oraclesim::Interrupted& e) {
    if (print)
      fmt::print(stderr, "interrupted ({}): {} of {} runs finished and are written\n",
                 e.signal == SIGINT ? "SIGINT" : "SIGTERM", e.runs_done, e.runs_total);
    return 128 + e.signal;
  } catch (const std::exception& e) {
    if (print) fmt::print(stderr, "error: {}\n", e.what());
    const bool usage = dynamic_cast<const analysis::results::MergeError*>(&e) != nullptr ||
                       dynamic_cast<const oraclesim::ResumeError*>(&e) != nullptr ||
                       dynamic_cast<const UsageError*>(&e) != nullptr ||
                       dynamic_cast<const oraclesim::SearchUsageError*>(&e) != nullptr ||
                       dynamic_cast<const oraclesim::OutDirError*>(&e) != nullptr ||
                       dynamic_cast<const analysis::report::UsageError*>(&e) != nullptr;
    return usage ? kUsage : kRunFailure;
  }
}

int cmd_validate(const std::string& file, const std::vector<std::string>& sets) {
  const auto st = analysis::builtin_registry().load_study(file, sets);
  fmt::print("{}: ok ({} point{} x {} replication{} = {} runs)\n", file, st.points.size(),
             st.points.size() == 1 ? "" : "s", st.replications, st.replications == 1 ? "" : "s",
             st.points.size() * st.replications);
  return kOk;
}

int cmd_run(const std::string& file, std::vector<std::string> sets, const std::string* seed, std::string out,
            bool quiet, const std::vector<std::string>& argv) {
  if (seed) sets.push_back("seed=" + *seed);
  const auto full = analysis::builtin_registry().load_study(file, sets);
  if (full.has_sweep && !quiet) fmt::print(stderr, "note: `run` ignores the sweep: block; use `oraclesim sweep`\n");
  if (!full.base.search.faults.empty() && !quiet)
    fmt::print(stderr, "note: `run` ignores the search: block; use `oraclesim search`\n");
  const auto st = sc::single_run(full);
  oraclesim::SweepOptions opt;
  opt.out_dir = out.empty() ? default_out(st) : out;
  check_out_dir(opt.out_dir);
  opt.jobs = 1;
  opt.quiet = true;
  opt.command_line = argv;
  std::vector<analysis::results::RunRecord> records;
  {
    oraclesim::RunProgressBar bar(st.base.duration, quiet);
    if (bar.active()) opt.run_progress = [&bar](sim::Time now, std::uint64_t events) { bar.update(now, events); };
    records = oraclesim::execute(st, opt);
  }
  const auto& r = records.at(0);
  fmt::print("scenario {}: simulated {} (warm-up {}), seed {} (master {}, replication 0)\n", st.base.name,
             sim::to_string(st.base.duration), sim::to_string(st.base.warmup), r.seed, st.base.seed);
  std::size_t w = 11;
  for (const auto& [k, v] : r.metrics) w = std::max(w, k.size());
  fmt::print("  {:<{}}  {}\n", "metric", w, "value");
  for (const auto& [k, v] : r.metrics) fmt::print("  {:<{}}  {:.10g}\n", k, w, v);
  fmt::print("  {:<{}}  {}\n", "events", w, r.events);
  fmt::print("  {:<{}}  0x{:016x}\n", "fingerprint", w, r.fingerprint);
  fmt::print("  {:<{}}  {:.3f}\n", "wall_s", w, r.wall_s);
  fmt::print("results: {}/\n", opt.out_dir);
  if (auto it = r.metrics.find("faults_without_effect"); it != r.metrics.end() && it->second > 0)
    fmt::print(stderr, "warning: {} injected fault(s) had no effect (faults_without_effect); check their targets and times\n",
               it->second);
  return kOk;
}

void print_sweep_done(const sc::Study& st, const oraclesim::SweepOptions& opt, std::size_t runs, const std::string& layout) {
  if (opt.shard_count > 0)
    fmt::print(stderr, "{} runs (shard {}/{} of {} points x {} replications{}) in {}/; merge every shard with oraclesim "
                       "merge DIR... --out DIR\n",
               runs, opt.shard_index, opt.shard_count, st.points.size(), st.replications, layout, opt.out_dir);
  else
    fmt::print(stderr, "{} runs ({} points x {} replications{}) in {}/\n", runs, st.points.size(), st.replications, layout,
               opt.out_dir);
}

#if ORACLESIM_HAVE_MPI
// `sweep` on every process of an MPI job (mpi_sweep.hpp). Every rank loads the scenario; rank 0 speaks for the job
// when all of them fail alike, a rank that fails alone says so itself.
int cmd_sweep_mpi(const std::string& file, const std::vector<std::string>& sets, const std::string& out,
                  oraclesim::SweepOptions opt, bool quiet) {
  const oraclesim::mpi::World world;
  const bool root = world.rank() == 0;
  const auto rank_list = [](const std::vector<int>& ranks) {
    std::string s;
    for (const int r : ranks) s += (s.empty() ? "" : ", ") + std::to_string(r);
    return s;
  };
  std::optional<sc::Study> st;
  std::exception_ptr error;
  try {
    st.emplace(analysis::builtin_registry().load_study(file, sets));
    opt.out_dir = out.empty() ? default_out(*st) : out;
    check_out_dir(opt.out_dir);
  } catch (...) {
    error = std::current_exception();
  }
  if (const auto failed = world.failed_ranks(!error); !failed.empty()) {
    const bool root_failed = failed.front() == 0;
    if (error && !root && !root_failed) fmt::print(stderr, "oraclesim: MPI rank {} could not start the sweep:\n", world.rank());
    const int code = error ? report_error(error, root || !root_failed) : kUsage;
    if (root && !root_failed)
      fmt::print(stderr, "error: MPI rank(s) {} could not start the sweep (their messages are above); every rank must read "
                         "the same scenario file\n", rank_list(failed));
    return code;
  }
  // Every rank must run the same scenario with the same binary, or the runs would not be the sweep's.
  const std::string identity = fmt::format("oraclesim {} (commit {}), scenario hash {}", ORACLESIM_VERSION,
                                           oraclesim_git_commit(), st->hash);
  const std::string root_identity = world.root_text(identity);
  if (const auto failed = world.failed_ranks(identity == root_identity); !failed.empty()) {
    if (identity != root_identity)
      fmt::print(stderr, "error: MPI rank {} runs {}, rank 0 runs {}; every rank must run the same binary on the same "
                         "scenario file\n", world.rank(), identity, root_identity);
    return kUsage;
  }
  opt.quiet = quiet || !root;
  try {
    const auto records = oraclesim::mpi::execute(world, *st, opt);
    if (root && !quiet)
      print_sweep_done(*st, opt, records.size(), fmt::format(" on {} MPI ranks x {} threads", world.size(), opt.jobs));
    return kOk;
  } catch (const oraclesim::mpi::QuietExit& q) {
    return q.code;
  } catch (...) {
    return report_error(std::current_exception(), root);
  }
}
#endif

int cmd_sweep(const std::string& file, const std::vector<std::string>& sets, const std::string& out, unsigned jobs,
              bool resume, bool quiet, const std::string& shard, const std::vector<std::string>& argv) {
  oraclesim::SweepOptions opt;
  if (!shard.empty()) std::tie(opt.shard_index, opt.shard_count) = parse_shard(shard);
  opt.jobs = jobs;
  opt.resume = resume;
  opt.quiet = quiet;
  opt.command_line = argv;
#if ORACLESIM_HAVE_MPI
  if (oraclesim::mpi::launched()) return cmd_sweep_mpi(file, sets, out, opt, quiet);
#endif
  const auto st = analysis::builtin_registry().load_study(file, sets);
  opt.out_dir = out.empty() ? default_out(st) : out;
  check_out_dir(opt.out_dir);
  std::vector<analysis::results::RunRecord> records;
  try {
    records = oraclesim::execute(st, opt);
  } catch (const oraclesim::Interrupted& e) {
    std::string again;
    for (const auto& s : sets) again += " --set " + s;
    if (opt.shard_count > 0) again += fmt::format(" --shard {}/{}", opt.shard_index, opt.shard_count);
    fmt::print(stderr, "interrupted ({}): {} of {} runs finished and are written to {}/ (runs.csv, summary.csv); "
                       "resume with: oraclesim sweep {}{} --out {} --resume\n",
               e.signal == SIGINT ? "SIGINT" : "SIGTERM", e.runs_done, e.runs_total, opt.out_dir, file, again, opt.out_dir);
    return 128 + e.signal;
  }
  if (!quiet) print_sweep_done(st, opt, records.size(), "");
  return kOk;
}

int cmd_merge(const std::vector<std::string>& shards, const std::string& out, bool quiet,
              const std::vector<std::string>& argv) {
  check_out_dir(out);
  std::vector<std::filesystem::path> dirs(shards.begin(), shards.end());
  const auto m = analysis::results::merge_shards(dirs, out, argv);
  if (!quiet) fmt::print(stderr, "merged {} shards: {} runs in {}/\n", m.shards, m.runs, out);
  return kOk;
}

// `describe metrics [NAME]`: the metric reference (docs/metrics.md); NAME may be a runs.csv column.
int cmd_describe_metrics(const std::string& name, bool markdown) {
  const auto& reg = analysis::builtin_registry();
  if (markdown) {
    fmt::print("{}", analysis::describe_metrics_markdown(reg.metrics()));
    return kOk;
  }
  if (name.empty()) {
    fmt::print("{}", analysis::describe_metrics_text(reg.metrics()));
    return kOk;
  }
  if (const auto* m = reg.find_metric(name)) {
    fmt::print("{}", analysis::describe_metric_text(*m));
    return kOk;
  }
  std::string close;
  for (const auto& m : reg.metrics())
    if (m.name.find(name) != std::string::npos || name.find(m.name) != std::string::npos)
      close += (close.empty() ? "" : ", ") + m.name;
  fmt::print(stderr, "error: unknown metric '{}'{}; `oraclesim describe metrics` lists every metric\n", name,
             close.empty() ? "" : " (similar: " + close + ")");
  return kUsage;
}

// `describe fault-kinds [KIND]`: the fault kinds and byzantine behaviours (docs/fault-kinds.md).
int cmd_describe_fault_kinds(const std::string& kind, bool markdown) {
  const auto kinds = analysis::builtin_registry().fault_kinds();
  if (markdown) {
    fmt::print("{}", sc::describe_fault_kinds_markdown(kinds));
    return kOk;
  }
  const std::string text = sc::describe_fault_kinds_text(kinds, kind);
  if (text.empty()) {
    std::string all;
    for (const auto& k : kinds.kind_names()) all += (all.empty() ? "" : ", ") + k;
    fmt::print(stderr, "error: unknown fault kind '{}'; the kinds are: {}\n", kind, all);
    return kUsage;
  }
  fmt::print("{}", text);
  return kOk;
}

int cmd_describe(const std::vector<std::string>& what, bool markdown) {
  const std::string topic = what.empty() ? "" : what[0];
  const std::string name = what.size() > 1 ? what[1] : "";
  if (topic == "metrics") return cmd_describe_metrics(name, markdown);
  if (topic == "fault-kinds") return cmd_describe_fault_kinds(name, markdown);
  if (what.size() > 1) {
    fmt::print(stderr, "error: describe takes one KEY, or `metrics [NAME]`, or `fault-kinds [KIND]`; got {} words\n",
               what.size());
    return kUsage;
  }
  if (markdown) {
    if (!topic.empty()) {
      fmt::print(stderr, "error: --markdown prints the whole reference: drop '{}', or use `describe metrics --markdown` "
                         "or `describe fault-kinds --markdown`\n", topic);
      return kUsage;
    }
    fmt::print("{}", sc::describe_markdown(analysis::builtin_registry().schema()));
    return kOk;
  }
  const std::string text = sc::describe_text(analysis::builtin_registry().schema(), topic);
  if (text.empty()) {
    const std::string hint = analysis::builtin_registry().schema().suggest(topic);
    fmt::print(stderr, "error: unknown key '{}'{}\n", topic, hint.empty() ? "" : " (" + hint + ")");
    return kUsage;
  }
  fmt::print("{}", text);
  return kOk;
}

int cmd_bench_phold(std::uint32_t lps, std::uint32_t population, std::uint64_t events, std::uint64_t seed) {
  sim::Simulation s(seed, 0);
  models::demo::PholdConfig cfg;
  cfg.lps = lps;
  cfg.population = population;
  cfg.max_events = events;
  models::demo::Phold model(s, cfg);
  model.start();
  const auto t0 = std::chrono::steady_clock::now();  // timing output only
  s.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("phold lps={} population={} events={} wall_s={:.3f} events/s={:.0f} fingerprint={:016x}\n", lps,
             population, model.handled(), wall, static_cast<double>(model.handled()) / wall, s.fingerprint());
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"oraclesim: a deterministic discrete-event simulator of the Chainlink oracle ecosystem"};
  const std::string commit = oraclesim_git_commit();
  app.set_version_flag("--version", fmt::format("oraclesim {} (commit {})", ORACLESIM_VERSION,
                                                commit.empty() ? "unknown" : commit));
  app.require_subcommand(1);
  const std::vector<std::string> args(argv, argv + argc);

  std::string file, out, seed;
  std::vector<std::string> describe_what;
  std::vector<std::string> sets;
  bool quiet = false, resume = false, markdown = false;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());

  auto* run = app.add_subcommand("run", "Run one scenario once (its sweep: block is ignored) and print its metrics");
  run->add_option("file", file, "Scenario YAML file")->required();
  auto* seed_opt = run->add_option("--seed", seed, "Master seed (overrides seed:)");
  run->add_option("--set", sets, "Override a key: key.path=value (repeatable)");
  run->add_option("--out", out, "Results directory (default results/<name>)");
  run->add_flag("--quiet", quiet, "No notes on stderr");

  auto* sweep = app.add_subcommand("sweep", "Run every point and replication of a scenario's sweep");
  sweep->add_option("file", file, "Scenario YAML file")->required();
  auto* jobs_opt = sweep->add_option("--jobs,-j", jobs, "Parallel runs, 1..1024 (default: all cores; under MPI: per rank, "
                                                    "default 1)")
                      ->check(CLI::Range(1u, 1024u));
  sweep->add_option("--out", out, "Results directory (default results/<name>)");
  sweep->add_flag("--resume", resume, "Keep the finished runs of --out and run only the missing ones");
  sweep->add_flag("--quiet", quiet, "No progress on stderr");
  sweep->add_option("--set", sets, "Override a key: key.path=value (repeatable)");
  std::string shard;
  sweep->add_option("--shard", shard,
                    "Run only shard I of N (I/N, 0 <= I < N: runs k = point * replications + replication with k mod N = I), "
                    "e.g. --shard $SLURM_ARRAY_TASK_ID/32 --out DIR/shard-$SLURM_ARRAY_TASK_ID (docs/cluster.md); "
                    "then oraclesim merge");
  sweep->footer(fmt::format(
      "MPI: mpirun -np N oraclesim sweep FILE --out DIR shares the runs among N processes as they ask for work; rank 0 "
      "writes the results and runs too; add --jobs for threads per rank (docs/cluster.md). {}",
      oraclesim::mpi::kBuilt ? std::string("This oraclesim is built with MPI.")
                             : fmt::format("This oraclesim is built without MPI: {}.", oraclesim::mpi::kHowToGetMpi)));

  oraclesim::SearchOptions search_opt;
  std::uint64_t search_budget = 0;
  auto* search = app.add_subcommand("search", "Chaos search: generate fault schedules within the scenario's search: block, keep "
                                              "those that maximise an objective metric, shrink the best counterexample to a "
                                              "minimal scenario (docs/search.md)");
  search->add_option("file", file, "Scenario YAML file with a search: block")->required();
  search->add_option("--objective", search_opt.objective,
                     "Run metric to maximise, a runs.csv column (e.g. safety_violations, single.client_gap_s_max); default: "
                     "search.objective");
  auto* budget_opt = search->add_option("--budget", search_budget, "Runs of the search, 1..1000000 (default: search.budget); "
                                                                   "the shrinker has its own search.shrink_budget")
                         ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000}));
  search->add_option("--jobs,-j", jobs, "Parallel runs, 1..1024 (default: all cores); results do not depend on it")
                          ->check(CLI::Range(1u, 1024u));
  search->add_option("--out", out, "Results directory (default results/<name>-search)");
  search->add_flag("--resume", resume, "Keep the runs in --out's journal and run only the missing ones");
  search->add_flag("--quiet", quiet, "No progress on stderr");
  search->add_option("--set", sets, "Override a key: key.path=value (repeatable)");

  std::vector<std::string> shard_dirs;
  auto* merge = app.add_subcommand("merge", "Merge the shard directories of a sweep (sweep --shard I/N) into the results one sweep writes");
  merge->add_option("shards", shard_dirs, "Shard directories, every shard once (e.g. results/x/shard-*)")->required();
  merge->add_option("--out", out, "Results directory to write (new or empty)")->required();
  merge->add_flag("--quiet", quiet, "No summary on stderr");

  auto* validate = app.add_subcommand("validate", "Check a scenario and report every error (exit 2 on errors)");
  validate->add_option("file", file, "Scenario YAML file")->required();
  validate->add_option("--set", sets, "Override a key: key.path=value (repeatable)");

  auto* describe = app.add_subcommand(
      "describe", "Print a reference: the scenario keys (every key, or KEY and the keys under it), the metrics, the fault kinds");
  describe->add_option("what", describe_what,
                       "KEY (e.g. duration, demo.lps, feeds.ocr), `metrics [NAME]` (NAME: a metric or runs.csv column) or "
                       "`fault-kinds [KIND]`")
      ->expected(0, 2);
  describe->add_flag("--markdown", markdown,
                     "Print the whole reference as Markdown: docs/scenarios.md, docs/metrics.md (with metrics) or "
                     "docs/fault-kinds.md (with fault-kinds)");

  oraclesim::ReportArgs report_args;
  auto* report = oraclesim::add_report_command(app, report_args);

  auto* bench = app.add_subcommand("bench", "Benchmarks: the engine (phold) and a day of Ethereum's oracle traffic (ecosystem)");
  bench->require_subcommand(1);
  auto* phold = bench->add_subcommand("phold", "PHOLD through the public Simulation API");
  std::uint32_t lps = 1024, population = 16;
  std::uint64_t events = 10'000'000, bseed = 1;
  phold->add_option("--lps", lps, "Logical processes, 1..16777216")->check(CLI::Range(1u, 1u << 24));
  phold->add_option("--population", population, "Initial events per LP, 1..65536")->check(CLI::Range(1u, 1u << 16));
  phold->add_option("--events", events, "Events to process, 1..10^12")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000'000}));
  phold->add_option("--seed", bseed, "Master seed");
  auto* ecosystem = bench->add_subcommand(
      "ecosystem", "N price feeds in the Ethereum mix (facts §5; OCR2 at DeltaRound 20 s and per-node feeds), requests and a "
                   "Data Streams DON on one chain: events, CPU seconds, events per CPU second, peak memory");
  oraclesim::EcosystemBenchOptions eco;
  bool print_scenario = false;
  ecosystem->add_option("--feeds", eco.feeds, "Price feeds, 1..5000")->check(CLI::Range(std::size_t{1}, std::size_t{5000}));
  ecosystem->add_option("--hours", eco.hours, "Simulated hours, 0.001 .. 8760")->check(CLI::Range(1e-3, 8760.0));
  ecosystem->add_option("--flux-share", eco.flux_share, "Share of the synthetic feeds aggregated per node, 0..1")
      ->check(CLI::Range(0.0, 1.0));
  ecosystem->add_option("--seed", eco.seed, "Master seed");
  ecosystem->add_flag("--print-scenario", print_scenario, "Print the generated scenario (YAML) instead of running it");
  ecosystem->add_flag("--quiet", quiet, "No progress bar");

  if (argc >= 2 && argv[1][0] != '-') {
    const std::string cmd = argv[1];
    if (std::find(std::begin(kCommands), std::end(kCommands), cmd) == std::end(kCommands)) {
      std::string list;
      for (const char* c : kCommands) list += (list.empty() ? "" : ", ") + std::string(c);
      fmt::print(stderr, "error: unknown command '{}' (the commands are {}; see oraclesim --help)\n", cmd, list);
      return kUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  // Under an MPI launcher every process runs this command: only an MPI build's `sweep` shares the work.
  if (const auto ranks = oraclesim::mpi::launched(); ranks && *ranks != 1) {
    const std::string many = *ranks > 1 ? fmt::format("{} processes", *ranks) : std::string("several processes");
    const bool speaks = oraclesim::mpi::launched_rank() == 0;  // every rank refuses alike; rank 0 says why
    if (!*sweep) {
      if (speaks)
        fmt::print(stderr, "error: started by an MPI launcher ({}); only `oraclesim sweep` runs under MPI (each process "
                         "would run this command whole)\n", many);
      return kUsage;
    }
    if (!oraclesim::mpi::kBuilt) {
      if (speaks)
        fmt::print(stderr, "error: started by an MPI launcher ({}), but this oraclesim was built without MPI: each process "
                         "would run the whole sweep into the same directory; {}, or run the sweep with --jobs threads\n",
                 many, oraclesim::mpi::kHowToGetMpi);
      return kUsage;
    }
  }
  try {
    if (*run) return cmd_run(file, sets, *seed_opt ? &seed : nullptr, out, quiet, args);
    if (*sweep && oraclesim::mpi::launched() && jobs_opt->count() == 0) jobs = 1;  // the ranks are the parallelism
    if (*sweep) return cmd_sweep(file, sets, out, jobs, resume, quiet, shard, args);
    if (*search) {
      search_opt.file = file;
      search_opt.sets = sets;
      if (budget_opt->count() > 0) search_opt.budget = search_budget;
      search_opt.jobs = jobs;
      search_opt.out_dir = out;
      search_opt.resume = resume;
      search_opt.quiet = quiet;
      try {
        oraclesim::run_search_command(search_opt);
      } catch (const oraclesim::Interrupted& e) {
        std::string again;
        for (const auto& x : sets) again += " --set " + x;
        if (!search_opt.objective.empty()) again += " --objective " + search_opt.objective;
        if (search_opt.budget) again += fmt::format(" --budget {}", *search_opt.budget);
        fmt::print(stderr, "interrupted ({}): {} runs are in the journal; resume with: oraclesim search {}{}{} --resume\n",
                   e.signal == SIGINT ? "SIGINT" : "SIGTERM", e.runs_done, file, again, out.empty() ? "" : " --out " + out);
        return 128 + e.signal;
      }
      return kOk;
    }
    if (*merge) return cmd_merge(shard_dirs, out, quiet, args);
    if (*validate) return cmd_validate(file, sets);
    if (*describe) return cmd_describe(describe_what, markdown);
    if (*report) return oraclesim::run_report_command(report_args);
    if (*phold) return cmd_bench_phold(lps, population, events, bseed);
    if (*ecosystem) return oraclesim::run_ecosystem_bench(eco, print_scenario, quiet);
  } catch (...) {
    return report_error(std::current_exception());
  }
  return kOk;
}
