// leo.toml: read with toml++, every key checked, unknown keys reported with a suggestion.

#include "store/xapian_error.hpp"
#include "text/embedded_data.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <leo/config.hpp>
#include <leo/error.hpp>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace leo {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

class Reader {
public:
    explicit Reader(std::filesystem::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const toml::node& node, const std::string& what) const {
        auto where = node.source().begin;
        throw ConfigError(file_, where.line, where.column, what);
    }

    // Every key of `table` must be one of `known`.
    void check_keys(const toml::table& table, std::initializer_list<std::string_view> known,
                    std::string_view section) const {
        for (const auto& [key, node] : table) {
            if (std::find(known.begin(), known.end(), key.str()) != known.end()) {
                continue;
            }
            std::string message = "unknown key '" + std::string(key.str()) + "'";
            if (!section.empty()) {
                message += " in [" + std::string(section) + "]";
            }
            std::string_view best;
            std::size_t best_distance = 3;
            for (auto candidate : known) {
                auto d = edit_distance(key.str(), candidate);
                if (d < best_distance) {
                    best_distance = d;
                    best = candidate;
                }
            }
            if (!best.empty()) {
                message += " (did you mean '" + std::string(best) + "'?)";
            }
            auto where = key.source().begin;
            throw ConfigError(file_, where.line, where.column, message);
        }
    }

    template <class T> void read(const toml::table& table, std::string_view key, T& out) const {
        auto* node = table.get(key);
        if (!node) {
            return;
        }
        if constexpr (std::is_same_v<T, bool>) {
            if (!node->is_boolean()) {
                fail(*node, "'" + std::string(key) + "' must be true or false");
            }
            out = *node->value<bool>();
        } else if constexpr (std::is_same_v<T, double>) {
            if (!node->is_number()) {
                fail(*node, "'" + std::string(key) + "' must be a number");
            }
            out = *node->value<double>();
        } else if constexpr (std::is_same_v<T, int>) {
            if (!node->is_integer()) {
                fail(*node, "'" + std::string(key) + "' must be a whole number");
            }
            out = static_cast<int>(*node->value<int64_t>());
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (!node->is_string()) {
                fail(*node, "'" + std::string(key) + "' must be a string");
            }
            out = *node->value<std::string>();
        } else {
            out = strings(*node, key);
        }
    }

    [[nodiscard]] std::vector<std::string> strings(const toml::node& node,
                                                   std::string_view key) const {
        std::vector<std::string> out;
        if (node.is_string()) {
            out.push_back(*node.value<std::string>());
            return out;
        }
        auto* array = node.as_array();
        if (!array) {
            fail(node, "'" + std::string(key) + "' must be a list of strings");
        }
        for (const auto& item : *array) {
            if (!item.is_string()) {
                fail(item, "'" + std::string(key) + "' must be a list of strings");
            }
            out.push_back(*item.value<std::string>());
        }
        return out;
    }

    [[nodiscard]] const toml::table* section(const toml::table& table, std::string_view key) const {
        auto* node = table.get(key);
        if (!node) {
            return nullptr;
        }
        if (!node->is_table()) {
            fail(*node, "'" + std::string(key) + "' must be a table ([" + std::string(key) + "])");
        }
        return node->as_table();
    }

    [[nodiscard]] std::vector<IntentRule> intents(const toml::table& root,
                                                  std::string_view key) const {
        std::vector<IntentRule> rules;
        auto* table = section(root, key);
        if (!table) {
            return rules;
        }
        // toml++ tables are ordered by key; intents are tried in the order they are written
        // (specific ones before the catch-all 'definition'), so sort them back by line.
        std::vector<std::pair<const toml::key*, const toml::node*>> ordered;
        for (const auto& [name, node] : *table) {
            ordered.emplace_back(&name, &node);
        }
        std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
            return a.first->source().begin.line < b.first->source().begin.line;
        });
        for (const auto& [name_ptr, node_ptr] : ordered) {
            const auto& name = *name_ptr;
            const auto& node = *node_ptr;
            if (!node.is_table()) {
                fail(node, "intent '" + std::string(name.str()) + "' must be a table");
            }
            const auto& rule_table = *node.as_table();
            check_keys(rule_table, {"query", "question", "answer"},
                       std::string(key) + "." + std::string(name.str()));
            IntentRule rule;
            rule.name = name.str();
            read(rule_table, "query", rule.query_cues);
            read(rule_table, "question", rule.question_cues);
            read(rule_table, "answer", rule.answer_evidence);
            if (!rule.answer_evidence.empty() && rule.answer_evidence != "number" &&
                rule.answer_evidence != "year") {
                fail(*rule_table.get("answer"), "'answer' must be \"number\", \"year\" or \"\"");
            }
            rules.push_back(std::move(rule));
        }
        return rules;
    }

    [[nodiscard]] std::map<std::string, std::vector<std::string>>
    synonyms(const toml::table& root) const {
        std::map<std::string, std::vector<std::string>> out;
        if (auto* table = section(root, "synonyms")) {
            for (const auto& [word, node] : *table) {
                out[std::string(word.str())] = strings(node, word.str());
            }
        }
        return out;
    }

