#pragma once
// How leo-ask prints results: text for a terminal, JSON, JSON lines, TREC runs or Markdown.

#include <cstddef>
#include <leo/searcher.hpp>
#include <string>

namespace leo_ask {

/// How results are printed, from --format, --color and the terminal.
struct Output {
    std::string format = "text";
    bool color = false;
    std::size_t width = 0; ///< terminal columns to wrap text to; 0 when not a terminal
    std::string run_tag = "leo";
};

/// Prints `results` to stdout in `out`'s format, `qid` naming them in a run of several
/// (--format jsonl and trec); warnings of shards that did not answer go to stderr.
void print(const leo::Results& results, const std::string& qid, const Output& out, bool explain);

} // namespace leo_ask
