#include "search/second_stage.hpp"

#include "format/bm25.hpp"
#include "format/schema.hpp"
#include "search/copies.hpp"
#include "search/ranking_constants.hpp"
#include "search/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>
#include <utility>

namespace leo::detail {
namespace {

std::string strip_prefix(const std::string& term) {
    std::size_t i = 0;
    while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') {
        ++i;
    }
    return term.substr(i);
}

double sum(const FirstStage& part) {
    return part.matcher + part.text + part.question + part.title;
}

// The copies of `sc` (itself first, the rest best-scored first) newest first, the newest
// shown; copies equally new stay in score order, so the best-scored of them is shown.
void show_newest(Scored& sc, CandidatePairs& pairs) {
    std::vector<std::size_t> members{sc.index};
    members.insert(members.end(), sc.copies.begin(), sc.copies.end());
    auto facts = [&](std::size_t i) {
        const auto& stored = pairs.stored_pair(i); // decoded once, kept by `pairs`
        return CopyFacts{stored.path, stored.date};
    };
    std::stable_sort(members.begin(), members.end(),
                     [&](std::size_t a, std::size_t b) { return newer_copy(facts(a), facts(b)); });
    sc.shown = members.front();
    sc.copies.assign(members.begin() + 1, members.end());
}

} // namespace

CandidatePairs::CandidatePairs(Candidates& found, const std::vector<std::string>& looked_for,
                               Analyzer& analyzer)
    : found_(found), looked_for_(looked_for), analyzer_(analyzer), documents_(size()),
      records_(size()), values_(size()), matched_(size()), answer_words_(size()) {
    found_.stored.resize(size());
    // Pages whose best pair matches well lend weight to their other pairs: the right page
    // is strong evidence for the right answer, and the question then picks within it.
    // One batch fetch (a single round trip per remote shard), then every value is local.
    found_.mset.fetch();
    // In docid order: Xapian keeps the last block it read at each level of the B-tree, and
    // neighbouring pairs (a page's) share blocks.
    std::vector<std::size_t> by_docid(size());
    std::iota(by_docid.begin(), by_docid.end(), std::size_t{0});
    std::sort(by_docid.begin(), by_docid.end(),
              [&](std::size_t a, std::size_t b) { return *candidate(a) < *candidate(b); });
    for (auto i : by_docid) {
        documents_[i] = candidate(i).get_document();
        values_[i] = documents_[i].get_value(schema::record_slot);
        records_[i] = view_rank_record(split_record(values_[i]).rank);
    }
}

const StoredPair& CandidatePairs::stored_pair(std::size_t i) {
    auto& stored = found_.stored[i];
    if (!stored) {
        stored = decode(split_record(values_[i]).stored);
    }
    return *stored;
}

const CandidatePairs::Matched& CandidatePairs::matched_words(std::size_t i) {
    if (!matched_[i]) {
        const auto& pair = stored_pair(i);
        matched_[i] =
            Matched{match_words(pair.question, pair.question_word_hashes, looked_for_, analyzer_),
                    match_words(pair.answer, pair.answer_word_hashes, looked_for_, analyzer_)};
    }
    return *matched_[i];
}

const std::set<std::string>& CandidatePairs::answer_words(std::size_t i) {
    if (!answer_words_[i]) {
        std::set<std::string> words;
        // Numbers are left out: they are what versions of one answer differ by (the version
        // itself, a default, a limit), and in a short answer one changed number would weigh
        // as much as a changed sentence.
        for (auto& word : analyzer_.words(stored_pair(i).answer)) {
            if (std::none_of(word.folded.begin(), word.folded.end(),
                             [](char c) { return c >= '0' && c <= '9'; })) {
                words.insert(std::move(word.folded));
            }
        }
        answer_words_[i] = std::move(words);
    }
    return *answer_words_[i];
}

