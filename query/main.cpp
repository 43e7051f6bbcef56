// leo-ask: options → Config → Searcher → print. No ranking logic here.

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fmt/color.h>
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

struct Output {
    std::string format = "text";
    bool color = false;
    std::size_t width = 0; ///< terminal columns to wrap text to; 0 when not a terminal
    std::string run_tag = "leo";
};

// `escape` makes each piece safe for the output (printable_text, markdown_text) before the
// marks go around the matched words, so the marks are the only markup.
std::string highlighted(const leo::Snippet& snippet, const Output& out, std::string_view open_plain,
                        std::string_view close_plain,
                        std::string (*escape)(std::string_view) = leo::printable_text) {
    std::string text;
    std::size_t at = 0;
    for (auto [begin, end] : snippet.highlights) {
        if (begin < at || begin > end || end > snippet.text.size()) {
            continue;
        }
        text += escape(std::string_view(snippet.text).substr(at, begin - at));
        auto word = escape(std::string_view(snippet.text).substr(begin, end - begin));
        text += out.color
                    ? fmt::format(fmt::emphasis::bold | fg(fmt::terminal_color::red), "{}", word)
                    : fmt::format("{}{}{}", open_plain, word, close_plain);
        at = end;
    }
    return text + escape(std::string_view(snippet.text).substr(at));
}

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

// Columns a string takes on a terminal: code points, not bytes, and colour codes take none.
std::size_t visible_width(std::string_view s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\x1b') {
            while (i < s.size() && s[i] != 'm') {
                ++i;
            }
        } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            ++width;
        }
    }
    return width;
}

// Word-wraps `text` to `width` columns (0: no wrapping), every line after the first indented.
std::string wrap(const std::string& text, std::size_t width, std::size_t indent) {
    if (width <= indent + 20) {
        return text;
    }
    std::string out, line;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto space = text.find(' ', start);
        auto word =
            text.substr(start, space == std::string::npos ? std::string::npos : space - start);
        if (!line.empty() && indent + visible_width(line) + 1 + visible_width(word) > width) {
            out += line + "\n" + std::string(indent, ' ');
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        if (space == std::string::npos) {
            break;
        }
        start = space + 1;
    }
    return out + line;
}

// `--explain`'s first line: the terms looked for, the words left out (the correction, when there
// is one, is on the line above).
std::string query_explanation(const leo::Results& results) {
    auto list = [](const std::vector<std::string>& words) {
        std::string out;
        for (const auto& word : words) {
            out += (out.empty() ? "" : " ") + leo::printable_name(word);
        }
        return out.empty() ? std::string("(none)") : out;
    };
    return fmt::format("terms used: {} · dropped: {}", list(results.terms_used),
                       list(results.words_dropped));
}

void print_text(const leo::Results& results, const Output& out, bool explain) {
    auto dim = [&](const std::string& s) {
        return out.color ? fmt::format(fg(fmt::terminal_color::bright_black), "{}", s) : s;
    };
    if (results.corrected_query) {
        auto corrected = leo::printable_name(*results.corrected_query);
        fmt::print("{} {}\n", results.used_correction ? "Showing results for" : "Did you mean:",
                   out.color ? fmt::format(fmt::emphasis::italic, "{}", corrected) : corrected);
    }
    if (explain) {
        fmt::print("{}\n", dim(query_explanation(results)));
    }
    if (results.hits.empty()) {
        fmt::print("No answers for '{}'.\n", leo::printable_name(results.query));
        return;
    }
    // Everything from the index is escaped here as well as cleaned when parsed: file names
    // are not parsed, and an index written by an older leo holds what it was given.
    for (const auto& hit : results.hits) {
        auto question = leo::printable_name(hit.question);
        question = out.color ? fmt::format(fmt::emphasis::bold, "{}", question) : question;
        fmt::print("{}. {}\n", hit.rank, wrap(question, out.width, 3));
        fmt::print("   {}\n", wrap(highlighted(hit.snippet, out, "[", "]"), out.width, 3));
        std::string where = leo::printable_name(hit.id);
        if (!hit.title.empty()) {
            where += " · " + leo::printable_name(hit.title);
        }
        where += " · " + leo::printable_name(hit.url);
        if (hit.duplicates > 0) {
            where += fmt::format(" · +{} copies", hit.duplicates);
        }
        fmt::print("   {}\n", dim(where));
        if (explain) {
            fmt::print("   {}\n", dim(fmt::format("score {:.4f}", hit.score)));
            for (const auto& part : hit.explanation) {
                fmt::print("     {}\n",
                           dim(fmt::format("{:<16} {:>8.4f}  {}", leo::printable_name(part.feature),
                                           part.value, leo::printable_name(part.detail))));
            }
        }
        fmt::print("\n");
    }
}

// Text is escaped and links are only http(s), paths or fragments: a page cannot put a tag, a
// `javascript:` link or a broken `(url)` into a document rendered from this.
void print_markdown(const leo::Results& results) {
    for (const auto& hit : results.hits) {
        auto question = leo::markdown_text(hit.question);
        auto url = leo::markdown_link_url(hit.url);
        fmt::print("{}. **{}**  \n   {}\n\n", hit.rank,
                   url ? fmt::format("[{}]({})", question, *url) : question,
                   highlighted(hit.snippet, Output{}, "**", "**", leo::markdown_text));
    }
}

