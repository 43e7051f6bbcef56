// Searcher: query text → Xapian query over leo's fields → first-stage BM25 → second-stage
// re-ranking by proximity and intent → hits with snippets.

#include "format/bm25.hpp"
#include "format/index_format.hpp"
#include "format/schema.hpp"
#include "format/term_positions.hpp"
#include "search/first_stage.hpp"
#include "search/phrase_check.hpp"
#include "search/query_form.hpp"
#include "search/query_plan.hpp"
#include "search/snippet.hpp"
#include "search/spelling.hpp"
#include "store/document_store.hpp"
#include "store/index_folder.hpp"
#include "store/index_reader.hpp"
#include "store/shards.hpp"
#include "store/xapian_error.hpp"
#include "text/analyzer.hpp"
#include "text/embedded_data.hpp"
#include "text/intent.hpp"
#include "text/term_signature.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <leo/error.hpp>
#include <leo/searcher.hpp>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace leo {
namespace {

namespace schema = detail::schema;
using detail::Choose;
using detail::has_prefix;
using detail::Plan;
using detail::WeightedTerm;

// Queries longer than this are cut: nobody types more, and the cost of a query grows with it.
constexpr std::size_t max_query_bytes = 4096;

using detail::max_reopens;

std::string strip_prefix(const std::string& term) {
    std::size_t i = 0;
    while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') {
        ++i;
    }
    return term.substr(i);
}

// Cut at a character boundary.
std::string_view cut_utf8(std::string_view text, std::size_t max) {
    if (text.size() <= max) {
        return text;
    }
    while (max > 0 && (static_cast<unsigned char>(text[max]) & 0xC0) == 0x80) {
        --max;
    }
    return text.substr(0, max);
}

} // namespace

// Hidden even in a shared leo: only the class around it is public API.
struct __attribute__((visibility("hidden"))) Searcher::Impl {
    Config config;
    detail::IndexReader reader;
    detail::Analyzer analyzer;
    std::unique_ptr<detail::Speller> speller;
    std::unique_ptr<detail::IntentLexicon> lexicon;
    detail::QueryPlanner planner;
    detail::Matcher matcher{config, reader, planner, analyzer};

    explicit Impl(const Config& c)
        : config(c), reader(config), analyzer(reader.language),
          speller(std::make_unique<detail::Speller>(reader.language)),
          lexicon(std::make_unique<detail::IntentLexicon>(effective_intents(config), analyzer)),
          planner(config, reader, analyzer, *lexicon, *speller) {}

    // Moves to the index's newest revision; a new stub brings a new lexicon to parse with.
    void reopen() {
        if (reader.reopen()) {
            planner.use_lexicon(reader.lexicon());
        }
    }

    // Searcher::words_starting's reading of the spelling table (defined below it).
    [[nodiscard]] std::vector<std::string> words_starting(std::string_view word, std::size_t limit);

    // Xapian's BM25Weight term weight for each query term in the question and the title fields
    // and, for common words, in the whole pair (its formula, the index's statistics and the
    // field's scale), so a field scored in the second stage weighs exactly what the same
    // field's query would have in the matcher.
    struct FieldWeights {
        std::vector<double> question;
        std::vector<double> title;
        std::vector<double> common; // per Plan::common_terms
    };

    double termweight(std::string_view prefix, const WeightedTerm& t, double scale) const {
        const double n = static_cast<double>(reader.db.get_doccount());
        const auto tf = static_cast<double>(planner.pairs_holding(t, prefix));
        if (tf == 0 || scale <= 0) {
            return 0.0;
        }
        double tw = (n - tf + 0.5) / (tf + 0.5);
        if (tw < 2) { // Xapian's floor for terms in more than a third of the documents
            tw = tw * 0.5 + 1;
        }
        return std::log(tw) * scale * t.weight * (config.ranking.bm25_k1 + 1);
    }

    FieldWeights field_weights(const Plan& p) const {
        FieldWeights w;
        for (const auto& t : p.field_terms) {
            w.question.push_back(
                termweight(schema::question_prefix, t, config.ranking.question_weight));
            w.title.push_back(termweight(schema::title_prefix, t, config.ranking.title_weight));
        }
        for (const auto& t : p.common_terms) {
            w.common.push_back(termweight("", t, 1.0));
        }
        return w;
    }

