#include "search/first_stage.hpp"

#include "format/bm25.hpp"
#include "format/schema.hpp"
#include "search/phrase_check.hpp"
#include "search/ranking_constants.hpp"

#include <algorithm>
#include <cmath>

namespace leo::detail {
namespace {

// `by_tie_key` orders equal weights by tie key from the first walk, for queries whose every
// candidate holds the same words (one list, or an AND): weights then differ only by the
// words' impacts, thousands tie at the cut, and a second walk would double the query's
// cost. Elsewhere ties are rare and sorting every candidate by key costs more than it saves.
Candidates candidates(Xapian::Enquire& e, std::size_t depth, bool by_tie_key) {
    constexpr double rounding = ranking::tie_rounding;
    constexpr std::size_t slack = ranking::tie_slack;
    if (by_tie_key) {
        e.set_sort_by_relevance_then_value(schema::tie_slot, false);
    }
    Candidates c{e.get_mset(0, static_cast<Xapian::doccount>(depth + slack)), {}, 0, {}};
    e.set_sort_by_relevance();
    c.matches = c.mset.get_matches_estimated();
    auto take_first = [&](std::size_t n) {
        for (Xapian::doccount i = 0; i < n && i < c.mset.size(); ++i) {
            c.chosen.push_back(i);
        }
        return c;
    };
    if (depth == 0 || c.mset.size() <= depth) {
        return take_first(depth);
    }
    const double cut = c.mset[static_cast<Xapian::doccount>(depth - 1)].get_weight();
    auto end = static_cast<Xapian::doccount>(depth);
    while (end < c.mset.size() && c.mset[end].get_weight() >= cut * (1 - rounding)) {
        ++end;
    }
    if (end < c.mset.size()) {
        return take_first(end);
    }
    // When every weight that close to the cut is the cut's to the last bit, the matcher has
    // already ordered them by tie key.
    bool exact = by_tie_key;
    for (Xapian::doccount i = 0; i < c.mset.size() && exact; ++i) {
        const double w = c.mset[i].get_weight();
        exact = w == cut || w >= cut * (1 + rounding) || w < cut * (1 - rounding);
    }
    if (exact) {
        return take_first(depth);
    }
    // Every pair that close, ordered by tie key where weights are equal to the last bit.
    const auto limit =
        static_cast<Xapian::doccount>(ranking::tie_pool_factor * depth + ranking::tie_pool_extra);
    e.set_cutoff(0, cut * (1 - rounding));
    e.set_sort_by_relevance_then_value(schema::tie_slot, false);
    c.mset = e.get_mset(0, limit);
    e.set_cutoff(0, 0);
    e.set_sort_by_relevance();
    c.chosen.clear();
    if (c.mset.size() >= limit) {
        // Too many to be sure all were seen: the matcher's order, which is the tie keys'
        // wherever the weights are equal to the last bit.
        return take_first(depth);
    }
    std::vector<std::pair<std::string, Xapian::doccount>> tied;
    for (Xapian::doccount i = 0; i < c.mset.size(); ++i) {
        if (c.mset[i].get_weight() >= cut * (1 + rounding)) {
            c.chosen.push_back(i);
        } else {
            tied.emplace_back(c.mset[i].get_sort_key(), i);
        }
    }
    std::sort(tied.begin(), tied.end());
    for (std::size_t i = 0; i < tied.size() && c.chosen.size() < depth; ++i) {
        c.chosen.push_back(tied[i].second);
    }
    return c;
}

// BM25 over the impacts the indexer wrote (bm25.hpp): b = 0 in the matcher, so that it looks
// up no document lengths, and k1 on the impacts' scale; `bm25` mode is the same formula with
// Xapian's default k1 of 1, over the question and answer text alone.
} // namespace

Xapian::Enquire Matcher::enquire(const Xapian::Query& query) const {
    Xapian::Enquire e(reader_.db);
    set_query(e, query);
    e.set_weighting_scheme(bm25::weighting(k1()));
    return e;
}

double Matcher::k1() const {
    return config_.ranking.mode == RankingMode::leo ? config_.ranking.bm25_k1 : 1.0;
}

// Every query the matcher runs is scaled back from the impacts' scale to BM25's own.
void Matcher::set_query(Xapian::Enquire& e, const Xapian::Query& query) const {
    e.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, bm25::weight_scale(k1())));
}

