#include "indexer/document_builder.hpp"

#include "format/schema.hpp"
#include "search/snippet.hpp"
#include "store/document_store.hpp"
#include "store/xapian_error.hpp"
#include "text/term_signature.hpp"

#include <algorithm>
#include <leo/error.hpp>

namespace leo::detail {

DocumentBuilder::DocumentBuilder(Analyzer analyzer, const IntentLexicon& lexicon,
                                 bm25::Normalisation normalisation)
    : analyzer_(std::move(analyzer)), lexicon_(lexicon), normalisation_(normalisation) {}

std::uint64_t DocumentBuilder::word_hash(std::string_view folded, std::uint32_t stemmer) {
    return std::hash<std::string_view>{}(folded) ^ (stemmer * 0x9E3779B97F4A7C15ull);
}

DocumentBuilder::Slot& DocumentBuilder::slot_for(std::string_view folded, std::uint32_t stemmer,
                                                 std::uint64_t hash) {
    const std::size_t mask = slots_.size() - 1;
    const auto check = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        auto& slot = slots_[i];
        if (slot.word_plus_one == 0) {
            return slot;
        }
        const auto& word = words_[slot.word_plus_one - 1];
        if (slot.check == check && word.stemmer == stemmer && word.folded == folded) {
            return slot;
        }
    }
}

void DocumentBuilder::grow_slots() {
    std::vector<Slot> old(std::max<std::size_t>(slots_.size() * 2, 1 << 12));
    old.swap(slots_);
    for (const auto& slot : old) {
        if (slot.word_plus_one != 0) {
            const auto& word = words_[slot.word_plus_one - 1];
            slot_for(word.folded, word.stemmer, word_hash(word.folded, word.stemmer)) = slot;
        }
    }
}

DocumentBuilder::WordId DocumentBuilder::intern(const std::string& folded) {
    if (2 * (words_.size() + 1) > slots_.size()) {
        grow_slots(); // at most half full, so probes stay short
    }
    const auto hash = word_hash(folded, stemmer_);
    auto& slot = slot_for(folded, stemmer_, hash);
    if (slot.word_plus_one == 0) {
        const auto& text = analyzer_.term(folded, stemmers_[stemmer_]);
        auto [term, new_term] = term_ids_.try_emplace(text, static_cast<TermId>(terms_.size()));
        if (new_term) {
            terms_.push_back({text, term_hash_byte(text), 0});
        }
        words_.push_back({folded, term->second, 0, stemmer_});
        slot = {static_cast<std::uint32_t>(hash >> 32), static_cast<WordId>(words_.size())};
    }
    return slot.word_plus_one - 1;
}

void DocumentBuilder::analyse(std::string_view text, std::vector<WordId>& ids) {
    analyzer_.for_each_word(text, [&](const std::string& folded, std::size_t, std::size_t) {
        ids.push_back(intern(folded));
    });
}

void DocumentBuilder::count_spelling(const std::vector<WordId>& ids, SpellingCounts* spelling) {
    for (auto id : ids) {
        auto& word = words_[id];
        if (word.folded.size() <= 2) {
            continue;
        }
        if (spelling) {
            ++(*spelling)[word.folded];
        } else if (word.spelling++ == 0) {
            counted_.push_back(id);
        }
    }
}

void DocumentBuilder::write_field(Xapian::Document& doc, std::string_view prefix,
                                  const std::vector<WordId>& ids, double length_norm) {
    for (auto id : ids) {
        ++terms_[words_[id].term].in_pair;
    }
    for (auto id : ids) {
        auto& term = terms_[words_[id].term];
        if (term.in_pair == 0) {
            continue; // written already
        }
        scratch_.assign(prefix);
        scratch_ += term.text;
        doc.add_term(scratch_, bm25::impact(term.in_pair, length_norm));
        term.in_pair = 0;
    }
}

