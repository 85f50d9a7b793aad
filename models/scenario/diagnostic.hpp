#pragma once
// Located scenario errors. Every problem found while loading a scenario names the file, line and column where
// the offending key or value was written (in the file that wrote it, through `extends:`), the key path, and
// what was expected. Loading collects all of them before failing.
#include <stdexcept>
#include <string>
#include <vector>

namespace models::scenario {

struct Location {
  std::string file;  // as given (relative paths stay relative), or "--set" for command-line overrides
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based
  bool known() const { return line > 0; }
  std::string to_string() const;  // "file:line:column" or "file"
};

struct Diagnostic {
  Location where;
  std::string path;     // key path, e.g. "demo.lps", "sweep.grid", "feeds[0].oracles"; empty if none
  std::string message;  // what is wrong and what was expected
  std::string to_string() const;  // "file:line:column: path: message"
};

using Diagnostics = std::vector<Diagnostic>;

// Thrown with every problem found; what() lists them one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(Diagnostics d);
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

}  // namespace models::scenario
