#pragma once
// Page → one Xapian document per question/answer pair, terms from the shared analyser.

#include "analyzer.hpp"
#include "intent.hpp"

#include <leo/page.hpp>

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

namespace leo::detail {

/// A pair ready to be written: its unique id term and its document.
struct PairDocument {
    std::string id_term;
    Xapian::Document document;
};

/// Builds documents. One per thread: it owns an Analyzer.
class DocumentBuilder {
public:
    DocumentBuilder(Analyzer analyzer, const IntentLexicon& lexicon);

    /// Every pair of `page`, in page order. Words seen are counted into `spelling`.
    [[nodiscard]] std::vector<PairDocument> build(const Page& page,
                                                  std::map<std::string, unsigned>* spelling);

    /// The term of every page's pairs, for deleting them all at once.
    [[nodiscard]] static std::string page_term(const std::string& relative_path);
    /// A tag's boolean term (`K` + folded tag, words joined by `-`).
    [[nodiscard]] std::string tag_term(std::string_view tag);

    [[nodiscard]] Analyzer& analyzer() { return analyzer_; }

private:
    Xapian::termpos index_field(Xapian::Document& doc, std::string_view text,
                                std::string_view prefix, bool also_unprefixed, Xapian::termpos pos,
                                std::vector<std::string>* terms,
                                std::map<std::string, unsigned>* spelling);

    Analyzer analyzer_;
    const IntentLexicon& lexicon_;
    std::vector<std::string> folded_;
    Xapian::Document scratch_document_; // receives nothing: index_field with no field to fill
};

} // namespace leo::detail
