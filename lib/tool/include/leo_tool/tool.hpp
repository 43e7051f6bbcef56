#pragma once
/// @file tool.hpp
/// What leo-index, leo-ask and leo-serve share around the library: how an error becomes one
/// line on stderr and an exit code, and how a command-line mistake is reported.

#include <CLI/CLI.hpp>
#include <filesystem>

namespace leo::tool {

/// Prints the exception in flight as `<tool>: <message>` on stderr, control characters escaped
/// (names come from the command line and from disk), and returns its exit code. Plain stdio,
/// which cannot throw while an error is being reported. Call only inside a catch block.
[[nodiscard]] int report_failure(const char* tool) noexcept;

/// Prints what CLI11 says about `error` (help and version on stdout, a mistake on stderr, which
/// echoes what it refused and is escaped) and returns exit_code::ok or exit_code::usage.
[[nodiscard]] int report_parse_error(const CLI::App& app, const CLI::ParseError& error);

/// Names `database` as the index in the message std::terminate prints (see end_on_terminate).
void set_terminate_subject(const std::filesystem::path& database);

/// A tool's main(): std::terminate ends it with one line, and nothing escapes `run`: an
/// exception that is not leo's is still one line and a documented code.
[[nodiscard]] int main_of(const char* tool, int (*run)(int, char**), int argc,
                          char** argv) noexcept;

} // namespace leo::tool
