#include "document_builder.hpp"

#include "document_store.hpp"
#include "schema.hpp"
#include "snippet.hpp"
#include "term_signature.hpp"

#include <algorithm>

namespace leo::detail {

DocumentBuilder::DocumentBuilder(Analyzer analyzer, const IntentLexicon& lexicon,
                                 bm25::Normalisation normalisation)
    : analyzer_(std::move(analyzer)), lexicon_(lexicon), normalisation_(normalisation) {}

void DocumentBuilder::Postings::clear() {
    used_ = 0;
    index_.clear();
}

void DocumentBuilder::Postings::add(const std::string& term) {
    auto [at, fresh] = index_.try_emplace(term, used_);
    if (fresh) {
        if (used_ == entries_.size()) {
            entries_.emplace_back();
        }
        entries_[used_].term = term;
        entries_[used_].count = 0;
        ++used_;
    }
    ++entries_[at->second].count;
}

void DocumentBuilder::Postings::write(Xapian::Document& doc, std::string_view prefix,
                                      double length_norm) const {
    for (std::size_t i = 0; i < used_; ++i) {
        const auto& entry = entries_[i];
        scratch_.assign(prefix);
        scratch_ += entry.term;
        doc.add_term(scratch_, bm25::impact(static_cast<double>(entry.count), length_norm));
    }
}

void DocumentBuilder::analyse(std::string_view text, std::vector<std::string>& terms,
                              SpellingCounts* spelling) {
    analyzer_.for_each_word(text, [&](const std::string& folded, std::size_t, std::size_t) {
        terms.push_back(analyzer_.term(folded));
        if (spelling && folded.size() > 2) {
            ++(*spelling)[folded];
        }
        folded_.push_back(folded);
    });
}

std::size_t DocumentBuilder::text_length(const QaPair& pair) {
    std::size_t words = 0;
    for (const auto* text : {&pair.question, &pair.answer}) {
        analyzer_.for_each_word(*text,
                                [&](const std::string&, std::size_t, std::size_t) { ++words; });
    }
    return words;
}

std::string DocumentBuilder::page_term(const std::string& relative_path) {
    return schema::bounded_term(schema::page_prefix, relative_path);
}

std::string DocumentBuilder::tag_term(std::string_view tag) {
    auto folded = analyzer_.fold_phrase(tag);
    std::replace(folded.begin(), folded.end(), ' ', '-');
    return schema::bounded_term(schema::tag_prefix, folded);
}

std::vector<PairDocument> DocumentBuilder::build(const Page& page, SpellingCounts* spelling) {
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
    analyse(fm.title, title_terms, spelling);
    title_.clear();
    for (const auto& t : title_terms) {
        title_.add(t);
    }
    std::vector<std::string> question_terms;
    std::vector<std::string> answer_terms;
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
        answer_terms.clear();
        folded_.clear();
        analyse(pair.question, question_terms, spelling);
        folded_.clear(); // answer evidence looks at the answer alone
        analyse(pair.answer, answer_terms, spelling);
        const std::size_t length = question_terms.size() + answer_terms.size();
        // An empty answer is never an answer: its pair keeps only the terms that find it by id,
        // page or filter, so that a query of words needs no clause to leave it out.
        // No positions: they were a third of the build, and the second stage finds the few it
        // needs (proximity, phrases) in the stored text of its candidates (term_positions.hpp).
        if (!pair.answer.empty()) {
            text_.clear();
            question_.clear();
            for (const auto& t : question_terms) {
                text_.add(t);
                question_.add(t);
            }
            for (const auto& t : answer_terms) {
                text_.add(t);
            }
            const double norm = bm25::length_norm(normalisation_, static_cast<double>(length));
            text_.write(doc, {}, norm);
            question_.write(doc, schema::question_prefix, norm);
            title_.write(doc, schema::title_prefix, norm);
        }
        // The text's terms (what the unprefixed terms index) and the heading's, apart: the
        // second stage scores common words of the text from the first.
        TermSignature text_terms(
            TermSignature::bytes_for(question_terms.size() + answer_terms.size()));
        TermSignature heading_terms(
            TermSignature::bytes_for(question_terms.size() + title_terms.size()));
        for (const auto& t : question_terms) {
            text_terms.add(t);
            heading_terms.add(t);
        }
        for (const auto& t : title_terms) {
            heading_terms.add(t);
        }
        for (const auto& t : answer_terms) {
            text_terms.add(t);
        }
        RankRecord rank;
        rank.id = id;
        rank.page = schema::hex(schema::fnv1a(relative));
        rank.terms = text_terms.bytes();
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
        rank.length = std::to_string(length);

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
        doc.add_value(schema::tie_slot, schema::tie_key(length, id));

        StoredPair stored{id,          relative,    pair.question,
                          pair.answer, pair.anchor, page_url + "#" + pair.anchor,
                          fm.title,    fm.date,     fm.tags,
                          {},          {}};
        for (const auto& t : question_terms) {
            stored.question_word_hashes.push_back(term_hash_byte(t));
        }
        for (const auto& t : answer_terms) {
            stored.answer_word_hashes.push_back(term_hash_byte(t));
        }
        doc.add_value(schema::record_slot, encode(rank, stored));
        out.push_back(std::move(result));
    }
    return out;
}

} // namespace leo::detail
