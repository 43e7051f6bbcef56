// When quotes, brackets and dashes are punctuation of a question rather than query syntax.

#include "search/query_form.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

namespace {

bool stop(std::string_view word) {
    static const std::set<std::string, std::less<>> words{"what", "does", "is",  "it", "the",
                                                          "a",    "how",  "not", "do", "for"};
    return words.count(word) > 0;
}

} // namespace

TEST_CASE("a question that quotes something is read as text", "[query_form]") {
    struct Case {
        const char* text;
        bool as_text;
    };
    const Case cases[] = {
        {R"(what does "ls -l" show)", true},   // a function word outside the quotes
        {R"(is it ok "for 30 days")", true},   // the same
        {R"(snow "leopards)", true},           // unbalanced
        {R"(can I (still) refund it?)", true}, // a question mark
        {"one two three four five six seven eight -nine", true}, // a sentence's length
        {R"("snow leopards" NOT herders)", false},               // keywords and an operator
        {R"("amur leopard" population)", false},
        {"snow NEAR/3 leopards", false},
        {"leopards (snow OR amur)", false},
        {"leop*", false},
        {"-herders snow leopards", false},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(leo::detail::reads_as_text(c.text, stop) == c.as_text);
    }
}

TEST_CASE("a long question's words are weighed by their rarity, a short one's are not",
          "[query_form]") {
    using leo::detail::long_query_weights;
    const std::vector<double> short_query{4.0, 1.0, 0.5};
    CHECK(long_query_weights(short_query) == std::vector<double>{1.0, 1.0, 1.0});
    std::vector<double> long_query(leo::detail::long_query_terms + 1, 1.0);
    long_query[0] = 4.0;
    long_query[1] = 2.0;
    long_query[2] = -0.1; // a word on nearly every pair
    const auto weights = long_query_weights(long_query);
    REQUIRE(weights.size() == long_query.size());
    CHECK(weights[0] == 1.0);
    CHECK(weights[1] == Approx(0.5));
    CHECK(weights[2] == 0.0);
    CHECK(weights[3] == Approx(0.25));
}

TEST_CASE("a word the query says again weighs more, saturating as BM25's k3 does", "[query_form]") {
    using leo::detail::repeated_word_weight;
    CHECK(repeated_word_weight(1) == 1.0);
    CHECK(repeated_word_weight(2) == Approx(4.0 / 3.0));
    CHECK(repeated_word_weight(3) == Approx(1.5));
    CHECK(repeated_word_weight(1000) < 2.0);
    CHECK(repeated_word_weight(1000) > repeated_word_weight(3));
    CHECK(repeated_word_weight(0) == 1.0); // never less than a word said once
}
