// parse_page: front matter + CommonMark body → Page with its question/answer pairs.

#include "page/front_matter.hpp"
#include "page/html_page.hpp"
#include "page/markdown.hpp"
#include "page/page_limits.hpp"
#include "page/text.hpp"
#include "store/xapian_error.hpp"

#include <algorithm>
#include <cctype>
#include <leo/error.hpp>
#include <leo/page.hpp>
#include <leo/safe_text.hpp>
#include <map>
#include <set>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace leo {

PageError::PageError(std::filesystem::path file, std::size_t line, std::size_t column,
                     const std::string& reason)
    : Error(file.string() + (line ? ":" + std::to_string(line) : "") +
            (line && column ? ":" + std::to_string(column) : "") + ": " + reason),
      file_(std::move(file)), line_(line), column_(column), reason_(reason) {}

ConfigError::ConfigError(std::filesystem::path file, std::size_t line, std::size_t column,
                         const std::string& what)
    : Error(file.string() + (line ? ":" + std::to_string(line) : "") +
            (line && column ? ":" + std::to_string(column) : "") + ": " + what),
      file_(std::move(file)), line_(line), column_(column) {}

namespace {

// `Question {#custom-id .class}`: Hugo's heading attributes set the anchor and are not text.
std::string take_heading_attributes(std::string& heading) {
    if (heading.empty() || heading.back() != '}') {
        return {};
    }
    auto open = heading.rfind('{');
    if (open == std::string::npos || open + 1 >= heading.size() ||
        (heading[open + 1] != '#' && heading[open + 1] != '.')) {
        return {};
    }
    std::string attributes = heading.substr(open + 1, heading.size() - open - 2);
    heading.erase(open);
    while (!heading.empty() && heading.back() == ' ') {
        heading.pop_back();
    }
    std::string id;
    auto hash = attributes.find('#');
    if (hash != std::string::npos) {
        auto end = attributes.find_first_of(" .", hash);
        id = attributes.substr(hash + 1,
                               end == std::string::npos ? std::string::npos : end - hash - 1);
    }
    return id;
}

std::string lower_ascii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// `.`, `..` and their percent-encoded forms, which browsers read as the same segments.
bool is_dot_segment(std::string_view segment, bool two) {
    auto s = lower_ascii(std::string(segment));
    return two ? s == ".." || s == ".%2e" || s == "%2e." || s == "%2e%2e" : s == "." || s == "%2e";
}

// The path's segments with `.` and empty ones dropped and `..` taken back, never above the first:
// a page cannot point outside the site, and `\` separates as browsers read it.
std::vector<std::string> clean_segments(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find_first_of("/\\", start);
        auto segment = path.substr(start, end == std::string_view::npos ? std::string_view::npos
                                                                        : end - start);
        if (is_dot_segment(segment, true)) {
            if (!segments.empty()) {
                segments.pop_back();
            }
        } else if (!segment.empty() && !is_dot_segment(segment, false)) {
            segments.emplace_back(segment);
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return segments;
}

std::string join_segments(const std::vector<std::string>& segments, bool trailing_slash) {
    std::string out = "/";
    for (const auto& segment : segments) {
        out += segment + "/";
    }
    if (!trailing_slash && out.size() > 1) {
        out.pop_back();
    }
    return out;
}

// A site path from the front matter's `url`: rooted, normalised, its query and fragment kept.
// An `http(s)://host` prefix is kept; any other scheme (`javascript:`) is not a page's URL.
std::optional<std::string> clean_url(std::string_view url) {
    std::string prefix;
    auto first = url.find_first_of(":/?#\\");
    if (first != std::string_view::npos && url[first] == ':') {
        auto scheme = lower_ascii(std::string(url.substr(0, first)));
        if ((scheme != "http" && scheme != "https") || url.substr(first + 1, 2) != "//") {
            return std::nullopt;
        }
        auto host_end = url.find_first_of("/?#\\", first + 3);
        prefix = std::string(url.substr(0, host_end));
        url = host_end == std::string_view::npos ? std::string_view() : url.substr(host_end);
    }
    auto suffix_at = url.find_first_of("?#");
    auto path = url.substr(0, suffix_at);
    auto suffix = suffix_at == std::string_view::npos ? std::string_view() : url.substr(suffix_at);
    auto segments = clean_segments(path);
    // `a/..` and `x/.` name a folder, as `a/` does.
    bool folder = path.empty() || path.back() == '/' || path.back() == '\\' ||
                  is_dot_segment(path.substr(path.find_last_of("/\\") + 1), true) ||
                  is_dot_segment(path.substr(path.find_last_of("/\\") + 1), false);
    return prefix + join_segments(segments, folder) + std::string(suffix);
}

// Hugo's path sanitising: lower case (unless `disablePathToLower`; Go's per-letter mapping, so
// `Über` is `über`), spaces to `-`, and only letters, digits, marks and `._-/\\#+~` kept.
std::string hugo_path(std::string_view text, bool keep_case) {
    std::string out;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    for (std::int32_t i = 0; i < length;) {
        const std::int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c == ' ') {
            out += '-';
        } else if (c >= 0x80 && !keep_case && u_tolower(c) != c) {
            char buffer[U8_MAX_LENGTH];
            std::int32_t n = 0;
            UBool error = false;
            U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), n, U8_MAX_LENGTH, u_tolower(c),
                      error);
            out.append(buffer, error ? 0 : static_cast<std::size_t>(n));
        } else if (c >= 0x80 || c < 0) {
            out.append(
                text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        } else if (std::isalnum(c) || std::string_view("._-/\\#+~%").find(static_cast<char>(c)) !=
                                          std::string_view::npos) {
            out += static_cast<char>(keep_case ? c : std::tolower(c));
        }
    }
    return out;
}

