#include "page/front_matter.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <leo/error.hpp>
#include <string>
#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

namespace leo::detail {
namespace {

std::string_view line_at(std::string_view text, std::size_t pos, std::size_t& next) {
    auto end = text.find('\n', pos);
    next = end == std::string_view::npos ? text.size() : end + 1;
    auto line = text.substr(pos, (end == std::string_view::npos ? text.size() : end) - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
    }
    return line;
}

// A field of the wrong type: reported at the field, so the author can find it.
[[noreturn]] void wrong_type(const std::filesystem::path& path, std::size_t line,
                             std::size_t column, std::string_view key, std::string_view expected) {
    throw PageError(path, line, column,
                    "front matter '" + std::string(key) + "' must be " + std::string(expected));
}

struct Position {
    std::size_t line = 0;
    std::size_t column = 0;
};

// Hugo's names for the publish and expiry dates (its keys are case-insensitive; these are the
// spellings in use). The last one present wins.
constexpr std::array<const char*, 5> publish_date_keys{"pubdate", "published", "publishdate",
                                                       "publishDate", "PublishDate"};
constexpr std::array<const char*, 4> expiry_date_keys{"unpublishdate", "expirydate", "expiryDate",
                                                      "ExpiryDate"};

// The one table of front-matter fields, for both syntaxes: each reader says how it reads a
// text, a list, a date and a boolean in its own syntax.
template <class Text, class List, class Date, class Bool>
void read_fields(FrontMatter& fm, Text&& text_field, List&& list_field, Date&& date_field,
                 Bool&& bool_field) {
    text_field("title", fm.title);
    text_field("description", fm.description);
    text_field("slug", fm.slug);
    text_field("url", fm.url);
    text_field("lang", fm.language);
    text_field("language", fm.language);
    list_field("tags", fm.tags);
    list_field("categories", fm.categories);
    date_field("date", fm.date);
    date_field("lastmod", fm.lastmod);
    for (auto key : publish_date_keys) {
        date_field(key, fm.publish_date);
    }
    for (auto key : expiry_date_keys) {
        date_field(key, fm.expiry_date);
    }
    bool_field("draft", fm.draft);
    bool_field("headless", fm.headless);
}

// --- TOML ---------------------------------------------------------------------------------

Position toml_position(const toml::node& node, std::size_t first_line) {
    auto where = node.source().begin;
    return {where.line + first_line - 1, where.column};
}

std::string toml_date_string(const toml::node& node) {
    char buffer[64];
    if (auto dt = node.as_date_time()) {
        const auto& v = dt->get();
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", int{v.date.year},
                      int{v.date.month}, int{v.date.day}, int{v.time.hour}, int{v.time.minute},
                      int{v.time.second});
        std::string out = buffer;
        if (v.offset) {
            int minutes = v.offset->minutes;
            std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", minutes < 0 ? '-' : '+',
                          std::abs(minutes) / 60, std::abs(minutes) % 60);
            out += minutes == 0 ? "Z" : buffer;
        }
        return out;
    }
    if (auto d = node.as_date()) {
        const auto& v = d->get();
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", int{v.year}, int{v.month},
                      int{v.day});
        return buffer;
    }
    return {};
}

// `build.render` (or `_build.render`): whether it is `never` (or false), if the table says.
std::optional<bool> toml_render_never(const toml::table& table) {
    for (auto key : {"build", "_build"}) {
        if (auto* build = table.get_as<toml::table>(key)) {
            if (auto* render = build->get("render")) {
                return render->value<std::string>() == std::optional<std::string>("never") ||
                       render->value<bool>() == std::optional<bool>(false);
            }
        }
    }
    return std::nullopt;
}

// `[cascade]`, or `[[cascade]]` entries; one with a `_target` is left out (not followed).
void read_toml_cascade(const toml::table& table, FrontMatter& fm) {
    auto cascade = [&](const toml::table& entry) {
        if (entry.contains("_target") || entry.contains("target")) {
            return;
        }
        if (auto* draft = entry.get("draft"); draft && draft->value<bool>()) {
            fm.cascade_draft = *draft->value<bool>();
        }
        if (auto never = toml_render_never(entry)) {
            fm.cascade_render_never = never;
        }
    };
    if (auto* single = table.get_as<toml::table>("cascade")) {
        cascade(*single);
    } else if (auto* list = table.get_as<toml::array>("cascade")) {
        for (const auto& entry : *list) {
            if (const auto* t = entry.as_table()) {
                cascade(*t);
            }
        }
    }
}

