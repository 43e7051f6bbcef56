// libFuzzer target: the escapes behind leo-ask's text, TREC and markdown output keep what they
// promise (leo/safe_text.hpp) for any bytes: no hidden control gets through, a TREC id is one
// field, markdown text forms no tag, and a link is http(s), a path or a fragment.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <leo/safe_text.hpp>
#include <string>
#include <string_view>

namespace {

void require(bool promise) {
    if (!promise) {
        std::abort(); // a broken promise is a bug: libFuzzer saves the input
    }
}

// A C0 control (other than those `allowed`), DEL, a C1 control or a bidi control, in UTF-8.
bool has_hidden_control(std::string_view text, std::string_view allowed) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && allowed.find(text[i]) == std::string_view::npos) || c == 0x7f) {
            return true;
        }
        if (c == 0xc2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9f) {
                return true;
            }
        }
        if (c == 0xe2 && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) ||
                (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9)) {
                return true;
            }
        }
    }
    return false;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if ((text[i] | 0x20) != prefix[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    require(!has_hidden_control(leo::strip_control_characters(text), "\t\n"));
    require(!has_hidden_control(leo::printable_text(text), "\t\n"));
    require(!has_hidden_control(leo::printable_name(text), ""));

    const auto id = leo::trec_id(text);
    require(!has_hidden_control(id, ""));
    require(id.find_first_of(" \t\n\r\v\f") == std::string::npos);

    const auto markdown = leo::markdown_text(text);
    require(!has_hidden_control(markdown, ""));
    require(markdown.find_first_of("<>\n") == std::string::npos);

    if (const auto url = leo::markdown_link_url(text)) {
        require(url->find_first_of(" \t\n\r<>\"()\\") == std::string::npos);
        require(!has_hidden_control(*url, ""));
        const auto colon = url->find(':');
        const auto slash = url->find_first_of("/?#");
        // A scheme, if any, is http or https; no `//host` reference.
        require(colon == std::string::npos || (slash != std::string::npos && slash < colon) ||
                starts_with_ci(*url, "http:") || starts_with_ci(*url, "https:"));
        require(url->rfind("//", 0) != 0);
    }
    return 0;
}
