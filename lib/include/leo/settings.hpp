#pragma once
/// @file settings.hpp
/// How the tools find their settings: `--config`, else the nearest `leo.toml`; the index from
/// `--db`, else `LEO_DB`, else the config's `database`, else `.leo` in the current folder.

#include <filesystem>
#include <leo/config.hpp>
#include <leo/export.hpp>
#include <optional>

namespace leo {

/// Loads the configuration the way leo-index and leo-ask do. Throws ConfigError.
[[nodiscard]] LEO_EXPORT Config
resolve_config(const std::optional<std::filesystem::path>& config_file,
               const std::optional<std::filesystem::path>& database);

} // namespace leo
