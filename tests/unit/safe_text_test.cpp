#include <catch2/catch.hpp>
#include <leo/safe_text.hpp>
#include <string>

using namespace std::string_literals;

namespace {

// True when `text` holds a hidden control or a byte that is not UTF-8 (a C1 control's bytes
// are found as C2 80–C2 9F, the bidi controls as E2 80 AA–AE and E2 81 A6–A9).
bool has_hidden_control(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto b = static_cast<unsigned char>(text[i]);
        auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        auto third = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
        if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7F || (b == 0xC2 && next < 0xA0) ||
            (b == 0xE2 && next == 0x80 && third >= 0xAA && third <= 0xAE) ||
            (b == 0xE2 && next == 0x81 && third >= 0xA6 && third <= 0xA9)) {
            return true;
        }
    }
    return false;
}

// Every C0 control but NUL, DEL, every C1 control and every bidi control, in UTF-8.
std::string every_control() {
    std::string all;
    for (char c = 1; c < 0x20; ++c) {
        all += c;
    }
    all += '\x7f';
    for (unsigned c = 0x80; c <= 0x9F; ++c) {
        all += '\xC2';
        all += static_cast<char>(c);
    }
    for (unsigned c = 0xAA; c <= 0xAE; ++c) {
        all += "\xE2\x80"s + static_cast<char>(c);
    }
    for (unsigned c = 0xA6; c <= 0xA9; ++c) {
        all += "\xE2\x81"s + static_cast<char>(c);
    }
    return all;
}

} // namespace

TEST_CASE("hidden controls are C0 but tab and line feed, DEL, C1 and the bidi controls",
          "[safe_text]") {
    for (char32_t c : {U'\0', U'\x1b', U'\r', U'\x7f', U'\x85', U'\x9b', U'\u202a', U'\u202e',
                       U'\u2066', U'\u2069'}) {
        CHECK(leo::is_hidden_control(c));
    }
    for (char32_t c : {U'\t', U'\n', U' ', U'a', U'\xa0', U'\u200f', U'\u2029', U'\u206a'}) {
        CHECK_FALSE(leo::is_hidden_control(c));
    }
}

TEST_CASE("stripping drops terminal escape sequences whole", "[safe_text]") {
    struct Case {
        std::string in, out;
    };
    auto c = GENERATE(values<Case>({
        {"\x1b[31mred\x1b[0m", "red"},
        {"a\x1b[1A\x1b[2Kb", "ab"},
        {"copy\x1b]52;c;ZWNobyBoaQ==\x07 me", "copy me"},
        {"\x1b]0;owned\x1b\\title", "title"},
        {"\x1b]8;;https://evil.example/\x07"
         "click\x1b]8;;\x07",
         "click"},
        {"\xC2\x9B"
         "2Jcleared",
         "cleared"},
        {"\xC2\x9D"
         "0;t\x07x",
         "x"},
        {"\x1b"
         "cReset",
         "Reset"},
        {"abc\x1b", "abc"},
        {"open\x1b]0;never closed", "open]0;never closed"},
        {"line\x1b]0;one\nline two\x07", "line]0;one\nline two"},
        {"\xE2\x80\xAEtxt.exe", "txt.exe"},
        {"tab\tand\nline", "tab\tand\nline"},
        {"café 東京", "café 東京"},
        {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},
    }));
    CHECK(leo::strip_control_characters(c.in) == c.out);
}

TEST_CASE("stripping leaves no hidden control of any kind", "[safe_text]") {
    auto text = "a" + every_control() + "b";
    auto stripped = leo::strip_control_characters(text);
    CHECK_FALSE(has_hidden_control(stripped));
    CHECK(stripped.front() == 'a');
    CHECK(stripped.back() == 'b');
}

TEST_CASE("printable text shows controls as escapes and keeps tab and line feed", "[safe_text]") {
    CHECK(leo::printable_text("\x1b]52;c;x\x07") == "\\x1b]52;c;x\\x07");
    CHECK(leo::printable_text("a\x7f\xC2\x9B\xE2\x80\xAE") == "a\\x7f\\u009b\\u202e");
    CHECK(leo::printable_text("\xFF\xFE") == "\\xff\\xfe");
    CHECK(leo::printable_text("one\ttwo\nthree") == "one\ttwo\nthree");
    CHECK(leo::printable_text("café") == "café");
    CHECK_FALSE(has_hidden_control(leo::printable_text(every_control())));
}

