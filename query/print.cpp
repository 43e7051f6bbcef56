#include "print.hpp"

#include <fmt/color.h>
#include <fmt/format.h>
#include <leo/leo.hpp>

namespace leo_ask {
namespace {

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
    auto line = fmt::format("terms used: {} · dropped: {}", list(results.terms_used),
                            list(results.words_dropped));
    for (const auto& compound : results.compounds) { // only when a word was read joined or split
        line += " · read as " + leo::printable_name(compound);
    }
    return line;
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

} // namespace

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

} // namespace leo_ask
