#include "page/markdown.hpp"

#include <catch2/catch.hpp>

using leo::detail::github_anchor;
using leo::detail::strip_shortcodes;

TEST_CASE("heading ids follow Hugo's github style", "[markdown]") {
    auto [heading, anchor] = GENERATE(table<const char*, const char*>({
        {"How many Amur leopards are left 2020?", "how-many-amur-leopards-are-left-2020"},
        {"What's new?", "whats-new"},
        {"Snake_case and - dashes", "snake_case-and---dashes"},
        {"Größe der Straße", "größe-der-straße"},
        {"日本語の質問", "日本語の質問"},
    }));
    CHECK(github_anchor(heading) == anchor);
}

TEST_CASE("shortcode tags are removed, their inner text kept", "[markdown]") {
    CHECK(strip_shortcodes("{{< details summary=\"Q\" >}}Inner{{< /details >}}") == " Inner ");
    CHECK(strip_shortcodes("{{% note %}}Hi{{% /note %}}") == " Hi ");
    CHECK(strip_shortcodes("plain {{ not a shortcode }}") == "plain {{ not a shortcode }}");
}

TEST_CASE("top-level blocks come back with levels and lines", "[markdown]") {
    auto blocks = leo::detail::markdown_blocks(
        "Q one\n---\n\nText &amp; more <b>bold</b>.\n\n<div>raw</div>\n");
    REQUIRE(blocks.size() == 3);
    CHECK(blocks[0].heading_level == 2);
    CHECK(blocks[0].line == 1);
    CHECK(blocks[1].text == "Text & more bold.");
    CHECK(blocks[2].text.empty());
}

TEST_CASE("10,000 nested block quotes do not overflow the stack", "[markdown]") {
    std::string deep(10000, '>');
    deep += " deep\n";
    auto blocks = leo::detail::markdown_blocks(deep);
    REQUIRE_FALSE(blocks.empty());
    CHECK(blocks[0].text == "deep");
}