std::string two_digits(std::string_view date, std::size_t at) {
    return date.size() >= at + 2 ? std::string(date.substr(at, 2)) : "01";
}

// `[permalinks]` tokens: :year :month :day :title :slug :filename :section :sections.
std::string expand_permalink(const Page& page, const std::filesystem::path& sections,
                             const std::string& name) {
    const auto& fm = page.front_matter;
    const auto& date = fm.date;
    const bool keep_case = page.keep_path_case;
    auto title = hugo_path(fm.title, keep_case);
    std::string out;
    const auto& pattern = page.permalink;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != ':') {
            out += pattern[i++];
            continue;
        }
        auto end = i + 1;
        while (end < pattern.size() && (std::isalpha(static_cast<unsigned char>(pattern[end])))) {
            ++end;
        }
        auto token = pattern.substr(i + 1, end - i - 1);
        auto first_section = sections.empty() ? std::string() : sections.begin()->string();
        if (token == "year") {
            out += date.size() >= 4 ? date.substr(0, 4) : "0001";
        } else if (token == "month") {
            out += two_digits(date, 5);
        } else if (token == "day") {
            out += two_digits(date, 8);
        } else if (token == "title") {
            out += title;
        } else if (token == "slug") {
            out += fm.slug.empty() ? title : hugo_path(fm.slug, keep_case);
        } else if (token == "filename") {
            out += hugo_path(name, keep_case);
        } else if (token == "section") {
            out += hugo_path(first_section, keep_case);
        } else if (token == "sections") {
            out += hugo_path(sections.generic_string(), keep_case);
        } else {
            out += pattern.substr(i, end - i);
        }
        i = end;
    }
    auto segments = clean_segments(strip_control_characters(out));
    return join_segments(segments, out.empty() || out.back() == '/');
}

FrontMatter clean(FrontMatter fm) {
    for (auto* field :
         {&fm.title, &fm.description, &fm.date, &fm.lastmod, &fm.slug, &fm.url, &fm.language}) {
        *field = strip_control_characters(*field);
    }
    for (auto* list : {&fm.tags, &fm.categories}) {
        for (auto& item : *list) {
            item = strip_control_characters(item);
        }
    }
    return fm;
}

