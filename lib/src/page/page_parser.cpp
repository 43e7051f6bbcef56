// parse_page: front matter + CommonMark body → Page with its question/answer pairs.

#include "page/front_matter.hpp"
#include "page/markdown.hpp"
#include "page/text.hpp"
#include "store/xapian_error.hpp"

#include <algorithm>
#include <cctype>
#include <leo/error.hpp>
#include <leo/page.hpp>
#include <leo/safe_text.hpp>
#include <map>

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

} // namespace

std::string Page::url() const {
    if (!front_matter.url.empty()) {
        if (auto url = clean_url(url_text(front_matter.url))) {
            return *url;
        }
    }
    auto section = clean_segments(url_text(lower_ascii(path.parent_path().generic_string())));
    auto base = join_segments(section, true);
    // A slug names one page in its section: its own `..` cannot leave the section.
    auto slug = clean_segments(url_text(front_matter.slug));
    if (!slug.empty()) {
        return base + join_segments(slug, true).substr(1);
    }
    auto stem = url_text(path.stem().string());
    if (stem == "index" || stem == "_index") {
        return base;
    }
    auto name = clean_segments(lower_ascii(stem));
    return name.empty() ? base : base + join_segments(name, true).substr(1);
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

Page parse_page(std::string_view raw, const std::filesystem::path& path,
                const ParseOptions& options) try {
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
    // Controls go before parsing, so TOML does not refuse a title for them and the anchor of
    // `ESC[31m` is not `31m`; an error's column after one counts without it.
    std::string text = strip_control_characters(detail::normalise_line_ends(raw));

    Page page;
    page.path = path;
    auto split = detail::split_front_matter(text, path);
    page.front_matter = clean(detail::parse_front_matter(split, path));

    std::map<std::string, int> anchors_seen;
    QaPair* current = nullptr;
    int position = 0;
    for (auto& block : detail::markdown_blocks(split.body)) {
        auto line = block.line + split.body_line - 1;
        if (block.heading_level >= options.min_question_level &&
            block.heading_level <= options.max_question_level) {
            QaPair pair;
            pair.position = ++position;
            pair.line = line;
            // Entities (`&#x1b;`) and front-matter escapes (`\u001b`) decode to controls too.
            pair.question = strip_control_characters(block.text);
            pair.anchor = take_heading_attributes(pair.question);
            if (pair.anchor.empty()) {
                auto anchor = detail::github_anchor(pair.question);
                // Hugo numbers repeated ids: `faq`, `faq-1`, `faq-2`.
                int seen = anchors_seen[anchor]++;
                pair.anchor = seen == 0 ? anchor : anchor + "-" + std::to_string(seen);
            }
            page.pairs.push_back(std::move(pair));
            current = &page.pairs.back();
        } else if (block.heading_level > 0 && block.heading_level < options.min_question_level) {
            current = nullptr; // a higher heading ends the answer
        } else if (current != nullptr && !block.text.empty()) {
            if (!current->answer.empty()) {
                current->answer += '\n';
            }
            current->answer += strip_control_characters(block.text);
        }
    }
    return page;
} catch (const Error&) {
    throw;
} catch (...) {
    throw PageError(path, 0, 0, "cannot parse: " + detail::current_reason());
}

} // namespace leo
