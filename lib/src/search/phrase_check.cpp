#include "search/phrase_check.hpp"

#include "format/schema.hpp"
#include "format/term_positions.hpp"

#include <algorithm>

namespace leo::detail {
namespace {

std::size_t prefix_length(const std::string& term) {
    std::size_t i = 0;
    while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') {
        ++i;
    }
    return i;
}

} // namespace

bool needs_positions(const Xapian::Query& query) {
    const auto op = query.get_type();
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
        return true;
    }
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (needs_positions(query.get_subquery(i))) {
            return true;
        }
    }
    return false;
}

std::vector<bool> check_positions(const Xapian::Query& query, const Xapian::Database& db,
                                  const std::vector<Xapian::docid>& dids,
                                  const std::vector<StoredPair>& pairs, Analyzer& analyzer) {
    // The query's terms in order, each as its field and its bare term.
    std::vector<std::string> terms(query.get_unique_terms_begin(), query.get_unique_terms_end());
    std::vector<std::string> text, question, title;
    for (const auto& term : terms) {
        const auto prefix = std::string_view(term).substr(0, prefix_length(term));
        const auto bare = term.substr(prefix.size());
        if (prefix.empty()) {
            text.push_back(bare);
        } else if (prefix == schema::question_prefix) {
            question.push_back(bare);
        } else if (prefix == schema::title_prefix) {
            title.push_back(bare);
        }
    }
    Xapian::WritableDatabase scratch(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (std::size_t i = 0; i < dids.size(); ++i) {
        const auto in_text = text_positions(pairs[i], text, analyzer);
        const auto in_question = question_positions(pairs[i], question, analyzer);
        const auto in_title = title_positions(pairs[i].title, title, analyzer);
        auto positions = [&](const std::string& term) -> const std::vector<Xapian::termpos>* {
            const auto prefix = std::string_view(term).substr(0, prefix_length(term));
            const auto bare = term.substr(prefix.size());
            auto find = [&](const std::vector<std::string>& list, const TermPositions& found) {
                auto at = std::find(list.begin(), list.end(), bare);
                return at == list.end() ? nullptr
                                        : &found[static_cast<std::size_t>(at - list.begin())];
            };
            if (prefix.empty()) {
                return find(text, in_text);
            }
            if (prefix == schema::question_prefix) {
                return find(question, in_question);
            }
            if (prefix == schema::title_prefix) {
                return find(title, in_title);
            }
            return nullptr; // a filter's term: held or not, never positioned
        };
        // Which of the query's terms the pair holds is its term list's word; where, its text's.
        Xapian::Document doc;
        auto held = db.termlist_begin(dids[i]);
        const auto end = db.termlist_end(dids[i]);
        for (const auto& term : terms) { // sorted, as the term list is
            held.skip_to(term);
            if (held == end) {
                break;
            }
            if (*held != term) {
                continue;
            }
            const auto* where = positions(term);
            if (where && !where->empty()) {
                for (auto pos : *where) {
                    doc.add_posting(term, pos);
                }
            } else {
                doc.add_term(term);
            }
        }
        scratch.add_document(doc); // docid i + 1
    }
    std::vector<bool> matches(dids.size(), false);
    Xapian::Enquire enquire(scratch);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    auto mset = enquire.get_mset(0, static_cast<Xapian::doccount>(dids.size()));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        matches[*it - 1] = true;
    }
    return matches;
}

} // namespace leo::detail
