#pragma once
// Pages of a multilingual site are stemmed in their own language (document_builder.cpp), so a
// query word is looked for under each of those languages' stems too.

#include "format/schema.hpp"
#include "text/analyzer.hpp"

#include <algorithm>
#include <string>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// The Snowball stemmers of the index's pages besides the index's own, from their boolean terms:
/// none for an index of one language, whose queries are then exactly as before.
[[nodiscard]] inline std::vector<std::string> page_stemmers(const Xapian::Database& db) {
    std::vector<std::string> out;
    const std::string prefix(schema::stemmer_prefix);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        out.push_back((*it).substr(prefix.size()));
    }
    return out;
}

/// Adds to `forms` the stems of `folded` in each of `stemmers` that are not there yet.
inline void add_page_stems(Analyzer& analyzer, const std::string& folded,
                           const std::vector<std::string>& stemmers,
                           std::vector<std::string>& forms) {
    for (const auto& stemmer : stemmers) {
        const auto& form = analyzer.term(folded, stemmer);
        if (std::find(forms.begin(), forms.end(), form) == forms.end()) {
            forms.push_back(form);
        }
    }
}

/// Whether a page of another language holds `folded` under its own stem: then it is no typo.
[[nodiscard]] inline bool held_by_page_stem(const Xapian::Database& db, Analyzer& analyzer,
                                            const std::string& folded,
                                            const std::vector<std::string>& stemmers) {
    return std::any_of(stemmers.begin(), stemmers.end(), [&](const std::string& stemmer) {
        return db.get_termfreq(analyzer.term(folded, stemmer)) > 0;
    });
}

} // namespace leo::detail
