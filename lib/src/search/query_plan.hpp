#pragma once
// The query plan: a request's text → the Xapian query the first stage runs, with what the
// second stage needs to know of it (the words left out of the match, the intent asked for).
// Natural-language queries are built term by term (natural_query.cpp); queries with syntax go
// through Xapian's QueryParser, their unknown words spelled again (query_spelling.cpp).

#include "search/compounds.hpp"
#include "search/section_filter.hpp"
#include "search/spelling.hpp"
#include "store/index_reader.hpp"
#include "text/analyzer.hpp"
#include "text/intent.hpp"

#include <leo/config.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// The field names a query may write before `:`.
inline const std::vector<std::string> query_prefixes{"question", "title", "tag",
                                                     "category", "lang",  "section"};

/// True for a term that carries a field prefix (upper-case letters, Omega's convention).
[[nodiscard]] inline bool has_prefix(const std::string& term) {
    return !term.empty() && term[0] >= 'A' && term[0] <= 'Z';
}

/// One content word of a natural query.
struct WeightedTerm {
    std::vector<std::string> forms;   ///< the term, then its synonyms
    std::vector<std::string> related; ///< WordNet synonyms the index holds, weighed less
    double weight = 1.0;
    bool cue = false;    ///< an intent cue ("causes", "how many")
    int occurrences = 1; ///< how many times the query says it
};

/// How a natural query chooses its candidates, tried in this order until enough are found:
/// by the selective words (common words and cues only add to the scores), else by questions
/// holding every one of the query's words, by questions holding any, by any text.
enum class Choose { selective_or_all_questions, any_question, anything };

struct Plan {
    Xapian::Query query;
    Xapian::Query combined;   ///< the fields together, before filters
    Xapian::Query all_fields; ///< the unprefixed part alone, for --explain
    Xapian::Query question;
    Xapian::Query title;
    /// The words whose question and title fields the second stage scores (the common ones).
    std::vector<WeightedTerm> field_terms;
    /// Common words of the collection: left out of the match and scored in the second stage
    /// for the candidates the other words chose, from the pairs' rank records.
    std::vector<WeightedTerm> common_terms;
    /// The query's every word is common: the matcher chose candidates by their questions,
    /// and weighed the question field of those words itself.
    bool matched_questions = false;
    /// ... and every candidate holds all of them (one list, or an AND of lists).
    bool same_words = false;
    /// More than long_query_terms content words: a forum post or an e-mail, whose words are
    /// weighed by rarity and which no pair is expected to cover (second_stage.cpp).
    bool long_query = false;
    std::vector<std::string> terms; ///< query's content terms, in order
    std::optional<std::string> intent;
    std::string corrected;
    std::vector<std::string> used;    ///< the terms looked for (as indexed), for --explain
    std::vector<std::string> dropped; ///< stop words and chatter left out, folded, for --explain
    std::vector<Compound> compounds;  ///< words read joined or split (compounds.hpp)
};

/// Plans the queries of one Searcher. Owns the stop list and the QueryParser (which points at
/// it, hence neither copyable nor movable); reads the index through `reader`.
class QueryPlanner {
public:
    QueryPlanner(const Config& config, const IndexReader& reader, Analyzer& analyzer,
                 const IntentLexicon& lexicon, Speller& speller);
    QueryPlanner(const QueryPlanner&) = delete;
    QueryPlanner& operator=(const QueryPlanner&) = delete;

    /// The plan of `text` filtered by `tags`, its candidates chosen as `choose` says.
    [[nodiscard]] Plan plan(const std::string& text, const std::vector<std::string>& tags,
                            Choose choose = Choose::selective_or_all_questions);
    /// A query with syntax characters that reads as a question (see query_form.hpp) is natural
    /// too, unless it names a field: `tag:` and `title:` are never punctuation.
    [[nodiscard]] bool natural(const std::string& text);
    /// Empty answers are never answers (pairs of an empty answer hold no words, so only a query
    /// of filters alone can reach them); tags and `sections` filter without weighing.
    [[nodiscard]] Xapian::Query finish(const Xapian::Query& combined,
                                       const std::vector<std::string>& tags,
                                       bool words_only = false);
    /// The number of pairs holding a term or any of its synonyms, as Xapian estimates an
    /// OP_SYNONYM's: at least that of its most frequent form.
    [[nodiscard]] Xapian::doccount pairs_holding(const WeightedTerm& t,
                                                 std::string_view prefix = {}) const;
    /// A stop word (or chatter) of the query's language.
    [[nodiscard]] bool is_stop_word(const std::string& folded) const { return stopper_(folded); }
    /// After the reader opened other databases: the lexicon to read spellings and synonyms from.
    void use_lexicon(const Xapian::Database& lexicon) { parser_.set_database(lexicon); }

    bool apply_corrections = true;     ///< the request's Query::correct
    std::vector<std::string> sections; ///< the request's Query::sections

private:
    [[nodiscard]] unsigned flags(bool spelling) const;
    Xapian::Query parse(const std::string& folded, const std::string& prefix,
                        bool spelling = false);
    [[nodiscard]] bool is_common(const WeightedTerm& t) const;
    Plan plan_natural(const std::string& text, const std::vector<std::string>& tags, Choose choose);
    Plan plan_syntax(const std::string& text, const std::vector<std::string>& tags);
    // natural_query.cpp
    std::vector<WeightedTerm> natural_terms(const std::string& text, std::string& corrected,
                                            std::vector<std::string>& dropped,
                                            std::vector<Compound>& compounds);
    void join_adjacent(const std::string& text, const std::vector<Word>& words,
                       std::vector<WeightedTerm>& terms, std::vector<Compound>& compounds);
    /// A stop word, or chatter that is frequent in this index (with rare_stop_words; else any).
    [[nodiscard]] bool droppable(const std::string& folded) const;
    // query_spelling.cpp
    std::set<std::string> unknown_words(const std::string& text);
    std::string keep_corrections_of(const std::string& folded, const std::string& corrected,
                                    const std::set<std::string>& unknown);

    const Config& config_;
    const IndexReader& reader_;
    Analyzer& analyzer_;
    const IntentLexicon& lexicon_;
    Speller& speller_;
    Xapian::SimpleStopper stopper_;
    Xapian::SimpleStopper function_words_; ///< the language's list without the chatter
    SectionProcessor section_processor_;   ///< `section:`, which parser_ points at
    Xapian::QueryParser parser_;
};

/// The terms of `terms`' forms with `prefix`, OR'd (or joined by `op`), each scaled by its weight.
[[nodiscard]] Xapian::Query field_query(const std::vector<WeightedTerm>& terms,
                                        std::string_view prefix,
                                        Xapian::Query::op op = Xapian::Query::OP_OR);

} // namespace leo::detail