// Text for a URL: no hidden controls, and no tab or line feed, which browsers drop from URLs.
std::string url_text(std::string_view text) {
    auto out = strip_control_characters(text);
    std::erase_if(out, [](char c) { return c == '\t' || c == '\n'; });
    return out;
}

// The language, URL prefix and URL path of a page of a Hugo site (options.languages).
void place_in_site(Page& page, const ParseOptions& options) {
    page.ugly_url = options.ugly_urls;
    page.keep_path_case = options.keep_path_case;
    page.url_prefix = options.base_path;
    const SiteLanguage* language = nullptr;
    auto text = page.path.generic_string();
    for (const auto& candidate : options.languages) {
        if (!candidate.folder.empty() && text.starts_with(candidate.folder + "/")) {
            language = &candidate;
            page.content_path = text.substr(candidate.folder.size() + 1);
        }
    }
    // `about.fr.md`: a translation by its file name.
    auto suffix = lower_ascii(page.path.stem().extension().string());
    if (language == nullptr && suffix.size() > 1) {
        for (const auto& candidate : options.languages) {
            if (candidate.code == suffix.substr(1)) {
                language = &candidate;
                page.content_path = page.path.parent_path() / (page.path.stem().stem().string() +
                                                               page.path.extension().string());
            }
        }
    }
    if (language == nullptr && !options.languages.empty()) {
        language = &options.languages.front();
    }
    if (language != nullptr) {
        page.url_prefix += language->url_prefix;
        page.analysis_language = language->code;
        if (page.front_matter.language.empty()) {
            page.front_matter.language = language->code;
        }
    }
    const auto& sections = page.content_path.empty() ? page.path : page.content_path;
    auto top = sections.begin() == sections.end() ? std::string() : sections.begin()->string();
    for (const auto& [section, pattern] : options.permalinks) {
        if (section == top && std::distance(sections.begin(), sections.end()) > 1) {
            page.permalink = pattern;
        }
    }
}

// Ids on one page are unique: Hugo numbers a repeat `faq-1`, `faq-2`, skipping any taken, and
// counts explicit `{#id}`s as taken (an explicit id is kept even when it repeats).
class AnchorSet {
public:
    std::string take(std::string anchor, bool explicit_id) {
        if (!explicit_id && taken_.contains(anchor)) {
            // Suffixes below the last one tried for this base are taken (none is ever freed):
            // starting there keeps 10,000 equal headings from costing 50M lookups.
            std::string base = anchor;
            int& n = next_suffix_[base];
            n = std::max(n, 1);
            anchor = base + "-" + std::to_string(n);
            while (taken_.contains(anchor)) {
                anchor = base + "-" + std::to_string(++n);
            }
        }
        taken_.insert(anchor);
        return anchor;
    }

private:
    std::set<std::string> taken_;
    std::map<std::string, int> next_suffix_;
};

// The heading levels that are questions on this page (see ParseOptions).
std::pair<int, int> question_levels(const std::vector<detail::Block>& blocks,
                                    const ParseOptions& options) {
    int shallowest_with_text = 7;
    bool configured_with_text = false;
    for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
        int level = blocks[i].heading_level;
        if (level == 0) {
            continue;
        }
        for (std::size_t j = i + 1; j < blocks.size() && blocks[j].heading_level == 0; ++j) {
            if (!blocks[j].text.empty() || !blocks[j].definitions.empty()) {
                shallowest_with_text = std::min(shallowest_with_text, level);
                configured_with_text =
                    configured_with_text ||
                    (level >= options.min_question_level && level <= options.max_question_level);
                break;
            }
        }
    }
    if (configured_with_text || shallowest_with_text == 7) {
        return {options.min_question_level, options.max_question_level};
    }
    return {shallowest_with_text, shallowest_with_text};
}

} // namespace

