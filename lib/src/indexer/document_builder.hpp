#pragma once
// Page → one Xapian document per question/answer pair, terms from the shared analyser.

#include "format/bm25.hpp"
#include "text/analyzer.hpp"
#include "text/intent.hpp"

#include <cstdint>
#include <leo/page.hpp>
#include <string>
#include <unordered_map>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// A pair ready to be written: its unique id term, its document, and about how many bytes of
/// memory the document takes, held prepared or, once written, buffered by Xapian until the
/// commit (see estimated_bytes).
struct PairDocument {
    std::string id_term;
    Xapian::Document document;
    std::size_t bytes = 0;
};

/// The memory a document of `terms` terms and `value_bytes` of values costs: prepared, about
/// 100 bytes a term (Xapian::Document keeps a std::map node per term); written, Xapian's
/// buffers keep a posting of about 60 bytes a term and a copy of the values until the commit.
/// Measured on pages of long answers (120 KB answers, 16,000 distinct terms each), where a
/// prepared page costs 13 times its file. The larger figure bounds both.
[[nodiscard]] constexpr std::size_t estimated_bytes(std::size_t terms, std::size_t value_bytes) {
    constexpr std::size_t bytes_a_term = 100;
    constexpr std::size_t bytes_a_document = 1024; // its handle, id terms and slots
    return bytes_a_document + terms * bytes_a_term + value_bytes;
}

struct RankRecord;
struct StoredPair;

/// Words seen while building, with how often: the spelling table's input.
using SpellingCounts = std::unordered_map<std::string, unsigned>;

/// Builds documents. One per thread: it owns an Analyzer.
class DocumentBuilder {
public:
    DocumentBuilder(Analyzer analyzer, const IntentLexicon& lexicon,
                    bm25::Normalisation normalisation);

    /// Every pair of `page`, in page order. Words seen are counted into `spelling`, or, when it
    /// is null, kept by the builder until drain_spelling().
    [[nodiscard]] std::vector<PairDocument> build(const Page& page, SpellingCounts* spelling);

    /// Calls `sink(word, count)` for every word counted since the last call, and forgets them.
    template <class Sink> void drain_spelling(Sink&& sink);
    /// Whether the vocabulary is as large as a builder keeps: drain_spelling() lets the next
    /// build() forget it.
    [[nodiscard]] bool vocabulary_full() const { return words_.size() > max_words; }

    /// The number of words of a pair's question and answer: the length BM25 normalises.
    [[nodiscard]] std::size_t text_length(const QaPair& pair);

    /// The term of every page's pairs, for deleting them all at once.
    [[nodiscard]] static std::string page_term(const std::string& relative_path);
    /// A tag's boolean term (`K` + folded tag, words joined by `-`).
    [[nodiscard]] std::string tag_term(std::string_view tag);

    [[nodiscard]] Analyzer& analyzer() { return analyzer_; }

private:
    // Every folded word this builder has met, once: a page's words are looked up in one hash
    // table and handled by number from then on (profiled: four lookups and two copies of every
    // word were a fifth of a build).
    // Words that stem alike ("keeps", "keep") are one term: fields count terms.
    struct Term {
        std::string text;
        char hash_byte = 0;   // term_hash_byte(text)
        unsigned in_pair = 0; // occurrences in the field being written
    };
    using TermId = std::uint32_t;
    struct Word {
        std::string folded;
        TermId term = 0;
        unsigned spelling = 0;     // occurrences not yet drained
        std::uint32_t stemmer = 0; // stemmers_ index: a word is one word per language
    };
    using WordId = std::uint32_t;

    WordId intern(const std::string& folded);
    [[nodiscard]] const Term& term_of(WordId word) const { return terms_[words_[word].term]; }
    // The words of `text`, in order, appended to `ids`; counted for spelling.
    void analyse(std::string_view text, std::vector<WordId>& ids);
    void count_spelling(const std::vector<WordId>& ids, SpellingCounts* spelling);
    // The impact-weighted terms of a field of these words.
    void write_field(Xapian::Document& doc, std::string_view prefix, const std::vector<WordId>& ids,
                     double length_norm);

    // What every pair of a page shares, worked out once a page.
    struct PageTerms {
        std::string relative; // the page's path, as pair ids and the page term spell it
        std::string url;
        std::vector<std::string> tag_terms;
        std::vector<WordId> title;
        std::vector<std::string> title_terms;
    };
    // A pair's words, kept from pair to pair so that their buffers are allocated once a page.
    struct PairWords {
        std::vector<WordId> question;
        std::vector<WordId> answer;
        std::vector<WordId> text;    // question then answer: the unprefixed field
        std::vector<WordId> context; // title then the heading the question sits under
        std::vector<std::string> question_terms;
        std::vector<std::string_view> answer_words;
    };
    void forget_vocabulary_if_full();
    [[nodiscard]] PageTerms page_terms(const Page& page, SpellingCounts* spelling);
    [[nodiscard]] PairDocument build_pair(const Page& page, const QaPair& pair,
                                          const PageTerms& shared, PairWords& words,
                                          SpellingCounts* spelling);
    // The boolean terms the filters match: page, tags, categories, stemmer, language.
    void add_filter_terms(Xapian::Document& doc, const FrontMatter& fm, const PageTerms& shared);
    void analyse_pair(const QaPair& pair, PairWords& words, SpellingCounts* spelling);
    // The weighted fields: text, question and title (with the question's heading).
    void write_text_fields(Xapian::Document& doc, const QaPair& pair, const PageTerms& shared,
                           PairWords& words);
    [[nodiscard]] RankRecord rank_record(const std::string& id, const PageTerms& shared,
                                         PairWords& words);
    [[nodiscard]] StoredPair stored_pair(const std::string& id, const Page& page,
                                         const QaPair& pair, const PageTerms& shared,
                                         const PairWords& words) const;

    static constexpr std::size_t max_words = 1'000'000;

    // The words' index: open addressing over a power-of-two table of (hash bits, word + 1)
    // slots, 0 for empty. Every word of every page is looked up, and a node-based map's two
    // cache misses a lookup made that 7% of a build's time (perf, 10k pages).
    struct Slot {
        std::uint32_t check = 0;
        WordId word_plus_one = 0;
    };
    [[nodiscard]] Slot& slot_for(std::string_view folded, std::uint32_t stemmer,
                                 std::uint64_t hash);
    [[nodiscard]] static std::uint64_t word_hash(std::string_view folded, std::uint32_t stemmer);
    // Makes the stemmer of `page`'s language the one its words are analysed with.
    void use_stemmer_of(const Page& page);
    void grow_slots();

    Analyzer analyzer_;
    const IntentLexicon& lexicon_;
    bm25::Normalisation normalisation_;
    std::vector<Slot> slots_;
    std::vector<Word> words_;
    std::unordered_map<std::string, TermId> term_ids_;
    std::vector<Term> terms_;
    std::vector<WordId> counted_; // words with spelling counts to drain
    // The stemmers pages were analysed with: "" (the index's) first, then other languages'.
    std::vector<std::string> stemmers_{""};
    std::uint32_t stemmer_ = 0; // the page being built's
    std::string scratch_;
};

template <class Sink> void DocumentBuilder::drain_spelling(Sink&& sink) {
    for (auto id : counted_) {
        sink(words_[id].folded, words_[id].spelling);
        words_[id].spelling = 0;
    }
    counted_.clear();
}

} // namespace leo::detail
