#pragma once
// The folder an index lives in (`--db`), and the only files leo may create, replace or remove
// there. leo owns a folder it created, an empty one it was given, or one that carries its marker;
// any other non-empty folder is refused before any work, because it holds someone else's files.
//
//   DB/iamleo        the marker (written before anything else)
//   DB/XAPIANDB      a Xapian stub naming the live generation (`auto g3`), or, for a sharded
//                    index, its shards and lexicon; replaced by rename, so readers see one or
//                    the other, never half of one
//   DB/g<N>/         one generation: a glass database
//   DB/lexicon-g<N>/ a sharded index's lexicon, one generation
//   DB/shard-I-of-N/ a sharded index's shards, each an index folder of its own
//
// Swapping in a new generation renames one file inside the folder, so a `--db` that is a
// symbolic link keeps pointing at its target and one that is a mount point works. The writer
// lock is an flock on the folder itself: nothing a second writer can delete or recreate.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace leo::detail {

class IndexFolder {
public:
    explicit IndexFolder(std::filesystem::path folder);

    /// Creates the folder when missing (before it can be locked). Throws IndexError for a file.
    void create() const;

    /// Makes the existing folder leo's: marks it when empty, accepts it when marked (or an
    /// index of an older leo, whose files are then copied into a generation). Throws
    /// IndexError for a non-empty folder that is not a leo index. Call with the lock held.
    void claim();

    /// The live generation's folder; nullopt when the index has none yet. Throws IndexError
    /// when the folder holds a sharded index.
    [[nodiscard]] std::optional<std::filesystem::path> live_generation() const;

    /// The folder for a new generation (`g<N+1>`, or `lexicon-g<N+1>`); not created.
    [[nodiscard]] std::filesystem::path next_generation(const std::string& stem = "g") const;

    /// Points the stub at `generation` (atomically, durably), then removes every other name
    /// leo makes in the folder.
    void publish(const std::filesystem::path& generation);

    /// Writes `stub_text` as the folder's stub, atomically and durably.
    void write_stub(const std::string& stub_text);

    /// Removes what an interrupted run of leo left inside the folder: generations the stub does
    /// not name, half-written stubs, parallel build parts. Only names leo makes.
    /// `keep_is_all`: the caller, holding the lock, knows every name the stub lists (it wrote
    /// it), so the stub is not read.
    void remove_leftovers(const std::vector<std::string>& keep = {},
                          bool keep_is_all = false) const;

    /// True when the folder's stub lists shards rather than one generation.
    [[nodiscard]] bool holds_shards() const;

    [[nodiscard]] const std::filesystem::path& path() const { return folder_; }

    static constexpr const char* marker_name = "iamleo";
    static constexpr const char* stub_name = "XAPIANDB";

private:
    void migrate_older_layout();

    std::filesystem::path folder_;
};

/// The writer lock of an index folder: an exclusive flock on the folder, held until destroyed.
class FolderLock {
public:
    /// Throws LockError naming the holder when another writer has it and `wait` is false.
    FolderLock(const std::filesystem::path& folder, bool wait);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

/// Checks that `copy`, made by compacting `sources`, holds what they hold (their pairs, terms
/// and spelling). Throws IndexError, or Xapian::Error when a database cannot be read.
/// `renumbered`: the compaction gave the pairs new ids, each source's after the last's.
void verify_copy(const std::vector<std::filesystem::path>& sources,
                 const std::filesystem::path& copy, bool renumbered);

/// The whole of a small file (a stub, a marker). Throws IndexError naming the cause; a read
/// that fails half-way is an error, never a shorter text.
[[nodiscard]] std::string read_text(const std::filesystem::path& path);

/// Writes `text` to `target` through a temporary file beside it: written, flushed to disk, then
/// renamed over `target`, and the folder flushed. Throws IndexError naming the cause.
void replace_file(const std::filesystem::path& target, const std::string& text);

} // namespace leo::detail
