#pragma once
// Runs the built oraclesim binary from tests: exit code, stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace oraclesim_test {

inline std::string binary() { return std::string(ORACLESIM_BINARY_DIR) + "/tools/oraclesim"; }
inline std::string source(const std::string& rel) { return std::string(ORACLESIM_SOURCE_DIR) + "/" + rel; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string quote(const std::string& s) {
  std::string r = "'";
  for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return r + "'";
}

// A fresh temporary directory, removed with the object.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "oraclesim-test-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

struct Result {
  int code = -1;  // exit code; 128 + signal when killed
  std::string out, err;
};

// `env` is a prefix such as "ORACLESIM_TEST_KILL_AFTER=3 "; `launcher` one such as "mpirun -np 3 ".
inline Result run(const std::vector<std::string>& args, const std::string& env = "", const std::string& launcher = "") {
  TempDir t;
  std::string cmd = env + launcher + quote(binary());
  for (const auto& a : args) {
    cmd += ' ';
    cmd += quote(a);
  }
  cmd += std::string(" > ") + quote((t.path / "out").string());
  cmd += std::string(" 2> ") + quote((t.path / "err").string());
  const int status = std::system(cmd.c_str());
  Result r;
  if (WIFEXITED(status)) r.code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) r.code = 128 + WTERMSIG(status);
  r.out = read_file(t.path / "out");
  r.err = read_file(t.path / "err");
  return r;
}

inline std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) v.push_back(line);
  return v;
}

// runs.csv without its last column (wall_s, the only one that differs between runs of one sweep); checks the
// header really ends in wall_s.
inline std::string without_wall(const std::string& csv) {
  std::string out;
  bool header = true;
  for (const auto& line : lines_of(csv)) {
    const auto comma = line.rfind(',');
    if (header) {
      EXPECT_EQ(line.substr(comma + 1), "wall_s");
    }
    header = false;
    out += line.substr(0, comma) + "\n";
  }
  return out;
}

}  // namespace oraclesim_test
