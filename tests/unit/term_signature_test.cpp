#include "text/term_signature.hpp"

#include <catch2/catch.hpp>

using leo::detail::TermSignature;

TEST_CASE("a term signature holds every term added", "[signature]") {
    TermSignature signature(TermSignature::bytes_for(200));
    for (int i = 0; i < 200; ++i) {
        signature.add("term" + std::to_string(i));
    }
    for (int i = 0; i < 200; ++i) {
        CHECK(TermSignature::may_contain(signature.bytes(), "term" + std::to_string(i)));
    }
}

TEST_CASE("a term signature rarely claims a term it lacks", "[signature]") {
    TermSignature signature(TermSignature::bytes_for(100));
    for (int i = 0; i < 100; ++i) {
        signature.add("word" + std::to_string(i));
    }
    int false_positives = 0;
    for (int i = 0; i < 10000; ++i) {
        false_positives +=
            TermSignature::may_contain(signature.bytes(), "other" + std::to_string(i));
    }
    CHECK(false_positives < 500); // about 1% expected; 5% would mean a broken filter
    CHECK_FALSE(TermSignature::may_contain("", "anything"));
}
