#pragma once
/// @file searcher.hpp
/// Asking an index: a Query in, ranked Hits out.

#include <cstddef>
#include <leo/config.hpp>
#include <memory>
#include <optional>
#include <string>
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
    std::size_t offset = 0;        ///< answers to skip first, at most max_offset
    std::size_t limit = 10;        ///< answers to return, at most max_limit
    bool explain = false;          ///< fill Hit::explanation
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
    std::size_t duplicates = 0; ///< other pairs with the same answer, folded into this one
    std::vector<ScorePart> explanation;
};

/// The answers to one Query.
struct Results {
    std::string query;
    std::size_t total = 0; ///< estimated number of matching answers
    std::vector<Hit> hits;
    std::optional<std::string> corrected_query; ///< "did you mean", when leo found one
    bool used_correction = false;               ///< hits are for corrected_query
    /// Shards of a sharded index that could not be reached and were left out (only with
    /// Config::allow_partial_shards); empty when every shard answered.
    std::vector<std::string> shards_failed;
};

/// Reads one snapshot of an index. Move-only; one Searcher per thread.
class Searcher {
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
    /// Moves to the newest committed snapshot.
    void reopen();
    /// Number of pairs in the snapshot.
    [[nodiscard]] std::size_t pair_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace leo
