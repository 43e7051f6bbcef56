#pragma once
// `section:NAME` and Query::sections: the pairs of pages in one of a site's sections. Hugo's
// section of a page is the first folder of its path inside its language's content folder
// (`docs/a.md` and, when `en` is a language folder, `en/docs/a.md` are in `docs`). No index
// term names it: the pages' path terms (schema::page_prefix) are read by prefix.

#include "text/analyzer.hpp"

#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// The pages of `db` in section `name`: those whose path's first folder is `name`, and those
/// whose first folder is their own language (its code, as `lang:` filters on it) and second
/// folder `name`. Folder and name are compared folded (case and accents ignored, spaces as
/// `-`). Matches nothing when no folder is so named.
[[nodiscard]] Xapian::Query section_query(const Xapian::Database& db, Analyzer& analyzer,
                                          std::string_view name);

/// Pages in any of `names` (an OR, as several tags of one kind would be).
[[nodiscard]] Xapian::Query sections_query(const Xapian::Database& db, Analyzer& analyzer,
                                           const std::vector<std::string>& names);

/// `section:` in a query, for Xapian's QueryParser.
class SectionProcessor : public Xapian::FieldProcessor {
public:
    SectionProcessor(const Xapian::Database& db, Analyzer& analyzer)
        : db_(db), analyzer_(analyzer) {}
    Xapian::Query operator()(const std::string& name) override {
        return section_query(db_, analyzer_, name);
    }

private:
    const Xapian::Database& db_;
    Analyzer& analyzer_;
};

} // namespace leo::detail