std::string Page::url() const {
    if (!front_matter.url.empty()) {
        if (auto url = clean_url(url_text(front_matter.url))) {
            return url->front() == '/' ? url_prefix + *url : *url;
        }
    }
    const auto& file = content_path.empty() ? path : content_path;
    auto stem = url_text(file.stem().string());
    const bool bundle = stem == "index" || stem == "_index";
    auto sections = file.parent_path();
    if (bundle) {
        sections = sections.parent_path();
    }
    auto name = bundle ? url_text(file.parent_path().filename().string()) : stem;
    // uglyURLs make every page but a home page `/a/b.html`, sections and permalinks too.
    auto uglified = [&](std::string out) {
        if (ugly_url && out.size() > 1 && out.back() == '/' && out != url_prefix + "/") {
            out.back() = '.';
            out += "html";
        }
        return out;
    };
    if (!permalink.empty() && stem != "_index") {
        return uglified(url_prefix + expand_permalink(*this, sections, name));
    }
    auto base = join_segments(
        clean_segments(hugo_path(url_text(sections.generic_string()), keep_path_case)), true);
    // A slug names one page in its section: its own `..` cannot leave the section.
    auto slug = clean_segments(hugo_path(url_text(front_matter.slug), keep_path_case));
    auto leaf = !slug.empty() && stem != "_index"
                    ? slug
                    : clean_segments(hugo_path(url_text(name), keep_path_case));
    if (stem == "_index" || leaf.empty()) {
        return uglified(
            url_prefix +
            join_segments(clean_segments(hugo_path(url_text(file.parent_path().generic_string()),
                                                   keep_path_case)),
                          true));
    }
    auto out = url_prefix + base + join_segments(leaf, !ugly_url).substr(1);
    return ugly_url ? out + ".html" : out;
}

std::string Page::pair_id(const QaPair& pair) const {
    return path.generic_string() + "#" + std::to_string(pair.position);
}

bool is_page_file(const std::filesystem::path& path, std::string_view first_line) {
    auto extension = lower_ascii(path.extension().string());
    if (extension == ".md" || extension == ".markdown") {
        return true;
    }
    while (!first_line.empty() && (first_line.back() == '\r' || first_line.back() == ' ')) {
        first_line.remove_suffix(1);
    }
    return first_line == "+++" || first_line == "---";
}

namespace {

// The page's bytes as UTF-8 text without a byte-order mark; a NUL or invalid UTF-8 is an error
// at its line and column.
std::string_view checked_text(std::string_view raw, const std::filesystem::path& path) {
    if (auto nul = raw.find('\0'); nul != std::string_view::npos) {
        auto where = detail::locate(raw, nul);
        throw PageError(path, where.line, where.column, "contains a NUL byte: not a text file");
    }
    if (auto bad = detail::first_invalid_utf8(raw)) {
        auto where = detail::locate(raw, *bad);
        throw PageError(path, where.line, where.column, "invalid UTF-8");
    }
    if (raw.substr(0, 3) == "\xEF\xBB\xBF") {
        raw.remove_prefix(3); // a byte-order mark says nothing in UTF-8
    }
    return raw;
}

// The title of the pair that holds text outside any question: the page's title, else its
// file's (or, for an index page, its folder's) name.
std::string own_title(const Page& page) {
    if (!page.front_matter.title.empty()) {
        return page.front_matter.title;
    }
    const auto& path = page.path;
    return url_text(path.stem().string() == "index" || path.stem() == "_index"
                        ? path.parent_path().filename().string()
                        : path.stem().string());
}

} // namespace

