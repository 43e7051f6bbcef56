#include "page/text.hpp"

#include <catch2/catch.hpp>

using namespace leo::detail;

TEST_CASE("byte offsets map to 1-based lines and character columns", "[text]") {
    std::string_view text = "ab\ncé\nx";
    CHECK(locate(text, 0).line == 1);
    CHECK(locate(text, 4).column == 2);
    CHECK(locate(text, 7).line == 3);
    CHECK(locate(text, 7).column == 1);
}

TEST_CASE("the first invalid UTF-8 byte is found", "[text]") {
    CHECK_FALSE(first_invalid_utf8("plain ascii"));
    CHECK_FALSE(first_invalid_utf8("café 日本"));
    CHECK(first_invalid_utf8("ok\xC3") == 2u);
    CHECK(first_invalid_utf8("ab\xFF") == 2u);
}

TEST_CASE("line ends and spaces normalise", "[text]") {
    CHECK(normalise_line_ends("a\r\nb\rc\n") == "a\nb\nc\n");
    CHECK(collapse_spaces("  a \t b\n\nc  ") == "a b c");
}
