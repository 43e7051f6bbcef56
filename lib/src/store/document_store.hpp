#pragma once
// What a pair's Xapian document carries as data: everything a hit shows, nothing re-read.

#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

struct StoredPair {
    std::string id;
    std::string path;
    std::string question;
    std::string answer;
    std::string anchor;
    std::string url; ///< page URL with `#anchor`
    std::string title;
    std::string date;
    std::vector<std::string> tags;
    /// term_hash_byte() of every word of the question and of the answer, in order: where the
    /// query's terms may be, for the highlighter, proximity and phrases.
    std::string question_word_hashes;
    std::string answer_word_hashes;
};

/// What the second stage needs of a candidate, kept in one value slot so that reading it is
/// one lookup (one Xapian value slot each would cost a B-tree seek each).
struct RankRecord {
    std::string id;            ///< pair id, breaks score ties
    std::string page;          ///< page hash: pairs of one page
    std::string answer_hash;   ///< folded answer hash, for collapsing; empty for no answer
    std::string intent;        ///< what kind of answer the question offers; may be empty
    std::string evidence;      ///< `n` the answer holds a number, `y` a year
    std::string terms;         ///< TermSignature of question and answer terms
    std::string heading_terms; ///< TermSignature of question and title terms
    /// The question's and the title's terms, space-separated, and the document's length as
    /// Xapian counts it: the second stage scores the question and title fields from these
    /// instead of making the matcher walk two more posting lists per query word.
    std::string question_terms;
    std::string title_terms;
    std::string length;
};

[[nodiscard]] std::string encode(const RankRecord& record);
/// Throws IndexError when `data` is not a RankRecord of this format.
[[nodiscard]] RankRecord decode_rank_record(std::string_view data);

/// A RankRecord read in place, for the second stage's many candidates: each field views the
/// value it was read from, which must outlive it.
struct RankView {
    std::string_view id, page, answer_hash, intent, evidence, terms, heading_terms, question_terms,
        title_terms, length;
};
/// Throws IndexError when `data` is not a RankRecord of this format.
[[nodiscard]] RankView view_rank_record(std::string_view data);

/// Length-prefixed fields, LZ4-compressed: compact, and decoding needs no parsing of the text.
[[nodiscard]] std::string encode(const StoredPair& pair);
/// Throws IndexError when `data` is not a StoredPair of this format.
[[nodiscard]] StoredPair decode(std::string_view data);

/// A pair's record_slot value: its rank record, then its stored pair.
[[nodiscard]] std::string encode(const RankRecord& record, const StoredPair& pair);

/// The two parts of a record_slot value, still encoded. Throws IndexError when it is damaged.
struct PairRecord {
    std::string_view rank;   ///< for decode_rank_record()
    std::string_view stored; ///< for decode()
};
[[nodiscard]] PairRecord split_record(std::string_view value);

} // namespace leo::detail