// Pseudo-relevance feedback: the words that best tell the top answers from the rest (Xapian's
// expand set) are added to the query at a reduced weight, reaching answers that use other
// words for the same thing.
Xapian::Query Matcher::expand(const Plan& p, Xapian::Enquire& e, const Xapian::MSet& mset,
                              const std::vector<std::string>& tags) {
    Xapian::RSet rset;
    int taken = 0;
    for (auto it = mset.begin(); it != mset.end() && taken < config_.ranking.feedback_docs;
         ++it, ++taken) {
        rset.add_document(*it);
    }
    struct Decider : Xapian::ExpandDecider {
        const QueryPlanner* planner;
        const std::vector<std::string>* query_terms;
        bool operator()(const std::string& term) const override {
            return !term.empty() && !has_prefix(term) && !(term[0] >= '0' && term[0] <= '9') &&
                   !planner->is_stop_word(term) &&
                   std::find(query_terms->begin(), query_terms->end(), term) == query_terms->end();
        }
    } decider;
    decider.planner = &planner_;
    decider.query_terms = &p.terms;
    auto eset =
        e.get_eset(static_cast<Xapian::termcount>(config_.ranking.feedback_terms), rset, &decider);
    if (eset.empty()) {
        return p.query;
    }
    std::vector<Xapian::Query> words;
    for (auto t = eset.begin(); t != eset.end(); ++t) {
        words.emplace_back(*t);
    }
    Xapian::Query extra(Xapian::Query::OP_OR, words.begin(), words.end());
    return planner_.finish(Xapian::Query(Xapian::Query::OP_OR, p.combined,
                                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, extra,
                                                       config_.ranking.feedback_weight)),
                           tags);
}

Candidates Matcher::match(Plan& p, const std::string& text, const std::vector<std::string>& tags,
                          bool used_correction, std::size_t wanted) {
    const bool leo_mode = config_.ranking.mode == RankingMode::leo;
    auto e = enquire(p.query);
    const std::size_t depth =
        leo_mode
            ? std::max<std::size_t>(wanted, static_cast<std::size_t>(config_.ranking.rerank_depth))
            : wanted;
    auto found = candidates(e, depth, p.same_words);
    for (auto wider : {Choose::any_question, Choose::anything}) {
        if (!p.matched_questions || found.chosen.size() >= wanted) {
            break;
        }
        if (wider == Choose::any_question && p.common_terms.size() <= 1) {
            continue; // of one word, "all" and "any" are the same walk
        }
        // Too few questions hold the query's words: choose more widely.
        auto corrected = p.corrected;
        p = planner_.plan(used_correction ? corrected : text, tags, wider);
        p.corrected = corrected;
        set_query(e, p.query);
        found = candidates(e, depth, p.same_words);
    }
    if (leo_mode && config_.ranking.feedback && found.chosen.size() >= 3) {
        p.query = expand(p, e, found.mset, tags);
        set_query(e, p.query);
        found = candidates(e, depth, false);
    }
    // The index keeps no positions, so Xapian matched the query's phrases and windows as
    // ANDs: a deeper pool is checked against the pairs' stored text, and what holds them kept.
    if (needs_positions(p.query)) {
        found = candidates(
            e, std::max(ranking::phrase_pool_factor * depth, ranking::phrase_pool_min), false);
        keep_phrases(p, found, depth);
    }
    return found;
}

// Keeps the candidates whose stored text holds the query's phrases and windows, the best
// `depth` of them, and scales the estimate of all matches by the share that held.
void Matcher::keep_phrases(const Plan& p, Candidates& found, std::size_t depth) {
    found.mset.fetch();
    std::vector<Xapian::docid> dids;
    std::vector<StoredPair> pairs;
    for (auto i : found.chosen) {
        dids.push_back(*found.mset[i]);
        pairs.push_back(decode(
            split_record(found.mset[i].get_document().get_value(schema::record_slot)).stored));
    }
    const auto holds = check_positions(p.query, reader_.db, dids, pairs, analyzer_);
    std::vector<Xapian::doccount> kept;
    for (std::size_t k = 0; k < holds.size() && kept.size() < depth; ++k) {
        if (holds[k]) {
            kept.push_back(found.chosen[k]);
            found.stored.emplace_back(std::move(pairs[k]));
        }
    }
    const auto held = static_cast<double>(std::count(holds.begin(), holds.end(), true));
    found.matches = holds.empty() ? 0
                                  : static_cast<Xapian::doccount>(std::lround(
                                        found.matches * held / static_cast<double>(holds.size())));
    found.chosen = std::move(kept);
}

} // namespace leo::detail
