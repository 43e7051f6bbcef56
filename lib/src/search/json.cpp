// The one JSON form of answers (docs/json.md), shared by leo-ask and leo-serve.

#include <leo/json.hpp>
#include <leo/safe_text.hpp>
#include <nlohmann/json.hpp>

namespace leo {
namespace {

// A query is echoed back as typed; invalid UTF-8 in it is written as U+FFFD, not refused.
constexpr auto json_errors = nlohmann::json::error_handler_t::replace;

nlohmann::json hit_json(const Hit& hit, bool explain) {
    nlohmann::json highlights = nlohmann::json::array();
    for (auto [b, e] : hit.snippet.highlights) {
        highlights.push_back({b, e});
    }
    nlohmann::json copies = nlohmann::json::array();
    for (const auto& copy : hit.copies) {
        copies.push_back({{"id", copy.id}, {"url", copy.url}, {"path", copy.path}});
    }
    nlohmann::json j{{"rank", hit.rank},
                     {"id", hit.id},
                     {"question", hit.question},
                     {"answer", hit.answer},
                     {"snippet", hit.snippet.text},
                     {"highlights", highlights},
                     {"title", hit.title},
                     {"url", hit.url},
                     {"path", hit.path},
                     {"anchor", hit.anchor},
                     {"tags", hit.tags},
                     {"score", hit.score},
                     {"duplicates", hit.duplicates},
                     {"copies", copies}};
    if (explain) {
        nlohmann::json parts = nlohmann::json::array();
        for (const auto& part : hit.explanation) {
            parts.push_back({{"feature", part.feature},
                             {"value", part.value},
                             {"detail", part.detail},
                             {"combine", part.factor ? "multiply" : "add"}});
        }
        j["explanation"] = parts;
    }
    return j;
}

nlohmann::json results_object(const Results& results, const JsonOptions& options) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& hit : results.hits) {
        hits.push_back(hit_json(hit, options.explain));
    }
    nlohmann::json j{
        {"version", 1}, {"query", results.query}, {"total", results.total}, {"hits", hits}};
    if (!results.shards_failed.empty()) {
        j["shards_failed"] = results.shards_failed;
    }
    if (results.corrected_query) {
        j["corrected_query"] = *results.corrected_query;
        j["used_correction"] = results.used_correction;
    }
    if (!options.qid.empty()) {
        j["qid"] = options.qid;
    }
    if (options.explain) {
        j["terms_used"] = results.terms_used;
        j["words_dropped"] = results.words_dropped;
        if (!results.compounds.empty()) {
            j["compounds"] = results.compounds;
        }
    }
    return j;
}

std::string dump(const nlohmann::json& j, const JsonOptions& options) {
    return escape_json_controls(j.dump(options.indent, ' ', false, json_errors));
}

} // namespace

std::string results_json(const Results& results, const JsonOptions& options) {
    return dump(results_object(results, options), options);
}

std::string suggestions_json(const Suggestions& suggestions, const JsonOptions& options) {
    auto j = results_object(suggestions.results, options);
    j["completions"] = suggestions.completions;
    return dump(j, options);
}

} // namespace leo