FrontMatter from_toml(std::string_view text, std::size_t first_line,
                      const std::filesystem::path& path) {
    toml::table table;
    try {
        table = toml::parse(text, path.string());
    } catch (const toml::parse_error& error) {
        auto where = error.source().begin;
        throw PageError(path, where.line + first_line - 1, where.column,
                        "invalid TOML front matter: " + std::string(error.description()));
    }
    FrontMatter fm;
    auto text_field = [&](std::string_view key, std::string& out) {
        if (auto* node = table.get(key)) {
            if (auto s = node->value<std::string>(); s && node->is_string()) {
                out = *s;
            } else {
                auto at = toml_position(*node, first_line);
                wrong_type(path, at.line, at.column, key, "a string");
            }
        }
    };
    auto list_field = [&](std::string_view key, std::vector<std::string>& out) {
        if (auto* node = table.get(key)) {
            auto at = toml_position(*node, first_line);
            if (node->is_string()) {
                out.push_back(*node->value<std::string>());
                return;
            }
            auto* array = node->as_array();
            if (!array) {
                wrong_type(path, at.line, at.column, key, "a list of strings");
            }
            for (const auto& item : *array) {
                if (!item.is_string()) {
                    auto item_at = toml_position(item, first_line);
                    wrong_type(path, item_at.line, item_at.column, key, "a list of strings");
                }
                out.push_back(*item.value<std::string>());
            }
        }
    };
    auto date_field = [&](std::string_view key, std::string& out) {
        if (auto* node = table.get(key)) {
            auto at = toml_position(*node, first_line);
            if (node->is_date_time() || node->is_date()) {
                out = toml_date_string(*node);
            } else if (node->is_string()) {
                auto raw = *node->value<std::string>();
                if (raw.empty()) {
                    return; // Hugo reads `date = ""` as no date
                }
                auto date = normalise_date(raw);
                if (!date) {
                    throw PageError(path, at.line, at.column,
                                    "front matter '" + std::string(key) + "' is not a date: '" +
                                        raw + "'");
                }
                out = *date;
            } else {
                wrong_type(path, at.line, at.column, key, "a date");
            }
        }
    };
    auto bool_field = [&](std::string_view key, bool& out) {
        if (auto* node = table.get(key)) {
            if (!node->is_boolean()) {
                auto at = toml_position(*node, first_line);
                wrong_type(path, at.line, at.column, key, "true or false");
            }
            out = *node->value<bool>();
        }
    };
    read_fields(fm, text_field, list_field, date_field, bool_field);
    if (auto never = toml_render_never(table)) {
        fm.render_never = *never;
        fm.render_given = true;
    }
    read_toml_cascade(table, fm);
    return fm;
}

// --- YAML ---------------------------------------------------------------------------------

std::optional<bool> yaml_render_never(const YAML::Node& map) {
    for (auto key : {"build", "_build"}) {
        if (auto build = map[key]; build && build.IsMap()) {
            if (auto render = build["render"]; render && render.IsScalar()) {
                auto value = render.as<std::string>();
                return value == "never" || value == "false";
            }
        }
    }
    return std::nullopt;
}

// `cascade:`, a map or a list of maps; one with a `_target` is left out (not followed).
void read_yaml_cascade(const YAML::Node& root, FrontMatter& fm) {
    auto cascade = [&](const YAML::Node& entry) {
        if (!entry.IsMap() || entry["_target"] || entry["target"]) {
            return;
        }
        if (auto draft = entry["draft"]; draft && draft.IsScalar()) {
            fm.cascade_draft = draft.as<std::string>() == "true";
        }
        if (auto never = yaml_render_never(entry)) {
            fm.cascade_render_never = never;
        }
    };
    if (auto list = root["cascade"]; list && list.IsSequence()) {
        for (const auto& entry : list) {
            cascade(entry);
        }
    } else if (list) {
        cascade(list);
    }
}

// The front matter as a YAML map, or a null node when it is empty.
YAML::Node load_yaml_map(std::string_view text, std::size_t first_line,
                         const std::filesystem::path& path) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
        throw PageError(path, static_cast<std::size_t>(error.mark.line) + first_line,
                        static_cast<std::size_t>(error.mark.column) + 1,
                        "invalid YAML front matter: " + error.msg);
    }
    if (root && !root.IsNull() && !root.IsMap()) {
        throw PageError(path, first_line, 1, "front matter must be a map of keys to values");
    }
    return root;
}

