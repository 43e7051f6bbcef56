#pragma once
// Hits: the scored candidates of the requested window turned into Hit values, with their
// snippets and, when asked, the --explain parts of their ScoreBreakdown.

#include "search/first_stage.hpp"
#include "search/query_plan.hpp"
#include "search/second_stage.hpp"

#include <leo/config.hpp>
#include <leo/searcher.hpp>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// The hit of rank `rank` for the candidate `s`, its snippet marking the query's words.
[[nodiscard]] Hit make_hit(std::size_t rank, const Scored& s, CandidatePairs& pairs,
                           const QueryWords& words);

/// The parts of `s`'s score, as --explain prints them: they add and multiply to its score.
[[nodiscard]] std::vector<ScorePart> explain(const Plan& p, const Scored& s, Xapian::docid did,
                                             const Matcher& matcher, const Xapian::Database& db,
                                             const RankingConfig& ranking);

} // namespace leo::detail