void DocumentBuilder::use_stemmer_of(const Page& page) {
    auto stemmer = analyzer_.page_stemmer(page.analysis_language);
    auto known = std::find(stemmers_.begin(), stemmers_.end(), stemmer);
    stemmer_ = static_cast<std::uint32_t>(known - stemmers_.begin());
    if (known == stemmers_.end()) {
        stemmers_.push_back(std::move(stemmer));
    }
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

void DocumentBuilder::forget_vocabulary_if_full() {
    // Bounded: a huge vocabulary is forgotten between pages, once no counts are pending.
    if (words_.size() > max_words && counted_.empty()) {
        words_.clear();
        slots_.clear();
        terms_.clear();
        term_ids_.clear();
    }
}

DocumentBuilder::PageTerms DocumentBuilder::page_terms(const Page& page, SpellingCounts* spelling) {
    PageTerms shared;
    shared.relative = page.path.generic_string();
    shared.url = page.url();
    for (const auto& tag : page.front_matter.tags) {
        shared.tag_terms.push_back(tag_term(tag));
    }
    analyse(page.front_matter.title, shared.title);
    count_spelling(shared.title, spelling);
    shared.title_terms.reserve(shared.title.size());
    for (auto id : shared.title) {
        shared.title_terms.push_back(term_of(id).text);
    }
    return shared;
}

void DocumentBuilder::add_filter_terms(Xapian::Document& doc, const FrontMatter& fm,
                                       const PageTerms& shared) {
    doc.add_boolean_term(page_term(shared.relative));
    for (const auto& t : shared.tag_terms) {
        doc.add_boolean_term(t);
    }
    for (const auto& category : fm.categories) {
        auto folded = analyzer_.fold_phrase(category);
        std::replace(folded.begin(), folded.end(), ' ', '-');
        doc.add_boolean_term(schema::bounded_term(schema::category_prefix, folded));
    }
    if (stemmer_ != 0) {
        doc.add_boolean_term(schema::bounded_term(schema::stemmer_prefix, stemmers_[stemmer_]));
    }
    if (!fm.language.empty()) {
        // Folded like tags, as `lang:` in a query is folded with the rest of it.
        auto language = analyzer_.fold_phrase(fm.language);
        std::replace(language.begin(), language.end(), ' ', '-');
        doc.add_boolean_term(schema::bounded_term(schema::language_prefix, language));
    }
}

void DocumentBuilder::analyse_pair(const QaPair& pair, PairWords& words, SpellingCounts* spelling) {
    words.question.clear();
    words.answer.clear();
    analyse(pair.question, words.question);
    analyse(pair.answer, words.answer);
    count_spelling(words.question, spelling);
    count_spelling(words.answer, spelling);
}

void DocumentBuilder::write_text_fields(Xapian::Document& doc, const QaPair& pair,
                                        const PageTerms& shared, PairWords& words) {
    const auto& question = words.question;
    const auto& answer = words.answer;
    const double length = static_cast<double>(question.size() + answer.size());
    const double norm = bm25::length_norm(normalisation_, length);
    words.text.assign(question.begin(), question.end());
    words.text.insert(words.text.end(), answer.begin(), answer.end());
    write_field(doc, {}, words.text, norm);
    write_field(doc, schema::question_prefix, question, norm);
    if (pair.context.empty()) {
        write_field(doc, schema::title_prefix, shared.title, norm);
    } else {
        // The heading a question sits under (its category) is part of its title.
        words.context.assign(shared.title.begin(), shared.title.end());
        analyse(pair.context, words.context);
        write_field(doc, schema::title_prefix, words.context, norm);
    }
}

namespace {

// The record keeps term lists as one space-separated string (see RankRecord).
std::string joined(const std::vector<std::string>& terms) {
    std::string joined_terms;
    for (const auto& t : terms) {
        joined_terms += joined_terms.empty() ? "" : " ";
        joined_terms += t;
    }
    return joined_terms;
}

} // namespace

RankRecord DocumentBuilder::rank_record(const std::string& id, const PageTerms& shared,
                                        PairWords& words) {
    const auto& question = words.question;
    const auto& answer = words.answer;
    const std::size_t length = question.size() + answer.size();
    // The text's terms (what the unprefixed terms index) and the heading's, apart: the
    // second stage scores common words of the text from the first.
    TermSignature text_terms(TermSignature::bytes_for(length));
    TermSignature heading_terms(TermSignature::bytes_for(question.size() + shared.title.size()));
    words.question_terms.clear();
    for (auto w : question) {
        words.question_terms.push_back(term_of(w).text);
        text_terms.add(term_of(w).text);
        heading_terms.add(term_of(w).text);
    }
    for (const auto& t : shared.title_terms) {
        heading_terms.add(t);
    }
    for (auto w : answer) {
        text_terms.add(term_of(w).text);
    }
    RankRecord rank;
    rank.id = id;
    rank.page = schema::hex(schema::fnv1a(shared.relative));
    rank.terms = text_terms.bytes();
    rank.heading_terms = heading_terms.bytes();
    rank.question_terms = joined(words.question_terms);
    rank.title_terms = joined(shared.title_terms);
    rank.length = std::to_string(length);
    if (auto intent = lexicon_.question_intent(words.question_terms)) {
        rank.intent = *intent;
    }
    // Answer evidence, and the hash that folds identical answers, look at the answer's
    // folded words, so markup and case do not matter.
    words.answer_words.clear();
    std::uint64_t answer_hash = schema::fnv1a({});
    for (auto w : answer) {
        words.answer_words.push_back(words_[w].folded);
        answer_hash = schema::fnv1a(" ", schema::fnv1a(words_[w].folded, answer_hash));
    }
    rank.evidence = IntentLexicon::answer_evidence(words.answer_words);
    if (!answer.empty()) {
        rank.answer_hash = schema::hex(answer_hash);
    }
    return rank;
}

StoredPair DocumentBuilder::stored_pair(const std::string& id, const Page& page, const QaPair& pair,
                                        const PageTerms& shared, const PairWords& words) const {
    const auto& fm = page.front_matter;
    const auto& page_url = shared.url;
    StoredPair stored{id,
                      shared.relative,
                      pair.question,
                      pair.answer,
                      pair.anchor,
                      pair.anchor.empty() ? page_url : page_url + "#" + pair.anchor,
                      fm.title,
                      fm.date,
                      fm.tags,
                      {},
                      {}};
    for (auto w : words.question) {
        stored.question_word_hashes.push_back(term_of(w).hash_byte);
    }
    for (auto w : words.answer) {
        stored.answer_word_hashes.push_back(term_of(w).hash_byte);
    }
    return stored;
}

PairDocument DocumentBuilder::build_pair(const Page& page, const QaPair& pair,
                                         const PageTerms& shared, PairWords& words,
                                         SpellingCounts* spelling) {
    PairDocument result;
    auto id = page.pair_id(pair);
    result.id_term = schema::bounded_term(schema::id_prefix, id);
    Xapian::Document& doc = result.document;
    doc.add_boolean_term(result.id_term);
    add_filter_terms(doc, page.front_matter, shared);
    analyse_pair(pair, words, spelling);
    const std::size_t length = words.question.size() + words.answer.size();
    // An empty answer is never an answer: its pair keeps only the terms that find it by id,
    // page or filter, so that a query of words needs no clause to leave it out.
    // No positions: they were a third of the build, and the second stage finds the few it
    // needs (proximity, phrases) in the stored text of its candidates (term_positions.hpp).
    if (!pair.answer.empty()) {
        write_text_fields(doc, pair, shared, words);
    }
    auto rank = rank_record(id, shared, words);
    if (pair.answer.empty()) {
        doc.add_boolean_term(std::string(schema::empty_answer_term));
    }
    doc.add_value(schema::tie_slot, schema::tie_key(length, id));
    auto record = encode(rank, stored_pair(id, page, pair, shared, words));
    result.bytes = estimated_bytes(doc.termlist_count(), record.size());
    doc.add_value(schema::record_slot, record);
    return result;
}

std::vector<PairDocument> DocumentBuilder::build(const Page& page, SpellingCounts* spelling) try {
    forget_vocabulary_if_full();
    use_stemmer_of(page);
    // The title is the same for every pair of the page: analysed once.
    const auto shared = page_terms(page, spelling);
    PairWords words; // reused from pair to pair, so their buffers are allocated once a page
    std::vector<PairDocument> out;
    out.reserve(page.pairs.size());
    for (const auto& pair : page.pairs) {
        out.push_back(build_pair(page, pair, shared, words, spelling));
    }
    return out;
} catch (const Error&) {
    throw;
} catch (...) {
    // Runs on the indexer's worker threads, where an exception that is not a std::exception
    // (Xapian's) would end the process: it becomes this page's problem instead.
    throw PageError(page.path, 0, 0, "cannot index: " + current_reason());
}

} // namespace leo::detail