FrontMatter from_yaml(std::string_view text, std::size_t first_line,
                      const std::filesystem::path& path) {
    auto root = load_yaml_map(text, first_line, path);
    FrontMatter fm;
    if (!root || root.IsNull()) {
        return fm;
    }
    auto at = [&](const YAML::Node& node) {
        auto mark = node.Mark();
        return Position{static_cast<std::size_t>(mark.line) + first_line,
                        static_cast<std::size_t>(mark.column) + 1};
    };
    // `title:` with no value is YAML's null: Hugo reads it as absent.
    auto text_field = [&](const char* key, std::string& out) {
        if (auto node = root[key]; node && !node.IsNull()) {
            if (!node.IsScalar()) {
                auto p = at(node);
                wrong_type(path, p.line, p.column, key, "a string");
            }
            out = node.as<std::string>();
        }
    };
    auto list_field = [&](const char* key, std::vector<std::string>& out) {
        if (auto node = root[key]; node && !node.IsNull()) {
            if (node.IsScalar()) {
                out.push_back(node.as<std::string>());
                return;
            }
            if (!node.IsSequence()) {
                auto p = at(node);
                wrong_type(path, p.line, p.column, key, "a list of strings");
            }
            for (const auto& item : node) {
                if (!item.IsScalar()) {
                    auto p = at(item);
                    wrong_type(path, p.line, p.column, key, "a list of strings");
                }
                out.push_back(item.as<std::string>());
            }
        }
    };
    auto date_field = [&](const char* key, std::string& out) {
        if (auto node = root[key]; node && !node.IsNull()) {
            auto p = at(node);
            if (!node.IsScalar()) {
                wrong_type(path, p.line, p.column, key, "a date");
            }
            auto raw = node.as<std::string>();
            if (raw.empty()) {
                return; // `date: ""`: no date
            }
            auto date = normalise_date(raw);
            if (!date) {
                throw PageError(path, p.line, p.column,
                                std::string("front matter '") + key + "' is not a date: '" + raw +
                                    "'");
            }
            out = *date;
        }
    };
    auto bool_field = [&](const char* key, bool& out) {
        if (auto node = root[key]; node && !node.IsNull()) {
            try {
                out = node.as<bool>();
            } catch (const YAML::Exception&) {
                auto p = at(node);
                wrong_type(path, p.line, p.column, key, "true or false");
            }
        }
    };
    read_fields(fm, text_field, list_field, date_field, bool_field);
    if (auto never = yaml_render_never(root)) {
        fm.render_never = *never;
        fm.render_given = true;
    }
    read_yaml_cascade(root, fm);
    return fm;
}

} // namespace

std::optional<std::string> normalise_date(std::string_view text) {
    std::string s(text);
    int year = 0, month = 0, day = 0, consumed = 0;
    char buffer[64];
    auto valid = [&] {
        return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
    };
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) == 3 && valid()) {
        std::string rest = s.substr(static_cast<std::size_t>(consumed));
        if (rest.empty()) {
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
            return std::string(buffer);
        }
        int hour = 0, minute = 0, second = 0;
        if ((rest[0] == 'T' || rest[0] == ' ') &&
            std::sscanf(rest.c_str() + 1, "%2d:%2d:%2d", &hour, &minute, &second) >= 2 &&
            hour < 24 && minute < 60 && second < 61) {
            return s; // RFC 3339 as written: already ISO 8601
        }
        return std::nullopt;
    }
    static constexpr std::array<const char*, 12> months{"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    char name[16] = {};
    if (std::sscanf(s.c_str(), "%2d %15s %4d%n", &day, name, &year, &consumed) == 3 &&
        static_cast<std::size_t>(consumed) == s.size()) {
        std::string lower;
        for (char* c = name; *c && lower.size() < 3; ++c) {
            lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*c))));
        }
        for (std::size_t i = 0; i < months.size(); ++i) {
            if (lower == months[i]) {
                month = static_cast<int>(i) + 1;
            }
        }
        if (valid()) {
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
            return std::string(buffer);
        }
    }
    return std::nullopt;
}

SplitPage split_front_matter(std::string_view text, const std::filesystem::path& path) {
    SplitPage split;
    split.body = text;
    std::size_t next = 0;
    auto first = line_at(text, 0, next);
    if (first != "+++" && first != "---") {
        return split;
    }
    split.fence = first[0];
    std::size_t content_start = next;
    std::size_t line_number = 2;
    for (std::size_t pos = next; pos < text.size(); ++line_number) {
        std::size_t after = 0;
        auto line = line_at(text, pos, after);
        if (line == first || (split.fence == '-' && line == "...")) {
            split.front_matter = text.substr(content_start, pos - content_start);
            split.body = text.substr(after);
            split.body_line = line_number + 1;
            return split;
        }
        pos = after;
    }
    throw PageError(path, 1, 1,
                    "front matter opened with '" + std::string(first) + "' is never closed");
}

FrontMatter parse_front_matter(const SplitPage& split, const std::filesystem::path& path) {
    switch (split.fence) {
    case '+':
        return from_toml(split.front_matter, 2, path);
    case '-':
        return from_yaml(split.front_matter, 2, path);
    default:
        return {};
    }
}

} // namespace leo::detail
