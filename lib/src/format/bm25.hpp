#pragma once
// BM25's length normalisation, computed once per pair when it is indexed.
//
// The matcher would otherwise look up every candidate's document length, which was half of its
// time. Instead each posting's wdf holds the pair's BM25 "impact" for that term: the term
// frequency divided by the pair's length norm K, scaled to an integer. Xapian's BM25Weight with
// b = 0 and k1 scaled alike then gives exactly BM25's per-term weight (see weight_scale()), with
// no length lookups; the same functions score the words the second stage adds, so both agree.
// The lengths are normalised against a pivot, the average pair length of the pages sampled when
// the index was created, rather than a running average, as a posting cannot change once written.

#include <algorithm>
#include <cmath>
#include <xapian.h>

namespace leo::detail::bm25 {

/// wdf = impact_scale × tf / K, rounded: fine enough that pairs a word apart in length rarely
/// tie, small enough that most postings' wdf still fits one byte.
inline constexpr double impact_scale = 100;

/// How an index normalises lengths; fixed when it is created, kept in its metadata.
struct Normalisation {
    double b = 0.4;
    double pivot = 100; ///< average words in a pair's question and answer
};

/// BM25's K for a pair of `length` words: (1 - b) + b × length / pivot, with Xapian's floor of
/// half the pivot.
[[nodiscard]] inline double length_norm(const Normalisation& n, double length) {
    return (1 - n.b) + n.b * std::max(length / std::max(n.pivot, 1.0), 0.5);
}

/// The wdf a term occurring `tf` times gets in a pair of length norm `k`: never 0, as a posting
/// of wdf 0 would weigh nothing.
[[nodiscard]] inline Xapian::termcount impact(double tf, double k) {
    return static_cast<Xapian::termcount>(std::max(1.0, std::round(impact_scale * tf / k)));
}

/// The BM25Weight the matcher uses: b = 0, as the lengths are in the impacts, and k1 on their
/// scale.
[[nodiscard]] inline Xapian::BM25Weight weighting(double k1) {
    return Xapian::BM25Weight(k1 * impact_scale, 0, 1, 0, 0.5);
}

/// The factor that brings weighting()'s weights back to BM25's own scale (its (k1 + 1) factor
/// is computed with the scaled k1).
[[nodiscard]] inline double weight_scale(double k1) {
    return (k1 + 1) / (k1 * impact_scale + 1);
}

/// BM25's tf part, tf / (k1 × K + tf), as the matcher computes it from an impact.
[[nodiscard]] inline double tf_part(Xapian::termcount impact, double k1) {
    return impact / (k1 * impact_scale + impact);
}

} // namespace leo::detail::bm25
