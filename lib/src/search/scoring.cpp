#include "search/scoring.hpp"

#include "format/bm25.hpp"
#include "text/term_signature.hpp"

#include <algorithm>
#include <cmath>

namespace leo::detail {
namespace {

double termweight(const Xapian::Database& db, const QueryPlanner& planner,
                  const RankingConfig& ranking, std::string_view prefix, const WeightedTerm& t,
                  double scale) {
    const double n = static_cast<double>(db.get_doccount());
    const auto tf = static_cast<double>(planner.pairs_holding(t, prefix));
    if (tf == 0 || scale <= 0) {
        return 0.0;
    }
    double tw = (n - tf + 0.5) / (tf + 0.5);
    if (tw < 2) { // Xapian's floor for terms in more than a third of the documents
        tw = tw * 0.5 + 1;
    }
    return std::log(tw) * scale * t.weight * (ranking.bm25_k1 + 1);
}

} // namespace

FieldWeights field_weights(const Plan& p, const Xapian::Database& db, const QueryPlanner& planner,
                           const RankingConfig& ranking) {
    FieldWeights w;
    for (const auto& t : p.field_terms) {
        w.question.push_back(
            termweight(db, planner, ranking, schema::question_prefix, t, ranking.question_weight));
        w.title.push_back(
            termweight(db, planner, ranking, schema::title_prefix, t, ranking.title_weight));
    }
    for (const auto& t : p.common_terms) {
        w.common.push_back(termweight(db, planner, ranking, "", t, 1.0));
    }
    return w;
}

double field_score(std::string_view words, const std::vector<WeightedTerm>& terms,
                   const std::vector<double>& weights, double length_norm, double k1) {
    double score = 0;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        if (weights[i] == 0) {
            continue;
        }
        double tf = 0;
        for (std::size_t start = 0; start < words.size();) {
            auto end = std::min(words.find(' ', start), words.size());
            auto word = words.substr(start, end - start);
            if (std::find(terms[i].forms.begin(), terms[i].forms.end(), word) !=
                terms[i].forms.end()) {
                ++tf;
            }
            start = end + 1;
        }
        if (tf > 0) {
            score += weights[i] * bm25::tf_part(bm25::impact(tf, length_norm), k1);
        }
    }
    return score;
}

double common_score(std::string_view signature, const std::vector<WeightedTerm>& terms,
                    const std::vector<double>& weights, double length_norm, double k1) {
    const double once = bm25::tf_part(bm25::impact(1, length_norm), k1);
    double score = 0;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        for (const auto& form : terms[i].forms) {
            if (TermSignature::may_contain(signature, form)) {
                score += weights[i] * once;
                break;
            }
        }
    }
    return score;
}

double proximity(const std::vector<std::vector<Xapian::termpos>>& positions) {
    std::vector<const std::vector<Xapian::termpos>*> held;
    for (const auto& list : positions) {
        if (!list.empty()) {
            held.push_back(&list);
        }
    }
    if (held.size() < 2) {
        return 0;
    }
    double sum = 0;
    std::size_t pairs = 0;
    for (std::size_t i = 0; i + 1 < held.size(); ++i) {
        const auto& a = *held[i];
        const auto& b = *held[i + 1];
        Xapian::termpos best = ~Xapian::termpos{0};
        for (std::size_t x = 0, y = 0; x < a.size() && y < b.size();) {
            auto d = a[x] > b[y] ? a[x] - b[y] : b[y] - a[x];
            best = std::min(best, d);
            if (a[x] < b[y]) {
                ++x;
            } else {
                ++y;
            }
        }
        sum += 1.0 / std::max<Xapian::termpos>(best, 1);
        ++pairs;
    }
    return sum / static_cast<double>(pairs);
}

double coverage(std::initializer_list<std::string_view> signatures,
                const std::vector<std::vector<std::string>>& terms,
                const std::vector<double>& idf) {
    double sum = 0;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        const bool held = std::any_of(terms[i].begin(), terms[i].end(), [&](const auto& form) {
            return std::any_of(signatures.begin(), signatures.end(), [&](auto signature) {
                return TermSignature::may_contain(signature, form);
            });
        });
        if (held) {
            sum += idf[i];
        }
    }
    return sum;
}

} // namespace leo::detail
