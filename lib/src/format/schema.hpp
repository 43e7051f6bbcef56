#pragma once
// The one table of what leo puts in a Xapian database: term prefixes (Omega's conventions,
// `X…` for leo's own), value slots, metadata keys and the index format version.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <xapian.h>

namespace leo::detail::schema {

/// Bumped whenever what leo writes changes meaning; an index of another version is refused.
inline constexpr std::string_view format_version = "9";
/// Names the analyser's behaviour; an index built by another analyser is refused.
inline constexpr std::string_view analyser_id = "icu-nfkc_cf-latin-accents-stem_all-v1";

// Term prefixes.
inline constexpr std::string_view id_prefix = "Q";               ///< unique pair id `path#k`
inline constexpr std::string_view page_prefix = "XP";            ///< every pair of one page
inline constexpr std::string_view question_prefix = "XQ";        ///< question words
inline constexpr std::string_view title_prefix = "S";            ///< page title words
inline constexpr std::string_view tag_prefix = "K";              ///< tags (boolean)
inline constexpr std::string_view category_prefix = "XC";        ///< categories (boolean)
inline constexpr std::string_view language_prefix = "XL";        ///< page language (boolean)
inline constexpr std::string_view empty_answer_term = "XEempty"; ///< never returned as an answer
/// The Snowball stemmer of a page stemmed in another language than the index's (boolean,
/// `XSswedish`): queries are stemmed by each of them too.
inline constexpr std::string_view stemmer_prefix = "XS";

// Value slots.
/// The pair's record (document_store.hpp): its RankRecord, all the second stage reads of a
/// candidate, then its StoredPair, what a hit shows, so that a candidate shown costs one lookup.
/// A value, not the document data: glass compresses document data with zlib at its default
/// settings, and the stream reset per document (a 64 KiB memset) cost a quarter of indexing
/// time; leo compresses the stored pair itself with LZ4.
inline constexpr Xapian::valueno record_slot = 0;
/// See tie_key(); tie_slot is declared with it below.

// Metadata keys.
inline constexpr std::string_view format_key = "leo.format";
inline constexpr std::string_view analyser_key = "leo.analyser";
inline constexpr std::string_view language_key = "leo.language";
/// BM25's length normalisation of the index, "b pivot" (see bm25.hpp): fixed at creation.
inline constexpr std::string_view length_norm_key = "leo.length_norm";
/// A hash of the settings that shape what a page yields (see page_settings_stamp()).
inline constexpr std::string_view page_settings_key = "leo.page_settings";
inline constexpr std::string_view file_key_prefix = "F"; ///< per-file state for incremental runs

/// Positions of different fields are kept this far apart so a phrase cannot span two fields.
inline constexpr Xapian::termpos field_gap = 100;

/// 64-bit FNV-1a: stable across runs and machines, for content hashes and long keys. Pass the
/// hash of what came before as `hash` to hash a text piece by piece.
[[nodiscard]] inline std::uint64_t fnv1a(std::string_view bytes,
                                         std::uint64_t hash = 14695981039346656037ull) {
    for (unsigned char c : bytes) {
        hash = (hash ^ c) * 1099511628211ull;
    }
    return hash;
}

[[nodiscard]] inline std::string hex(std::uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) {
        out[static_cast<std::size_t>(i)] = digits[value & 0xF];
    }
    return out;
}

/// The order among candidates of equal weight: the pair's length (shorter first, as BM25's length
/// normalisation would rank them) then a hash of its id, so that which of many tied pairs reach
/// the second stage depends on neither docids nor how the index is sharded.
inline constexpr Xapian::valueno tie_slot = 1;

/// tie_slot's value: big-endian, so that byte order is numeric order.
[[nodiscard]] inline std::string tie_key(std::uint64_t length, std::string_view pair_id) {
    const auto capped = static_cast<std::uint32_t>(std::min<std::uint64_t>(length, 0xFFFF));
    const auto hash = static_cast<std::uint32_t>(fnv1a(pair_id));
    std::string key(6, '\0');
    key[0] = static_cast<char>(capped >> 8);
    key[1] = static_cast<char>(capped);
    for (int i = 0; i < 4; ++i) {
        key[static_cast<std::size_t>(i) + 2] = static_cast<char>(hash >> (24 - 8 * i));
    }
    return key;
}

/// `prefix + value`, shortened with a hash when it would pass Xapian's 245-byte term limit.
[[nodiscard]] inline std::string bounded_term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    if (prefix.size() + value.size() <= 240) {
        term += value;
        return term;
    }
    term += value.substr(0, 200);
    term += '#';
    term += hex(fnv1a(value));
    return term;
}

} // namespace leo::detail::schema
