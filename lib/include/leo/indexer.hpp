#pragma once
/// @file indexer.hpp
/// Building and updating an index from a folder of pages.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <leo/config.hpp>
#include <leo/export.hpp>
#include <leo/page.hpp>
#include <memory>
#include <string>

namespace leo {

/// A page that could not be indexed. `message()` reads `path:line:col: reason`.
struct LEO_EXPORT PageProblem {
    std::filesystem::path path;
    std::size_t line = 0;
    std::size_t column = 0;
    std::string reason;
    [[nodiscard]] std::string message() const;
};

/// What a run did.
struct IndexReport {
    std::size_t pages_seen = 0;
    std::size_t indexed = 0;     ///< pages (re)written
    std::size_t unchanged = 0;   ///< pages skipped because they did not change
    std::size_t removed = 0;     ///< pages whose files are gone
    std::size_t failed = 0;      ///< pages skipped with an error
    std::size_t skipped = 0;     ///< drafts and excluded pages
    std::size_t pairs = 0;       ///< pairs written by this run
    std::size_t total_pairs = 0; ///< pairs in the index after the run
    bool interrupted = false;    ///< stopped early by request; what was committed stays
    bool reweighted = false;     ///< rebuilt with a re-derived length normalisation (see reweight)
};

/// Progress of a run, for display.
struct IndexProgress {
    std::size_t pages_done = 0;
    std::size_t pages_total = 0;
    std::size_t pairs = 0;
};

/// Options of one `index_directory` run.
struct IndexOptions {
    bool strict = false; ///< stop at the first bad page and commit nothing
    /// Called for each page that fails (from the calling thread).
    std::function<void(const PageProblem&)> on_problem;
    /// Called for each part of a page cut at a size cap (the page is indexed up to the cut),
    /// from the calling thread.
    std::function<void(const PageProblem&)> on_warning;
    /// Called now and then while the run goes on (from the calling thread).
    std::function<void(const IndexProgress&)> on_progress;
    /// Polled between batches; returning true stops the run after committing what is done.
    std::function<bool()> should_stop;
    /// Pairs written per commit: each commit is atomic, and memory stays bounded by it.
    std::size_t batch_pairs = 20'000;
    /// Index only this shard's share of the pages: those whose path hashes to `shard_index`
    /// modulo `shard_count` (see shard_of). 1 shard: every page.
    unsigned shard_index = 0;
    unsigned shard_count = 1;
    /// Re-derive BM25's length normalisation from the pages as they are now. An index updated
    /// in place keeps the normalisation measured when it was created, so after many edits it
    /// ranks a little unlike a clean build of the same pages. When the normalisation moved,
    /// every page is re-read into a new copy of the index, which replaces the old one only if
    /// every page could be read: then the index equals a clean build. (`leo-index --compact`.)
    bool reweight = false;
};

class Indexer;
class Error;

/// How watch_directory reacts to changes.
struct WatchOptions {
    /// Quiet time after the last change before the index is brought up to date, so a burst of
    /// saves costs one run.
    std::chrono::milliseconds debounce{300};
    /// Longest a change waits for a quiet moment: a page rewritten without pause (a log, a
    /// generator) still gets the index updated this long after the burst's first change.
    std::chrono::milliseconds max_wait{2000};
    /// Called after every run, the first (full) one included.
    std::function<void(const IndexReport&)> on_run;
    /// Called when a run fails (a full disk, an I/O error): watching goes on, and the next
    /// change runs again. Unset: the failure ends watch_directory with the exception.
    std::function<void(const Error&)> on_error;
    /// Called with a one-line warning for each folder that cannot be watched (the system's
    /// limit of inotify watches, permissions): changes in it are seen only by a later run.
    std::function<void(const std::string&)> on_warning;
};

/// Indexes `root`, then keeps the index current as pages are saved, added or deleted (inotify),
/// until `options.should_stop` returns true. A root folder that is replaced (moved away and
/// another put in its place) is watched anew. Linux only.
LEO_EXPORT void watch_directory(Indexer& indexer, const std::filesystem::path& root,
                                const IndexOptions& options, const WatchOptions& watch);

/// The shard (0 … count−1) a page belongs to: a stable hash of its relative path, the same on
/// every machine and run.
[[nodiscard]] LEO_EXPORT unsigned shard_of(const std::filesystem::path& relative_path,
                                           unsigned count);

/// Builds (or updates) `config.database` as `count` shard indexes plus a lexicon (spelling and
/// synonyms for the query node) and a Xapian stub file `XAPIANDB` listing them, so that
/// Searcher and `xapian-tcpsrv` can use it as one index. Reports are summed over the shards.
LEO_EXPORT IndexReport index_sharded(const Config& config, const std::filesystem::path& root,
                                     unsigned count, const IndexOptions& options = {},
                                     bool wait_for_lock = false);

/// Writes one leo index. Holds the index's write lock from open to destruction.
/// Move-only; not thread-safe (one thread drives it).
class LEO_EXPORT Indexer {
public:
    /// Opens the index at `config.database`, creating it when absent. `wait_for_lock` waits for
    /// another writer to finish instead of throwing LockError.
    explicit Indexer(const Config& config, bool wait_for_lock = false);
    ~Indexer();
    Indexer(Indexer&&) noexcept;
    Indexer& operator=(Indexer&&) noexcept;

    /// Brings the index in line with the pages under `root`: new and changed pages written,
    /// unchanged ones skipped by size and modification time, removed ones deleted. Commits in
    /// batches; each page's old and new pairs always land in the same commit.
    IndexReport index_directory(const std::filesystem::path& root,
                                const IndexOptions& options = {});

    /// Adds or replaces one parsed page's pairs (committed by the next commit()). The page is
    /// recorded as indexed, with its content unknown: a later index_directory() over a folder
    /// holding `page.path` re-reads that file and replaces the pairs, and removes them when the
    /// folder does not hold it.
    void add_page(const Page& page);
    /// Removes a page's pairs by its relative path (committed by the next commit()).
    void remove_page(const std::filesystem::path& relative_path);
    /// Makes every change so far durable and visible to readers, atomically.
    void commit();
    /// Merges the index's blocks into a smaller, faster copy in place (Xapian compaction).
    void compact();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace leo
