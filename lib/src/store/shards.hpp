#pragma once
// Stub files: the list of shards a sharded index is made of, and the lexicon beside them.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// A stub comment line Xapian ignores and leo reads: where the lexicon database is.
inline constexpr std::string_view lexicon_marker = "# leo-lexicon";

/// One line of a stub file.
struct ShardSpec {
    std::string line; ///< as written, for messages
    std::string type; ///< `glass`, `auto`, `chert` or `remote`
    std::string
        target; ///< path (resolved against the stub's folder) or `HOST:PORT`/`:PROGRAM ARGS`
};

[[nodiscard]] std::string shard_name(unsigned index, unsigned count);
/// The stub of `database` when it is one (a stub file, or a folder holding `XAPIANDB`).
[[nodiscard]] std::optional<std::filesystem::path> stub_file(const std::filesystem::path& database);
/// Parses a stub; `lexicon` receives the lexicon path when the stub names one.
[[nodiscard]] std::vector<ShardSpec> read_stub(const std::filesystem::path& stub,
                                               std::optional<std::filesystem::path>& lexicon);
/// Checks, before Xapian reads it, the stub of index `database` and every stub it names, as Xapian
/// would follow them: throws IndexError on a `remote :PROGRAM` line unless `allow_programs`, on a
/// stub that names itself or an enclosing stub, and on stubs nested deeper than leo makes them.
void vet_stub(const std::filesystem::path& stub, const std::filesystem::path& database,
              bool allow_programs);
/// Opens one shard (local or remote). Throws Xapian::Error.
[[nodiscard]] Xapian::Database open_shard(const ShardSpec& spec);
/// Merges the shards' spelling tables and the first shard's synonyms into `lexicon`.
void write_lexicon(const std::filesystem::path& lexicon,
                   const std::vector<std::filesystem::path>& shards);
class IndexFolder;
/// Writes the folder's stub listing `shards` and `lexicon`, atomically.
void write_stub(IndexFolder& folder, const std::vector<std::filesystem::path>& shards,
                const std::filesystem::path& lexicon);

} // namespace leo::detail
