#pragma once
// The first stage: the plan's query run by Xapian's matcher (BM25 over the indexer's impacts),
// widened when too few questions hold the words, expanded by feedback, and its phrases checked
// against the pairs' stored text; what it returns, the second stage rescores.

#include "search/query_plan.hpp"
#include "store/document_store.hpp"
#include "store/index_reader.hpp"

#include <leo/config.hpp>
#include <optional>
#include <string>
#include <vector>
#include <xapian.h>

namespace leo::detail {

// The matcher's top `depth`, chosen the same way whatever the docids and however the index
// is sharded. Of pairs of equal weight Xapian keeps the lowest docids, and the docids of one
// index and of its shards differ; nor are equal weights always equal to the last bit, as each
// shard adds a pair's parts in its own order. So when the weights at the cut are within
// rounding of each other, every pair that close is fetched and the cut falls by the pairs'
// tie keys (shorter pairs first, as BM25's length normalisation would rank them).
struct Candidates {
    Xapian::MSet mset;
    std::vector<Xapian::doccount> chosen; // positions in mset, best first
    Xapian::doccount matches = 0;         // the matcher's estimate of all matching pairs
    /// The pairs the phrase check decoded, by position in `chosen` (the rest decoded later).
    std::vector<std::optional<StoredPair>> stored;
};

/// Runs plans on one index for one Searcher; reads `reader`, re-plans through `planner`.
class Matcher {
public:
    Matcher(const Config& config, const IndexReader& reader, QueryPlanner& planner,
            Analyzer& analyzer)
        : config_(config), reader_(reader), planner_(planner), analyzer_(analyzer) {}

    /// The first stage for `p` (re-planned from `text` when it must choose more widely, and
    /// then updated): at least the `wanted` best candidates, and up to the rerank depth.
    [[nodiscard]] Candidates match(Plan& p, const std::string& text,
                                   const std::vector<std::string>& tags, bool used_correction,
                                   std::size_t wanted);
    /// An Enquire that weighs `query` as the matcher does.
    [[nodiscard]] Xapian::Enquire enquire(const Xapian::Query& query) const;

private:
    [[nodiscard]] double k1() const;
    void set_query(Xapian::Enquire& e, const Xapian::Query& query) const;
    Xapian::Query expand(const Plan& p, Xapian::Enquire& e, const Xapian::MSet& mset,
                         const std::vector<std::string>& tags);
    void keep_phrases(const Plan& p, Candidates& found, std::size_t depth);

    const Config& config_;
    const IndexReader& reader_;
    QueryPlanner& planner_;
    Analyzer& analyzer_;
};

} // namespace leo::detail
