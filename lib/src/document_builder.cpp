#include "document_builder.hpp"

#include "document_store.hpp"
#include "schema.hpp"
#include "term_signature.hpp"

#include <algorithm>

namespace leo::detail {

DocumentBuilder::DocumentBuilder(Analyzer analyzer, const IntentLexicon& lexicon)
    : analyzer_(std::move(analyzer)), lexicon_(lexicon) {}

std::string DocumentBuilder::page_term(const std::string& relative_path) {
    return schema::bounded_term(schema::page_prefix, relative_path);
}

std::string DocumentBuilder::tag_term(std::string_view tag) {
    auto folded = analyzer_.fold_phrase(tag);
    std::replace(folded.begin(), folded.end(), ' ', '-');
    return schema::bounded_term(schema::tag_prefix, folded);
}

Xapian::termpos DocumentBuilder::index_field(Xapian::Document& doc, std::string_view text,
                                             std::string_view prefix, bool also_unprefixed,
                                             Xapian::termpos pos, std::vector<std::string>* terms,
                                             std::map<std::string, unsigned>* spelling) {
    std::string prefixed(prefix);
    analyzer_.for_each_word(text, [&](const std::string& folded, std::size_t, std::size_t) {
        const std::string& term = analyzer_.term(folded);
        ++pos;
        if (also_unprefixed) {
            doc.add_posting(term, pos);
        }
        if (!prefix.empty()) {
            prefixed.resize(prefix.size());
            prefixed += term;
            doc.add_posting(prefixed, pos);
        }
        if (terms) {
            terms->push_back(term);
        }
        if (spelling && folded.size() > 2) {
            ++(*spelling)[folded];
        }
        folded_.push_back(folded);
    });
    return pos;
}

std::vector<PairDocument> DocumentBuilder::build(const Page& page,
                                                 std::map<std::string, unsigned>* spelling) {
    std::vector<PairDocument> out;
    out.reserve(page.pairs.size());
    const auto relative = page.path.generic_string();
    const auto page_url = page.url();
    const auto& fm = page.front_matter;
    std::vector<std::string> tag_terms;
    for (const auto& tag : fm.tags) {
        tag_terms.push_back(tag_term(tag));
    }
    // The title is the same for every pair of the page: analysed once, and indexed without
    // positions (it is repeated in every pair, and positions are the largest table).
    std::vector<std::string> title_terms;
    folded_.clear();
    (void)index_field(scratch_document_, fm.title, {}, false, 0, &title_terms, spelling);
    std::vector<std::string> question_terms;
    for (const auto& pair : page.pairs) {
        PairDocument result;
        auto id = page.pair_id(pair);
        result.id_term = schema::bounded_term(schema::id_prefix, id);
        Xapian::Document& doc = result.document;
        doc.add_boolean_term(result.id_term);
        doc.add_boolean_term(page_term(relative));
        for (const auto& t : tag_terms) {
            doc.add_boolean_term(t);
        }
        for (const auto& category : fm.categories) {
            auto folded = analyzer_.fold_phrase(category);
            std::replace(folded.begin(), folded.end(), ' ', '-');
            doc.add_boolean_term(schema::bounded_term(schema::category_prefix, folded));
        }
        if (!fm.language.empty()) {
            // Folded like tags, as `lang:` in a query is folded with the rest of it.
            auto language = analyzer_.fold_phrase(fm.language);
            std::replace(language.begin(), language.end(), ' ', '-');
            doc.add_boolean_term(schema::bounded_term(schema::language_prefix, language));
        }

        question_terms.clear();
        folded_.clear();
        auto pos = index_field(doc, pair.question, schema::question_prefix, true, 0,
                               &question_terms, spelling);
        std::string title_term(schema::title_prefix);
        for (const auto& t : title_terms) {
            title_term.resize(schema::title_prefix.size());
            title_term += t;
            doc.add_term(title_term);
        }
        folded_.clear(); // answer evidence looks at the answer alone
        std::vector<std::string> answer_terms;
        index_field(doc, pair.answer, {}, true, pos + schema::field_gap, &answer_terms, spelling);
        TermSignature all_terms(TermSignature::bytes_for(question_terms.size() +
                                                         title_terms.size() + answer_terms.size()));
        TermSignature heading_terms(
            TermSignature::bytes_for(question_terms.size() + title_terms.size()));
        for (const auto* list : {&question_terms, &title_terms}) {
            for (const auto& t : *list) {
                all_terms.add(t);
                heading_terms.add(t);
            }
        }
        for (const auto& t : answer_terms) {
            all_terms.add(t);
        }
        RankRecord rank;
        rank.id = id;
        rank.page = schema::hex(schema::fnv1a(relative));
        rank.terms = all_terms.bytes();
        rank.heading_terms = heading_terms.bytes();
        auto joined = [](const std::vector<std::string>& terms) {
            std::string text;
            for (const auto& t : terms) {
                text += text.empty() ? "" : " ";
                text += t;
            }
            return text;
        };
        rank.question_terms = joined(question_terms);
        rank.title_terms = joined(title_terms);
        // Xapian's document length is the sum of wdfs: question words twice (bare and XQ),
        // title words once (S), answer words once.
        rank.length =
            std::to_string(2 * question_terms.size() + title_terms.size() + answer_terms.size());

        if (pair.answer.empty()) {
            doc.add_boolean_term(std::string(schema::empty_answer_term));
        }
        if (auto intent = lexicon_.question_intent(question_terms)) {
            doc.add_boolean_term(std::string(schema::intent_prefix) + *intent);
            rank.intent = *intent;
        }
        rank.evidence = IntentLexicon::answer_evidence(folded_);
        // Collapsing identical answers compares folded words, so markup and case do not matter.
        std::string folded_answer;
        for (const auto& word : folded_) {
            folded_answer += word;
            folded_answer += ' ';
        }
        if (!folded_answer.empty()) {
            rank.answer_hash = schema::hex(schema::fnv1a(folded_answer));
        }
        doc.add_value(schema::rank_slot, encode(rank));
        if (!fm.date.empty()) {
            doc.add_value(schema::date_slot, fm.date);
        }

        StoredPair stored{id,          relative,    pair.question,
                          pair.answer, pair.anchor, page_url + "#" + pair.anchor,
                          fm.title,    fm.date,     fm.tags};
        doc.add_value(schema::pair_slot, encode(stored));
        out.push_back(std::move(result));
    }
    return out;
}

} // namespace leo::detail
