#pragma once
// The fixed numbers of leo's ranking that are not keys of leo.toml, each named once with why it
// is what it is. Changing one changes the goldens (tests/golden): do it on purpose.

#include <cstddef>

namespace leo::detail::ranking {

/// Scale of the proximity and intent factors: at weight 1 the best pair gains a quarter, enough
/// to reorder close BM25 scores without overriding a clearly better textual match.
inline constexpr double feature_scale = 0.25;

/// Weight of a word's WordNet synonyms (lib/data/wordnet.tsv) against the word itself: a
/// synonym of the word's most frequent sense is evidence, but weaker than the word typed, so a
/// pair that says the word still ranks above one that only says its synonym. On MedQuAD
/// (nDCG@10 original / paraphrase / summary; off: 0.6113 / 0.6145 / 0.6604) 0.5 gave 0.6078 /
/// 0.6161 / 0.6607, 0.25 0.6105 / 0.6146 / 0.6601, 1.0 0.6014 / 0.6128 / 0.6595, and the
/// synonyms as forms of the word (one OP_SYNONYM) 0.5994 / 0.6116 / 0.6585: 0.5, the half
/// weight of a cue word, is the least drift that still counts; `ranking.wordnet` is off.
inline constexpr double wordnet_weight = 0.5;

/// Intent match credited to a pair whose question offers another kind of answer but whose text
/// holds the evidence asked for (a number for "how many"): partial, below a full match of 1.
inline constexpr double evidence_credit = 0.3;

/// A query with phrases or windows is matched as ANDs and checked against the stored text:
/// this many times the rerank depth are checked, so enough survive the check ...
inline constexpr std::size_t phrase_pool_factor = 4;
/// ... and never fewer than this, so a small depth still finds rare phrases.
inline constexpr std::size_t phrase_pool_min = 200;

/// Weights within this relative distance of the cut are ties: shards sum a pair's parts in
/// another order, so equal weights can differ in their last bits.
inline constexpr double tie_rounding = 1e-9;
/// Candidates fetched beyond the depth, so a tie ending among them is taken whole instead of
/// costing a second match.
inline constexpr std::size_t tie_slack = 8;
/// The second match that orders a tie at the cut by tie key fetches at most this many times
/// the depth ...
inline constexpr std::size_t tie_pool_factor = 4;
/// ... plus this many; beyond it the matcher's own order stands (too many to be sure of all).
inline constexpr std::size_t tie_pool_extra = 16;

/// Without a dictionary to judge them, words shorter than this are never corrected: one edit
/// turns a short word into many real ones.
inline constexpr std::size_t min_letters_to_correct = 5;
/// Words of at most this many letters get one edit, longer ones two: two edits turn a short
/// word into almost any other ("search" into "each").
inline constexpr std::size_t max_letters_for_one_edit = 4;

/// A chatter word of the query ("email", "help") is kept when its idf in this index, log(N / df),
/// is above this share of log N (the idf of a word in one pair): half way up the idf scale,
/// df below the square root of the pairs, it is nearer to a name than to a word every pair
/// uses, so it says what the question is about ("email" on a site about medicine). Half is the
/// middle of the scale, not a number fitted to a judged set.
inline constexpr double rare_word_idf_share = 0.5;

/// BM25's k3, which saturates a word's weight with the times the query says it: a word said
/// q times weighs (k3 + 1) q / (k3 + q), 1.33 for twice, at most 2. Xapian's default, the
/// one the matcher's BM25 already applies to a query's own repeated terms (bm25.hpp).
inline constexpr double repeated_word_k3 = 1.0;

/// A snippet's length in bytes: about two lines of a result page.
inline constexpr std::size_t snippet_bytes = 240;
/// A snippet window starting within this many bytes of the text's start starts at the start,
/// so the first sentence stays whole; and a window this much longer than snippet_bytes that
/// starts there is cut at its last matched word.
inline constexpr std::size_t snippet_lead_bytes = 40;

/// `leop*` expands to at most this many words, the most frequent: on a large site a short
/// prefix matches thousands.
inline constexpr unsigned max_wildcard_terms = 100;

} // namespace leo::detail::ranking