private:
    std::filesystem::path file_;
};

toml::table parse_toml(std::string_view text, const std::filesystem::path& file) {
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& error) {
        auto where = error.source().begin;
        throw ConfigError(file, where.line, where.column, std::string(error.description()));
    }
}

toml::table shipped(const char* text, const char* name) {
    return parse_toml(text, std::filesystem::path("<shipped>") / name);
}

} // namespace

std::optional<RankingMode> ranking_mode(std::string_view name) {
    if (name == "leo") {
        return RankingMode::leo;
    }
    if (name == "bm25") {
        return RankingMode::bm25;
    }
    return std::nullopt;
}

namespace {

// The file's text as TOML; a file that cannot be read is a ConfigError naming it.
toml::table read_toml_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw ConfigError(file, 0, 0, "cannot read the configuration file");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_toml(buffer.str(), file);
}

// The keys outside any section: where the index is and which pages go into it.
void read_top_level_keys(const Reader& reader, const toml::table& root,
                         const std::filesystem::path& file, Config& config) {
    std::string database;
    reader.read(root, "database", database);
    if (!database.empty()) {
        // Relative to the file, as .gitignore patterns are: leo.toml travels with its site.
        std::filesystem::path db(database);
        config.database = db.is_absolute() ? db : file.parent_path() / db;
    } else {
        config.database = file.parent_path() / ".leo";
    }
    reader.read(root, "language", config.language);
    reader.read(root, "index_drafts", config.index_drafts);
    double max_page_mb = static_cast<double>(config.max_page_bytes) / (1 << 20);
    reader.read(root, "max_page_mb", max_page_mb);
    if (max_page_mb <= 0) {
        reader.fail(*root.get("max_page_mb"), "'max_page_mb' must be positive");
    }
    config.max_page_bytes = static_cast<std::size_t>(max_page_mb * (1 << 20));
    reader.read(root, "exclude", config.exclude);
    std::string follow_links = "inside";
    reader.read(root, "follow_links", follow_links);
    if (follow_links != "inside" && follow_links != "outside") {
        reader.fail(*root.get("follow_links"), "'follow_links' must be \"inside\" or \"outside\"");
    }
    config.follow_links_outside = follow_links == "outside";
}

// [questions]: which heading levels are questions.
void read_questions(const Reader& reader, const toml::table& questions, ParseOptions& parse) {
    reader.check_keys(questions, {"min_level", "max_level"}, "questions");
    reader.read(questions, "min_level", parse.min_question_level);
    reader.read(questions, "max_level", parse.max_question_level);
    if (parse.min_question_level < 1 || parse.max_question_level > 6 ||
        parse.min_question_level > parse.max_question_level) {
        reader.fail(questions, "question levels must satisfy 1 <= min_level <= max_level <= 6");
    }
}

// [ranking]'s switches: which stages of the ranking run.
void read_ranking_switches(const Reader& reader, const toml::table& ranking, RankingConfig& r) {
    reader.read(ranking, "fields", r.fields);
    reader.read(ranking, "query_weighting", r.query_weighting);
    reader.read(ranking, "rare_stop_words", r.rare_stop_words);
    reader.read(ranking, "proximity", r.proximity);
    reader.read(ranking, "intent", r.intent);
    reader.read(ranking, "synonyms", r.synonyms);
    reader.read(ranking, "wordnet", r.wordnet);
    reader.read(ranking, "spelling", r.spelling);
    reader.read(ranking, "collapse", r.collapse);
    reader.read(ranking, "page_context", r.page_context);
    reader.read(ranking, "coverage", r.coverage);
    reader.read(ranking, "feedback", r.feedback);
    reader.read(ranking, "long_queries", r.long_queries);
    reader.read(ranking, "repeated_words", r.repeated_words);
    reader.read(ranking, "compounds", r.compounds);
}

// [ranking]'s numbers: weights, depths and BM25's parameters.
void read_ranking_numbers(const Reader& reader, const toml::table& ranking, RankingConfig& r) {
    reader.read(ranking, "feedback_docs", r.feedback_docs);
    reader.read(ranking, "feedback_terms", r.feedback_terms);
    reader.read(ranking, "feedback_weight", r.feedback_weight);
    reader.read(ranking, "coverage_weight", r.coverage_weight);
    reader.read(ranking, "question_coverage_weight", r.question_coverage_weight);
    reader.read(ranking, "page_weight", r.page_weight);
    reader.read(ranking, "question_weight", r.question_weight);
    reader.read(ranking, "title_weight", r.title_weight);
    reader.read(ranking, "proximity_weight", r.proximity_weight);
    reader.read(ranking, "proximity_depth", r.proximity_depth);
    reader.read(ranking, "intent_weight", r.intent_weight);
    reader.read(ranking, "cue_weight", r.cue_weight);
    reader.read(ranking, "intent_mismatch", r.intent_mismatch);
    reader.read(ranking, "bm25_k1", r.bm25_k1);
    reader.read(ranking, "bm25_b", r.bm25_b);
    reader.read(ranking, "rerank_depth", r.rerank_depth);
    reader.read(ranking, "common_word_share", r.common_word_share);
    reader.read(ranking, "common_word_min_pairs", r.common_word_min_pairs);
    reader.read(ranking, "common_word_max_pairs", r.common_word_max_pairs);
}

