#include "search/section_filter.hpp"

#include "format/schema.hpp"

#include <algorithm>
#include <set>

namespace leo::detail {
namespace {

// The folder names right under `prefix` among the path terms, each once: one skip per folder
// past all its pages, so a section of thousands of pages costs one step.
std::vector<std::string> folders_under(const Xapian::Database& db, const std::string& prefix) {
    std::vector<std::string> folders;
    auto it = db.allterms_begin(prefix);
    const auto end = db.allterms_end(prefix);
    while (it != end) {
        const std::string term = *it;
        const auto slash = term.find('/', prefix.size());
        if (slash == std::string::npos) {
            ++it; // a page, not a folder
            continue;
        }
        folders.push_back(term.substr(prefix.size(), slash - prefix.size()));
        it.skip_to(term.substr(0, slash) + static_cast<char>('/' + 1));
    }
    return folders;
}

// As tags and languages are written into the index and read from queries.
std::string folded_name(Analyzer& analyzer, std::string_view name) {
    auto folded = analyzer.fold_phrase(name);
    std::replace(folded.begin(), folded.end(), ' ', '-');
    return folded;
}

Xapian::Query pages_under(const std::string& path_prefix) {
    return Xapian::Query(Xapian::Query::OP_WILDCARD, path_prefix, 0,
                         Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_OR);
}

} // namespace

Xapian::Query section_query(const Xapian::Database& db, Analyzer& analyzer, std::string_view name) {
    const auto wanted = folded_name(analyzer, name);
    if (wanted.empty()) {
        return Xapian::Query::MatchNothing;
    }
    const std::string paths(schema::page_prefix), languages_prefix(schema::language_prefix);
    std::set<std::string> languages;
    for (auto it = db.allterms_begin(languages_prefix); it != db.allterms_end(languages_prefix);
         ++it) {
        languages.insert((*it).substr(languages_prefix.size()));
    }
    std::vector<Xapian::Query> parts;
    for (const auto& folder : folders_under(db, paths)) {
        const auto folded = folded_name(analyzer, folder);
        if (folded == wanted) {
            parts.push_back(pages_under(paths + folder + "/"));
        }
        if (!languages.count(folded)) {
            continue;
        }
        const auto language_folder = paths + folder + "/";
        for (const auto& inner : folders_under(db, language_folder)) {
            if (folded_name(analyzer, inner) == wanted) {
                parts.emplace_back(Xapian::Query::OP_AND,
                                   pages_under(language_folder + inner + "/"),
                                   Xapian::Query(languages_prefix + folded));
            }
        }
    }
    return parts.empty() ? Xapian::Query::MatchNothing
                         : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query sections_query(const Xapian::Database& db, Analyzer& analyzer,
                             const std::vector<std::string>& names) {
    std::vector<Xapian::Query> parts;
    parts.reserve(names.size());
    for (const auto& name : names) {
        parts.push_back(section_query(db, analyzer, name));
    }
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

} // namespace leo::detail
