#pragma once
/// @file searcher.hpp
/// Asking an index: a Query in, ranked Hits out.

#include <cstddef>
#include <leo/config.hpp>
#include <leo/export.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leo {

/// The most answers one Query returns; a larger Query::limit is read as this.
inline constexpr std::size_t max_limit = 1000;
/// The most answers one Query skips; a larger Query::offset is read as this.
inline constexpr std::size_t max_offset = 10'000;

/// A request: free text in leo's query syntax plus filters and a window of results.
struct Query {
    std::string text;
    std::vector<std::string> tags; ///< every one must be on the page
    /// The page must be in one of these sections (Hugo's: the first folder of its path inside
    /// its language's content folder; `section:` in the text is the same filter).
    std::vector<std::string> sections;
    std::size_t offset = 0; ///< answers to skip first, at most max_offset
    std::size_t limit = 10; ///< answers to return, at most max_limit
    bool explain = false;   ///< fill Hit::explanation
    /// Search for leo's spelling correction when it finds one; false searches the text as typed
    /// and only reports the correction (Results::corrected_query).
    bool correct = true;
};

/// A piece of answer text around the matches, with the matched words marked.
struct Snippet {
    std::string text;
    /// Byte ranges [first, second) of `text` that matched the query.
    std::vector<std::pair<std::size_t, std::size_t>> highlights;
};

/// One part of a hit's score, for `--explain`.
struct ScorePart {
    std::string feature; ///< `question+answer`, `question`, `title`, `page`, `coverage`,
                         ///< `proximity`, `intent`…
    double value = 0;
    std::string detail;
    /// A factor multiplies the sum of the parts that are not factors; together they give
    /// exactly Hit::score.
    bool factor = false;
};

/// A pair folded into a Hit as a copy of its answer (another page or another version of it).
struct HitCopy {
    std::string id;   ///< `path#k`
    std::string url;  ///< page URL plus `#anchor`
    std::string path; ///< page path relative to the indexed folder
};

/// One ranked answer.
struct Hit {
    std::size_t rank = 0; ///< 1-based
    std::string id;       ///< `path#k`
    std::string question;
    std::string answer;
    Snippet snippet;
    std::string title;
    std::string url;  ///< page URL plus `#anchor`
    std::string path; ///< page path relative to the indexed folder
    std::string anchor;
    std::vector<std::string> tags;
    double score = 0;
    /// Other pairs with the same answer, or a near-identical one to the same question on the
    /// same page of another version, folded into this one: copies.size().
    std::size_t duplicates = 0;
    /// Those pairs, newest first. The hit shows the newest copy (highest version in its path,
    /// else latest date) and is ranked by the best-scored one (docs/leo-ask.md#copies).
    std::vector<HitCopy> copies;
    std::vector<ScorePart> explanation;
};

/// The answers to one Query.
struct Results {
    std::string query;
    std::size_t total = 0; ///< estimated number of matching answers
    std::vector<Hit> hits;
    std::optional<std::string> corrected_query; ///< "did you mean", when leo found one
    bool used_correction = false;               ///< hits are for corrected_query
    /// What leo made of the query, for `--explain`: the terms it looked for (as indexed: folded,
    /// stemmed), and the stop words and chatter it left out (words frequent in this index).
    std::vector<std::string> terms_used;
    std::vector<std::string> words_dropped;
    /// Words read joined or split as the index writes them ("web site → website",
    /// "strikethrough → strike through"), for `--explain`; see RankingConfig::compounds.
    std::vector<std::string> compounds;
    /// Shards of a sharded index that could not be reached and were left out (only with
    /// Config::allow_partial_shards); empty when every shard answered.
    std::vector<std::string> shards_failed;
};

/// What to show while someone types: the last, unfinished word completed, and the answers so far.
struct Suggestions {
    std::string query; ///< the text as typed
    /// Indexed words (folded: lower case, no accents) that start with the query's last word,
    /// most frequent first; empty when the query ends with a space or its last word has syntax.
    std::vector<std::string> completions;
    /// Answers to the query with its last word replaced by the first completion (the query
    /// itself when there is none).
    Results results;
};

/// Reads one snapshot of an index. Move-only; one Searcher per thread.
class LEO_EXPORT Searcher {
public:
    /// Opens the index at `config.database`. Throws IndexError when it is missing, foreign or of
    /// another format version.
    explicit Searcher(const Config& config);
    ~Searcher();
    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;

    /// Ranks answers for `query`. A query that cannot be parsed is read as plain words; an empty
    /// one has no hits. Retries once on a newer snapshot if a writer overtook this one.
    [[nodiscard]] Results search(const Query& query);
    /// As-you-type search: up to `completions` completions of the last word of `query.text`
    /// and the answers with that word completed (see Suggestions). Filters and window as search().
    [[nodiscard]] Suggestions suggest(const Query& query, std::size_t completions = 8);
    /// Moves to the newest committed snapshot.
    void reopen();
    /// A label of the snapshot being read (generation and revision); it changes with every
    /// commit a reopen() has moved to. For telling snapshots apart, not for ordering them.
    [[nodiscard]] std::string revision() const;
    /// Number of pairs in the snapshot.
    [[nodiscard]] std::size_t pair_count() const;

private:
    // Indexed words starting with `word` once folded, most frequent first (search/suggest.cpp).
    [[nodiscard]] std::vector<std::string> words_starting(std::string_view word, std::size_t limit);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace leo
