#include "tools/oraclesim/sweep_runner.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <thread>

#include <fmt/core.h>

#include "tools/oraclesim/sweep_session.hpp"

namespace oraclesim {

void check_out_dir(const std::string& dir) {
  const std::filesystem::path out(dir);
  for (std::filesystem::path p = out; !p.empty(); p = p.parent_path()) {
    std::error_code ec;
    if (std::filesystem::exists(p, ec) && !std::filesystem::is_directory(p, ec))
      throw OutDirError(p == out ? fmt::format("--out: '{}' exists and is not a directory; results go into a directory", dir)
                                 : fmt::format("--out: '{}' is under '{}', which is not a directory; results go into a directory",
                                               dir, p.string()));
    if (p == p.parent_path()) break;
  }
}

std::vector<analysis::results::RunRecord> execute(const models::scenario::Study& study, const SweepOptions& opt) {
  SweepSession session(study, opt);
  const StopSignals signals;
  const auto& tasks = session.tasks();
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    while (session.accepting()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= tasks.size()) return;
      try {
        session.record(run_task(study, tasks[i], opt.run_progress));
      } catch (const std::exception& e) {
        session.fail(tasks[i], e.what());
      }
    }
  };
  const unsigned n = std::max(1u, std::min<unsigned>(opt.jobs, static_cast<unsigned>(std::max<std::size_t>(1, tasks.size()))));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < n; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  return session.finish();
}

}  // namespace oraclesim
