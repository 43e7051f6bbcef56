#pragma once
/// @file settings.hpp
/// How the tools find their settings: `--config`, else the nearest `leo.toml`; the index from
/// `--db`, else `LEO_DB`, else the config's `database`, else `.leo` in the current folder.
/// Tool policy, not the library's: a program linking leo chooses its own.

#include <filesystem>
#include <leo/config.hpp>
#include <optional>
#include <string>

namespace leo::tool {

/// Loads the configuration the way leo-index, leo-ask and leo-serve do. Throws ConfigError.
[[nodiscard]] Config resolve_config(const std::optional<std::filesystem::path>& config_file,
                                    const std::optional<std::filesystem::path>& database);

/// The Hugo environment whose config leo-index reads, as `hugo` chooses it: `flag`
/// (`--environment`), else `HUGO_ENVIRONMENT`, else `HUGO_ENV`, else `production`; its config
/// folders under `config_dir` (`--config-dir`, `hugo --configDir`), else `config`.
[[nodiscard]] HugoEnvironment
resolve_hugo_environment(const std::optional<std::string>& flag,
                         const std::optional<std::filesystem::path>& config_dir);

} // namespace leo::tool
