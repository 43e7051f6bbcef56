// read_hugo_site: the settings of a Hugo site's config that change what its pages yield.

#include "config/hugo_config.hpp"

#include <algorithm>
#include <cctype>
#include <leo/config.hpp>
#include <leo/error.hpp>
#include <toml++/toml.h>

namespace leo {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
    return hugo_key(std::move(s));
}

// Hugo's keys are case-insensitive: `baseURL`, `baseurl`.
const toml::node* get(const toml::table& table, std::string_view key) {
    for (const auto& [name, node] : table) {
        if (lower(std::string(name.str())) == lower(std::string(key))) {
            return &node;
        }
    }
    return nullptr;
}

const toml::table* get_table(const toml::table* table, std::string_view key) {
    auto* node = table ? get(*table, key) : nullptr;
    return node ? node->as_table() : nullptr;
}

std::string get_string(const toml::table* table, std::string_view key, std::string fallback = {}) {
    auto* node = table ? get(*table, key) : nullptr;
    return node && node->is_string() ? *node->value<std::string>() : std::move(fallback);
}

bool get_bool(const toml::table* table, std::string_view key, bool fallback = false) {
    auto* node = table ? get(*table, key) : nullptr;
    return node && node->is_boolean() ? *node->value<bool>() : fallback;
}

// `https://example.org/docs/` → `/docs`.
std::string base_path_of(std::string_view base_url) {
    auto scheme = base_url.find("://");
    auto path_at = scheme == std::string_view::npos ? 0 : base_url.find('/', scheme + 3);
    if (path_at == std::string_view::npos) {
        return {};
    }
    std::string path(base_url.substr(path_at));
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    if (!path.empty() && path.front() != '/') {
        path.insert(path.begin(), '/');
    }
    return path;
}

// A content folder relative to the indexed one, `/`-separated, no `./` or trailing `/`.
std::string relative_folder(const fs::path& dir, const fs::path& content) {
    auto relative = dir.lexically_normal().lexically_relative(content.lexically_normal());
    auto text = relative.generic_string();
    if (text == "." || text.empty()) {
        return {};
    }
    while (!text.empty() && text.back() == '/') {
        text.pop_back();
    }
    return text;
}

} // namespace

fs::path read_hugo_site(const fs::path& folder, Config& config,
                        const HugoEnvironment& environment) {
    auto loaded = load_hugo_config(folder, environment);
    if (!loaded) {
        return folder;
    }
    const auto& site = *loaded;
    std::error_code ec;
    auto content = folder / get_string(&site, "contentDir", "content");
    if (!fs::is_directory(content, ec)) {
        return folder;
    }
    auto& parse = config.parse;
    parse.base_path = base_path_of(get_string(&site, "baseURL"));
    parse.ugly_urls = get_bool(&site, "uglyURLs");
    parse.keep_path_case = get_bool(&site, "disablePathToLower");
    // What `hugo` publishes, so what leo indexes: `index_drafts` in leo.toml asks for drafts
    // whatever the site says.
    config.index_drafts = config.index_drafts || get_bool(&site, "buildDrafts");
    config.index_future = get_bool(&site, "buildFuture");
    config.index_expired = get_bool(&site, "buildExpired");
    const auto* goldmark = get_table(get_table(&site, "markup"), "goldmark");
    const auto* parser = get_table(goldmark, "parser");
    auto style = get_string(parser, "autoHeadingIDType", "github");
    parse.anchors = style == "blackfriday"    ? AnchorStyle::blackfriday
                    : style == "github-ascii" ? AnchorStyle::github_ascii
                                              : AnchorStyle::github;
    parse.definition_term_ids = get_bool(parser, "autoDefinitionTermID");
    if (const auto* permalinks = get_table(&site, "permalinks")) {
        for (const auto& [section, pattern] : *permalinks) {
            if (pattern.is_string()) {
                parse.permalinks.emplace_back(std::string(section.str()),
                                              *pattern.value<std::string>());
            }
        }
    }

    auto default_language = lower(get_string(&site, "defaultContentLanguage", "en"));
    bool in_subdir = get_bool(&site, "defaultContentLanguageInSubdir");
    std::vector<std::string> disabled;
    if (auto* list = get(site, "disableLanguages"); list && list->is_array()) {
        for (const auto& item : *list->as_array()) {
            if (item.is_string()) {
                disabled.push_back(lower(*item.value<std::string>()));
            }
        }
    }
    std::vector<SiteLanguage> languages;
    if (const auto* declared = get_table(&site, "languages")) {
        for (const auto& [code_key, settings] : *declared) {
            auto code = lower(std::string(code_key.str()));
            const auto* table = settings.as_table();
            if (std::find(disabled.begin(), disabled.end(), code) != disabled.end() ||
                get_bool(table, "disabled")) {
                continue;
            }
            SiteLanguage language;
            language.code = code;
            auto dir = get_string(table, "contentDir");
            language.folder = dir.empty() ? std::string() : relative_folder(folder / dir, content);
            language.url_prefix =
                code == default_language && !in_subdir ? std::string() : "/" + code;
            languages.push_back(std::move(language));
        }
    }
    if (languages.empty()) {
        languages.push_back({default_language, {}, in_subdir ? "/" + default_language : ""});
    }
    // The default language first: pages of no other language are its own.
    std::stable_partition(languages.begin(), languages.end(),
                          [&](const SiteLanguage& l) { return l.code == default_language; });
    parse.languages = std::move(languages);
    return content;
}

} // namespace leo