QueryWords Rescorer::query_words(const Plan& p) const {
    QueryWords w;
    const auto& db = reader_.db;
    const auto& lexicon_db = reader_.lexicon_db;
    for (const auto& term : p.terms) {
        if (!planner_.is_stop_word(term) &&
            std::find(w.content_terms.begin(), w.content_terms.end(), term) ==
                w.content_terms.end() &&
            (db.get_termfreq(term) > 0 ||
             (reader_.has_lexicon &&
              lexicon_db.synonyms_begin(term) != lexicon_db.synonyms_end(term)))) {
            w.content_terms.push_back(term);
        }
    }
    for (auto t = p.query.get_terms_begin(); t != p.query.get_terms_end(); ++t) {
        if (!has_prefix(*t)) {
            w.highlight.insert(*t);
        } else if ((*t).rfind(schema::question_prefix, 0) == 0 || (*t)[0] == 'S') {
            w.highlight.insert(strip_prefix(*t));
        }
    }
    for (const auto& t : p.common_terms) {
        w.highlight.insert(t.forms.begin(), t.forms.end());
    }
    w.looked_for = w.content_terms;
    for (const auto& t : w.highlight) {
        if (std::find(w.looked_for.begin(), w.looked_for.end(), t) == w.looked_for.end()) {
            w.looked_for.push_back(t);
        }
    }
    // Each content term's rarity: a pair that misses the query's rare words misses its
    // point, however often it repeats the common ones.
    const double n = static_cast<double>(db.get_doccount());
    for (const auto& term : w.content_terms) {
        std::vector<std::string> forms{term};
        if (config_.ranking.synonyms && reader_.has_lexicon) {
            for (auto syn = lexicon_db.synonyms_begin(term); syn != lexicon_db.synonyms_end(term);
                 ++syn) {
                forms.push_back(*syn);
            }
        }
        for (const auto& c : p.compounds) { // "web site": a pair holding `websit` holds both
            if (c.joined() && std::find(c.written_terms.begin(), c.written_terms.end(), term) !=
                                  c.written_terms.end()) {
                forms.push_back(c.terms.front());
            }
        }
        Xapian::doccount df = 0;
        for (const auto& f : forms) {
            df = std::max(df, db.get_termfreq(f));
        }
        w.idf.push_back(std::log(1.0 + n / static_cast<double>(std::max<Xapian::doccount>(df, 1))));
        w.idf_total += w.idf.back();
        w.alternatives.push_back(std::move(forms));
    }
    return w;
}

// First-stage scores: the matcher's BM25 weight, plus what the second stage scores of the
// common words it was not asked to walk.
std::vector<FirstStage> Rescorer::first_stage(const Plan& p, const CandidatePairs& pairs) const {
    std::vector<FirstStage> parts(pairs.size());
    const auto weights = field_weights(p, reader_.db, planner_, config_.ranking);
    const double k1 = config_.ranking.bm25_k1;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        auto& part = parts[i];
        const auto& record = pairs.record(i);
        const double norm = bm25::length_norm(
            reader_.normalisation, std::strtod(std::string(record.length).c_str(), nullptr));
        part.matcher = pairs.candidate(i).get_weight();
        part.text = common_score(record.terms, p.common_terms, weights.common, norm, k1);
        if (!p.field_terms.empty()) {
            if (!p.matched_questions) {
                part.question =
                    field_score(record.question_terms, p.field_terms, weights.question, norm, k1);
            }
            part.title = field_score(record.title_terms, p.field_terms, weights.title, norm, k1);
        }
    }
    return parts;
}

// Proximity is found for the strongest candidates only, in their stored text (the index
// keeps no positions): it reorders the top, and most of those pairs are then shown, from
// the same decoded record. Strongest by first-stage score and then pair id, not by the
// matcher's order, which breaks ties by docid and so would pick other candidates on a
// sharded index.
std::vector<double> Rescorer::closeness(const QueryWords& words,
                                        const std::vector<FirstStage>& first,
                                        CandidatePairs& pairs) const {
    std::vector<double> closeness(pairs.size(), 0.0);
    if (config_.ranking.mode != RankingMode::leo || !config_.ranking.proximity ||
        words.content_terms.size() <= 1) {
        return closeness;
    }
    std::vector<std::size_t> order(pairs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        auto x = static_cast<float>(sum(first[a])), y = static_cast<float>(sum(first[b]));
        return x != y ? x > y : pairs.record(a).id < pairs.record(b).id;
    });
    order.resize(std::min<std::size_t>(
        order.size(), static_cast<std::size_t>(std::max(config_.ranking.proximity_depth, 0))));
    for (auto i : order) {
        const auto& matched = pairs.matched_words(i);
        auto positions = text_positions(matched.question, matched.answer, words.looked_for.size());
        positions.resize(words.content_terms.size());
        closeness[i] = proximity(positions);
    }
    return closeness;
}

double Rescorer::intent_match(const Plan& p, const RankView& record) const {
    const auto& offered = record.intent;
    auto evidence_needed = lexicon_.evidence_for(*p.intent);
    const auto& evidence = record.evidence;
    if (offered == *p.intent) {
        return 1.0;
    }
    if (!evidence_needed.empty() &&
        evidence.find(evidence_needed == "number" ? 'n' : 'y') != std::string::npos) {
        return ranking::evidence_credit;
    }
    if (!offered.empty()) {
        // The question offers another kind of answer than the one asked for.
        return -config_.ranking.intent_mismatch;
    }
    return 0;
}

