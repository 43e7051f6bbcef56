#pragma once
// Where a query's terms occur in a pair, found in its stored text.
//
// The index keeps no positions (they were a third of a build's time and the largest table);
// the second stage needs them for a few candidates only, for proximity, phrases and snippets.
// The stored pair has a hash byte of each word's term, so only the words whose byte is a query
// term's are stemmed. Positions are numbered as one field over question and answer (question
// words from 1, answer words after schema::field_gap more), so a phrase cannot span the two.

#include "store/document_store.hpp"
#include "text/analyzer.hpp"

#include <string>
#include <string_view>
#include <vector>
#include <xapian.h>

namespace leo::detail {

/// A word of a text: its bytes, and which of the query's terms it is (-1: none).
struct WordMatch {
    std::size_t begin = 0;
    std::size_t end = 0;
    int term = -1;
};

/// The words of `text` as the analyser splits it, each matched against `terms`. `hashes`, when
/// given, holds the indexer's hash byte of each word's term: other words are not stemmed.
[[nodiscard]] std::vector<WordMatch> match_words(std::string_view text, std::string_view hashes,
                                                 const std::vector<std::string>& terms,
                                                 Analyzer& analyzer);

/// positions[t]: where terms[t] occurs, in increasing order (empty: nowhere).
using TermPositions = std::vector<std::vector<Xapian::termpos>>;

/// From a pair's matched question and answer words: positions numbered as one field.
[[nodiscard]] TermPositions text_positions(const std::vector<WordMatch>& question,
                                           const std::vector<WordMatch>& answer,
                                           std::size_t term_count);

/// In the question and answer, numbered as one field.
[[nodiscard]] TermPositions
text_positions(const StoredPair& pair, const std::vector<std::string>& terms, Analyzer& analyzer);

/// In the question alone.
[[nodiscard]] TermPositions question_positions(const StoredPair& pair,
                                               const std::vector<std::string>& terms,
                                               Analyzer& analyzer);

/// In the page title (short, and stored without hash bytes: every word is stemmed).
[[nodiscard]] TermPositions
title_positions(std::string_view title, const std::vector<std::string>& terms, Analyzer& analyzer);

} // namespace leo::detail