    // BM25 of one field of a pair, as the matcher would weigh it from the field's impacts:
    // `words` is the field's terms, space-separated; a term's synonyms count as the term, as in
    // an OP_SYNONYM query. `length_norm` is the pair's K.
    double field_score(std::string_view words, const std::vector<WeightedTerm>& terms,
                       const std::vector<double>& weights, double length_norm) const {
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
                score += weights[i] * detail::bm25::tf_part(detail::bm25::impact(tf, length_norm),
                                                            config.ranking.bm25_k1);
            }
        }
        return score;
    }

    // Common words are not walked: a candidate holding one (its signature says so) is given the
    // weight of a single occurrence, which is what nearly every pair holding a common word has.
    double common_score(std::string_view signature, const std::vector<WeightedTerm>& terms,
                        const std::vector<double>& weights, double length_norm) const {
        const double once =
            detail::bm25::tf_part(detail::bm25::impact(1, length_norm), config.ranking.bm25_k1);
        double score = 0;
        for (std::size_t i = 0; i < terms.size(); ++i) {
            for (const auto& form : terms[i].forms) {
                if (detail::TermSignature::may_contain(signature, form)) {
                    score += weights[i] * once;
                    break;
                }
            }
        }
        return score;
    }

    // Closeness of the query's words in the pair: 1 when two of them are adjacent, falling with
    // distance; averaged over the pairs of distinct query terms that both occur.
    // `positions[t]`: where the query's t-th content term occurs in the pair (empty: nowhere).
    static double proximity(const std::vector<std::vector<Xapian::termpos>>& positions) {
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

    // The summed rarity of the query terms (any of a term's synonyms counting for it) that a
    // pair holds in the fields whose term signatures are given.
    static double coverage(std::initializer_list<std::string_view> signatures,
                           const std::vector<std::vector<std::string>>& terms,
                           const std::vector<double>& idf) {
        double sum = 0;
        for (std::size_t i = 0; i < terms.size(); ++i) {
            const bool held = std::any_of(terms[i].begin(), terms[i].end(), [&](const auto& form) {
                return std::any_of(signatures.begin(), signatures.end(), [&](auto signature) {
                    return detail::TermSignature::may_contain(signature, form);
                });
            });
            if (held) {
                sum += idf[i];
            }
        }
        return sum;
    }

    // A candidate's first-stage score, in the parts --explain shows: BM25 weights without
    // length normalisation, and the one factor that normalises them all.
    struct FirstStage {
        double matcher = 0;  ///< the matcher's weight
        double text = 0;     ///< common words in the question and answer text
        double question = 0; ///< common words in the question field
        double title = 0;    ///< common words in the title field
    };

    // A candidate's whole score as the sum of its additive parts times its factors: the
    // ranking uses total() and --explain prints the same parts, so the two cannot disagree.
    struct ScoreBreakdown {
        FirstStage first;
        double page = 0; ///< share of the page's best first-stage score
        double coverage = 1.0;
        double question_coverage = 1.0;
        double proximity = 1.0;
        double intent = 1.0;

        [[nodiscard]] double base() const {
            return first.matcher + first.text + first.question + first.title + page;
        }
        [[nodiscard]] double total() const {
            return base() * (coverage * question_coverage) * proximity * intent;
        }
    };

    struct Scored {
        Xapian::MSetIterator it;
        double score = 0; ///< breakdown.total()
        ScoreBreakdown breakdown;
        double proximity = 0;           ///< closeness of the query words, 0 … 1
        double intent = 0;              ///< match of the asked and offered kinds of answer
        double coverage = 1.0;          ///< share of the query's rarity matched
        double question_coverage = 0.0; ///< the same, in question and title
        std::string_view id;            // views of the candidate's record value
        std::string_view answer_hash;
        Xapian::Document document;
        std::size_t duplicates = 0;
        std::size_t index = 0; // among the candidates
    };

    using Candidates = detail::Candidates;

    Results run(const Query& request) {
        Results results;
        planner.apply_corrections = request.correct;
        std::string text(cut_utf8(request.text, max_query_bytes));
        results.query = request.text;
        auto p = planner.plan(text, request.tags);
        if (p.query.empty() || (p.all_fields.empty() && p.question.empty())) {
            return results;
        }
        const bool leo_mode = config.ranking.mode == "leo";
        // Xapian suggests a spelling for any word that is not itself a term, and leo indexes
        // stems, so a suggestion counts only when a word's term is unknown to the index.
        if (!p.corrected.empty() && !planner.apply_corrections) {
            results.corrected_query = p.corrected; // reported; the hits are for the text as typed
        } else if (!p.corrected.empty() && planner.natural(text)) {
            results.corrected_query = p.corrected;
            results.used_correction = true;
        } else if (!p.corrected.empty()) {
            auto corrected = planner.plan(p.corrected, request.tags);
            if (!corrected.query.empty()) {
                results.corrected_query = p.corrected;
                p = std::move(corrected);
                results.used_correction = true;
            }
        }

        // Bounded, so a window of 2^64-1 answers neither wraps nor asks Xapian for billions.
        const std::size_t offset = std::min(request.offset, max_offset);
        const std::size_t wanted = offset + std::min(request.limit, max_limit);
        auto found = matcher.match(p, text, request.tags, results.used_correction, wanted);
        auto& stored = found.stored;
        const auto& mset = found.mset;
        const std::size_t count = found.chosen.size();
        stored.resize(count);
        auto candidate = [&](std::size_t i) { return mset[found.chosen[i]]; };
        results.total = found.matches;
        for (const auto& t : p.common_terms) { // every pair holding one matches the query too
            results.total = std::max<std::size_t>(results.total, planner.pairs_holding(t));
        }
        results.shards_failed = reader.shards_failed;

        // Content terms of the query, for proximity and highlighting, without prefixes.
        std::vector<std::string> content_terms;
        for (const auto& term : p.terms) {
            if (!planner.is_stop_word(term) &&
                std::find(content_terms.begin(), content_terms.end(), term) ==
                    content_terms.end() &&
                (reader.db.get_termfreq(term) > 0 ||
                 (reader.has_lexicon && reader.lexicon_db.synonyms_begin(term) !=
                                            reader.lexicon_db.synonyms_end(term)))) {
                content_terms.push_back(term);
            }
        }
        std::set<std::string> highlight;
        for (auto t = p.query.get_terms_begin(); t != p.query.get_terms_end(); ++t) {
            if (!has_prefix(*t)) {
                highlight.insert(*t);
            } else if ((*t).rfind(schema::question_prefix, 0) == 0 || (*t)[0] == 'S') {
                highlight.insert(strip_prefix(*t));
            }
        }
        for (const auto& t : p.common_terms) {
            highlight.insert(t.forms.begin(), t.forms.end());
        }
        // What the second stage looks for in a pair's text, in one pass over it: the content
        // terms (proximity) first, then the other terms to highlight.
        std::vector<std::string> looked_for = content_terms;
        for (const auto& t : highlight) {
            if (std::find(looked_for.begin(), looked_for.end(), t) == looked_for.end()) {
                looked_for.push_back(t);
            }
        }

        // Each content term's rarity: a pair that misses the query's rare words misses its
        // point, however often it repeats the common ones.
        std::vector<double> idf;
        double idf_total = 0;
        const double n = static_cast<double>(reader.db.get_doccount());
        std::vector<std::vector<std::string>> alternatives;
        for (const auto& term : content_terms) {
            std::vector<std::string> forms{term};
            if (config.ranking.synonyms && reader.has_lexicon) {
                for (auto syn = reader.lexicon_db.synonyms_begin(term);
                     syn != reader.lexicon_db.synonyms_end(term); ++syn) {
                    forms.push_back(*syn);
                }
            }
            Xapian::doccount df = 0;
            for (const auto& f : forms) {
                df = std::max(df, reader.db.get_termfreq(f));
            }
            idf.push_back(
                std::log(1.0 + n / static_cast<double>(std::max<Xapian::doccount>(df, 1))));
            idf_total += idf.back();
            alternatives.push_back(std::move(forms));
        }
        // Pages whose best pair matches well lend weight to their other pairs: the right page
        // is strong evidence for the right answer, and the question then picks within it.
        // One batch fetch (a single round trip per remote shard), then every value is local.
        mset.fetch();
        std::vector<Xapian::Document> documents(count);
        std::vector<detail::RankView> records(count);
        std::vector<std::string> values(count); // each candidate's record_slot value
        // In docid order: Xapian keeps the last block it read at each level of the B-tree, and
        // neighbouring pairs (a page's) share blocks.
        auto stored_pair = [&](std::size_t i) -> const detail::StoredPair& {
            if (!stored[i]) {
                stored[i] = detail::decode(detail::split_record(values[i]).stored);
            }
            return *stored[i];
        };
        struct Matched {
            std::vector<detail::WordMatch> question, answer;
        };
        std::vector<std::optional<Matched>> matched(count);
        auto matched_words = [&](std::size_t i) -> const Matched& {
            if (!matched[i]) {
                const auto& pair = stored_pair(i);
                matched[i] = Matched{detail::match_words(pair.question, pair.question_word_hashes,
                                                         looked_for, analyzer),
                                     detail::match_words(pair.answer, pair.answer_word_hashes,
                                                         looked_for, analyzer)};
            }
            return *matched[i];
        };
        std::vector<std::size_t> by_docid(count);
        std::iota(by_docid.begin(), by_docid.end(), std::size_t{0});
        std::sort(by_docid.begin(), by_docid.end(),
                  [&](std::size_t a, std::size_t b) { return *candidate(a) < *candidate(b); });
        for (auto i : by_docid) {
            documents[i] = candidate(i).get_document();
            values[i] = documents[i].get_value(schema::record_slot);
            records[i] = detail::view_rank_record(detail::split_record(values[i]).rank);
        }
        // First-stage scores: the matcher's BM25 weight, plus what the second stage scores of the
        // common words it was not asked to walk.
        std::vector<double> first(count);
        std::vector<FirstStage> parts(count);
        {
            const auto weights = field_weights(p);
            for (std::size_t i = 0; i < count; ++i) {
                auto it = candidate(i);
                auto& part = parts[i];
                const auto& record = records[i];
                const double norm = detail::bm25::length_norm(
                    reader.normalisation, std::strtod(std::string(record.length).c_str(), nullptr));
                part.matcher = it.get_weight();
                part.text = common_score(record.terms, p.common_terms, weights.common, norm);
                if (!p.field_terms.empty()) {
                    if (!p.matched_questions) {
                        part.question = field_score(record.question_terms, p.field_terms,
                                                    weights.question, norm);
                    }
                    part.title =
                        field_score(record.title_terms, p.field_terms, weights.title, norm);
                }
                first[i] = part.matcher + part.text + part.question + part.title;
            }
        }
        // Proximity is found for the strongest candidates only, in their stored text (the index
        // keeps no positions): it reorders the top, and most of those pairs are then shown, from
        // the same decoded record. Strongest by first-stage score and then pair id, not by the
        // matcher's order, which breaks ties by docid and so would pick other candidates on a
        // sharded index.
        std::vector<double> closeness(count, 0.0);
        if (leo_mode && config.ranking.proximity && content_terms.size() > 1) {
            std::vector<std::size_t> order(count);
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                auto x = static_cast<float>(first[a]), y = static_cast<float>(first[b]);
                return x != y ? x > y : records[a].id < records[b].id;
            });
            order.resize(std::min<std::size_t>(
                order.size(),
                static_cast<std::size_t>(std::max(config.ranking.proximity_depth, 0))));
            for (auto i : order) {
                const auto& words = matched_words(i);
                auto positions =
                    detail::text_positions(words.question, words.answer, looked_for.size());
                positions.resize(content_terms.size());
                closeness[i] = proximity(positions);
            }
        }
        std::map<std::string_view, double> page_best;
        const bool page_context = leo_mode && config.ranking.page_context;
        if (page_context) {
            for (std::size_t i = 0; i < records.size(); ++i) {
                auto& best = page_best[records[i].page];
                best = std::max(best, first[i]);
            }
        }
        std::vector<Scored> scored;
        for (std::size_t index = 0; index < count; ++index) {
            auto it = candidate(index);
            const auto& doc = documents[index];
            const auto& record = records[index];
            Scored s;
            s.it = it;
            s.breakdown.first = parts[index];
            s.id = record.id;
            s.answer_hash = record.answer_hash;
            s.document = doc;
            s.index = index;
            if (page_context) {
                s.breakdown.page = config.ranking.page_weight * page_best[record.page];
            }
            if (leo_mode && config.ranking.coverage && idf_total > 0) {
                s.coverage =
                    coverage({record.terms, record.heading_terms}, alternatives, idf) / idf_total;
                s.question_coverage =
                    coverage({record.heading_terms}, alternatives, idf) / idf_total;
            }
            s.proximity = closeness[index];
            if (p.intent) {
                const auto& offered = record.intent;
                auto evidence_needed = lexicon->evidence_for(*p.intent);
                const auto& evidence = record.evidence;
                if (offered == *p.intent) {
                    s.intent = 1.0;
                } else if (!evidence_needed.empty() &&
                           evidence.find(evidence_needed == "number" ? 'n' : 'y') !=
                               std::string::npos) {
                    s.intent = 0.3;
                } else if (!offered.empty()) {
                    // The question offers another kind of answer than the one asked for.
                    s.intent = -config.ranking.intent_mismatch;
                }
            }
            // Multiplicative, so the features mean the same whatever the scale of BM25 scores.
            auto& b = s.breakdown;
            if (leo_mode && config.ranking.coverage) {
                b.coverage = std::pow(s.coverage, config.ranking.coverage_weight);
                b.question_coverage =
                    1.0 + config.ranking.question_coverage_weight * s.question_coverage;
            }
            b.proximity = 1.0 + 0.25 * config.ranking.proximity_weight * s.proximity;
            b.intent = 1.0 + 0.25 * config.ranking.intent_weight * s.intent;
            s.score = b.total();
            scored.push_back(s);
        }
        // Ties go to the smaller pair id, not the docid, so one index and its shards agree.
        // Scores are compared at float precision: a sharded index sums the same weights in
        // another order, and the last bits of a double must not reorder equal answers.
        std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
            auto x = static_cast<float>(a.score), y = static_cast<float>(b.score);
            return x != y ? x > y : a.id < b.id;
        });
        // The same answer on several pages is one hit that says how many copies it stands for.
        // Done here rather than with Xapian's collapse key, which reads a value for every
        // document the matcher considers and defeats its pruning.
        if (leo_mode && config.ranking.collapse) {
            std::map<std::string_view, std::size_t> first_of;
            std::vector<Scored> kept;
            for (auto& sc : scored) {
                if (sc.answer_hash.empty()) {
                    kept.push_back(std::move(sc));
                    continue;
                }
                auto [at, fresh] = first_of.emplace(sc.answer_hash, kept.size());
                if (fresh) {
                    kept.push_back(std::move(sc));
                } else {
                    ++kept[at->second].duplicates;
                }
            }
            scored = std::move(kept);
        }

        for (std::size_t i = offset; i < scored.size() && i < wanted; ++i) {
            const auto& s = scored[i];
            auto shown = stored_pair(s.index); // a copy: its fields move into the hit
            Hit hit;
            hit.rank = i + 1;
            hit.id = std::move(shown.id);
            hit.question = std::move(shown.question);
            hit.answer = std::move(shown.answer);
            hit.title = std::move(shown.title);
            hit.url = std::move(shown.url);
            hit.path = std::move(shown.path);
            hit.anchor = std::move(shown.anchor);
            hit.tags = std::move(shown.tags);
            hit.score = s.score;
            hit.duplicates = s.duplicates;
            auto words = matched_words(s.index).answer;
            for (auto& w : words) {
                if (w.term >= 0 && !highlight.count(looked_for[static_cast<std::size_t>(w.term)])) {
                    w.term = -1; // a content word the query did not search for
                }
            }
            hit.snippet = detail::make_snippet(hit.answer, words, looked_for.size());
            if (request.explain) {
                hit.explanation = explain(p, s, *s.it);
            }
            results.hits.push_back(std::move(hit));
        }
        return results;
    }

    // The first stage's parts: each field's query is run again on this one pair (the collection
    // statistics are the index's, so each weight is exactly that field's share of the matcher's
    // weight), plus what the second stage added for common words.
    std::vector<ScorePart> explain(const Plan& p, const Scored& s, Xapian::docid did) {
        std::vector<ScorePart> parts;
        auto weight_of = [&](const Xapian::Query& q) {
            if (q.empty()) {
                return 0.0;
            }
            auto doc = reader.db.get_document(did);
            auto id = doc.termlist_begin();
            id.skip_to(std::string(schema::id_prefix));
            auto e =
                matcher.enquire(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(*id)));
            auto m = e.get_mset(0, 1);
            return m.empty() ? 0.0 : m.begin().get_weight();
        };
        const auto& b = s.breakdown;
        const auto common = p.common_terms.empty()
                                ? std::string()
                                : std::string("; common words from the rank record");
        // The matcher's weight is split by re-running the field queries; the whole-pair part
        // takes the rest, so the parts add up to the weight the ranking used.
        const bool fields_shown = !p.field_terms.empty();
        const double question_bm25 = (!p.question.empty() || fields_shown)
                                         ? weight_of(p.question) * config.ranking.question_weight
                                         : 0.0;
        const double title_bm25 = (!p.title.empty() || fields_shown)
                                      ? weight_of(p.title) * config.ranking.title_weight
                                      : 0.0;
        parts.push_back({"question+answer",
                         b.first.matcher - question_bm25 - title_bm25 + b.first.text,
                         "BM25 over the whole pair" + common});
        auto field = [&](const char* name, const Xapian::Query& q, double bm25, double added,
                         double scale, const char* what) {
            if (q.empty() && !fields_shown) {
                return;
            }
            parts.push_back(
                {name, bm25 + added, fmt::format("BM25 of {}, x{}{}", what, scale, common)});
        };
        field("question", p.question, question_bm25, b.first.question,
              config.ranking.question_weight, "the question");
        field("title", p.title, title_bm25, b.first.title, config.ranking.title_weight,
              "the page title");
        if (b.page > 0) {
            parts.push_back({"page", b.page,
                             fmt::format("{} x the best first-stage score on this page",
                                         config.ranking.page_weight)});
        }
        if (config.ranking.mode == "leo" && config.ranking.coverage) {
            parts.push_back(
                {"coverage", b.coverage,
                 fmt::format("share of the query's rarity matched {:.2f}, factor", s.coverage),
                 true});
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
                 fmt::format("query asks for '{}'; match {:.1f}, factor", *p.intent, s.intent),
                 true});
        }
        // Query terms the user did not type (synonyms, spelling) that this pair holds.
        std::set<std::string> synonyms_used;
        for (auto t = p.query.get_terms_begin(); t != p.query.get_terms_end(); ++t) {
            if (has_prefix(*t) || std::find(p.terms.begin(), p.terms.end(), *t) != p.terms.end()) {
                continue;
            }
            auto tl = reader.db.termlist_begin(did);
            tl.skip_to(*t);
            if (tl != reader.db.termlist_end(did) && *tl == *t) {
                synonyms_used.insert(*t);
            }
        }
        for (const auto& syn : synonyms_used) {
            parts.push_back({"synonym", 0, "matched through a synonym: " + syn});
        }
        return parts;
    }
};

