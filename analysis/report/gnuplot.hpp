#pragma once
// Drawing plots with gnuplot (Debian package gnuplot-nox) run as a subprocess on a generated script.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace analysis::report {

// Raised when gnuplot is missing or fails; the message says what to install or where its output is.
struct GnuplotError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Resolves `program` ("gnuplot", or a path) to an executable file, searching PATH when it has no '/'.
// Throws GnuplotError naming the Debian package to install when it is not found.
std::filesystem::path find_gnuplot(const std::string& program);

// Runs `gnuplot script` with `workdir` as the working directory (so relative output names land there),
// sending gnuplot's output to `log`. Throws GnuplotError with the log's tail when gnuplot exits non-zero.
void run_gnuplot(const std::filesystem::path& gnuplot, const std::filesystem::path& script,
                 const std::filesystem::path& workdir, const std::filesystem::path& log);

// A gnuplot single-quoted string literal ('it''s').
std::string gnuplot_quote(std::string_view text);

}  // namespace analysis::report
