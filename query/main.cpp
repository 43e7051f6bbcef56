// leo-ask: options → Config → Searcher → print. No ranking logic here.

#include "print.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <leo/leo.hpp>
#include <leo_tool/exit_codes.hpp>
#include <leo_tool/settings.hpp>
#include <leo_tool/tool.hpp>
#include <sstream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace {

using leo_ask::Output;
using leo_ask::print;

// A whole decimal number from `low` to `high`, handed on as plain digits: CLI11 alone reads
// `-1` as 2^64-1 and `010` as octal 8, so `-n -1` would silently mean "all of them".
CLI::Validator count_in(std::size_t low, std::size_t high) {
    return CLI::Validator(
        [low, high](std::string& value) -> std::string {
            std::size_t n = 0;
            const char* end = value.data() + value.size();
            auto [stop, error] = std::from_chars(value.data(), end, n);
            if (value.empty() || error != std::errc() || stop != end || n < low || n > high) {
                return fmt::format("must be a whole number from {} to {}, not '{}'", low, high,
                                   leo::printable_name(value));
            }
            value = std::to_string(n);
            return {};
        },
        fmt::format("{}..{}", low, high));
}

// A prompt, question after question, until end of input or `quit`.
int ask_interactively(leo::Searcher& searcher, leo::Query query, const Output& out, bool explain) {
    // One open index for the whole session; each question sees the newest commit.
    const bool prompt = isatty(STDIN_FILENO);
    std::string line;
    bool any = false;
    while (true) {
        if (prompt) {
            fmt::print("leo> ");
            std::fflush(stdout);
        }
        if (!std::getline(std::cin, line) || line == "quit" || line == "exit") {
            break;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            continue;
        }
        searcher.reopen();
        query.text = line;
        auto results = searcher.search(query);
        any = any || !results.hits.empty();
        print(results, "", out, explain);
    }
    if (prompt) {
        fmt::print("\n");
    }
    return any ? leo::exit_code::ok : leo::exit_code::no_results;
}

// `qid<TAB>query` lines (or bare queries, numbered), one result list each.
int ask_batch(leo::Searcher& searcher, leo::Query query, const std::string& batch,
              const Output& out, bool explain) {
    std::ifstream file;
    if (batch != "-") {
        file.open(batch);
        if (!file) {
            fmt::print(stderr, "leo-ask: cannot read batch file '{}'\n",
                       leo::printable_name(batch));
            return leo::exit_code::usage;
        }
    }
    std::istream& in = batch == "-" ? std::cin : file;
    std::string line;
    bool any = false;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        auto tab = line.find('\t');
        std::string qid = tab == std::string::npos ? std::to_string(number) : line.substr(0, tab);
        query.text = tab == std::string::npos ? line : line.substr(tab + 1);
        auto results = searcher.search(query);
        any = any || !results.hits.empty();
        print(results, qid, out, explain);
    }
    return any ? leo::exit_code::ok : leo::exit_code::no_results;
}

// Completions of the query's last word, and the answers with it completed.
int ask_suggest(leo::Searcher& searcher, leo::Query query, const std::vector<std::string>& words,
                const Output& out, bool explain) {
    // The raw query keeps its trailing space: "amur " has no word left to complete.
    if (!words.empty() && words.back().ends_with(' ')) {
        query.text += ' ';
    }
    auto suggestions = searcher.suggest(query);
    if (out.format == "json" || out.format == "jsonl") {
        fmt::print("{}\n",
                   leo::suggestions_json(
                       suggestions,
                       {.indent = out.format == "json" ? 2 : -1, .explain = explain, .qid = {}}));
    } else {
        std::string words_line;
        for (const auto& word : suggestions.completions) {
            words_line += (words_line.empty() ? "" : ", ") + leo::printable_name(word);
        }
        fmt::print("Completions: {}\n\n", words_line.empty() ? "none" : words_line);
        print(suggestions.results, "", out, explain);
    }
    return suggestions.results.hits.empty() ? leo::exit_code::no_results : leo::exit_code::ok;
}

// What the command line asked for.
struct Args {
    std::vector<std::string> words;
    std::optional<std::filesystem::path> db, config_file;
    std::string batch;
    std::string color = "auto";
    std::string ranking;
    bool json = false, explain = false;
    bool no_correct = false;
    bool interactive = false;
    bool suggest = false;
    bool allow_partial = false;
    bool allow_programs = false;
    leo::Query query;
    Output out;
};

