#pragma once
/// @file exit_codes.hpp
/// The exit codes of leo-index, leo-ask and leo-serve (documented in docs/failures.md), and the
/// one mapping from an error to its code and message that the tools use, so they cannot
/// disagree. Tool policy, not library API: part of leo_tool, which is not installed.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <leo/error.hpp>
#include <new>
#include <string>
#include <system_error>

namespace leo::exit_code {
inline constexpr int ok = 0;            ///< success; leo-ask: at least one hit
inline constexpr int no_results = 1;    ///< leo-ask: the query matched nothing
inline constexpr int pages_failed = 1;  ///< leo-index: some pages were skipped with errors
inline constexpr int usage = 2;         ///< bad command line
inline constexpr int config = 3;        ///< leo.toml cannot be read or is wrong
inline constexpr int index = 4;         ///< the index cannot be opened, read or written
inline constexpr int locked = 5;        ///< another leo-index holds the index
inline constexpr int listen = 7;        ///< leo-serve: cannot listen on the address
inline constexpr int unexpected = 70;   ///< an error leo has no name for (a bug: please report it)
inline constexpr int interrupted = 130; ///< stopped by SIGINT/SIGTERM after committing

/// What a tool reports for an error: its exit code and the one line it prints after its name.
struct Failure {
    int code = unexpected;
    std::string message;
};

/// The exit code and message for the exception in flight, whatever its type: each leo::Error
/// class has its code; any other exception is still reported in one line, never left to abort
/// the tool. Call only inside a catch block.
[[nodiscard]] inline Failure current_failure() noexcept {
    try {
        try {
            throw;
        } catch (const ConfigError& e) {
            return {config, e.what()};
        } catch (const LockError& e) {
            return {locked, e.what()};
        } catch (const Error& e) {
            return {index, e.what()};
        } catch (const std::bad_alloc&) {
            return {index, "out of memory"};
        } catch (const std::system_error& e) { // a file or folder leo could not handle
            return {index, e.what()};
        } catch (const std::exception& e) {
            return {unexpected, std::string("unexpected error: ") + e.what()};
        } catch (...) {
            return {unexpected, "unexpected error of an unknown type"};
        }
    } catch (...) { // no memory left even for the message
        return {unexpected, {}};
    }
}

/// What the terminate handler names as the index being written (set once it is known).
inline std::string& terminate_subject() {
    static std::string subject;
    return subject;
}

/// Makes std::terminate end the tool `tool` with one line and exit code `index` instead of an
/// abort. Xapian 1.4.22 calls std::terminate when a disk write fails at some points of a commit
/// (an exception thrown while it unwinds another); glass has written nothing live by then, so
/// the last committed index is whole, and the user is told that and the cause the failed call
/// left in errno.
inline void end_on_terminate(const char* tool) noexcept {
    static const char* name = tool;
    std::set_terminate([] {
        const int cause = errno;
        const std::string cause_text =
            cause != 0 ? std::error_code(cause, std::generic_category()).message()
                       : std::string("unknown cause");
        std::string why;
        if (auto in_flight = std::current_exception()) {
            try {
                std::rethrow_exception(in_flight);
            } catch (const std::exception& e) {
                why = e.what();
            } catch (...) { // Xapian's own error class: the errno above says why
            }
        }
        std::fprintf(stderr,
                     "%s: cannot write index '%s': Xapian stopped on a failed write (%s)%s%s; "
                     "what was committed before is kept\n",
                     name, terminate_subject().c_str(), cause_text.c_str(), why.empty() ? "" : ": ",
                     why.c_str());
        std::_Exit(index);
    });
}
} // namespace leo::exit_code
