#pragma once
// Phrases, NEAR and ADJ without positions in the index.
//
// Xapian matches a positional query as an AND when no shard has positions, so the candidates of
// such a query are checked here: each is rebuilt in an in-memory database with the query's terms
// it holds, at the positions its stored text gives (term_positions.hpp), and the query is run
// again there with Xapian's own phrase and window semantics.

#include "store/document_store.hpp"
#include "text/analyzer.hpp"

#include <vector>
#include <xapian.h>

namespace leo::detail {

/// True when `query` holds a phrase or a window (OP_PHRASE, OP_NEAR).
[[nodiscard]] bool needs_positions(const Xapian::Query& query);

/// matches[i]: candidate `dids[i]` (whose stored pair is `pairs[i]`) matches `query` with its
/// phrases and windows as written.
[[nodiscard]] std::vector<bool> check_positions(const Xapian::Query& query,
                                                const Xapian::Database& db,
                                                const std::vector<Xapian::docid>& dids,
                                                const std::vector<StoredPair>& pairs,
                                                Analyzer& analyzer);

} // namespace leo::detail
