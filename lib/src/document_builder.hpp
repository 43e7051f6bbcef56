#pragma once
// Page → one Xapian document per question/answer pair, terms from the shared analyser.

#include "analyzer.hpp"
#include "bm25.hpp"
#include "intent.hpp"

#include <leo/page.hpp>
#include <string>
#include <unordered_map>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// A pair ready to be written: its unique id term and its document.
struct PairDocument {
    std::string id_term;
    Xapian::Document document;
};

/// Words seen while building, with how often: the spelling table's input.
using SpellingCounts = std::unordered_map<std::string, unsigned>;

/// Builds documents. One per thread: it owns an Analyzer.
class DocumentBuilder {
public:
    DocumentBuilder(Analyzer analyzer, const IntentLexicon& lexicon,
                    bm25::Normalisation normalisation);

    /// Every pair of `page`, in page order. Words seen are counted into `spelling`.
    [[nodiscard]] std::vector<PairDocument> build(const Page& page, SpellingCounts* spelling);

    /// The number of words of a pair's question and answer: the length BM25 normalises.
    [[nodiscard]] std::size_t text_length(const QaPair& pair);

    /// The term of every page's pairs, for deleting them all at once.
    [[nodiscard]] static std::string page_term(const std::string& relative_path);
    /// A tag's boolean term (`K` + folded tag, words joined by `-`).
    [[nodiscard]] std::string tag_term(std::string_view tag);

    [[nodiscard]] Analyzer& analyzer() { return analyzer_; }

private:
    // A field's terms in the order first seen, each with how often it occurs.
    class Postings {
    public:
        void clear();
        void add(const std::string& term);
        /// Writes each term with `prefix` and its BM25 impact as its wdf.
        void write(Xapian::Document& doc, std::string_view prefix, double length_norm) const;

    private:
        struct Entry {
            std::string term;
            unsigned count = 0;
        };
        std::vector<Entry> entries_;
        std::size_t used_ = 0;
        std::unordered_map<std::string, std::size_t> index_;
        mutable std::string scratch_;
    };

    // Analyses `text`: its terms in order into `terms`, its folded words into folded_, spelling.
    void analyse(std::string_view text, std::vector<std::string>& terms, SpellingCounts* spelling);

    Analyzer analyzer_;
    const IntentLexicon& lexicon_;
    bm25::Normalisation normalisation_;
    std::vector<std::string> folded_;
    Postings text_;
    Postings question_;
    Postings title_;
};

} // namespace leo::detail
