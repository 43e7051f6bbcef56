#pragma once
/// @file page.hpp
/// What a parsed page is: front matter plus its question/answer pairs.

#include <filesystem>
#include <leo/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leo {

/// The front-matter fields leo reads (Hugo's names). Absent fields stay empty.
struct FrontMatter {
    std::string title;
    std::string description;
    std::string date;    ///< as written, normalised to ISO 8601 when it parses as a date
    std::string lastmod; ///< as `date`
    std::vector<std::string> tags;
    std::vector<std::string> categories;
    std::string slug;
    std::string url;
    std::string language; ///< `lang` or `language`; empty means the index default
    bool draft = false;
};

/// One question and the answer below it.
struct QaPair {
    int position = 0;     ///< k: 1-based place of the question among the page's questions
    std::string question; ///< heading text, plain
    std::string answer;   ///< plain text: no markup, entities decoded; may be empty
    std::string anchor;   ///< the heading id Hugo generates (or `{#id}` when given)
    std::size_t line = 0; ///< 1-based line of the heading in the file
};

/// A parsed page.
struct LEO_EXPORT Page {
    std::filesystem::path path; ///< as given to parse_page (leo passes it relative to the root)
    FrontMatter front_matter;
    std::vector<QaPair> pairs;
    std::vector<std::string> warnings; ///< `line:col: what` notes that did not stop the parse

    /// The page's URL without anchor: front matter `url`, else `slug`, else the path.
    [[nodiscard]] std::string url() const;
    /// `path#k`, the pair id used in results and TREC runs.
    [[nodiscard]] std::string pair_id(const QaPair& pair) const;
};

/// How headings become questions.
struct ParseOptions {
    int min_question_level = 2; ///< shallowest heading level that is a question
    int max_question_level = 2; ///< deepest heading level that is a question
};

/// Parses a page's text. Throws PageError (`path:line:col: reason`) when it cannot.
[[nodiscard]] LEO_EXPORT Page parse_page(std::string_view text, const std::filesystem::path& path,
                                         const ParseOptions& options = {});

/// True when `path` names something leo indexes: `.md`/`.markdown`, or any text file whose first
/// line is a front-matter fence (`first_line`: the file's first line, without its line end).
[[nodiscard]] LEO_EXPORT bool is_page_file(const std::filesystem::path& path,
                                           std::string_view first_line);

} // namespace leo
