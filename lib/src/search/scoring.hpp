#pragma once
// The second stage's formulas: BM25 of the fields and common words the matcher did not walk,
// scored from a candidate's rank record exactly as the matcher would have, and the proximity
// and coverage features.

#include "search/query_plan.hpp"

#include <initializer_list>
#include <leo/config.hpp>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// Xapian's BM25Weight term weight for each query term in the question and the title fields
/// and, for common words, in the whole pair (its formula, the index's statistics and the
/// field's scale), so a field scored in the second stage weighs exactly what the same
/// field's query would have in the matcher.
struct FieldWeights {
    std::vector<double> question;
    std::vector<double> title;
    std::vector<double> common; // per Plan::common_terms
};

FieldWeights field_weights(const Plan& p, const Xapian::Database& db, const QueryPlanner& planner,
                           const RankingConfig& ranking);

/// BM25 of one field of a pair, as the matcher would weigh it from the field's impacts:
/// `words` is the field's terms, space-separated; a term's synonyms count as the term, as in
/// an OP_SYNONYM query. `length_norm` is the pair's K.
double field_score(std::string_view words, const std::vector<WeightedTerm>& terms,
                   const std::vector<double>& weights, double length_norm, double k1);

/// Common words are not walked: a candidate holding one (its signature says so) is given the
/// weight of a single occurrence, which is what nearly every pair holding a common word has.
double common_score(std::string_view signature, const std::vector<WeightedTerm>& terms,
                    const std::vector<double>& weights, double length_norm, double k1);

/// Closeness of the query's words in the pair: 1 when two of them are adjacent, falling with
/// distance; averaged over the pairs of distinct query terms that both occur.
/// `positions[t]`: where the query's t-th content term occurs in the pair (empty: nowhere).
double proximity(const std::vector<std::vector<Xapian::termpos>>& positions);

/// The summed rarity of the query terms (any of a term's synonyms counting for it) that a
/// pair holds in the fields whose term signatures are given.
double coverage(std::initializer_list<std::string_view> signatures,
                const std::vector<std::vector<std::string>>& terms, const std::vector<double>& idf);

} // namespace leo::detail
