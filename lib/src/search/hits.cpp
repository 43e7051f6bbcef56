#include "search/hits.hpp"

#include "format/schema.hpp"
#include "search/snippet.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace leo::detail {
namespace {

// The second stage's parts: page context, then the factors, then the synonyms the pair matched.
void explain_factors(std::vector<ScorePart>& parts, const Plan& p, const Scored& s,
                     Xapian::docid did, const Xapian::Database& db, const RankingConfig& ranking) {
    const auto& b = s.breakdown;
    if (b.page > 0) {
        parts.push_back(
            {"page", b.page,
             fmt::format("{} x the best first-stage score on this page", ranking.page_weight)});
    }
    if (ranking.mode == RankingMode::leo && ranking.coverage && !p.long_query) {
        parts.push_back(
            {"coverage", b.coverage,
             fmt::format("share of the query's rarity matched {:.2f}, factor", s.coverage), true});
        parts.push_back(
            {"question coverage", b.question_coverage,
             fmt::format("share of the query's rarity in question and title {:.2f}, factor",
                         s.question_coverage),
             true});
    }
    if (s.proximity > 0) {
        parts.push_back(
            {"proximity", b.proximity,
             fmt::format("query words close together (closeness {:.2f}), factor", s.proximity),
             true});
    }
    if (p.intent) {
        parts.push_back(
            {"intent", b.intent,
             fmt::format("query asks for '{}'; match {:.1f}, factor", *p.intent, s.intent), true});
    }
    // Query terms the user did not type (synonyms, spelling) that this pair holds.
    std::set<std::string> synonyms_used;
    for (auto t = p.query.get_terms_begin(); t != p.query.get_terms_end(); ++t) {
        if (has_prefix(*t) || std::find(p.terms.begin(), p.terms.end(), *t) != p.terms.end()) {
            continue;
        }
        auto tl = db.termlist_begin(did);
        tl.skip_to(*t);
        if (tl != db.termlist_end(did) && *tl == *t) {
            synonyms_used.insert(*t);
        }
    }
    for (const auto& syn : synonyms_used) {
        auto joined = std::find_if(p.compounds.begin(), p.compounds.end(), [&](const Compound& c) {
            return c.joined() && c.terms.front() == syn;
        });
        if (joined != p.compounds.end()) {
            parts.push_back({"compound", 0, "matched written as one word: " + joined->describe()});
        } else {
            parts.push_back({"synonym", 0, "matched through a synonym: " + syn});
        }
    }
}

} // namespace

Hit make_hit(std::size_t rank, const Scored& s, CandidatePairs& pairs, const QueryWords& words) {
    auto shown = pairs.stored_pair(s.shown); // a copy: its fields move into the hit
    Hit hit;
    hit.rank = rank;
    hit.id = std::move(shown.id);
    hit.question = std::move(shown.question);
    hit.answer = std::move(shown.answer);
    hit.title = std::move(shown.title);
    hit.url = std::move(shown.url);
    hit.path = std::move(shown.path);
    hit.anchor = std::move(shown.anchor);
    hit.tags = std::move(shown.tags);
    hit.score = s.score;
    for (auto copy : s.copies) {
        const auto& stored = pairs.stored_pair(copy);
        hit.copies.push_back({stored.id, stored.url, stored.path});
    }
    hit.duplicates = hit.copies.size();
    auto matched = pairs.matched_words(s.shown).answer;
    for (auto& w : matched) {
        if (w.term >= 0 &&
            !words.highlight.count(words.looked_for[static_cast<std::size_t>(w.term)])) {
            w.term = -1; // a content word the query did not search for
        }
    }
    hit.snippet = make_snippet(hit.answer, matched, words.looked_for.size());
    return hit;
}

// The first stage's parts: each field's query is run again on this one pair (the collection
// statistics are the index's, so each weight is exactly that field's share of the matcher's
// weight), plus what the second stage added for common words.
std::vector<ScorePart> explain(const Plan& p, const Scored& s, Xapian::docid did,
                               const Matcher& matcher, const Xapian::Database& db,
                               const RankingConfig& ranking) {
    std::vector<ScorePart> parts;
    auto weight_of = [&](const Xapian::Query& q) {
        if (q.empty()) {
            return 0.0;
        }
        auto doc = db.get_document(did);
        auto id = doc.termlist_begin();
        id.skip_to(std::string(schema::id_prefix));
        auto e = matcher.enquire(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(*id)));
        auto m = e.get_mset(0, 1);
        return m.empty() ? 0.0 : m.begin().get_weight();
    };
    const auto& b = s.breakdown;
    const auto common =
        p.common_terms.empty() ? std::string() : std::string("; common words from the rank record");
    // The matcher's weight is split by re-running the field queries; the whole-pair part
    // takes the rest, so the parts add up to the weight the ranking used.
    const bool fields_shown = !p.field_terms.empty();
    const double question_bm25 = (!p.question.empty() || fields_shown)
                                     ? weight_of(p.question) * ranking.question_weight
                                     : 0.0;
    const double title_bm25 =
        (!p.title.empty() || fields_shown) ? weight_of(p.title) * ranking.title_weight : 0.0;
    parts.push_back({"question+answer", b.first.matcher - question_bm25 - title_bm25 + b.first.text,
                     "BM25 over the whole pair" + common});
    auto field = [&](const char* name, const Xapian::Query& q, double bm25, double added,
                     double scale, const char* what) {
        if (q.empty() && !fields_shown) {
            return;
        }
        parts.push_back(
            {name, bm25 + added, fmt::format("BM25 of {}, x{}{}", what, scale, common)});
    };
    field("question", p.question, question_bm25, b.first.question, ranking.question_weight,
          "the question");
    field("title", p.title, title_bm25, b.first.title, ranking.title_weight, "the page title");
    explain_factors(parts, p, s, did, db, ranking);
    if (s.shown != s.index) {
        parts.push_back({"copies", 0,
                         fmt::format("scored as the copy {}; shown: the newest of {} copies", s.id,
                                     s.copies.size() + 1)});
    }
    return parts;
}

} // namespace leo::detail
