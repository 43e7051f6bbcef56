// load_hugo_config: the root config file and the config/ folder, in TOML, YAML and JSON, merged
// into one tree the way hugo 0.111 merges them (checked against it: the folder wins, maps merge).

#include "config/hugo_config.hpp"

#include <algorithm>
#include <cctype>
#include <leo/error.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace leo {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
    return hugo_key(std::move(s));
}

// TOML's own tables, re-keyed in lower case all the way down.
toml::table lowered(const toml::table& table) {
    toml::table out;
    for (const auto& [key, node] : table) {
        if (const auto* inner = node.as_table()) {
            out.insert_or_assign(lower(std::string(key.str())), lowered(*inner));
        } else {
            out.insert_or_assign(lower(std::string(key.str())), node);
        }
    }
    return out;
}

// YAML read into the same tree as TOML, so one reader serves every format.
toml::table table_of(const YAML::Node& map);

void put(toml::table& table, const std::string& key, const YAML::Node& node) {
    if (node.IsMap()) {
        table.insert_or_assign(key, table_of(node));
    } else if (node.IsSequence()) {
        toml::array array;
        for (const auto& item : node) {
            if (item.IsScalar()) {
                array.push_back(item.as<std::string>());
            }
        }
        table.insert_or_assign(key, std::move(array));
    } else if (node.IsScalar()) {
        auto text = node.as<std::string>();
        if (text == "true" || text == "false") {
            table.insert_or_assign(key, text == "true");
        } else {
            table.insert_or_assign(key, text);
        }
    }
}

toml::table table_of(const YAML::Node& map) {
    toml::table table;
    for (const auto& entry : map) {
        put(table, lower(entry.first.as<std::string>()), entry.second);
    }
    return table;
}

// JSON read into the same tree: objects, arrays of scalars, strings, booleans and numbers.
toml::table table_of(const nlohmann::json& object) {
    toml::table table;
    for (const auto& [key, value] : object.items()) {
        auto name = lower(key);
        if (value.is_object()) {
            table.insert_or_assign(name, table_of(value));
        } else if (value.is_array()) {
            toml::array array;
            for (const auto& item : value) {
                if (item.is_string()) {
                    array.push_back(item.get<std::string>());
                }
            }
            table.insert_or_assign(name, std::move(array));
        } else if (value.is_string()) {
            table.insert_or_assign(name, value.get<std::string>());
        } else if (value.is_boolean()) {
            table.insert_or_assign(name, value.get<bool>());
        } else if (value.is_number_integer()) {
            table.insert_or_assign(name, value.get<std::int64_t>());
        } else if (value.is_number()) {
            table.insert_or_assign(name, value.get<double>());
        }
    }
    return table;
}

// nlohmann reports a byte offset; the message names the line and column it falls on.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t byte) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < text.size() && i + 1 < byte; ++i) {
        column = text[i] == '\n' ? 1 : column + 1;
        line += text[i] == '\n' ? 1 : 0;
    }
    return {line, column};
}

toml::table load_json(const fs::path& file) {
    std::string text;
    if (std::FILE* in = std::fopen(file.c_str(), "rb")) {
        char buffer[4096];
        for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;) {
            text.append(buffer, n);
        }
        std::fclose(in);
    } else {
        throw ConfigError(file, 0, 0, "cannot read the Hugo config");
    }
    try {
        auto root = nlohmann::json::parse(text);
        return root.is_object() ? table_of(root) : toml::table{};
    } catch (const nlohmann::json::parse_error& e) {
        auto [line, column] = line_and_column(text, e.byte);
        throw ConfigError(file, line, column, std::string("invalid Hugo config: ") + e.what());
    }
}

toml::table load_file(const fs::path& file) {
    auto extension = lower(file.extension().string());
    try {
        if (extension == ".toml") {
            return lowered(toml::parse_file(file.string()));
        }
        if (extension == ".json") {
            return load_json(file);
        }
        auto root = YAML::LoadFile(file.string());
        return root.IsMap() ? table_of(root) : toml::table{};
    } catch (const toml::parse_error& e) {
        throw ConfigError(file, e.source().begin.line, e.source().begin.column,
                          "invalid Hugo config: " + std::string(e.description()));
    } catch (const YAML::Exception& e) {
        throw ConfigError(file, static_cast<std::size_t>(e.mark.line) + 1,
                          static_cast<std::size_t>(e.mark.column) + 1,
                          "invalid Hugo config: " + e.msg);
    }
}

// Hugo's Params.Set: a map merges into a map key by key, anything else replaces.
void merge(toml::table& into, toml::table&& over) {
    for (auto&& [key, node] : over) {
        auto* mine = into.get(key);
        if (mine && mine->is_table() && node.is_table()) {
            merge(*mine->as_table(), std::move(*node.as_table()));
        } else {
            into.insert_or_assign(key, std::move(node));
        }
    }
}

bool is_config_file(const fs::path& file) {
    auto extension = lower(file.extension().string());
    return extension == ".toml" || extension == ".yaml" || extension == ".yml" ||
           extension == ".json";
}

// `params.toml` → {params: …}; `menus.en.toml` → {languages: {en: {menus: …}}}.
toml::table placed(const fs::path& file, toml::table&& content) {
    auto stem = lower(file.stem().string());
    std::string language;
    if (auto dot = stem.find('.'); dot != std::string::npos) {
        language = stem.substr(dot + 1);
        stem.resize(dot);
    }
    toml::table placed_content;
    if (stem == "hugo" || stem == "config") {
        placed_content = std::move(content);
    } else {
        placed_content.insert_or_assign(stem, std::move(content));
    }
    if (language.empty()) {
        return placed_content;
    }
    toml::table of_language;
    of_language.insert_or_assign(language, std::move(placed_content));
    toml::table languages;
    languages.insert_or_assign("languages", std::move(of_language));
    return languages;
}

// One environment's folder, its files in name order (as Hugo walks it).
bool merge_folder(const fs::path& folder, toml::table& site) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        return false;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        if (entry.is_regular_file(ec) && is_config_file(entry.path())) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        merge(site, placed(file, load_file(file)));
    }
    return !files.empty();
}

} // namespace

std::string hugo_key(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::optional<toml::table> load_hugo_config(const fs::path& root,
                                            const HugoEnvironment& environment) {
    std::error_code ec;
    toml::table site;
    bool found = false;
    for (const char* name : {"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
                             "config.yaml", "config.yml", "config.json"}) {
        if (fs::is_regular_file(root / name, ec)) {
            site = load_file(root / name);
            found = true;
            break;
        }
    }
    auto config_dir = root / environment.config_dir;
    found = merge_folder(config_dir / "_default", site) || found;
    if (!environment.name.empty()) {
        found = merge_folder(config_dir / environment.name, site) || found;
    }
    if (!found) {
        return std::nullopt;
    }
    return site;
}

} // namespace leo
