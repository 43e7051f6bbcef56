#pragma once
// The databases a Searcher reads: leo's index folder, a plain Xapian database, or a stub of
// shards with the lexicon beside them, opened at one snapshot and moved forward on request.

#include "format/bm25.hpp"
#include "store/guarded.hpp"
#include "store/shards.hpp"

#include <filesystem>
#include <leo/config.hpp>
#include <optional>
#include <string>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// One snapshot of an index, for reading. Not thread-safe; owned by one Searcher.
struct IndexReader {
    /// Opens the index `config.database` names (throws IndexError or Xapian::Error).
    explicit IndexReader(const Config& config);

    std::filesystem::path database;
    bool allow_partial_shards = false;
    bool allow_program_shards = false;

    Xapian::Database db;
    std::string language;
    bm25::Normalisation normalisation; ///< the index's, for the words scored after the match
    /// Spelling and synonyms: the index itself, or a sharded index's lexicon (Xapian's remote
    /// backend serves neither table).
    Xapian::Database lexicon_db;
    bool has_lexicon = false;
    std::vector<ShardSpec> shard_specs;
    std::vector<std::string> shards_failed;
    std::string stub_text; ///< the stub as opened, "" for an index without one

    /// The database the query parser reads spellings and synonyms from.
    [[nodiscard]] const Xapian::Database& lexicon() const { return has_lexicon ? lexicon_db : db; }

    /// Opens the newest revision, retrying while writers move it under the reader.
    void open();
    /// The stub's text, or "" for an index without one: what a reopen compares.
    [[nodiscard]] std::string read_stub_text() const;
    /// Moves to the index's newest revision: the same databases reopened, or, when the stub now
    /// names others, those opened afresh (then returns true: the lexicon changed too).
    bool reopen();
    /// Each shard is opened alone, so one that cannot be reached is named, and left out when
    /// the user allows partial answers.
    void open_shards(const std::filesystem::path& stub);
    void open_shards(std::vector<ShardSpec> specs,
                     const std::optional<std::filesystem::path>& lexicon_path);
};

} // namespace leo::detail
