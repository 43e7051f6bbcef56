#pragma once
// The writable side of one index folder: the writer lock, the live generation's Xapian database,
// and every step that opens a database for writing or swaps a new generation into place
// (creation, a re-weighting rebuild, the parallel build's merge, compaction). Xapian's errors
// are caught here, or in guarded(), and leave as leo::Error.

#include "format/bm25.hpp"
#include "store/index_folder.hpp"
#include "store/xapian_error.hpp"

#include <filesystem>
#include <leo/config.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

class Analyzer;

/// Owns the lock of `config.database` from construction to destruction, and the database of its
/// live generation. Not thread-safe: one thread drives it.
class IndexWriter {
public:
    /// Creates or opens the index, stamped and with `config`'s synonyms (folded by `analyzer`,
    /// which must outlive the writer). Throws LockError or IndexError.
    IndexWriter(const Config& config, Analyzer& analyzer, bool wait);
    ~IndexWriter();
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /// The live generation's database (or, during a rebuild, the new generation's).
    [[nodiscard]] Xapian::WritableDatabase& db() { return db_; }
    [[nodiscard]] const std::filesystem::path& database() const { return config_.database; }
    /// The length normalisation the index recorded when it was opened; none for a new index.
    [[nodiscard]] const std::optional<bm25::Normalisation>& opened_normalisation() const {
        return opened_normalisation_;
    }

    /// Runs `fn` on the database; a Xapian error it throws leaves as the leo::Error about this
    /// index that `doing` names (`read`, `write`, `commit`).
    template <class Fn> decltype(auto) guarded(std::string_view doing, Fn&& fn) {
        try {
            return fn();
        } catch (const Xapian::Error&) {
            rethrow_xapian(config_.database, doing);
        }
    }

    /// Stamps format, analyser and language into the database's metadata.
    void stamp();
    /// True when the index records page settings other than `config`'s (an index from before
    /// the record counts as other): its pages must be parsed again.
    [[nodiscard]] bool page_settings_changed();
    /// Records `config`'s page settings (committed with the run's next commit).
    void record_page_settings();
    /// Brings the database's synonyms in line with the configuration's.
    void write_synonyms();

    /// Re-weighting: opens a new, stamped generation beside the live one, which stays open.
    /// Writes go to the new one until it is published or abandoned. Xapian errors pass.
    void start_fresh_generation();
    /// Drops the new generation (and a merge made of it); the live one is the index again.
    void abandon_fresh_generation();
    /// Commits the new generation and swaps it into place. Xapian errors pass.
    void publish_fresh_generation();
    /// True between start_fresh_generation() and its publication or abandonment.
    [[nodiscard]] bool rebuilding() const { return fresh_ != nullptr; }

    /// Merges the parallel build's parts (each a database written by open_build_part) and the
    /// stamped, empty live database into a new generation, published unless rebuilding, which
    /// the writer then writes to. On failure the parts and the merge are removed.
    void merge_parts(const std::vector<std::filesystem::path>& parts);

    /// Compacts the live generation into a new one and moves the writer to it.
    void compact();

    /// After a failed run, which can leave Xapian's handle inside a transaction or closed
    /// (glass closes a database whose commit failed): drops what was not committed and opens
    /// the last commit again. The folder lock stays held throughout.
    void reopen();

private:
    void open(bool wait);

    Config config_;
    Analyzer& analyzer_;
    IndexFolder folder_;
    // Declared before db_: released after db_ is closed.
    std::unique_ptr<FolderLock> writer_lock_;
    std::filesystem::path generation_; // the generation db_ writes to
    // Runs after db_ is closed and before the lock is released, however the run ended: what a
    // failed run left (a half-made generation, build parts, glass's revision file) goes.
    struct Tidy {
        IndexWriter& writer;
        ~Tidy();
    } tidy_{*this};
    Xapian::WritableDatabase db_;
    std::optional<bm25::Normalisation> opened_normalisation_;
    struct Fresh;
    std::unique_ptr<Fresh> fresh_;
};

/// A database of its own for one thread of a parallel first build, later merged by
/// IndexWriter::merge_parts(). Not synced: a part that a crash interrupts is rebuilt.
[[nodiscard]] Xapian::WritableDatabase open_build_part(const std::filesystem::path& path);

} // namespace leo::detail
