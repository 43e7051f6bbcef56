#include "store/guarded.hpp"

#include <catch2/catch.hpp>
#include <leo/error.hpp>
#include <string>
#include <xapian.h>

using leo::detail::guarded;

TEST_CASE("a Xapian error inside guarded() becomes a leo::Error saying what and where",
          "[guarded]") {
    try {
        (void)guarded("site/.leo", "search",
                      []() -> int { throw Xapian::DatabaseCorruptError("bad block"); });
        FAIL("no exception");
    } catch (const leo::IndexError& e) {
        CHECK(std::string(e.what()) ==
              "cannot search index 'site/.leo': damaged (bad block); run leo-index to rebuild it");
    }
}

TEST_CASE("guarded() reopens after a writer moved the index, and runs again", "[guarded]") {
    int runs = 0;
    int reopens = 0;
    const int answer = guarded(
        "site/.leo", "search",
        [&] {
            if (++runs < 3) {
                throw Xapian::DatabaseModifiedError("revision discarded");
            }
            return 42;
        },
        [&] { ++reopens; });
    CHECK(answer == 42);
    CHECK(runs == 3);
    CHECK(reopens == 2);
}

TEST_CASE("guarded() gives up after max_reopens reopens", "[guarded]") {
    int reopens = 0;
    CHECK_THROWS_AS(guarded(
                        "site/.leo", "read",
                        []() -> int { throw Xapian::DatabaseModifiedError("moved again"); },
                        [&] { ++reopens; }),
                    leo::IndexError);
    CHECK(reopens == leo::detail::max_reopens);
}

TEST_CASE("guarded() does not reopen for an error a reopen cannot cure", "[guarded]") {
    int reopens = 0;
    CHECK_THROWS_AS(guarded(
                        "site/.leo", "read",
                        []() -> int { throw Xapian::InvalidArgumentError("bad"); },
                        [&] { ++reopens; }),
                    leo::IndexError);
    CHECK(reopens == 0);
}

TEST_CASE("a shard that stops answering is a ShardError naming it", "[guarded]") {
    try {
        (void)guarded("site/.leo", "search",
                      []() -> int { throw Xapian::NetworkError("connection reset"); });
        FAIL("no exception");
    } catch (const leo::detail::ShardError& e) {
        CHECK(std::string(e.what()) ==
              "cannot search index 'site/.leo': a shard stopped answering (connection reset)");
    }
}

TEST_CASE("or_else() falls back when Xapian refuses, and only for the refusal named", "[guarded]") {
    CHECK(leo::detail::or_else([]() -> int { throw Xapian::InvalidArgumentError("no"); },
                               [] { return 7; }) == 7);
    CHECK_THROWS_AS(
        leo::detail::or_else<Xapian::QueryParserError>(
            []() -> int { throw Xapian::DatabaseModifiedError("moved"); }, [] { return 7; }),
        Xapian::DatabaseModifiedError);
}
