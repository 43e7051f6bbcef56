#pragma once
/// @file json.hpp
/// leo's JSON for answers, as `leo-ask --json` prints it and `leo-serve` answers it; the schema
/// is docs/json.md.

#include <leo/searcher.hpp>
#include <string>

namespace leo {

/// How to write the JSON.
struct JsonOptions {
    int indent = -1;      ///< spaces per level; -1 for one line
    bool explain = false; ///< include each hit's `explanation`
    std::string qid;      ///< a `qid` field when not empty (`leo-ask --batch`)
};

/// One `Results` as a JSON object. Invalid UTF-8 is written as U+FFFD and every control
/// character as an escape, so the text is safe to print to a terminal.
[[nodiscard]] std::string results_json(const Results& results, const JsonOptions& options = {});

/// One `Suggestions` as `{"version", "query", "completions", "hits", ...}`: the fields of
/// results_json() plus `completions`.
[[nodiscard]] std::string suggestions_json(const Suggestions& suggestions,
                                           const JsonOptions& options = {});

} // namespace leo
