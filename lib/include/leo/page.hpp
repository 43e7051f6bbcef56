#pragma once
/// @file page.hpp
/// What a parsed page is: front matter plus its question/answer pairs.

#include <filesystem>
#include <leo/export.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
    std::string publish_date;  ///< `publishDate` (`pubdate`, `published`), else `date`; ISO 8601
    std::string expiry_date;   ///< `expiryDate` (`unpublishdate`); ISO 8601
    bool headless = false;     ///< `headless = true`: a bundle Hugo renders no page for
    bool render_never = false; ///< `build.render` (or `_build.render`) is `never` or false
    bool render_given = false; ///< the page sets `build.render` itself (cascade does not apply)
    /// `cascade` (entries without a target): what the page pushes down to itself and the pages
    /// below it, of the fields that decide publishing.
    bool cascade_draft = false;
    std::optional<bool> cascade_render_never;
};

/// One question and the answer below it.
struct QaPair {
    int position = 0;     ///< k: 1-based place of the question among the page's questions
    std::string question; ///< heading text, plain
    std::string answer;   ///< plain text: no markup, entities decoded; may be empty
    std::string anchor;   ///< the heading id Hugo generates (or `{#id}` when given); empty
                          ///< for the page's own text before its first heading
    std::string context;  ///< the heading above the question's level (a `##` category of a
                          ///< `###` question), empty when none
    std::size_t line = 0; ///< 1-based line of the heading in the file
};

/// Something of a page that was not read as written (cut at a size cap), though the page
/// was parsed.
struct PageWarning {
    std::size_t line = 0; ///< 1-based line in the file where the cut starts
    std::string reason;
};

/// A parsed page.
struct LEO_EXPORT Page {
    std::filesystem::path path; ///< as given to parse_page (leo passes it relative to the root)
    FrontMatter front_matter;
    std::vector<QaPair> pairs;
    std::vector<PageWarning> warnings; ///< what was cut to keep the parse bounded
    /// Where the URL starts: the site's base path and language prefix (`/docs/fr`), no `/` at
    /// the end; empty for `/`.
    std::string url_prefix;
    /// The path Hugo's URL is made of: `path` without its language folder or `.fr` suffix;
    /// empty means `path`.
    std::filesystem::path content_path;
    /// The `[permalinks]` pattern of the page's section (`/:year/:slug/`), if any.
    std::string permalink;
    bool ugly_url = false; ///< `uglyURLs`: `/a/b.html` rather than `/a/b/`
    /// `disablePathToLower`: the URL made of the path, slug or permalink keeps their case.
    bool keep_path_case = false;
    /// The language whose stemmer analyses the page: a Hugo site's page language (its folder,
    /// `.fr` suffix or the site's default); empty, the index's own language.
    std::string analysis_language;

    /// The page's URL without anchor: front matter `url`, else `slug`, else the path.
    [[nodiscard]] std::string url() const;
    /// `path#k`, the pair id used in results and TREC runs.
    [[nodiscard]] std::string pair_id(const QaPair& pair) const;
};

/// Hugo's `markup.goldmark.parser.autoHeadingIDType`.
enum class AnchorStyle { github, github_ascii, blackfriday };

/// A language of a Hugo site, as its config declares it.
struct SiteLanguage {
    std::string code;       ///< `en`, `pt-br`
    std::string folder;     ///< its content folder relative to the indexed one; may be empty
    std::string url_prefix; ///< `/fr`, or empty for the default language at the root
};

/// How headings become questions.
///
/// The configured levels are the questions when a heading of those levels holds text of its
/// own (a block before the next heading). Otherwise the page's own structure decides: the
/// shallowest heading level that holds text is the question level (`###` questions under bare
/// `##` categories, or `#` sections), and the nearest heading above it is the question's
/// context. Text that belongs to no question (before the first heading, or under a shallower
/// heading) is a pair of its own, titled by that heading or by the page title, so no text of a
/// page is lost.
struct ParseOptions {
    int min_question_level = 2;                ///< shallowest heading level that is a question
    int max_question_level = 2;                ///< deepest heading level that is a question
    AnchorStyle anchors = AnchorStyle::github; ///< how heading ids are made
    bool definition_term_ids = false;          ///< Hugo's `autoDefinitionTermID`: terms get ids too
    std::string base_path;               ///< the path of the site's `baseURL` (`/docs`), or empty
    bool ugly_urls = false;              ///< Hugo's `uglyURLs`
    bool keep_path_case = false;         ///< Hugo's `disablePathToLower`: URLs keep their case
    std::vector<SiteLanguage> languages; ///< the site's languages; the first is the default
    /// `[permalinks]`: top-level section → pattern (`posts` → `/:year/:month/:slug/`).
    std::vector<std::pair<std::string, std::string>> permalinks;
};

/// Parses a page's text. Throws PageError (`path:line:col: reason`) when it cannot.
[[nodiscard]] LEO_EXPORT Page parse_page(std::string_view text, const std::filesystem::path& path,
                                         const ParseOptions& options = {});

/// True when `path` names something leo indexes: `.md`/`.markdown`, or any text file whose first
/// line is a front-matter fence (`first_line`: the file's first line, without its line end).
[[nodiscard]] LEO_EXPORT bool is_page_file(const std::filesystem::path& path,
                                           std::string_view first_line);

} // namespace leo
