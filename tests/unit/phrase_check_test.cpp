#include "search/phrase_check.hpp"
#include "search/snippet.hpp"
#include "store/document_store.hpp"

#include <catch2/catch.hpp>

using leo::detail::Analyzer;
using leo::detail::StoredPair;

namespace {

// A pair in an in-memory database (its terms, no positions, as leo indexes them) and its
// stored text.
struct Pairs {
    Analyzer a{"en"};
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    std::vector<Xapian::docid> dids;
    std::vector<StoredPair> stored;

    void add(std::string question, std::string answer, std::string title = "Cats") {
        StoredPair pair;
        pair.question = std::move(question);
        pair.answer = std::move(answer);
        pair.title = std::move(title);
        Xapian::Document doc;
        for (const auto& word : a.words(pair.question)) {
            const auto& term = a.term(word.folded);
            pair.question_word_hashes.push_back(leo::detail::term_hash_byte(term));
            doc.add_term(term);
            doc.add_term("XQ" + term);
        }
        for (const auto& word : a.words(pair.answer)) {
            const auto& term = a.term(word.folded);
            pair.answer_word_hashes.push_back(leo::detail::term_hash_byte(term));
            doc.add_term(term);
        }
        for (const auto& word : a.words(pair.title)) {
            doc.add_term("S" + a.term(word.folded));
        }
        doc.add_boolean_term("Kpets");
        dids.push_back(db.add_document(doc));
        stored.push_back(std::move(pair));
    }

    std::vector<bool> check(const Xapian::Query& q) {
        return leo::detail::check_positions(q, db, dids, stored, a);
    }
};

Xapian::Query phrase(std::initializer_list<const char*> terms, Xapian::termcount window = 0,
                     Xapian::Query::op op = Xapian::Query::OP_PHRASE) {
    std::vector<Xapian::Query> parts(terms.begin(), terms.end());
    return Xapian::Query(op, parts.begin(), parts.end(), window);
}

} // namespace

TEST_CASE("a query without phrases or windows needs no check", "[phrase]") {
    using Q = Xapian::Query;
    CHECK_FALSE(leo::detail::needs_positions(Q(Q::OP_OR, Q("snow"), Q("leopard"))));
    CHECK(leo::detail::needs_positions(Q(Q::OP_OR, phrase({"snow", "leopard"}), Q("cat"))));
    CHECK(leo::detail::needs_positions(phrase({"snow", "leopard"}, 5, Q::OP_NEAR)));
}

TEST_CASE("phrases and windows hold only where the stored text has them", "[phrase]") {
    Pairs p;
    p.add("Where do snow leopards live?", "High in the mountains.");
    p.add("Do leopards like snow?", "Leopards of the snow line hunt at night.");
    p.add("What do they eat?", "Snow, then leopards... no: the snow leopard eats ibex.",
          "Snow leopards");
    using Q = Xapian::Query;
    CHECK(p.check(phrase({"snow", "leopard"})) == std::vector<bool>{true, false, true});
    // Within three words of each other, in either order.
    CHECK(p.check(phrase({"leopard", "snow"}, 3, Q::OP_NEAR)) ==
          std::vector<bool>{true, true, true});
    // A phrase may not span question and answer, and question: looks at the question alone.
    CHECK(p.check(phrase({"XQsnow", "XQleopard"})) == std::vector<bool>{true, false, false});
    // title: phrases hold too (the title is in the stored pair).
    CHECK(p.check(phrase({"Ssnow", "Sleopard"})) == std::vector<bool>{false, false, true});
    // Under OR and NOT, and beside a filter, as Xapian itself evaluates them.
    CHECK(p.check(Q(Q::OP_OR, phrase({"snow", "leopard"}), Q("night"))) ==
          std::vector<bool>{true, true, true});
    CHECK(p.check(Q(Q::OP_AND_NOT, Q("leopard"), phrase({"snow", "leopard"}))) ==
          std::vector<bool>{false, true, false});
    CHECK(p.check(Q(Q::OP_FILTER, phrase({"snow", "leopard"}), Q("Kpets"))) ==
          std::vector<bool>{true, false, true});
    CHECK(p.check(Q(Q::OP_FILTER, phrase({"snow", "leopard"}), Q("Kdogs"))) ==
          std::vector<bool>{false, false, false});
}