Searcher::Searcher(const Config& config) try : impl_(std::make_unique<Impl>(config)) {
} catch (...) {
    detail::rethrow_as_leo(detail::Failure::index, config.database, "open");
}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

Results Searcher::search(const Query& query) {
    int reopens = 0;
    bool shards_reopened = false;
    for (;;) {
        try {
            return impl_->run(query);
        } catch (const Xapian::NetworkError& e) {
            // A shard server went away mid-query: with partial answers allowed, reopen without
            // it and ask again; otherwise name the failure.
            auto stub = detail::stub_file(impl_->reader.database);
            if (shards_reopened || !stub || !impl_->config.allow_partial_shards) {
                throw IndexError("cannot search index '" + impl_->reader.database.string() +
                                 "': a shard stopped answering (" + e.get_msg() + ")" +
                                 (stub && !impl_->config.allow_partial_shards
                                      ? "; use --allow-partial to answer from the other shards"
                                      : ""));
            }
            shards_reopened = true;
            try {
                impl_->reader.open_shards(*stub);
                impl_->planner.use_lexicon(impl_->reader.lexicon());
            } catch (const Xapian::Error&) {
                detail::rethrow_xapian(impl_->reader.database, "reopen");
            }
        } catch (const Xapian::DatabaseModifiedError&) {
            // A writer committed past our snapshot: move to the new one and ask again.
            if (++reopens > max_reopens) {
                throw IndexError("cannot search index '" + impl_->reader.database.string() +
                                 "': it changed " + std::to_string(max_reopens) +
                                 " times while being read; try again");
            }
            reopen();
        } catch (const Xapian::DatabaseCorruptError&) {
            // Glass's view of a block a writer reused under this reader; real damage stays.
            if (++reopens > max_reopens) {
                detail::rethrow_xapian(impl_->reader.database, "search");
            }
            reopen();
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(impl_->reader.database, "search");
        } catch (...) {
            detail::rethrow_as_leo(detail::Failure::index, impl_->reader.database, "search");
        }
    }
}

