#include "page/markdown.hpp"

#include "page/text.hpp"

#include <algorithm>
#include <cmark.h>
#include <memory>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace leo::detail {
namespace {

struct NodeDeleter {
    void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterDeleter {
    void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

bool is_block(cmark_node_type type) {
    return type >= CMARK_NODE_FIRST_BLOCK && type <= CMARK_NODE_LAST_BLOCK;
}

bool is_label_char(char c) {
    return c != ']' && c != '[' && c != ' ' && c != '\n';
}

// Hugo renders these as something other than their characters, or not at all: footnote
// references (`[^1]`) and the label of a footnote's text (`[^1]: …`), the `[!NOTE]` of an alert,
// and `{#id .class}` attribute lists.
std::string drop_markers(std::string_view line, bool attributes) {
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        if (line.compare(i, 2, "[^") == 0 || line.compare(i, 2, "[!") == 0) {
            auto end = i + 2;
            while (end < line.size() && is_label_char(line[end])) {
                ++end;
            }
            if (end < line.size() && line[end] == ']' && end > i + 2) {
                i = end + 1;
                if (i < line.size() && line[i] == ':') {
                    ++i;
                }
                continue;
            }
        }
        if (attributes && line[i] == '{' && i + 1 < line.size() &&
            (line[i + 1] == '#' || line[i + 1] == '.')) {
            auto end = line.find('}', i);
            if (end != std::string_view::npos &&
                line.substr(i, end - i).find_first_of("{\n", 1) == std::string_view::npos &&
                (end + 1 == line.size() || line[end + 1] == ' ')) {
                i = end + 1;
                continue;
            }
        }
        out += line[i++];
    }
    return out;
}

// Plain text of a subtree. Iterative (cmark_iter), so 10,000 nested quotes cannot overflow the
// stack. Raw HTML is dropped as Hugo does with its default `unsafe = false`.
// A heading keeps its `{#id}`: the parser takes the anchor from it.
std::string plain_text(cmark_node* root, bool heading = false) {
    std::string out;
    std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root));
    for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter.get())) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        auto type = cmark_node_get_type(node);
        if (event == CMARK_EVENT_ENTER) {
            switch (type) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
                out += cmark_node_get_literal(node);
                break;
            case CMARK_NODE_CODE_BLOCK:
                out += cmark_node_get_literal(node);
                out += '\n';
                break;
            case CMARK_NODE_SOFTBREAK:
                out += ' ';
                break;
            case CMARK_NODE_LINEBREAK:
                out += '\n';
                break;
            default:
                break;
            }
        } else if (event == CMARK_EVENT_EXIT && is_block(type) && !out.empty() &&
                   out.back() != '\n') {
            out += '\n';
        }
    }
    // Within a block, white space is collapsed; blocks stay on lines of their own.
    std::string result;
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        if (end == std::string::npos) {
            end = out.size();
        }
        auto line = collapse_spaces(drop_markers(
            strip_shortcodes(std::string_view(out).substr(start, end - start)), !heading));
        if (!line.empty()) {
            if (!result.empty()) {
                result += '\n';
            }
            result += line;
        }
        start = end + 1;
    }
    return result;
}

// Inline Markdown (a table cell, a definition term) as plain text.
std::string inline_text(std::string_view markdown) {
    std::unique_ptr<cmark_node, NodeDeleter> document(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
    auto text = plain_text(document.get());
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// `|---|:--:|`: the delimiter row that makes a paragraph a GitHub table (Goldmark's default).
bool is_delimiter_row(std::string_view line) {
    line = trim(line);
    bool dash = false;
    for (char c : line) {
        if (c == '-') {
            dash = true;
        } else if (c != '|' && c != ':' && c != ' ' && c != '\t') {
            return false;
        }
    }
    return dash && (line.find('|') != std::string_view::npos || line.front() == ':');
}

// A table's cells, row by row, as the site shows them.
std::string table_text(const std::vector<std::string_view>& lines) {
    std::string out;
    for (std::size_t row = 0; row < lines.size(); ++row) {
        if (row == 1) {
            continue; // the delimiter row
        }
        auto line = trim(lines[row]);
        std::string cells;
        std::size_t start = line.empty() || line.front() != '|' ? 0 : 1;
        for (std::size_t i = start; i <= line.size(); ++i) {
            if (i == line.size() || (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))) {
                auto cell = inline_text(trim(line.substr(start, i - start)));
                if (!cell.empty()) {
                    cells += cells.empty() ? cell : " " + cell;
                }
                start = i + 1;
            }
        }
        if (!cells.empty()) {
            out += out.empty() ? cells : "\n" + cells;
        }
    }
    return out;
}

bool is_definition_line(std::string_view line) {
    auto indent = line.find_first_not_of(' ');
    return indent != std::string_view::npos && indent < 4 && line[indent] == ':' &&
           indent + 1 < line.size() && (line[indent + 1] == ' ' || line[indent + 1] == '\t');
}

// Goldmark's definition lists: term lines, then `: definition` lines (a line that starts
// neither continues the definition above it).
std::vector<std::pair<std::string, std::string>>
definitions_of(const std::vector<std::string_view>& lines) {
    std::vector<std::pair<std::string, std::string>> out;
    if (lines.size() < 2 || is_definition_line(lines[0]) ||
        std::none_of(lines.begin(), lines.end(), is_definition_line)) {
        return out;
    }
    std::vector<std::string> terms;
    std::string definition;
    bool in_definition = false;
    auto flush = [&] {
        for (auto& term : terms) {
            out.emplace_back(std::move(term), collapse_spaces(definition));
        }
        terms.clear();
        definition.clear();
    };
    for (auto line : lines) {
        if (is_definition_line(line)) {
            auto text = inline_text(trim(line).substr(1));
            if (in_definition) {
                definition += '\n';
            }
            definition += text;
            in_definition = true;
        } else if (in_definition) {
            definition += ' ' + inline_text(trim(line));
        } else {
            terms.push_back(inline_text(trim(line)));
        }
    }
    flush();
    return out;
}

std::vector<std::string_view> source_lines(std::string_view markdown,
                                           const std::vector<std::size_t>& starts,
                                           std::size_t first, std::size_t last) {
    std::vector<std::string_view> lines;
    for (auto line = first; line >= 1 && line <= last && line <= starts.size(); ++line) {
        auto begin = starts[line - 1];
        auto end = markdown.find('\n', begin);
        lines.push_back(markdown.substr(
            begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    }
    return lines;
}

void append_utf8(std::string& out, UChar32 c) {
    char buffer[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buffer, n, c);
    out.append(buffer, static_cast<std::size_t>(n));
}

// Blackfriday's SanitizedAnchorName: letters and digits, lower-cased; any run of anything else
// is one `-` between them.
std::string blackfriday_anchor(std::string_view heading) {
    std::string out;
    bool dash = false;
    auto length = static_cast<int32_t>(heading.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(heading.data(), i, length, c);
        if (c >= 0 && (u_isalpha(c) || u_isdigit(c) || u_charType(c) == U_LETTER_NUMBER ||
                       u_charType(c) == U_OTHER_NUMBER)) {
            if (dash && !out.empty()) {
                out += '-';
            }
            dash = false;
            append_utf8(out, u_tolower(c));
        } else {
            dash = true;
        }
    }
    return out;
}

// Accents removed as Hugo's github-ascii does: NFD, marks dropped, NFC.
std::string without_accents(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const auto* nfd = icu::Normalizer2::getNFDInstance(status);
    const auto* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        return std::string(text);
    }
    auto decomposed = nfd->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                         text.data(), static_cast<int32_t>(text.size()))),
                                     status);
    icu::UnicodeString kept;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK) {
            kept.append(c);
        }
        i += U16_LENGTH(c);
    }
    std::string out;
    nfc->normalize(kept, status).toUTF8String(out);
    return U_FAILURE(status) ? std::string(text) : out;
}

} // namespace

