#pragma once
// The scenario reference, generated from the schema: `oraclesim describe [KEY]` prints it as text and
// `oraclesim describe --markdown` as docs/scenarios.md (checked in; a test keeps the two equal).
#include <string>

#include "models/faults/fault_kind_registry.hpp"
#include "models/scenario/schema.hpp"

namespace models::scenario {

// Every key (or the keys at/under `key`) as plain text. Returns "" if `key` names nothing.
std::string describe_text(const Schema& schema, const std::string& key = "");
// The whole reference as Markdown, exactly the content of docs/scenarios.md.
std::string describe_markdown(const Schema& schema);

// The fault kinds (`oraclesim describe fault-kinds [KIND]`): each kind's targets, params, what it does and its effect
// metrics, then the byzantine behaviours per model. Returns "" if `kind` names no kind.
std::string describe_fault_kinds_text(const faults::FaultKindRegistry& kinds, const std::string& kind = "");
// The same as Markdown, exactly docs/fault-kinds.md.
std::string describe_fault_kinds_markdown(const faults::FaultKindRegistry& kinds);

}  // namespace models::scenario