// Multiplicative, so the features mean the same whatever the scale of BM25 scores.
void Rescorer::factors(Scored& s) const {
    auto& b = s.breakdown;
    if (config_.ranking.mode == RankingMode::leo && config_.ranking.coverage) {
        b.coverage = std::pow(s.coverage, config_.ranking.coverage_weight);
        b.question_coverage = 1.0 + config_.ranking.question_coverage_weight * s.question_coverage;
    }
    b.proximity = 1.0 + ranking::feature_scale * config_.ranking.proximity_weight * s.proximity;
    b.intent = 1.0 + ranking::feature_scale * config_.ranking.intent_weight * s.intent;
    s.score = b.total();
}

std::vector<Scored> Rescorer::rescore(const Plan& p, const QueryWords& words,
                                      CandidatePairs& pairs) const {
    const bool leo_mode = config_.ranking.mode == RankingMode::leo;
    const auto parts = first_stage(p, pairs);
    const auto close = closeness(words, parts, pairs);
    std::map<std::string_view, double> page_best;
    const bool page_context = leo_mode && config_.ranking.page_context;
    if (page_context) {
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            auto& best = page_best[pairs.record(i).page];
            best = std::max(best, sum(parts[i]));
        }
    }
    std::vector<Scored> scored;
    for (std::size_t index = 0; index < pairs.size(); ++index) {
        const auto& record = pairs.record(index);
        Scored s;
        s.it = pairs.candidate(index);
        s.breakdown.first = parts[index];
        s.id = record.id;
        s.answer_hash = record.answer_hash;
        s.document = pairs.document(index);
        s.index = index;
        s.shown = index;
        if (page_context) {
            s.breakdown.page = config_.ranking.page_weight * page_best[record.page];
        }
        // A long question is mostly context (history, symptoms, what was tried): the share of
        // its words that a pair holds grows with the pair's length, which BM25 normalises and
        // coverage would not, so it would reward long pairs rather than relevant ones.
        if (leo_mode && config_.ranking.coverage && !p.long_query && words.idf_total > 0) {
            s.coverage =
                coverage({record.terms, record.heading_terms}, words.alternatives, words.idf) /
                words.idf_total;
            s.question_coverage =
                coverage({record.heading_terms}, words.alternatives, words.idf) / words.idf_total;
        }
        s.proximity = close[index];
        if (p.intent) {
            s.intent = intent_match(p, record);
        }
        factors(s);
        scored.push_back(s);
    }
    // Ties go to the smaller pair id, not the docid, so one index and its shards agree.
    // Scores are compared at float precision: a sharded index sums the same weights in
    // another order, and the last bits of a double must not reorder equal answers.
    std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        auto x = static_cast<float>(a.score), y = static_cast<float>(b.score);
        return x != y ? x > y : a.id < b.id;
    });
    if (leo_mode && config_.ranking.collapse) {
        scored = collapse(std::move(scored), pairs);
    }
    return scored;
}

// Done here rather than with Xapian's collapse key, which reads a value for every
// document the matcher considers and defeats its pruning. Only candidates of one answer hash or
// of one question are compared, so the stored text is decoded only for likely copies.
std::vector<Scored> Rescorer::collapse(std::vector<Scored> scored, CandidatePairs& pairs) {
    std::map<std::string_view, std::size_t> by_answer;
    std::map<std::string_view, std::vector<std::pair<std::size_t, std::size_t>>> by_question;
    std::vector<Scored> kept;
    for (auto& sc : scored) {
        if (sc.answer_hash.empty()) {
            kept.push_back(std::move(sc));
            continue;
        }
        const auto question = pairs.record(sc.index).question_terms;
        std::optional<std::size_t> group;
        if (auto at = by_answer.find(sc.answer_hash); at != by_answer.end()) {
            group = at->second;
        } else if (auto same = by_question.find(question);
                   same != by_question.end() && !question.empty()) {
            const auto page = versionless_path(pairs.stored_pair(sc.index).path);
            for (auto [other, other_group] : same->second) {
                if (versionless_path(pairs.stored_pair(other).path) == page &&
                    jaccard(pairs.answer_words(sc.index), pairs.answer_words(other)) >=
                        near_identical_share) {
                    group = other_group;
                    break;
                }
            }
        }
        by_answer.emplace(sc.answer_hash, group.value_or(kept.size()));
        by_question[question].emplace_back(sc.index, group.value_or(kept.size()));
        if (group) {
            kept[*group].copies.push_back(sc.index);
        } else {
            kept.push_back(std::move(sc));
        }
    }
    for (auto& sc : kept) {
        if (!sc.copies.empty()) {
            show_newest(sc, pairs);
        }
    }
    return kept;
}

} // namespace leo::detail