std::vector<Block> markdown_blocks(std::string_view markdown) {
    std::unique_ptr<cmark_node, NodeDeleter> document(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < markdown.size(); ++i) {
        if (markdown[i] == '\n') {
            starts.push_back(i + 1);
        }
    }
    std::vector<Block> blocks;
    for (cmark_node* node = cmark_node_first_child(document.get()); node != nullptr;
         node = cmark_node_next(node)) {
        Block block;
        block.line = static_cast<std::size_t>(cmark_node_get_start_line(node));
        auto type = cmark_node_get_type(node);
        if (type == CMARK_NODE_HEADING) {
            block.heading_level = cmark_node_get_heading_level(node);
        }
        // Goldmark's table and definition-list extensions (on in Hugo); cmark reads both as
        // paragraphs, so their source lines decide.
        if (type == CMARK_NODE_PARAGRAPH) {
            auto lines = source_lines(markdown, starts, block.line,
                                      static_cast<std::size_t>(cmark_node_get_end_line(node)));
            if (lines.size() >= 2 && lines[0].find('|') != std::string_view::npos &&
                is_delimiter_row(lines[1])) {
                block.text = table_text(lines);
                blocks.push_back(std::move(block));
                continue;
            }
            block.definitions = definitions_of(lines);
        }
        block.text = plain_text(node, type == CMARK_NODE_HEADING);
        blocks.push_back(std::move(block));
    }
    return blocks;
}

std::string heading_anchor(std::string_view heading, AnchorStyle style) {
    switch (style) {
    case AnchorStyle::blackfriday:
        return blackfriday_anchor(heading);
    case AnchorStyle::github_ascii: {
        auto ascii = github_anchor(without_accents(heading));
        std::erase_if(ascii, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        return ascii;
    }
    case AnchorStyle::github:
        break;
    }
    return github_anchor(heading);
}

std::string github_anchor(std::string_view heading) {
    std::string out;
    auto length = static_cast<int32_t>(heading.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(heading.data(), i, length, c);
        if (c < 0) {
            continue;
        }
        if (c == ' ' || c == '-') {
            out += '-';
        } else if (c == '_' || u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) {
            UChar32 lower = u_tolower(c);
            char buffer[4];
            int32_t n = 0;
            U8_APPEND_UNSAFE(buffer, n, lower);
            out.append(buffer, static_cast<std::size_t>(n));
        }
    }
    return out;
}

std::string strip_shortcodes(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto open = text.find("{{", pos);
        if (open == std::string_view::npos || open + 2 >= text.size() ||
            (text[open + 2] != '<' && text[open + 2] != '%')) {
            out.append(text.substr(pos, open == std::string_view::npos ? std::string_view::npos
                                                                       : open + 2 - pos));
            if (open == std::string_view::npos) {
                break;
            }
            pos = open + 2;
            continue;
        }
        // `{{< … >}}` closes with `>}}`, `{{% … %}}` with `%}}`.
        const char* closing = text[open + 2] == '<' ? ">}}" : "%}}";
        auto close = text.find(closing, open + 3);
        if (close == std::string_view::npos) {
            out.append(text.substr(pos));
            break;
        }
        out.append(text.substr(pos, open - pos));
        out += ' ';
        pos = close + 3;
    }
    return out;
}

} // namespace leo::detail
