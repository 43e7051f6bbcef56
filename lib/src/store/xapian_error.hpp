#pragma once
// The one border where exceptions that are not leo's (Xapian's, which are not std::exceptions,
// the standard library's, the parsers') become leo::Error.

#include <filesystem>
#include <string>
#include <string_view>

namespace Xapian {
class Error;
}

namespace leo::detail {

/// What a message says when a file operation failed and no one said why.
inline constexpr std::string_view unknown_system_error =
    "the system error was not reported: check free space, permissions and the disk";

/// The system error behind a Xapian error (an errno value), or 0 when it names none. Read from
/// Xapian's error string, else from the errno text its message carries (lock failures).
[[nodiscard]] int xapian_errno(const Xapian::Error& error);

/// Why a system call failed, in words that name the cause: `disk full (No space left on
/// device)`, `permission denied`, `read-only file system`, `I/O error (Input/output error)`;
/// the system's text for any other errno.
[[nodiscard]] std::string describe_errno(int code);

/// Throws the leo error matching `error` about the index `database`: LockError when another
/// writer holds it (`locked_by` says who), IndexError otherwise. `doing` is what was attempted
/// (`open`, `write`, `search`). Only real damage reads "damaged"; a system error is named.
/// `errno_then`, errno when the error was caught, names the cause of the errors glass reports
/// without one.
[[noreturn]] void throw_xapian(const Xapian::Error& error, const std::filesystem::path& database,
                               std::string_view doing,
                               std::string_view locked_by = "another leo-index",
                               int errno_then = 0);

/// Rethrows the Xapian::Error in flight through throw_xapian. Call only inside a catch block.
[[noreturn]] void rethrow_xapian(const std::filesystem::path& database, std::string_view doing,
                                 std::string_view locked_by = "another leo-index");

/// Why the exception in flight failed, in a few words, whatever its type (out of memory, a
/// filesystem error with its path, a number that does not parse, a Xapian error). Call only
/// inside a catch block.
[[nodiscard]] std::string current_reason();

/// Which leo error a public entry point turns a foreign exception into.
enum class Failure { index, query, other };

/// Rethrows the exception in flight as a leo::Error: leo's own unchanged, Xapian's through
/// rethrow_xapian (about `subject`), any other as `cannot <doing> '<subject>': <reason>` of the
/// class `kind` names. Call only inside a catch block, at the library's public border.
[[noreturn]] void rethrow_as_leo(Failure kind, const std::filesystem::path& subject,
                                 std::string_view doing);

} // namespace leo::detail
