// parse_page: front matter + CommonMark body → Page with its question/answer pairs.

#include "front_matter.hpp"
#include "markdown.hpp"
#include "text.hpp"
#include "xapian_error.hpp"

#include <algorithm>
#include <cctype>
#include <leo/error.hpp>
#include <leo/page.hpp>
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

} // namespace

std::string Page::url() const {
    if (!front_matter.url.empty()) {
        return front_matter.url;
    }
    auto section = path.parent_path().generic_string();
    std::string base = "/" + (section.empty() ? "" : lower_ascii(section) + "/");
    if (!front_matter.slug.empty()) {
        return base + front_matter.slug + "/";
    }
    auto stem = path.stem().string();
    if (stem == "index" || stem == "_index") {
        return base;
    }
    return base + lower_ascii(stem) + "/";
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
    std::string text = detail::normalise_line_ends(raw);

    Page page;
    page.path = path;
    auto split = detail::split_front_matter(text, path);
    page.front_matter = detail::parse_front_matter(split, path);

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
            pair.question = std::move(block.text);
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
            current->answer += block.text;
        }
    }
    return page;
} catch (const Error&) {
    throw;
} catch (...) {
    throw PageError(path, 0, 0, "cannot parse: " + detail::current_reason());
}

} // namespace leo
