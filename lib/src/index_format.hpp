#pragma once
// Checks that a database is a leo index this build can read, and stamps new ones.

#include <filesystem>
#include <string>

#include <xapian.h>

namespace leo::detail {

/// Throws IndexError naming `path` and the fix when `db` is not a leo index of this format and
/// analyser. `language_out` receives the index's language.
void check_index_format(const Xapian::Database& db, const std::filesystem::path& path,
                        std::string& language_out);

} // namespace leo::detail