void Searcher::reopen() {
    try {
        impl_->reopen();
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->reader.database, "reopen");
    }
}

std::vector<std::string> Searcher::words_starting(std::string_view word, std::size_t limit) {
    // A writer committing past this snapshot makes the spelling table unreadable here as it
    // makes a search: move to the new snapshot and read again, as search() does.
    for (int reopens = 0;; ++reopens) {
        try {
            return impl_->words_starting(word, limit);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (reopens >= max_reopens) {
                detail::rethrow_xapian(impl_->reader.database, "read");
            }
        } catch (const Xapian::DatabaseCorruptError&) {
            if (reopens >= max_reopens) {
                detail::rethrow_xapian(impl_->reader.database, "read");
            }
        } catch (...) {
            detail::rethrow_as_leo(detail::Failure::index, impl_->reader.database, "read");
        }
        reopen();
    }
}

std::vector<std::string> Searcher::Impl::words_starting(std::string_view word, std::size_t limit) {
    auto folded = analyzer.fold_phrase(word);
    if (folded.empty() || folded.find(' ') != std::string::npos || !reader.has_lexicon) {
        return {};
    }
    // The spelling table holds every indexed word, folded, with its frequency, in byte
    // order: the words with a prefix are one run of it. A short prefix of a large index
    // has a long run, so only its first part is read.
    constexpr std::size_t max_scanned = 20'000;
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    auto it = reader.lexicon_db.spellings_begin();
    it.skip_to(folded);
    for (std::size_t scanned = 0; it != reader.lexicon_db.spellings_end() &&
                                  scanned < max_scanned && (*it).starts_with(folded);
         ++it, ++scanned) {
        found.emplace_back(it.get_termfreq(), *it);
    }
    auto end = found.begin() + static_cast<std::ptrdiff_t>(std::min(limit, found.size()));
    std::partial_sort(found.begin(), end, found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> words;
    for (auto i = found.begin(); i != end; ++i) {
        words.push_back(std::move(i->second));
    }
    return words;
}

std::string Searcher::revision() const {
    try {
        // A generation stub reads `auto g3`: the generation, then the revision inside it. A
        // sharded index has no one revision; its stub and document count stand for it.
        std::string generation;
        std::istringstream lines(impl_->reader.stub_text);
        for (std::string line; generation.empty() && std::getline(lines, line);) {
            if (!line.empty() && line.front() != '#') {
                generation = line.substr(line.rfind(' ') + 1);
            }
        }
        if (!impl_->reader.shard_specs.empty() || impl_->reader.db.size() != 1) {
            return generation + ":" + std::to_string(impl_->reader.db.get_doccount());
        }
        return (generation.empty() ? "" : generation + ":") +
               std::to_string(impl_->reader.db.get_revision());
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->reader.database, "read");
    }
}

std::size_t Searcher::pair_count() const {
    try {
        return impl_->reader.db.get_doccount(); // a remote shard answers over the network
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->reader.database, "read");
    }
}

} // namespace leo
