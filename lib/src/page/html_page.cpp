// html_blocks: a tag scanner, not an HTML parser. Hugo publishes an HTML content page as it is
// written, so leo needs only its headings, their ids and the text between them.

#include "page/html_page.hpp"

#include "page/page_limits.hpp"
#include "page/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmark.h>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unicode/utf8.h>

namespace leo::detail {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

void append_utf8(std::string& out, UChar32 c) {
    char buffer[U8_MAX_LENGTH];
    std::int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), n, U8_MAX_LENGTH, c, error);
    if (!error) {
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

// A named entity the short table does not hold: cmark knows all of HTML5's.
std::string named_entity(std::string_view name) {
    std::string source = "&" + std::string(name) + ";";
    struct Free {
        void operator()(cmark_node* node) const { cmark_node_free(node); }
    };
    std::unique_ptr<cmark_node, Free> doc(
        cmark_parse_document(source.data(), source.size(), CMARK_OPT_DEFAULT));
    auto* paragraph = doc ? cmark_node_first_child(doc.get()) : nullptr;
    auto* text = paragraph ? cmark_node_first_child(paragraph) : nullptr;
    const char* literal = text ? cmark_node_get_literal(text) : nullptr;
    return literal ? std::string(literal) : source;
}

// `&amp;`, `&#233;`, `&#xe9;` at `text[at]`: the decoded text, and how many bytes it took;
// a `&` that starts no entity is itself.
std::pair<std::string, std::size_t> entity_at(std::string_view text, std::size_t at) {
    // The longest entity name is 31 characters: no search past it, so `&&&…` stays linear.
    auto end = text.substr(at, 34).find(';');
    if (end == std::string_view::npos || end == 1) {
        return {"&", 1};
    }
    end += at;
    auto name = text.substr(at + 1, end - at - 1);
    std::string out;
    if (name[0] == '#') {
        const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        auto digits = std::string(name.substr(hex ? 2 : 1));
        char* stop = nullptr;
        auto value = std::strtol(digits.c_str(), &stop, hex ? 16 : 10);
        if (digits.empty() || *stop != '\0' || value <= 0 || value > 0x10FFFF) {
            return {"&", 1};
        }
        append_utf8(out, static_cast<UChar32>(value));
        return {out, end - at + 1};
    }
    if (!std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0; })) {
        return {"&", 1};
    }
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> common{
        {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}}};
    for (const auto& [entity, decoded] : common) {
        if (name == entity) {
            return {std::string(decoded), end - at + 1};
        }
    }
    // A page of one rare entity repeated asks cmark once per name and thread, not per use.
    thread_local std::map<std::string, std::string, std::less<>> known;
    auto found = known.find(name);
    if (found == known.end()) {
        if (known.size() >= 4096) {
            known.clear();
        }
        found = known.emplace(std::string(name), named_entity(name)).first;
    }
    if (found->second == "&" + std::string(name) + ";") {
        return {"&", 1};
    }
    return {found->second, end - at + 1};
}

std::string decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            auto [piece, used] = entity_at(text, i);
            out += piece;
            i += used;
        } else {
            out += text[i++];
        }
    }
    return out;
}

// Tags that end a paragraph: the text on either side is not one run of words.
bool breaks_text(std::string_view name) {
    static constexpr std::array<std::string_view, 33> blocks{
        "address", "article", "aside",  "blockquote", "br",       "caption",    "dd",
        "details", "div",     "dl",     "dt",         "fieldset", "figcaption", "figure",
        "footer",  "form",    "header", "hr",         "li",       "main",       "nav",
        "ol",      "p",       "pre",    "section",    "summary",  "table",      "tbody",
        "td",      "th",      "thead",  "tr",         "ul"};
    return std::find(blocks.begin(), blocks.end(), name) != blocks.end();
}

struct Tag {
    std::string name; // lower case
    bool closing = false;
    std::string id; // decoded; empty when none
    /// The byte after `>`; npos when the page ends first (an unterminated tag, or quote).
    std::size_t end = std::string_view::npos;
};

// The tag at `html[at]` (a `<` followed by a letter, or `/` and a letter); quoted attribute
// values may hold `>`. Nothing when `<` starts no tag.
std::optional<Tag> tag_at(std::string_view html, std::size_t at) {
    Tag tag;
    std::size_t i = at + 1;
    if (i < html.size() && html[i] == '/') {
        tag.closing = true;
        ++i;
    }
    if (i >= html.size() || !std::isalpha(static_cast<unsigned char>(html[i]))) {
        return std::nullopt;
    }
    auto name_end = i;
    while (name_end < html.size() &&
           (std::isalnum(static_cast<unsigned char>(html[name_end])) || html[name_end] == '-')) {
        ++name_end;
    }
    tag.name = lower_ascii(html.substr(i, name_end - i));
    i = name_end;
    while (i < html.size() && html[i] != '>') {
        if (std::isspace(static_cast<unsigned char>(html[i])) || html[i] == '/') {
            ++i;
            continue;
        }
        auto attribute_end = i;
        while (attribute_end < html.size() &&
               std::string_view(" \t\n=>/").find(html[attribute_end]) == std::string_view::npos) {
            ++attribute_end;
        }
        auto attribute = lower_ascii(html.substr(i, attribute_end - i));
        i = attribute_end;
        while (i < html.size() && (html[i] == ' ' || html[i] == '\t' || html[i] == '\n')) {
            ++i;
        }
        std::string value;
        if (i < html.size() && html[i] == '=') {
            ++i;
            while (i < html.size() && (html[i] == ' ' || html[i] == '\t' || html[i] == '\n')) {
                ++i;
            }
            if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
                auto close = html.find(html[i], i + 1);
                if (close == std::string_view::npos) {
                    return tag; // unterminated
                }
                value = std::string(html.substr(i + 1, close - i - 1));
                i = close + 1;
            } else {
                auto value_end = html.find_first_of(" \t\n>", i);
                value_end = value_end == std::string_view::npos ? html.size() : value_end;
                value = std::string(html.substr(i, value_end - i));
                i = value_end;
            }
        }
        if (attribute == "id") {
            tag.id = decoded(value);
        }
    }
    if (i < html.size()) {
        tag.end = i + 1;
    }
    return tag;
}