// [ranking]: the mode, then the switches, then the numbers, each key checked as it is read.
void read_ranking(const Reader& reader, const toml::table& ranking, RankingConfig& r) {
    reader.check_keys(ranking,
                      {"mode",
                       "fields",
                       "query_weighting",
                       "rare_stop_words",
                       "proximity",
                       "intent",
                       "synonyms",
                       "wordnet",
                       "spelling",
                       "collapse",
                       "coverage",
                       "feedback",
                       "long_queries",
                       "repeated_words",
                       "page_context",
                       "compounds",
                       "question_weight",
                       "title_weight",
                       "proximity_weight",
                       "proximity_depth",
                       "intent_weight",
                       "intent_mismatch",
                       "cue_weight",
                       "coverage_weight",
                       "question_coverage_weight",
                       "page_weight",
                       "feedback_docs",
                       "feedback_terms",
                       "feedback_weight",
                       "bm25_k1",
                       "bm25_b",
                       "rerank_depth",
                       "common_word_share",
                       "common_word_min_pairs",
                       "common_word_max_pairs"},
                      "ranking");
    std::string mode = "leo";
    reader.read(ranking, "mode", mode);
    if (auto parsed = ranking_mode(mode)) {
        r.mode = *parsed;
    } else {
        reader.fail(*ranking.get("mode"), "'mode' must be \"leo\" or \"bm25\"");
    }
    read_ranking_switches(reader, ranking, r);
    read_ranking_numbers(reader, ranking, r);
}

} // namespace

Config load_config(const std::filesystem::path& file) try {
    auto root = read_toml_file(file);
    Reader reader(file);
    reader.check_keys(root,
                      {"database", "language", "index_drafts", "max_page_mb", "exclude",
                       "follow_links", "questions", "ranking", "synonyms", "intents"},
                      "");
    Config config;
    config.source = file;
    read_top_level_keys(reader, root, file, config);
    if (auto* questions = reader.section(root, "questions")) {
        read_questions(reader, *questions, config.parse);
    }
    if (auto* ranking = reader.section(root, "ranking")) {
        read_ranking(reader, *ranking, config.ranking);
    }
    config.synonyms = reader.synonyms(root);
    config.intents = reader.intents(root, "intents");
    return config;
} catch (const Error&) {
    throw;
} catch (...) {
    throw ConfigError(file, 0, 0,
                      "cannot read the configuration file: " + detail::current_reason());
}

std::optional<std::filesystem::path> find_config(const std::filesystem::path& start) {
    std::error_code ec;
    auto dir = std::filesystem::absolute(start, ec);
    if (ec) {
        return std::nullopt;
    }
    for (; !dir.empty(); dir = dir.parent_path()) {
        auto candidate = dir / "leo.toml";
        if (std::filesystem::is_regular_file(candidate, ec)) {
            return candidate;
        }
        if (dir == dir.parent_path()) {
            break;
        }
    }
    return std::nullopt;
}

std::vector<IntentRule> effective_intents(const Config& config) try {
    auto root = shipped(detail::shipped_intents_toml, "intents.toml");
    auto rules = Reader("<shipped>/intents.toml").intents(root, "intent");
    for (const auto& extra : config.intents) {
        auto same = std::find_if(rules.begin(), rules.end(),
                                 [&](const IntentRule& r) { return r.name == extra.name; });
        if (same == rules.end()) {
            // A user's own intent is more specific than the shipped ones, so it is tried first.
            rules.insert(rules.begin(), extra);
            continue;
        }
        same->query_cues.insert(same->query_cues.end(), extra.query_cues.begin(),
                                extra.query_cues.end());
        same->question_cues.insert(same->question_cues.end(), extra.question_cues.begin(),
                                   extra.question_cues.end());
        if (!extra.answer_evidence.empty()) {
            same->answer_evidence = extra.answer_evidence;
        }
    }
    return rules;
} catch (const Error&) {
    throw;
} catch (...) {
    throw Error("cannot read the intents: " + detail::current_reason());
}

std::map<std::string, std::vector<std::string>> effective_synonyms(const Config& config) try {
    auto root = shipped(detail::shipped_synonyms_toml, "synonyms.toml");
    std::map<std::string, std::vector<std::string>> out;
    Reader reader("<shipped>/synonyms.toml");
    for (const auto& [word, node] : root) {
        out[std::string(word.str())] = reader.strings(node, word.str());
    }
    for (const auto& [word, list] : config.synonyms) {
        auto& target = out[word];
        target.insert(target.end(), list.begin(), list.end());
    }
    return out;
} catch (const Error&) {
    throw;
} catch (...) {
    throw Error("cannot read the synonyms: " + detail::current_reason());
}

} // namespace leo
