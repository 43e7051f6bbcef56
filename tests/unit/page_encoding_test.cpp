#include "page/page_encoding.hpp"
#include "page/page_file.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using leo::detail::decode_wide_page;
using leo::detail::wide_encoding;
using namespace std::string_literals;

TEST_CASE("pages with a UTF-16 or UTF-32 byte-order mark are decoded to UTF-8", "[page_encoding]") {
    struct Case {
        std::string bytes;
        const char* encoding;
    };
    // "é\n😀" in each encoding, after its mark.
    auto cases = GENERATE(Case{"\xFF\xFE\xE9\0\n\0\x3D\xD8\x00\xDE"s, "UTF-16 LE"},
                          Case{"\xFE\xFF\0\xE9\0\n\xD8\x3D\xDE\x00"s, "UTF-16 BE"},
                          Case{"\xFF\xFE\0\0\xE9\0\0\0\n\0\0\0\x00\xF6\x01\0"s, "UTF-32 LE"},
                          Case{"\0\0\xFE\xFF\0\0\0\xE9\0\0\0\n\0\x01\xF6\x00"s, "UTF-32 BE"});
    CHECK(wide_encoding(cases.bytes) == cases.encoding);
    auto text = cases.bytes;
    CHECK_FALSE(decode_wide_page(text));
    CHECK(text == "\xC3\xA9\n\xF0\x9F\x98\x80");
}

TEST_CASE("UTF-8 and text without a mark are left alone", "[page_encoding]") {
    for (std::string text : {"## Q?\n"s, "\xEF\xBB\xBF## Q?\n"s, "\xFF\xFF"s, ""s}) {
        const auto before = text;
        CHECK_FALSE(wide_encoding(text));
        CHECK_FALSE(decode_wide_page(text));
        CHECK(text == before);
    }
}

TEST_CASE("a broken wide page is named with its encoding, line and byte", "[page_encoding]") {
    struct Case {
        std::string bytes;
        std::size_t line;
        std::string reason;
    };
    auto cases = GENERATE(Case{"\xFF\xFEq\0\n\0\x3D\xD8x\0"s, 2,
                               "encoded as UTF-16 LE, broken at byte 6: an unpaired surrogate"},
                          Case{"\xFE\xFF\xDE\x00"s, 1,
                               "encoded as UTF-16 BE, broken at byte 2: an unpaired surrogate"},
                          Case{"\xFF\xFE\0\0\0\0\x11\0"s, 1,
                               "encoded as UTF-32 LE, broken at byte 4: not a Unicode character"},
                          Case{"\xFF\xFEq\0r"s, 1,
                               "encoded as UTF-16 LE, cut in the middle of a character at byte 4"});
    auto text = cases.bytes;
    auto problem = decode_wide_page(text);
    REQUIRE(problem);
    CHECK(problem->line == cases.line);
    CHECK(problem->reason == cases.reason);
}

TEST_CASE("the start of a wide page is decoded even when cut mid-character", "[page_encoding]") {
    auto text = "\xFF\xFE+\0+\0\x3D\xD8"s;
    CHECK_FALSE(decode_wide_page(text, true));
    CHECK(text == "++");
}

TEST_CASE("a UTF-16 page file reads as UTF-8 text, its first line too", "[page_encoding]") {
    leo::test::TempDir dir;
    leo::test::write_file(dir / "wide.txt", "\xFF\xFE+\0+\0+\0\n\0"s);
    auto page = leo::detail::read_page_file(dir / "wide.txt", 100);
    CHECK_FALSE(page.problem);
    CHECK(page.text == "+++\n");
    CHECK(leo::detail::read_page_start(dir / "wide.txt", 3) == "+++");
    leo::test::write_file(dir / "broken.md", "\xFF\xFE\n\0\0\xDC"s);
    auto broken = leo::detail::read_page_file(dir / "broken.md", 100);
    REQUIRE(broken.problem);
    CHECK(broken.line == 2);
    CHECK(broken.text.empty());
}