// Where `</name` (any case) starts at or after `from`; the end of `html` when nowhere.
std::size_t find_end_tag(std::string_view html, std::size_t from, std::string_view name) {
    for (auto at = html.find("</", from); at != std::string_view::npos;
         at = html.find("</", at + 2)) {
        if (lower_ascii(html.substr(at + 2, name.size())) == name) {
            return at;
        }
    }
    return html.size();
}

int heading_level(std::string_view name) {
    return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' ? name[1] - '0'
                                                                                  : 0;
}

// Builds the blocks as the scanner meets text and tags.
class Blocks {
public:
    explicit Blocks(std::size_t first_line) : line_(first_line) {}

    void text(std::string_view piece) { run_ += decoded(piece); }
    void newlines(std::string_view piece) {
        line_ += static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
    }

    // The run of words so far ends: a paragraph of the text block, or part of the heading.
    void end_run() {
        auto words = collapse_spaces(strip_shortcodes(run_));
        run_.clear();
        if (words.empty()) {
            return;
        }
        auto& into = heading_ ? heading_text_ : text_;
        if (!into.empty()) {
            into += heading_ ? ' ' : '\n';
        }
        if (into.empty() && !heading_) {
            text_line_ = line_;
        }
        into += words;
    }

    void open_heading(int level, std::string id) {
        end_run();
        end_text();
        if (heading_) {
            close_heading(); // a heading inside a heading: the outer ends here
        }
        heading_ = level;
        heading_id_ = std::move(id);
        heading_line_ = line_;
    }

    void close_heading() {
        end_run();
        if (!heading_) {
            return;
        }
        Block block;
        block.heading_level = heading_;
        block.text = std::move(heading_text_);
        block.line = heading_line_;
        block.id = std::move(heading_id_);
        out_.blocks.push_back(std::move(block));
        heading_text_.clear();
        heading_id_.clear();
        heading_ = 0;
        ++headings_;
    }

    [[nodiscard]] bool full() const { return headings_ >= max_pairs_per_page; }
    [[nodiscard]] std::size_t line() const { return line_; }

    HtmlBlocks finish() {
        close_heading();
        end_run();
        end_text();
        return std::move(out_);
    }

    void warn(std::string reason) { out_.warnings.push_back({line_, std::move(reason)}); }

private:
    void end_text() {
        if (text_.empty()) {
            return;
        }
        Block block;
        block.text = std::move(text_);
        block.line = text_line_;
        out_.blocks.push_back(std::move(block));
        text_.clear();
    }

    std::size_t line_;
    std::string run_;
    std::string text_;
    std::size_t text_line_ = 0;
    int heading_ = 0;
    std::string heading_text_;
    std::string heading_id_;
    std::size_t heading_line_ = 0;
    std::size_t headings_ = 0;
    HtmlBlocks out_;
};

} // namespace

bool is_html_page(const std::filesystem::path& path) {
    auto extension = lower_ascii(path.extension().string());
    return extension == ".html" || extension == ".htm";
}

HtmlBlocks html_blocks(std::string_view html, std::size_t first_line) {
    Blocks blocks(first_line);
    std::size_t i = 0;
    auto skip_to = [&](std::size_t end) {
        blocks.newlines(html.substr(i, end - i));
        i = end;
    };
    while (i < html.size()) {
        auto lt = html.find('<', i);
        auto text_end = lt == std::string_view::npos ? html.size() : lt;
        blocks.text(html.substr(i, text_end - i));
        skip_to(text_end);
        if (i >= html.size()) {
            break;
        }
        if (html.substr(i, 4) == "<!--") {
            auto close = html.find("-->", i + 4);
            skip_to(close == std::string_view::npos ? html.size() : close + 3);
            continue;
        }
        auto tag = tag_at(html, i);
        if (!tag) {
            blocks.text("<");
            ++i;
            continue;
        }
        if (tag->end == std::string_view::npos) {
            break; // a tag the page never ends: the rest is inside it, as browsers read it
        }
        skip_to(tag->end);
        if (!tag->closing &&
            (tag->name == "script" || tag->name == "style" || tag->name == "template")) {
            // Their text is no reader's: up to their end tag, whatever it holds.
            skip_to(find_end_tag(html, i, tag->name));
            continue;
        }
        if (int level = heading_level(tag->name)) {
            if (tag->closing) {
                blocks.close_heading();
            } else if (blocks.full()) {
                blocks.warn("more than " + std::to_string(max_pairs_per_page) +
                            " questions: the page is indexed up to here");
                break;
            } else {
                blocks.open_heading(level, std::move(tag->id));
            }
        } else if (breaks_text(tag->name)) {
            blocks.end_run();
        }
    }
    return blocks.finish();
}

} // namespace leo::detail