void define_options(CLI::App& app, Args& args) {
    app.set_version_flag("--version", std::string("leo-ask ") + leo::version);
    app.add_option("QUERY", args.words, "The question, in your own words (or leo's query syntax)");
    app.add_option("-n,--limit", args.query.limit, "Number of answers to show")
        ->transform(count_in(1, leo::max_limit))
        ->default_val(10);
    app.add_option("--offset", args.query.offset, "Skip this many answers first")
        ->transform(count_in(0, leo::max_offset))
        ->default_val(0);
    app.add_option("--tag", args.query.tags, "Only answers from pages with this tag (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--section", args.query.sections,
                   "Only answers from pages in this section, the first folder of their path "
                   "(repeatable: any of them)")
        ->allow_extra_args(false);
    app.add_option("--db", args.db,
                   "Index directory (default: $LEO_DB, leo.toml's database, or .leo)");
    app.add_option("--config", args.config_file, "Settings file (default: nearest leo.toml)")
        ->check(CLI::ExistingFile);
    app.add_flag("--json", args.json, "Same as --format json");
    app.add_option("--format", args.out.format, "Output: text, json, jsonl, trec or markdown")
        ->check(CLI::IsMember({"text", "json", "jsonl", "trec", "markdown"}));
    app.add_option("--batch", args.batch, "Read 'qid<TAB>query' lines from FILE ('-' for stdin)");
    app.add_option("--run-tag", args.out.run_tag, "Run name in --format trec output")
        ->default_val("leo");
    app.add_option("--color", args.color, "Colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--ranking", args.ranking,
                   "Ranking: leo (default) or bm25 (plain BM25 baseline)")
        ->check(CLI::IsMember({"leo", "bm25"}));
    app.add_flag("--explain", args.explain, "Show where each answer's score came from");
    app.add_flag("--no-correct", args.no_correct,
                 "Search the words as typed; a spelling correction is only suggested");
    app.add_flag("--suggest", args.suggest,
                 "As you type: complete the QUERY's last word and answer with it completed");
    app.add_flag(
        "-i,--interactive", args.interactive,
        "Ask question after question at a prompt (the default on a terminal with no QUERY)");
    app.footer("Exit status: 0 answers found, 1 no answers, 2 usage error, 3 bad leo.toml, "
               "4 index missing, unreadable or damaged, 5 index locked, "
               "70 unexpected error (a bug).\n"
               "Environment: LEO_DB (index location), NO_COLOR (no colour).\n");
    app.add_flag(
        "--allow-partial", args.allow_partial,
        "With a sharded index, answer from the shards that respond (and say which did not)");
    app.add_flag("--allow-program-shards", args.allow_programs,
                 "Open shards the stub serves through a program ('remote :PROGRAM ARGS'), which "
                 "runs it");
}

// What follows from the options and the terminal: the output's format, width and colour, and
// the query's own switches.
void settle_options(Args& args) {
    if (args.json) {
        args.out.format = "json";
    }
    if (isatty(STDOUT_FILENO)) {
        winsize size{};
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
            args.out.width = size.ws_col;
        }
    }
    args.out.color = args.color == "always" || (args.color == "auto" && isatty(STDOUT_FILENO) &&
                                                std::getenv("NO_COLOR") == nullptr);
    args.query.explain = args.explain;
    args.query.correct = !args.no_correct;
}

// Opens the index and answers as asked: at a prompt, a batch, while typing, or one question.
int ask(Args& args) {
    auto& query = args.query;
    const auto& out = args.out;
    try {
        auto config = leo::tool::resolve_config(args.config_file, args.db);
        leo::tool::set_terminate_subject(config.database);
        if (!args.ranking.empty()) {
            config.ranking.mode = *leo::ranking_mode(args.ranking); // CLI11 checked the name
        }
        config.allow_partial_shards = args.allow_partial;
        config.allow_program_shards = args.allow_programs;
        leo::Searcher searcher(config);
        if (args.interactive) {
            return ask_interactively(searcher, query, out, args.explain);
        }
        if (!args.batch.empty()) {
            return ask_batch(searcher, query, args.batch, out, args.explain);
        }
        for (const auto& w : args.words) {
            query.text += (query.text.empty() ? "" : " ") + w;
        }
        if (args.suggest) {
            return ask_suggest(searcher, query, args.words, out, args.explain);
        }
        auto results = searcher.search(query);
        print(results, "", out, args.explain);
        return results.hits.empty() ? leo::exit_code::no_results : leo::exit_code::ok;
    } catch (...) {
        return leo::tool::report_failure("leo-ask");
    }
}

int run(int argc, char** argv) {
    CLI::App app{"Ask a leo index a question; get the best answers first.", "leo-ask"};
    Args args;
    define_options(app, args);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return leo::tool::report_parse_error(app, e);
    }
    settle_options(args);
    if (args.batch.empty() && args.words.empty() && !args.interactive) {
        if (!isatty(STDIN_FILENO)) {
            fmt::print(stderr, "leo-ask: no question given\n{}", app.help());
            return leo::exit_code::usage;
        }
        args.interactive = true;
    }
    return ask(args);
}

} // namespace

int main(int argc, char** argv) {
    return leo::tool::main_of("leo-ask", run, argc, argv);
}
