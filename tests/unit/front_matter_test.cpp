#include "page/front_matter.hpp"

#include <catch2/catch.hpp>

using leo::detail::normalise_date;

TEST_CASE("dates in Hugo's forms normalise to ISO 8601", "[front_matter]") {
    CHECK(normalise_date("2023-10-15") == "2023-10-15");
    CHECK(normalise_date("2023-10-15T08:30:00Z") == "2023-10-15T08:30:00Z");
    CHECK(normalise_date("2023-10-15T08:30:00+02:00") == "2023-10-15T08:30:00+02:00");
    CHECK(normalise_date("15 Oct 2023") == "2023-10-15");
    CHECK(normalise_date("5 october 2023") == "2023-10-05");
}

TEST_CASE("text that is not a date is refused", "[front_matter]") {
    CHECK_FALSE(normalise_date("yesterday"));
    CHECK_FALSE(normalise_date("2023-13-01"));
    CHECK_FALSE(normalise_date("2023-10-15 garbage"));
    CHECK_FALSE(normalise_date(""));
}

TEST_CASE("a page splits at its fences and keeps the body's line number", "[front_matter]") {
    auto split = leo::detail::split_front_matter("+++\na = 1\n+++\nbody\n", "p.md");
    CHECK(split.fence == '+');
    CHECK(split.front_matter == "a = 1\n");
    CHECK(split.body == "body\n");
    CHECK(split.body_line == 4);
    auto none = leo::detail::split_front_matter("body only\n", "p.md");
    CHECK(none.fence == 0);
    CHECK(none.body_line == 1);
}
