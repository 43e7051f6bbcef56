// Index-format checks: whether a database is a leo index this build reads, and the BM25 length
// normalisation it records.

#include "format/index_format.hpp"

#include "format/schema.hpp"

#include <fmt/format.h>
#include <leo/config.hpp>
#include <leo/error.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace leo::detail {

void check_index_format(const Xapian::Database& db, const fs::path& path,
                        std::string& language_out) {
    auto format = db.get_metadata(std::string(schema::format_key));
    if (format.empty()) {
        if (db.get_doccount() == 0) {
            throw IndexError("cannot open index '" + path.string() +
                             "': it is empty; run leo-index to build it");
        }
        throw IndexError("cannot open index '" + path.string() +
                         "': not a leo index (a Xapian database leo did not write); use another "
                         "--db, or remove it and run leo-index to build one");
    }
    if (format != schema::format_version) {
        throw IndexError("cannot open index '" + path.string() + "': index format " + format +
                         ", this leo reads format " + std::string(schema::format_version) +
                         "; run leo-index to rebuild it");
    }
    if (db.get_metadata(std::string(schema::analyser_key)) != schema::analyser_id) {
        throw IndexError("cannot open index '" + path.string() +
                         "': built with another analyser; run leo-index to rebuild it");
    }
    language_out = db.get_metadata(std::string(schema::language_key));
}

std::optional<bm25::Normalisation> read_length_norm(const Xapian::Database& db) {
    std::istringstream in(db.get_metadata(std::string(schema::length_norm_key)));
    bm25::Normalisation n;
    if (!(in >> n.b >> n.pivot) || n.pivot <= 0) {
        return std::nullopt;
    }
    return n;
}

std::string encode_length_norm(const bm25::Normalisation& normalisation) {
    return fmt::format("{} {}", normalisation.b, normalisation.pivot);
}

std::string page_settings_stamp(const Config& config) {
    const auto& parse = config.parse;
    // Each field ends with a unit separator, so no two settings hash the same text.
    std::string text;
    auto field = [&text](std::string_view value) {
        text += value;
        text += '\x1f';
    };
    // leo's own page rules: bumped when the same text and settings yield other pairs or URLs
    // (2: `.html` pages read as HTML, URL paths lower-cased letter by letter, as Hugo does), so
    // an index made by an older leo parses its unchanged pages again, once.
    field("rules 2");
    field(std::to_string(parse.min_question_level));
    field(std::to_string(parse.max_question_level));
    field(std::to_string(static_cast<int>(parse.anchors)));
    field(parse.definition_term_ids ? "terms" : "");
    field(parse.base_path);
    field(parse.ugly_urls ? "ugly" : "");
    field(parse.keep_path_case ? "case" : "");
    for (const auto& language : parse.languages) {
        field("language");
        field(language.code);
        field(language.folder);
        field(language.url_prefix);
    }
    for (const auto& [section, pattern] : parse.permalinks) {
        field("permalink");
        field(section);
        field(pattern);
    }
    field(config.index_drafts ? "drafts" : "");
    field(config.index_future ? "future" : "");
    field(config.index_expired ? "expired" : "");
    return fmt::format("{:016x}", schema::fnv1a(text));
}

} // namespace leo::detail
