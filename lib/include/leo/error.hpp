#pragma once
/// @file error.hpp
/// The one exception tree leo throws. Every message names what failed, the subject in quotes,
/// then why: `cannot open index 'site/.leo': not a leo index`.

#include <cstddef>
#include <filesystem>
#include <leo/export.hpp>
#include <stdexcept>
#include <string>

namespace leo {

/// Base of every error the library throws.
class LEO_EXPORT Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A `leo.toml` that cannot be read or has a bad key or value; `line`/`column` are 1-based,
/// 0 when unknown.
class LEO_EXPORT ConfigError : public Error {
public:
    ConfigError(std::filesystem::path file, std::size_t line, std::size_t column,
                const std::string& what);
    /// The configuration file at fault.
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
    /// 1-based line, 0 when unknown.
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    /// 1-based column, 0 when unknown.
    [[nodiscard]] std::size_t column() const noexcept { return column_; }

private:
    std::filesystem::path file_;
    std::size_t line_;
    std::size_t column_;
};

/// A page that cannot be parsed. what() reads `path:line:col: reason`.
class LEO_EXPORT PageError : public Error {
public:
    PageError(std::filesystem::path file, std::size_t line, std::size_t column,
              const std::string& reason);
    /// The page at fault, as given to the parser.
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
    /// 1-based line, 0 when unknown.
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    /// 1-based column, 0 when unknown.
    [[nodiscard]] std::size_t column() const noexcept { return column_; }
    /// The reason alone, without the location.
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::filesystem::path file_;
    std::size_t line_;
    std::size_t column_;
    std::string reason_;
};

/// The index cannot be opened, written or read (missing, locked, foreign, corrupt).
class LEO_EXPORT IndexError : public Error {
public:
    using Error::Error;
};

/// The index is held by another writer.
class LEO_EXPORT LockError : public IndexError {
public:
    using IndexError::IndexError;
};

/// A query that cannot be run even after leo tried to make sense of it.
class LEO_EXPORT QueryError : public Error {
public:
    using Error::Error;
};

} // namespace leo
