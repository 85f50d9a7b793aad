// The MPI sweep (mpi_sweep.hpp). The protocol, on MPI_COMM_WORLD, between rank 0 and each other rank r:
//   r -> 0  kRequest            one per thread of r at the start, and one after each run r finishes
//   0 -> r  kTask (point, rep)  or kNone when no task is left (or the sweep failed): that thread of r stops
//   r -> 0  kResult (the run)   or kFailed (task, message), always before that thread's next kRequest
//   r -> 0  kBye                once every thread of r got its kNone: nothing more comes from r
// Messages between two ranks are not overtaken (MPI's ordering), so a kBye follows every result of its rank.
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <fmt/core.h>

#include "tools/oraclesim/mpi_sweep.hpp"
#include "tools/oraclesim/sweep_session.hpp"

namespace oraclesim::mpi {

namespace res = analysis::results;

namespace {

enum Tag : int { kRequest = 1, kTask, kNone, kResult, kFailed, kBye };
constexpr auto kIdlePoll = std::chrono::milliseconds(1);

// Length-prefixed fields (8-byte little-endian lengths) in one byte string.
void put(std::string& out, std::string_view field) {
  std::uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(field);
}

std::string_view take(std::string_view& in) {
  if (in.size() < 8) throw std::runtime_error("MPI sweep: truncated message");
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(8);
  if (in.size() < n) throw std::runtime_error("MPI sweep: truncated message");
  const std::string_view field = in.substr(0, n);
  in.remove_prefix(n);
  return field;
}

std::string pack_task(const Task& t) {
  std::string out;
  put(out, std::to_string(t.point));
  put(out, std::to_string(t.replication));
  return out;
}

Task unpack_task(std::string_view in) {
  const std::string p(take(in)), r(take(in));
  return {std::stoull(p), std::stoull(r)};
}

// A finished run travels as its journal line (exact: the same text resume reads) and its two files.
std::string pack_run(const FinishedRun& run) {
  std::string out;
  put(out, res::journal_line(run.record));
  put(out, run.timeseries_csv);
  put(out, run.faults_csv);
  return out;
}

FinishedRun unpack_run(std::string_view in) {
  FinishedRun run;
  const auto rec = res::parse_journal_line(std::string(take(in)));
  if (!rec) throw std::runtime_error("MPI sweep: a run arrived unreadable");
  run.record = *rec;
  run.timeseries_csv = take(in);
  run.faults_csv = take(in);
  return run;
}

void send(int to, Tag tag, const std::string& payload = {}) {
  MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

// The next message for this rank, if one is waiting.
struct Message {
  int from = 0;
  Tag tag = kRequest;
  std::string payload;
};

std::optional<Message> poll(int from) {
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&st, MPI_BYTE, &count);
  Message m;
  m.from = st.MPI_SOURCE;
  m.tag = static_cast<Tag>(st.MPI_TAG);
  m.payload.resize(static_cast<std::size_t>(count));
  MPI_Recv(m.payload.data(), count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return m;
}

[[noreturn]] void protocol_error(const std::string& what) {
  fmt::print(stderr, "oraclesim: MPI sweep protocol error: {}\n", what);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();
}

// Rank 0 after a stop signal: the finished runs are written and the process ends now (mpirun is tearing the job
// down and will kill it shortly; the runs in flight are lost, --resume runs them again).
[[noreturn]] void stop_now(SweepSession& session, const SweepOptions& opt) {
  const int sig = StopSignals::stop_signal();
  const std::uint64_t n = session.write_partial();
  if (n > 0)
    fmt::print(stderr,
               "oraclesim: the MPI sweep stopped ({}: a rank died, or mpirun or the scheduler stopped the job): {} of {} "
               "runs finished and are written to {}/ (runs.jsonl, runs.csv, summary.csv); the runs in flight are lost; "
               "resume with the same command and --resume, under mpirun or with threads\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM", n, session.runs_total(), opt.out_dir);
  else
    fmt::print(stderr, "oraclesim: the MPI sweep stopped ({}) before any run finished; nothing was written\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stderr);
  std::_Exit(128 + sig);
}

std::vector<res::RunRecord> run_root(const World& world, const models::scenario::Study& study, const SweepOptions& opt,
                                     SweepSession& session) {
  const StopSignals signals(/*immediate=*/true);
  const auto& tasks = session.tasks();
  std::mutex mu;
  std::size_t next = 0;
  const auto take_task = [&]() -> std::optional<Task> {
    std::lock_guard lock(mu);
    if (!session.accepting() || next >= tasks.size()) return std::nullopt;
    return tasks[next++];
  };

  std::atomic<unsigned> local_running{0};
  const auto worker = [&] {
    while (const auto t = take_task()) {
      try {
        session.record(run_task(study, *t));
      } catch (const std::exception& e) {
        session.fail(*t, e.what());
      }
    }
    local_running.fetch_sub(1);
  };
  std::vector<std::thread> pool;
  local_running.store(opt.jobs);
  for (unsigned k = 0; k < opt.jobs; ++k) pool.emplace_back(worker);

  int remote = world.size() - 1;
  while (remote > 0 || local_running.load() > 0) {
    if (StopSignals::stop_signal() != 0) stop_now(session, opt);
    auto m = poll(MPI_ANY_SOURCE);
    if (!m) {
      std::this_thread::sleep_for(kIdlePoll);
      continue;
    }
    switch (m->tag) {
      case kRequest:
        if (const auto t = take_task())
          send(m->from, kTask, pack_task(*t));
        else
          send(m->from, kNone);
        break;
      case kResult:
        try {
          session.record(unpack_run(m->payload));
        } catch (const std::exception& e) {
          session.fail(fmt::format("a run from MPI rank {} could not be written: {}", m->from, e.what()));
        }
        break;
      case kFailed: {
        std::string_view in = m->payload;
        const Task t = unpack_task(take(in));
        session.fail(t, fmt::format("{} (on MPI rank {})", take(in), m->from));
        break;
      }
      case kBye:
        --remote;
        break;
      default:
        protocol_error(fmt::format("unexpected message tag {} from rank {}", static_cast<int>(m->tag), m->from));
    }
  }
  for (auto& th : pool) th.join();
  return session.finish();
}

// SIGINT and SIGTERM ignored for the object's lifetime.
class IgnoredStopSignals {
 public:
  IgnoredStopSignals() : int_(std::signal(SIGINT, SIG_IGN)), term_(std::signal(SIGTERM, SIG_IGN)) {}
  ~IgnoredStopSignals() {
    std::signal(SIGINT, int_);
    std::signal(SIGTERM, term_);
  }
  IgnoredStopSignals(const IgnoredStopSignals&) = delete;
  IgnoredStopSignals& operator=(const IgnoredStopSignals&) = delete;

 private:
  void (*int_)(int);
  void (*term_)(int);
};

// A rank other than 0: opt.jobs threads, each asking rank 0 for one task at a time.
void run_worker(const World& world, const models::scenario::Study& study, const SweepOptions& opt) {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Task> inbox;
  bool closed = false;
  std::deque<std::pair<Tag, std::string>> outbox;

  const auto worker = [&] {
    for (;;) {
      Task t;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return !inbox.empty() || closed; });
        if (inbox.empty()) return;
        t = inbox.front();
        inbox.pop_front();
      }
      std::pair<Tag, std::string> out;
      try {
        out = {kResult, pack_run(run_task(study, t))};
      } catch (const std::exception& e) {
        std::string payload;
        put(payload, pack_task(t));
        put(payload, e.what());
        out = {kFailed, std::move(payload)};
      }
      std::lock_guard lock(mu);
      outbox.push_back(std::move(out));
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < opt.jobs; ++k) pool.emplace_back(worker);

  // A stop signal is rank 0's to act on. mpirun tears a job down by signalling every rank (SIGCONT, then SIGTERM,
  // then SIGKILL a second later), but SIGKILLs the rest at once when a second rank dies: a rank that died of the
  // SIGTERM would cut short rank 0's writing of the finished runs. Rank 0 ends the job when it has written them.
  const IgnoredStopSignals ignored;

  const std::uint64_t kill_at = kill_after(world.rank());
  std::uint64_t sent = 0;

  for (unsigned k = 0; k < opt.jobs; ++k) send(0, kRequest);
  unsigned nones = 0;
  while (nones < opt.jobs) {
    bool busy = false;
    while (auto m = poll(0)) {
      busy = true;
      if (m->tag == kTask) {
        std::lock_guard lock(mu);
        inbox.push_back(unpack_task(m->payload));
        cv.notify_all();
      } else if (m->tag == kNone) {
        ++nones;
      } else {
        protocol_error(fmt::format("unexpected message tag {} from rank 0", static_cast<int>(m->tag)));
      }
    }
    std::deque<std::pair<Tag, std::string>> ready;
    {
      std::unique_lock lock(mu);
      if (!busy) cv.wait_for(lock, kIdlePoll, [&] { return !outbox.empty(); });
      ready.swap(outbox);
    }
    for (auto& [tag, payload] : ready) {
      send(0, tag, payload);
      if (tag == kResult && ++sent == kill_at) std::raise(SIGKILL);
      send(0, kRequest);
    }
  }
  {
    std::lock_guard lock(mu);
    closed = true;
    cv.notify_all();
  }
  for (auto& th : pool) th.join();
  send(0, kBye);
}

}  // namespace

World::World() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not support MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

World::~World() { MPI_Finalize(); }

std::vector<int> World::failed_ranks(bool ok) const {
  const int mine = ok ? 0 : 1;
  std::vector<int> all(static_cast<std::size_t>(size_));
  MPI_Allgather(&mine, 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD);
  std::vector<int> failed;
  for (int r = 0; r < size_; ++r)
    if (all[static_cast<std::size_t>(r)] != 0) failed.push_back(r);
  return failed;
}

std::string World::root_text(const std::string& text) const {
  int n = static_cast<int>(text.size());
  MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string root(static_cast<std::size_t>(n), '\0');
  if (rank_ == 0) root = text;
  MPI_Bcast(root.data(), n, MPI_CHAR, 0, MPI_COMM_WORLD);
  return root;
}

std::string World::hosts() const {
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int len = 0;
  MPI_Get_processor_name(name, &len);
  std::vector<char> all(static_cast<std::size_t>(size_) * MPI_MAX_PROCESSOR_NAME);
  MPI_Gather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all.data(), MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0, MPI_COMM_WORLD);
  std::set<std::string> distinct;
  for (int r = 0; r < size_; ++r) {
    const char* h = all.data() + static_cast<std::size_t>(r) * MPI_MAX_PROCESSOR_NAME;
    distinct.insert(std::string(h, strnlen(h, MPI_MAX_PROCESSOR_NAME)));
  }
  std::string out;
  for (const auto& h : distinct) out += (out.empty() ? "" : ",") + h;
  return out;
}

std::vector<res::RunRecord> execute(const World& world, const models::scenario::Study& study, const SweepOptions& opt) {
  const std::string hosts = world.hosts();
  if (world.rank() != 0) {
    // Rank 0's verdict on the results directory (resume check) first.
    int go = 0;
    MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!go) throw QuietExit{2};
    run_worker(world, study, opt);
    return {};
  }
  std::optional<SweepSession> session;
  std::exception_ptr error;
  try {
    session.emplace(study, opt, static_cast<unsigned>(world.size()));
    session->set_host(hosts);
  } catch (...) {
    error = std::current_exception();
  }
  int go = error ? 0 : 1;
  MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (error) std::rethrow_exception(error);
  return run_root(world, study, opt, *session);
}

}  // namespace oraclesim::mpi
