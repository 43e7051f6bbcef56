#pragma once
// The second stage: the candidates' rank records read once, the query's words found in their
// stored text, and each rescored as one ScoreBreakdown (page context, coverage, proximity,
// intent) whose total() is the score the hits are ordered by and --explain prints.

#include "format/term_positions.hpp"
#include "search/first_stage.hpp"
#include "search/query_plan.hpp"
#include "store/document_store.hpp"
#include "store/index_reader.hpp"
#include "text/analyzer.hpp"
#include "text/intent.hpp"

#include <leo/config.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// A candidate's first-stage score, in the parts --explain shows: BM25 weights without
/// length normalisation, and the one factor that normalises them all.
struct FirstStage {
    double matcher = 0;  ///< the matcher's weight
    double text = 0;     ///< common words in the question and answer text
    double question = 0; ///< common words in the question field
    double title = 0;    ///< common words in the title field
};

/// A candidate's whole score as the sum of its additive parts times its factors: the
/// ranking uses total() and --explain prints the same parts, so the two cannot disagree.
struct ScoreBreakdown {
    FirstStage first;
    double page = 0; ///< share of the page's best first-stage score
    double coverage = 1.0;
    double question_coverage = 1.0;
    double proximity = 1.0;
    double intent = 1.0;

    [[nodiscard]] double base() const {
        return first.matcher + first.text + first.question + first.title + page;
    }
    [[nodiscard]] double total() const {
        return base() * (coverage * question_coverage) * proximity * intent;
    }
};

/// A candidate as the second stage scored it.
struct Scored {
    Xapian::MSetIterator it;
    double score = 0; ///< breakdown.total()
    ScoreBreakdown breakdown;
    double proximity = 0;           ///< closeness of the query words, 0 … 1
    double intent = 0;              ///< match of the asked and offered kinds of answer
    double coverage = 1.0;          ///< share of the query's rarity matched
    double question_coverage = 0.0; ///< the same, in question and title
    std::string_view id;            // views of the candidate's record value
    std::string_view answer_hash;
    Xapian::Document document;
    std::size_t index = 0; // among the candidates: the copy that scored this
    std::size_t shown = 0; // among the candidates: the copy the hit shows (the newest)
    /// Among the candidates: the other copies folded into this one, newest first.
    std::vector<std::size_t> copies;
};

/// What the second stage looks for of the query in a pair.
struct QueryWords {
    std::vector<std::string> content_terms; ///< for proximity and coverage, without prefixes
    std::set<std::string> highlight;        ///< the terms a snippet marks
    /// Looked for in one pass over a pair's text: the content terms first, then the others
    /// to highlight.
    std::vector<std::string> looked_for;
    std::vector<std::vector<std::string>> alternatives; ///< per content term: it and synonyms
    std::vector<double> idf;                            ///< per content term: its rarity
    double idf_total = 0;
};

/// The first stage's candidates with their records, read once in docid order; their stored
/// text decoded, and the query's words found in it, when first asked for.
class CandidatePairs {
public:
    struct Matched {
        std::vector<WordMatch> question, answer;
    };

    CandidatePairs(Candidates& found, const std::vector<std::string>& looked_for,
                   Analyzer& analyzer);

    [[nodiscard]] std::size_t size() const { return found_.chosen.size(); }
    [[nodiscard]] Xapian::MSetIterator candidate(std::size_t i) const {
        return found_.mset[found_.chosen[i]];
    }
    [[nodiscard]] const Xapian::Document& document(std::size_t i) const { return documents_[i]; }
    [[nodiscard]] const RankView& record(std::size_t i) const { return records_[i]; }
    [[nodiscard]] const std::vector<RankView>& records() const { return records_; }
    [[nodiscard]] const StoredPair& stored_pair(std::size_t i);
    [[nodiscard]] const Matched& matched_words(std::size_t i);
    /// The folded words of the answer but those holding a digit, for telling near-identical
    /// answers apart.
    [[nodiscard]] const std::set<std::string>& answer_words(std::size_t i);

private:
    Candidates& found_;
    const std::vector<std::string>& looked_for_;
    Analyzer& analyzer_;
    std::vector<Xapian::Document> documents_;
    std::vector<RankView> records_;   // views of values_
    std::vector<std::string> values_; // each candidate's record_slot value
    std::vector<std::optional<Matched>> matched_;
    std::vector<std::optional<std::set<std::string>>> answer_words_;
};

/// Rescores one query's candidates for one Searcher.
class Rescorer {
public:
    Rescorer(const Config& config, const IndexReader& reader, const QueryPlanner& planner,
             const IntentLexicon& lexicon)
        : config_(config), reader_(reader), planner_(planner), lexicon_(lexicon) {}

    /// The words of `p` the second stage scores and highlights.
    [[nodiscard]] QueryWords query_words(const Plan& p) const;
    /// The candidates best first (ties by pair id), the copies of one answer collapsed (see
    /// collapse()).
    [[nodiscard]] std::vector<Scored> rescore(const Plan& p, const QueryWords& words,
                                              CandidatePairs& pairs) const;

private:
    [[nodiscard]] std::vector<FirstStage> first_stage(const Plan& p,
                                                      const CandidatePairs& pairs) const;
    [[nodiscard]] std::vector<double> closeness(const QueryWords& words,
                                                const std::vector<FirstStage>& first,
                                                CandidatePairs& pairs) const;
    [[nodiscard]] double intent_match(const Plan& p, const RankView& record) const;
    void factors(Scored& s) const;
    /// Copies of one answer as one hit, in the place of the best-scored, showing the newest:
    /// the same answer, or (the same question on the same page of another version) one of
    /// near_identical_share of the same words.
    [[nodiscard]] static std::vector<Scored> collapse(std::vector<Scored> scored,
                                                      CandidatePairs& pairs);

    const Config& config_;
    const IndexReader& reader_;
    const QueryPlanner& planner_;
    const IntentLexicon& lexicon_;
};

} // namespace leo::detail
