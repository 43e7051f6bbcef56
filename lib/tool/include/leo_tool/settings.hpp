#pragma once
/// @file settings.hpp
/// How the tools find their settings: `--config`, else the nearest `leo.toml`; the index from
/// `--db`, else `LEO_DB`, else the config's `database`, else `.leo` in the current folder.
/// Tool policy, not the library's: a program linking leo chooses its own.

#include <filesystem>
#include <leo/config.hpp>
#include <optional>

namespace leo::tool {

/// Loads the configuration the way leo-index, leo-ask and leo-serve do. Throws ConfigError.
[[nodiscard]] Config resolve_config(const std::optional<std::filesystem::path>& config_file,
                                    const std::optional<std::filesystem::path>& database);

} // namespace leo::tool