// Longer than most: one pass over the blocks, whose cases (a question heading, a higher
// heading, a definition list, text) share the state of which pair text goes to.
// NOLINTNEXTLINE(readability-function-size): the reason is above
Page parse_page(std::string_view raw, const std::filesystem::path& path,
                const ParseOptions& options) try {
    raw = checked_text(raw, path);
    // Controls go before parsing, so TOML does not refuse a title for them and the anchor of
    // `ESC[31m` is not `31m`; an error's column after one counts without it.
    std::string text = strip_control_characters(detail::normalise_line_ends(raw));

    Page page;
    page.path = path;
    auto split = detail::split_front_matter(text, path);
    page.front_matter = clean(detail::parse_front_matter(split, path));
    place_in_site(page, options);

    std::vector<detail::Block> blocks;
    std::size_t first_line = split.body_line; // of the body, for the blocks' lines
    if (detail::is_html_page(path)) {
        // Hugo publishes an HTML page's body as written: its own headings and ids.
        auto html = detail::html_blocks(split.body, split.body_line);
        page.warnings = std::move(html.warnings);
        blocks = std::move(html.blocks);
        first_line = 1;
    } else {
        auto bounded = detail::bound_markdown(split.body, split.body_line);
        page.warnings = std::move(bounded.warnings);
        blocks = detail::markdown_blocks(bounded.text);
    }
    auto levels = question_levels(blocks, options);
    AnchorSet anchors;
    // Text outside any question is the page's own pair, or its heading's: never lost.
    QaPair* current = nullptr;  // the pair that text goes to
    QaPair* question = nullptr; // the question the blocks are under, if any
    std::string context;        // the nearest heading above the question level
    std::string context_anchor;
    std::size_t context_line = 0;
    QaPair* context_pair = nullptr;
    QaPair* intro = nullptr;
    int position = 0;
    // Pointers into the pairs stay valid: there is at most one pair per block or term.
    std::size_t most = 1;
    for (const auto& block : blocks) {
        most += 1 + block.definitions.size();
    }
    page.pairs.reserve(most);
    auto add_pair = [&](std::string question_text, std::string anchor,
                        std::size_t line) -> QaPair& {
        QaPair pair;
        pair.position = ++position;
        pair.line = line;
        pair.question = std::move(question_text);
        pair.anchor = std::move(anchor);
        page.pairs.push_back(std::move(pair));
        return page.pairs.back();
    };
    for (auto& block : blocks) {
        auto line = block.line + first_line - 1;
        if (block.heading_level > 0) {
            // Entities (`&#x1b;`) and front-matter escapes (`\u001b`) decode to controls too.
            auto heading = strip_control_characters(block.text);
            std::string anchor;
            if (block.id) {
                // HTML: the id as written, or none (Hugo makes none for HTML).
                anchor = block.id->empty() ? std::string() : anchors.take(*block.id, true);
            } else {
                anchor = take_heading_attributes(heading);
                anchor = anchors.take(
                    anchor.empty() ? detail::heading_anchor(heading, options.anchors) : anchor,
                    !anchor.empty());
            }
            if (block.heading_level >= levels.first && block.heading_level <= levels.second) {
                auto& pair = add_pair(std::move(heading), std::move(anchor), line);
                pair.context = context;
                current = question = &pair;
                continue;
            }
            if (block.heading_level < levels.first) {
                // A higher heading ends the answer and is the context of what follows.
                context = std::move(heading);
                context_anchor = std::move(anchor);
                context_line = line;
                context_pair = nullptr;
                current = question = nullptr;
                continue;
            }
        }
        for (auto& [term, definition] : block.definitions) {
            auto term_text = strip_control_characters(term);
            auto anchor =
                options.definition_term_ids
                    ? anchors.take(detail::heading_anchor(term_text, options.anchors), false)
                    : (question ? question->anchor : context_anchor);
            auto& pair = add_pair(std::move(term_text), std::move(anchor), line);
            pair.answer = strip_control_characters(definition);
            pair.context = question ? question->question : context;
        }
        if (!block.definitions.empty()) {
            current = question; // text after the list is the enclosing question's again
            continue;
        }
        if (block.text.empty()) {
            continue;
        }
        if (current == nullptr && !context.empty()) {
            if (context_pair == nullptr) {
                context_pair = &add_pair(context, context_anchor, context_line);
            }
            current = context_pair;
        } else if (current == nullptr) {
            if (intro == nullptr) {
                intro = &add_pair(own_title(page), "", line);
            }
            current = intro;
        }
        if (!current->answer.empty()) {
            current->answer += '\n';
        }
        current->answer += strip_control_characters(block.text);
    }
    return page;
} catch (const Error&) {
    throw;
} catch (...) {
    throw PageError(path, 0, 0, "cannot parse: " + detail::current_reason());
}

} // namespace leo
