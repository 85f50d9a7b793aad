#include "analysis/report/gnuplot.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace analysis::report {

namespace {

const char* const kInstallHint = "install it with `apt-get install gnuplot-nox` (Debian package gnuplot-nox)";

bool executable(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string tail_of(const std::filesystem::path& file, std::size_t max_chars) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (text.size() > max_chars) text = "..." + text.substr(text.size() - max_chars);
  return text;
}

}  // namespace

std::filesystem::path find_gnuplot(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    if (executable(program)) return program;
    throw GnuplotError("report: gnuplot not found at " + program + "; " + kInstallHint);
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / program;
    if (executable(candidate)) return candidate;
    start = end + 1;
  }
  throw GnuplotError("report: the plots need gnuplot, but `" + program + "` is not on PATH; " + kInstallHint);
}

void run_gnuplot(const std::filesystem::path& gnuplot, const std::filesystem::path& script,
                 const std::filesystem::path& workdir, const std::filesystem::path& log) {
  // Everything the child needs is prepared before fork(): only async-signal-safe calls happen after it.
  const std::string program = gnuplot.string();
  const std::string script_arg = std::filesystem::absolute(script).string();
  const std::string dir = workdir.string();
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw GnuplotError("report: cannot write " + log.string() + ": " + std::strerror(errno));
  std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>(script_arg.c_str()), nullptr};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    throw GnuplotError(std::string("report: cannot start gnuplot: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw GnuplotError(std::string("report: waiting for gnuplot: ") + std::strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string code = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                               : "signal " + std::to_string(WTERMSIG(status));
    throw GnuplotError("report: gnuplot failed (" + code + ") on " + script.string() + "; its output (" +
                       log.string() + "):\n" + tail_of(log, 2000));
  }
}

std::string gnuplot_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "''";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  out += '\'';
  return out;
}

}  // namespace analysis::report