void print(const leo::Results& results, const std::string& qid, const Output& out, bool explain) {
    // On stderr in every format: a TREC run or a markdown page must not pass for a whole answer.
    for (const auto& shard : results.shards_failed) {
        fmt::print(stderr, "leo-ask: warning: shard '{}' did not answer; results are partial\n",
                   leo::printable_name(shard));
    }
    if (out.format == "json") {
        fmt::print("{}\n",
                   leo::results_json(results, {.indent = 2, .explain = explain, .qid = {}}));
    } else if (out.format == "jsonl") {
        fmt::print("{}\n", leo::results_json(results, {.explain = explain, .qid = qid}));
    } else if (out.format == "trec") {
        for (const auto& hit : results.hits) {
            fmt::print("{} Q0 {} {} {:.6f} {}\n", leo::trec_id(qid.empty() ? "1" : qid),
                       leo::trec_id(hit.id), hit.rank, hit.score, leo::trec_id(out.run_tag));
        }
    } else if (out.format == "markdown") {
        print_markdown(results);
    } else {
        print_text(results, out, explain);
    }
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

int run(int argc, char** argv) {
    CLI::App app{"Ask a leo index a question; get the best answers first.", "leo-ask"};
    app.set_version_flag("--version", std::string("leo-ask ") + leo::version);
    std::vector<std::string> words;
    std::optional<std::filesystem::path> db, config_file;
    std::string batch;
    std::string color = "auto";
    std::string ranking;
    bool json = false, explain = false;
    leo::Query query;
    Output out;
    app.add_option("QUERY", words, "The question, in your own words (or leo's query syntax)");
    app.add_option("-n,--limit", query.limit, "Number of answers to show")
        ->transform(count_in(1, leo::max_limit))
        ->default_val(10);
    app.add_option("--offset", query.offset, "Skip this many answers first")
        ->transform(count_in(0, leo::max_offset))
        ->default_val(0);
    app.add_option("--tag", query.tags, "Only answers from pages with this tag (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--section", query.sections,
                   "Only answers from pages in this section, the first folder of their path "
                   "(repeatable: any of them)")
        ->allow_extra_args(false);
    app.add_option("--db", db, "Index directory (default: $LEO_DB, leo.toml's database, or .leo)");
    app.add_option("--config", config_file, "Settings file (default: nearest leo.toml)")
        ->check(CLI::ExistingFile);
    app.add_flag("--json", json, "Same as --format json");
    app.add_option("--format", out.format, "Output: text, json, jsonl, trec or markdown")
        ->check(CLI::IsMember({"text", "json", "jsonl", "trec", "markdown"}));
    app.add_option("--batch", batch, "Read 'qid<TAB>query' lines from FILE ('-' for stdin)");
    app.add_option("--run-tag", out.run_tag, "Run name in --format trec output")
        ->default_val("leo");
    app.add_option("--color", color, "Colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--ranking", ranking, "Ranking: leo (default) or bm25 (plain BM25 baseline)")
        ->check(CLI::IsMember({"leo", "bm25"}));
    app.add_flag("--explain", explain, "Show where each answer's score came from");
    bool no_correct = false;
    app.add_flag("--no-correct", no_correct,
                 "Search the words as typed; a spelling correction is only suggested");
    bool interactive = false;
    bool suggest = false;
    app.add_flag("--suggest", suggest,
                 "As you type: complete the QUERY's last word and answer with it completed");
    app.add_flag(
        "-i,--interactive", interactive,
        "Ask question after question at a prompt (the default on a terminal with no QUERY)");
    app.footer("Exit status: 0 answers found, 1 no answers, 2 usage error, 3 bad leo.toml, "
               "4 index missing, unreadable or damaged, 5 index locked, "
               "70 unexpected error (a bug).\n"
               "Environment: LEO_DB (index location), NO_COLOR (no colour).\n");
    bool allow_partial = false;
    app.add_flag(
        "--allow-partial", allow_partial,
        "With a sharded index, answer from the shards that respond (and say which did not)");
    bool allow_programs = false;
    app.add_flag("--allow-program-shards", allow_programs,
                 "Open shards the stub serves through a program ('remote :PROGRAM ARGS'), which "
                 "runs it");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return leo::tool::report_parse_error(app, e);
    }
    if (json) {
        out.format = "json";
    }
    if (isatty(STDOUT_FILENO)) {
        winsize size{};
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
            out.width = size.ws_col;
        }
    }
    out.color = color == "always" ||
                (color == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);
    query.explain = explain;
    query.correct = !no_correct;
    if (batch.empty() && words.empty() && !interactive) {
        if (!isatty(STDIN_FILENO)) {
            fmt::print(stderr, "leo-ask: no question given\n{}", app.help());
            return leo::exit_code::usage;
        }
        interactive = true;
    }

    try {
        auto config = leo::tool::resolve_config(config_file, db);
        leo::tool::set_terminate_subject(config.database);
        if (!ranking.empty()) {
            config.ranking.mode = *leo::ranking_mode(ranking); // CLI11 checked the name
        }
        config.allow_partial_shards = allow_partial;
        config.allow_program_shards = allow_programs;
        leo::Searcher searcher(config);
        if (interactive) {
            return ask_interactively(searcher, query, out, explain);
        }
        if (!batch.empty()) {
            return ask_batch(searcher, query, batch, out, explain);
        }
        for (const auto& w : words) {
            query.text += (query.text.empty() ? "" : " ") + w;
        }
        if (suggest) {
            return ask_suggest(searcher, query, words, out, explain);
        }
        auto results = searcher.search(query);
        print(results, "", out, explain);
        return results.hits.empty() ? leo::exit_code::no_results : leo::exit_code::ok;
    } catch (...) {
        return leo::tool::report_failure("leo-ask");
    }
}

} // namespace

int main(int argc, char** argv) {
    return leo::tool::main_of("leo-ask", run, argc, argv);
}
