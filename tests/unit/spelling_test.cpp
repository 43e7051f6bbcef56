// A query word is corrected only when neither the index nor the language knows it.

#include "search/spelling.hpp"
#include "support.hpp"
#include "text/dictionary.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <xapian.h>

using leo::detail::Dictionary;
using leo::detail::Speller;
using leo::test::TempDir;
using leo::test::write_file;

namespace {

// A site's spelling table with the near, more frequent words a corrector reaches for (on disk:
// the in-memory backend keeps no spelling table).
struct SpellingTable {
    TempDir dir;
    Xapian::WritableDatabase db{(dir / "db").string(), Xapian::DB_CREATE};
};

Xapian::WritableDatabase spelling_table(SpellingTable& table) {
    auto& db = table.db;
    for (const char* word : {"find", "shared", "decide", "sending", "but", "contain", "deceased",
                             "closed", "backed", "double", "leopards", "population"}) {
        db.add_spelling(word, 50);
    }
    return db;
}

} // namespace

TEST_CASE("the system's English dictionary is found and knows inflected words", "[spelling]") {
    auto dictionary = Dictionary::open("en", Dictionary::system_folders());
    REQUIRE(dictionary); // scripts/setup.sh installs hunspell-en-us
    for (const char* word : {"fond", "spending", "decreased", "Ceased", "paris", "doable"}) {
        CAPTURE(word);
        CHECK(dictionary->knows(word));
    }
    for (const char* word : {"leoprds", "populaton", "xqzv"}) {
        CAPTURE(word);
        CHECK_FALSE(dictionary->knows(word));
    }
    CHECK(Dictionary::open("english", Dictionary::system_folders()));
    CHECK_FALSE(Dictionary::open("none", Dictionary::system_folders()));
    CHECK_FALSE(Dictionary::open("xx", Dictionary::system_folders()));
}

TEST_CASE("a dictionary is chosen by language code, Snowball name and region", "[spelling]") {
    TempDir dir;
    write_file(dir / "de_DE.aff", "SET UTF-8\n");
    write_file(dir / "de_DE.dic", "1\nstraße\n");
    write_file(dir / "pt_BR.aff", "SET UTF-8\n");
    write_file(dir / "pt_BR.dic", "1\nobrigado\n");
    write_file(dir / "fr_FR.dic", "1\nbonjour\n"); // no .aff: not a dictionary
    const std::vector<std::filesystem::path> folders{dir.path()};
    for (const char* name : {"de", "DE", "german", "de_DE", "de-de"}) {
        CAPTURE(name);
        auto dictionary = Dictionary::open(name, folders);
        REQUIRE(dictionary);
        CHECK(dictionary->knows("straße"));
        CHECK_FALSE(dictionary->knows("strasse"));
    }
    auto portuguese = Dictionary::open("pt", folders); // the only region there is
    REQUIRE(portuguese);
    CHECK(portuguese->knows("obrigado"));
    CHECK_FALSE(Dictionary::open("de-AT", folders));
    CHECK_FALSE(Dictionary::open("fr", folders));
}

// The words a frequency-only corrector changed in real questions (issue 16): each is one or two
// edits from a more frequent word of the site, and each is right as typed.
TEST_CASE("no correctly spelt dictionary word is ever changed", "[spelling]") {
    SpellingTable table;
    auto db = spelling_table(table);
    Speller speller("en");
    REQUIRE(speller.has_dictionary());
    for (const char* word : {"fond", "scared", "divide", "spending", "buy", "constrain",
                             "decreased", "ceased", "bucket", "doable"}) {
        CAPTURE(word);
        CHECK(speller.is_word(word, word));
        CHECK_FALSE(speller.correction(word, word, db));
    }
}

TEST_CASE("a word neither the site nor the language knows is corrected", "[spelling]") {
    SpellingTable table;
    auto db = spelling_table(table);
    Speller speller("en");
    CHECK(speller.correction("leoprds", "leoprds", db) == "leopards");
    CHECK(speller.correction("Populaton", "populaton", db) == "population");
    CHECK_FALSE(speller.correction("qqqq", "qqqq", db)); // nothing near it
}

TEST_CASE("without a dictionary only long words one edit from a frequent word change",
          "[spelling]") {
    SpellingTable table;
    auto db = spelling_table(table);
    db.add_spelling("rare", 1);
    db.add_spelling("rarely", 1);
    Speller speller("en", {}); // no folder: no dictionary
    CHECK_FALSE(speller.has_dictionary());
    CHECK_FALSE(speller.is_word("fond", "fond"));
    CHECK(speller.correction("leopxrdz", "leopxrdz", db) == std::nullopt); // two edits
    CHECK(speller.correction("leopardz", "leopardz", db) == "leopards");   // one
    CHECK_FALSE(speller.correction("fond", "fond", db));                   // four letters
    CHECK_FALSE(speller.correction("rarelu", "rarelu", db));               // a rare word
}
