#pragma once
// The scenario reference, generated from the schema: `oraclesim describe [KEY]` prints it as text and
// `oraclesim describe --markdown` as docs/scenarios.md (checked in; a test keeps the two equal).
#include <string>

#include "models/scenario/schema.hpp"

namespace models::scenario {

// Every key (or the keys at/under `key`) as plain text. Returns "" if `key` names nothing.
std::string describe_text(const Schema& schema, const std::string& key = "");
// The whole reference as Markdown, exactly the content of docs/scenarios.md.
std::string describe_markdown(const Schema& schema);

}  // namespace models::scenario
