#include "store/document_store.hpp"

#include <catch2/catch.hpp>
#include <leo/error.hpp>

using namespace leo::detail;

TEST_CASE("a stored pair round-trips, long and odd fields included", "[store]") {
    StoredPair pair{"a/b.md#3",
                    "a/b.md",
                    "Q?",
                    std::string(100000, 'x') + "\n\x01",
                    "q",
                    "/a/b/#q",
                    "T",
                    "2024-01-01",
                    {"one", "", "three"},
                    std::string("\x01\x02", 2),
                    std::string("\0\xff\x7f", 3)};
    auto back = decode(encode(pair));
    CHECK(back.id == pair.id);
    CHECK(back.answer == pair.answer);
    CHECK(back.tags == pair.tags);
    CHECK(back.date == pair.date);
    CHECK(back.question_word_hashes == pair.question_word_hashes);
    CHECK(back.answer_word_hashes == pair.answer_word_hashes);
}

TEST_CASE("a rank record round-trips", "[store]") {
    RankRecord record{"x.md#1",       "0123",
                      "abcd",         "quantity",
                      "ny",           std::string("\0\1\2", 3),
                      "zz",           "how mani leopard",
                      "save leopard", "12"};
    auto back = decode_rank_record(encode(record));
    CHECK(back.id == record.id);
    CHECK(back.terms == record.terms);
    CHECK(back.intent == "quantity");
    CHECK(back.question_terms == "how mani leopard");
    CHECK(back.title_terms == "save leopard");
    CHECK(back.length == "12");
}

TEST_CASE("a stored pair is compressed when that makes it smaller, kept raw when not", "[store]") {
    std::string answer;
    for (int i = 0; i < 200; ++i) {
        answer += "Leopards rest by day and hunt by night. ";
    }
    StoredPair wordy{"id",   "p.md",       "Why?", answer, "why", "/p/#why",
                     "Cats", "2024-01-01", {"a"},  {},     {}};
    auto packed = encode(wordy);
    CHECK(packed.size() < answer.size() / 4);
    CHECK(decode(packed).answer == answer);

    std::string noise; // bytes LZ4 cannot shrink
    std::uint32_t x = 12345;
    for (int i = 0; i < 4000; ++i) {
        x = x * 1103515245u + 12345u;
        noise.push_back(static_cast<char>(x >> 24));
    }
    StoredPair random{"id", "p.md", "Q", noise, "", "", "", "", {}, {}, {}};
    auto kept = encode(random);
    CHECK(kept.size() <= noise.size() + 32);
    CHECK(decode(kept).answer == noise);

    // A damaged block may still decode to the right length (LZ4 keeps no checksum, nor does
    // glass): what matters is that no byte of it can crash or overrun the decoder.
    for (std::size_t at = 0; at < packed.size(); at += 7) {
        auto flipped = packed;
        flipped[at] = static_cast<char>(flipped[at] ^ 0x55);
        try {
            (void)decode(flipped);
        } catch (const leo::IndexError&) {
        }
    }
    CHECK_THROWS_AS(decode(packed.substr(0, packed.size() - 3)), leo::IndexError);
}

TEST_CASE("a pair's record holds its rank record, then its stored pair", "[store]") {
    RankRecord record;
    record.id = "p.md#2";
    record.length = "7";
    StoredPair pair;
    pair.id = "p.md#2";
    pair.answer = "Leopards rest by day.";
    const auto value = encode(record, pair);
    const auto parts = split_record(value);
    CHECK(decode_rank_record(parts.rank).length == "7");
    CHECK(decode(parts.stored).answer == pair.answer);
    CHECK_THROWS_AS(split_record("\x7f"), leo::IndexError); // says 127 bytes follow
}

TEST_CASE("damaged stored data is an IndexError, not a crash", "[store]") {
    auto data = encode(StoredPair{"id", "p", "q", "answer text", "a", "u", "t", "d", {}, {}, {}});
    CHECK_THROWS_AS(decode(data.substr(0, data.size() / 2)), leo::IndexError);
    CHECK_THROWS_AS(decode("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"), leo::IndexError);
    CHECK_THROWS_AS(decode_rank_record(""), leo::IndexError);
}
