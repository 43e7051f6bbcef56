#include "page/markdown.hpp"

#include "page/text.hpp"

#include <cmark.h>
#include <memory>
#include <unicode/uchar.h>
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

// Plain text of a subtree. Iterative (cmark_iter), so 10,000 nested quotes cannot overflow the
// stack. Raw HTML is dropped as Hugo does with its default `unsafe = false`.
std::string plain_text(cmark_node* root) {
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
        auto line =
            collapse_spaces(strip_shortcodes(std::string_view(out).substr(start, end - start)));
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

} // namespace

std::vector<Block> markdown_blocks(std::string_view markdown) {
    std::unique_ptr<cmark_node, NodeDeleter> document(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
    std::vector<Block> blocks;
    for (cmark_node* node = cmark_node_first_child(document.get()); node != nullptr;
         node = cmark_node_next(node)) {
        Block block;
        block.line = static_cast<std::size_t>(cmark_node_get_start_line(node));
        if (cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            block.heading_level = cmark_node_get_heading_level(node);
        }
        block.text = plain_text(node);
        blocks.push_back(std::move(block));
    }
    return blocks;
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