TEST_CASE("a printable name stays on one line", "[safe_text]") {
    CHECK(leo::printable_name("evil\n/etc/passwd:1: ok\r\t.md") ==
          "evil\\n/etc/passwd:1: ok\\r\\t.md");
    CHECK(leo::printable_name("\x1b[2Kx.md") == "\\x1b[2Kx.md");
    auto name = leo::printable_name(every_control());
    CHECK(name.find_first_of("\n\t") == std::string::npos);
    CHECK_FALSE(has_hidden_control(name));
}

TEST_CASE("markdown text renders as itself: no tag, entity, link or emphasis forms",
          "[safe_text]") {
    struct Case {
        std::string in, out;
    };
    auto c = GENERATE(values<Case>({
        {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"},
        {"&lt; stays text", "&amp;lt; stays text"},
        {"[click](javascript:x)", "\\[click\\]\\(javascript:x\\)"},
        {"**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"},
        {"say \"hi\"", "say &quot;hi&quot;"},
        {"# heading", "\\# heading"},
        {"- item", "\\- item"},
        {"12. item", "12\\. item"},
        {"a - b. 3.5", "a - b. 3.5"},
        {"two\nlines", "two lines"},
        {"back\\slash", "back\\\\slash"},
        {"\x1b[31m", "\\\\x1b\\[31m"},
    }));
    CHECK(leo::markdown_text(c.in) == c.out);
}

TEST_CASE("markdown links are http(s), paths or fragments, percent-encoded", "[safe_text]") {
    struct Case {
        std::string in;
        std::optional<std::string> out;
    };
    auto c = GENERATE(values<Case>({
        {"/faq/#how-much", "/faq/#how-much"},
        {"https://example.org/a?b=c#d", "https://example.org/a?b=c#d"},
        {"HTTP://example.org/", "HTTP://example.org/"},
        {"#anchor", "#anchor"},
        {"docs/page/", "docs/page/"},
        {"/a b/(x)/", "/a%20b/%28x%29/"},
        {"/x/#\"><script>alert(1)</script>", "/x/#%22%3E%3Cscript%3Ealert%281%29%3C/script%3E"},
        {"/p/#%41 100%", "/p/#%41%20100%25"},
        {"/東京/", "/%E6%9D%B1%E4%BA%AC/"},
        {"/x\\y", "/x%5Cy"},
        {"/a\x1b[2K", "/a%1B[2K"},
        {"javascript:alert(1)//", std::nullopt},
        {"JavaScript:alert(1)", std::nullopt},
        {" javascript:alert(1)", std::nullopt},
        {"java\tscript:x", std::nullopt},
        {"data:text/html,<b>", std::nullopt},
        {"vbscript:x", std::nullopt},
        {"http:/one-slash", std::nullopt},
        {"//evil.example/", std::nullopt},
        {"", std::nullopt},
    }));
    CAPTURE(c.in);
    CHECK(leo::markdown_link_url(c.in) == c.out);
}

TEST_CASE("TREC ids hold no white space and stay distinct", "[safe_text]") {
    CHECK(leo::trec_id("plain/path.md#3") == "plain/path.md#3");
    CHECK(leo::trec_id("my page.md#1") == "my%20page.md#1");
    CHECK(leo::trec_id("a\tb\nc.md#2") == "a%09b%0Ac.md#2");
    CHECK(leo::trec_id("100%.md#1") == "100%25.md#1");
    CHECK(leo::trec_id("a%20b.md#1") != leo::trec_id("a b.md#1"));
    CHECK(leo::trec_id("nb\xC2\xA0sp#1") == "nb%C2%A0sp#1");
    CHECK(leo::trec_id("\x1b\xC2\x85\xE2\x80\xAE#1") == "%1B%C2%85%E2%80%AE#1");
    CHECK(leo::trec_id("東京.md#1") == "東京.md#1");
    CHECK(leo::trec_id("\xFF#1") == "%FF#1");
}

TEST_CASE("JSON text gets escapes for DEL, C1 and bidi controls only", "[safe_text]") {
    CHECK(leo::escape_json_controls("{\"a\": \"x\x7fy\xC2\x85z\xE2\x80\xAE\xE2\x81\xA6\"}") ==
          "{\"a\": \"x\\u007fy\\u0085z\\u202e\\u2066\"}");
    CHECK(leo::escape_json_controls("{\n  \"a\": \"東京 café\\u001b\"\n}") ==
          "{\n  \"a\": \"東京 café\\u001b\"\n}");
}
