// load_hugo_config: a Hugo site's configuration as `hugo` 0.111 assembles it from its files.
#pragma once

#include <filesystem>
#include <leo/config.hpp>
#include <optional>
#include <string>
#include <toml++/toml.h>

namespace leo {

/// `s` in ASCII lower case: Hugo's keys and language codes are case-insensitive.
[[nodiscard]] std::string hugo_key(std::string s);

/// The site configuration of the Hugo site rooted at `root`: its root file (the first of
/// `hugo.toml`, `hugo.yaml`, `hugo.yml`, `hugo.json`, `config.toml`, `config.yaml`,
/// `config.yml`, `config.json`), then `<config_dir>/_default/` and
/// `<config_dir>/<environment>/` merged over it (`hugo`'s `--configDir`, relative to `root`,
/// and `--environment`), each file named for the key it holds (`params.toml` is `params`,
/// `menus.en.toml` is `languages.en.menus`, `hugo.*` and `config.*` the top level), maps merged
/// key by key, the later file winning. Keys are lower case, as Hugo reads them. Empty when
/// `root` has neither a root file nor a config folder. Throws ConfigError.
[[nodiscard]] std::optional<toml::table> load_hugo_config(const std::filesystem::path& root,
                                                          const HugoEnvironment& environment = {});

} // namespace leo
