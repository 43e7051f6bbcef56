// Text made safe for where it is shown: hidden controls dropped or escaped, Markdown escaped,
// link URLs restricted, TREC ids kept whole. Every function walks UTF-8 with ICU's macros.

#include <cctype>
#include <cstdio>
#include <leo/safe_text.hpp>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace leo {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// Decodes the code point at `i` and moves `i` past it; -1 for bytes that are not UTF-8.
UChar32 next_code_point(std::string_view text, int32_t& i) {
    UChar32 c = 0;
    U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
    return c;
}

// Where a CSI's parameters and final byte end (0x20–0x3F, then 0x40–0x7E), or npos.
std::size_t csi_end(std::string_view text, std::size_t at) {
    while (at < text.size() && text[at] >= 0x20 && text[at] <= 0x3F) {
        ++at;
    }
    return at < text.size() && text[at] >= 0x40 && text[at] <= 0x7E ? at + 1
                                                                    : std::string_view::npos;
}

// Where a control string (OSC, DCS, SOS, PM, APC) ends: after BEL, `ESC \` or C1 ST; npos when
// the line ends first, so that an unfinished one cannot swallow the lines after it (without its
// opening control, what follows is plain text to a terminal).
std::size_t control_string_end(std::string_view text, std::size_t at) {
    for (; at < text.size() && text[at] != '\n'; ++at) {
        if (text[at] == '\a') {
            return at + 1;
        }
        if (text[at] == '\x1b' && at + 1 < text.size() && text[at + 1] == '\\') {
            return at + 2;
        }
        if (text.substr(at, 2) == "\xC2\x9C") {
            return at + 2;
        }
    }
    return std::string_view::npos;
}

// The end of the escape sequence that control `c` (which ends at `after`) opens; `after` when it
// opens none or is never finished, so that only the control itself goes.
std::size_t sequence_end(std::string_view text, UChar32 c, std::size_t after) {
    std::size_t end = std::string_view::npos;
    if (c == 0x1B && after < text.size()) {
        char next = text[after];
        if (next == '[') {
            end = csi_end(text, after + 1);
        } else if (next == ']' || next == 'P' || next == 'X' || next == '^' || next == '_') {
            end = control_string_end(text, after + 1);
        } else {
            // nF and Fp/Fe/Fs escapes: intermediates 0x20–0x2F, then one final byte.
            auto at = after;
            while (at < text.size() && text[at] >= 0x20 && text[at] <= 0x2F) {
                ++at;
            }
            if (at < text.size() && text[at] >= 0x30 && text[at] <= 0x7E) {
                end = at + 1;
            }
        }
    } else if (c == 0x9B) {
        end = csi_end(text, after);
    } else if (c == 0x90 || c == 0x98 || c == 0x9D || c == 0x9E || c == 0x9F) {
        end = control_string_end(text, after);
    }
    return end == std::string_view::npos ? after : end;
}

void append_escape(std::string& out, const char* format, unsigned value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
}

// Hidden controls as `\x1b` or `\u202e`, bytes that are not UTF-8 as `\xff`; with `one_line`,
// tab, line feed and carriage return too.
std::string escaped(std::string_view text, bool one_line) {
    std::string out;
    out.reserve(text.size());
    for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
        auto start = i;
        auto c = next_code_point(text, i);
        auto bytes =
            text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
        if (c < 0) {
            for (unsigned char byte : bytes) {
                append_escape(out, "\\x%02x", byte);
            }
        } else if (one_line && (c == '\t' || c == '\n' || c == '\r')) {
            out += c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r";
        } else if (is_hidden_control(static_cast<char32_t>(c))) {
            append_escape(out, c < 0x80 ? "\\x%02x" : "\\u%04x", static_cast<unsigned>(c));
        } else {
            out += bytes;
        }
    }
    return out;
}

void percent_encode(std::string& out, std::string_view bytes) {
    for (unsigned char byte : bytes) {
        append_escape(out, "%%%02X", byte);
    }
}

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

} // namespace

bool is_hidden_control(char32_t c) noexcept {
    return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string strip_control_characters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
        auto start = i;
        auto c = next_code_point(text, i);
        if (c < 0) {
            out += replacement_character;
        } else if (is_hidden_control(static_cast<char32_t>(c))) {
            i = static_cast<int32_t>(sequence_end(text, c, static_cast<std::size_t>(i)));
        } else {
            out.append(
                text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        }
    }
    return out;
}

std::string printable_text(std::string_view text) {
    return escaped(text, false);
}

std::string printable_name(std::string_view text) {
    return escaped(text, true);
}

std::string markdown_text(std::string_view text) {
    const auto visible = escaped(text, false);
    std::string out;
    out.reserve(visible.size() + visible.size() / 8);
    // At the start of a line, `-`, `+`, `=` and `1.` / `1)` would make a list or a heading.
    std::size_t digits = 0;
    while (digits < visible.size() && std::isdigit(static_cast<unsigned char>(visible[digits]))) {
        ++digits;
    }
    for (std::size_t i = 0; i < visible.size(); ++i) {
        char c = visible[i];
        switch (c) {
        case '\n':
        case '\t':
            out += ' ';
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '{':
        case '}':
        case '(':
        case ')':
        case '#':
        case '!':
        case '|':
        case '~':
            out += '\\';
            out += c;
            break;
        default:
            if ((i == 0 && (c == '-' || c == '+' || c == '=')) ||
                (i == digits && i > 0 && c == '.')) {
                out += '\\';
            }
            out += c;
        }
    }
    return out;
}

std::optional<std::string> markdown_link_url(std::string_view url) {
    if (url.empty()) {
        return std::nullopt;
    }
    auto first = url.find_first_of(":/?#");
    if (first != std::string_view::npos && url[first] == ':') {
        std::string scheme;
        for (char c : url.substr(0, first)) {
            scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if ((scheme != "http" && scheme != "https") || url.substr(first + 1, 2) != "//") {
            return std::nullopt;
        }
    } else if (url.substr(0, 2) == "//") {
        return std::nullopt; // another host, with whatever scheme the page has
    }
    static constexpr std::string_view encoded = "<>\"'()\\`{}|^";
    std::string out;
    out.reserve(url.size());
    for (std::size_t i = 0; i < url.size(); ++i) {
        auto byte = static_cast<unsigned char>(url[i]);
        if (byte <= 0x20 || byte >= 0x7F || encoded.find(url[i]) != std::string_view::npos ||
            (url[i] == '%' && !(i + 2 < url.size() && is_hex(url[i + 1]) && is_hex(url[i + 2])))) {
            percent_encode(out, url.substr(i, 1));
        } else {
            out += url[i];
        }
    }
    return out;
}

std::string trec_id(std::string_view id) {
    std::string out;
    out.reserve(id.size());
    for (int32_t i = 0; i < static_cast<int32_t>(id.size());) {
        auto start = i;
        auto c = next_code_point(id, i);
        auto bytes =
            id.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
        if (c < 0 || c == '%' || c <= 0x20 || u_isUWhiteSpace(c) ||
            is_hidden_control(static_cast<char32_t>(c))) {
            percent_encode(out, bytes);
        } else {
            out += bytes;
        }
    }
    return out;
}

std::string escape_json_controls(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (int32_t i = 0; i < static_cast<int32_t>(json.size());) {
        auto start = i;
        auto c = next_code_point(json, i);
        if (c >= 0 && is_hidden_control(static_cast<char32_t>(c))) {
            append_escape(out, "\\u%04x", static_cast<unsigned>(c));
        } else {
            out.append(
                json.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        }
    }
    return out;
}

} // namespace leo
