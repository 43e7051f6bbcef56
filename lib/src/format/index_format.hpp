#pragma once
// Checks that a database is a leo index this build can read, and stamps new ones.

#include "format/bm25.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <xapian.h>

namespace leo {
struct Config;
}

namespace leo::detail {

/// Throws IndexError naming `path` and the fix when `db` is not a leo index of this format and
/// analyser. `language_out` receives the index's language.
void check_index_format(const Xapian::Database& db, const std::filesystem::path& path,
                        std::string& language_out);

/// The index's BM25 length normalisation; none until its first pages were indexed.
[[nodiscard]] std::optional<bm25::Normalisation> read_length_norm(const Xapian::Database& db);

/// The metadata value read_length_norm() reads.
[[nodiscard]] std::string encode_length_norm(const bm25::Normalisation& normalisation);

/// A hash of every setting that changes what a page yields or whether it is published
/// (question levels, anchor style, URLs, the site's languages, drafts, future and expired
/// pages) and of the revision of leo's page rules: an index whose recorded stamp differs
/// re-parses its pages. The language of the index is not in it: changing that needs a rebuild.
[[nodiscard]] std::string page_settings_stamp(const Config& config);

} // namespace leo::detail
