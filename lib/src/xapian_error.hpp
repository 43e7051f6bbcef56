#pragma once
// The one border where Xapian's exceptions (not std::exceptions) become leo::Error.

#include <filesystem>
#include <string_view>

namespace leo::detail {

/// Rethrows the Xapian::Error in flight as the matching leo error about `database`; `doing`
/// is what was attempted (`open`, `write`, `search`). Call only inside a catch block.
[[noreturn]] void rethrow_xapian(const std::filesystem::path& database, std::string_view doing);

} // namespace leo::detail
