// libFuzzer harness of the scenario loader and validator (docs/testing.md#fuzzing): arbitrary bytes in as a
// scenario file's text; the loader must either return a validated study or throw ScenarioError (the exit-2
// path of every command). Anything else (another exception, a crash, a hang, a leak, a sanitizer report) is a
// finding. `extends:` is refused for text, so the harness reads no files.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/subsystems.hpp"
#include "models/scenario/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const analysis::Registry& registry = analysis::builtin_registry();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const models::scenario::Study study = models::scenario::load_study_text(registry.schema(), text, "fuzz.yaml");
    // A study that loads must describe itself without throwing (what `validate` prints).
    (void)study.points.size();
  } catch (const models::scenario::ScenarioError& e) {
    (void)e.what();  // the message every command prints, built as it would be
  }
  return 0;
}
