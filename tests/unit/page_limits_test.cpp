#include "page/page_limits.hpp"

#include <catch2/catch.hpp>
#include <leo/page.hpp>
#include <string>

using leo::detail::bound_markdown;
using leo::detail::max_inline_run;
using leo::detail::max_markup_per_page;
using leo::detail::max_nesting_depth;
using leo::detail::max_pairs_per_page;

namespace {

std::string repeated(const std::string& text, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) {
        out += text;
    }
    return out;
}

} // namespace

TEST_CASE("a page within the caps is left as written", "[page_limits]") {
    const std::string body =
        "## Why?\n\n> quoted [link](x) **bold**\n- a\n  - b\n\n```\n>>>>\n```\n";
    auto bounded = bound_markdown(body, 4);
    CHECK(bounded.text == body);
    CHECK(bounded.warnings.empty());
}

TEST_CASE("questions past the cap are dropped with a warning at the first one", "[page_limits]") {
    auto body = repeated("## q\na\n", max_pairs_per_page + 5);
    auto bounded = bound_markdown(body, 3);
    CHECK(bounded.text == repeated("## q\na\n", max_pairs_per_page));
    REQUIRE(bounded.warnings.size() == 1);
    CHECK(bounded.warnings[0].line == 3 + 2 * max_pairs_per_page);
    CHECK_THAT(bounded.warnings[0].reason, Catch::Contains("more than 10000 questions"));
}

TEST_CASE("nesting deeper than the cap loses its extra markers, not its text", "[page_limits]") {
    auto bounded = bound_markdown(repeated("> ", 100) + "deep\n" + repeated("- ", 50) + "x\n", 1);
    CHECK(bounded.text == repeated("> ", max_nesting_depth) + " deep\n" +
                              repeated("- ", max_nesting_depth) + " x\n");
    REQUIRE(bounded.warnings.size() == 1); // once a page
    CHECK(bounded.warnings[0].line == 1);
}

TEST_CASE("a long run of one markup character is cut to the cap", "[page_limits]") {
    auto bounded = bound_markdown("a " + std::string(10'000, '[') + " b\n", 7);
    CHECK(bounded.text == "a " + std::string(max_inline_run, '[') + " b\n");
    REQUIRE(bounded.warnings.size() == 1);
    CHECK(bounded.warnings[0].line == 7);
}

TEST_CASE("markup past the page's budget ends the page at that line", "[page_limits]") {
    auto body = "intro\n" + repeated("[a", max_markup_per_page) + "\n";
    auto bounded = bound_markdown(body, 1);
    CHECK(bounded.text == "intro\n");
    REQUIRE(bounded.warnings.size() == 1);
    CHECK(bounded.warnings[0].line == 2);
}
