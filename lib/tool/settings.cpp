#include <cstdlib>
#include <leo/error.hpp>
#include <leo_tool/settings.hpp>

namespace leo::tool {

Config resolve_config(const std::optional<std::filesystem::path>& config_file,
                      const std::optional<std::filesystem::path>& database) try {
    Config config;
    if (config_file) {
        config = load_config(*config_file);
    } else if (auto found = find_config(std::filesystem::current_path())) {
        config = load_config(*found);
    }
    if (database) {
        config.database = *database;
    } else if (const char* env = std::getenv("LEO_DB"); env && *env) {
        config.database = env;
    }
    return config;
} catch (const Error&) {
    throw;
} catch (const std::exception& e) {
    // The current folder may be gone (deleted under the shell) before leo.toml is looked for.
    throw ConfigError(config_file.value_or("leo.toml"), 0, 0,
                      std::string("cannot find the configuration file: ") + e.what());
}

} // namespace leo::tool
