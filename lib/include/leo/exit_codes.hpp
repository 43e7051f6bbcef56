#pragma once
/// @file exit_codes.hpp
/// The exit codes of leo-index and leo-ask (documented in docs/failures.md).

namespace leo::exit_code {
inline constexpr int ok = 0;             ///< success; leo-ask: at least one hit
inline constexpr int no_results = 1;     ///< leo-ask: the query matched nothing
inline constexpr int pages_failed = 1;   ///< leo-index: some pages were skipped with errors
inline constexpr int usage = 2;          ///< bad command line
inline constexpr int config = 3;         ///< leo.toml cannot be read or is wrong
inline constexpr int index = 4;          ///< the index cannot be opened, read or written
inline constexpr int locked = 5;         ///< leo-index: another leo-index holds the index
inline constexpr int query = 6;          ///< leo-ask: the query cannot be run
inline constexpr int interrupted = 130;  ///< stopped by SIGINT/SIGTERM after committing
} // namespace leo::exit_code
