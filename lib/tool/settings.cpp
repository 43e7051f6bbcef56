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

HugoEnvironment resolve_hugo_environment(const std::optional<std::string>& flag,
                                         const std::optional<std::filesystem::path>& config_dir) {
    HugoEnvironment environment;
    if (flag) {
        environment.name = *flag;
    } else if (const char* env = std::getenv("HUGO_ENVIRONMENT"); env && *env) {
        environment.name = env;
    } else if (const char* old = std::getenv("HUGO_ENV"); old && *old) {
        environment.name = old; // the older name, which hugo 0.111 still reads
    }
    if (config_dir) {
        environment.config_dir = *config_dir;
    }
    return environment;
}

} // namespace leo::tool
