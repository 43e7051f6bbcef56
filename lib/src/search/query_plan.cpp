#include "search/query_plan.hpp"

#include "format/schema.hpp"
#include "search/query_form.hpp"
#include "search/ranking_constants.hpp"
#include "store/guarded.hpp"
#include "text/embedded_data.hpp"

#include <algorithm>
#include <cmath>
#include <toml++/toml.h>

namespace leo::detail {
namespace {

// The shipped stop list of `language` (a code or a Snowball name, any case: `de`, `pt-BR`,
// `nn`, `German`; `en` is English's), with English's chatter when `with_chatter`, each word
// folded as the analyser folds a query's words (`für` → `fur`), since those are what it is
// compared with. A listed entry the analyser would split into several words can never be one
// query word, and is left out. A language without a list has no stop words.
std::vector<std::string> shipped_stopwords(std::string_view language, bool with_chatter,
                                           Analyzer& analyzer) {
    std::vector<std::string> words;
    auto table = toml::parse(shipped_stopwords_toml);
    auto add = [&](std::string_view key) {
        if (auto* list = table.get_as<toml::array>(key)) {
            for (const auto& item : *list) {
                auto folded = analyzer.words(*item.value<std::string>());
                if (folded.size() == 1) {
                    words.push_back(std::move(folded.front().folded));
                }
            }
        }
    };
    const auto code = Analyzer::iso_code(Analyzer::snowball_name(language));
    add(code);
    if (with_chatter && code == "en") {
        add("chatter");
    }
    return words;
}

} // namespace

QueryPlanner::QueryPlanner(const Config& config, const IndexReader& reader, Analyzer& analyzer,
                           const IntentLexicon& lexicon, Speller& speller)
    : config_(config), reader_(reader), analyzer_(analyzer), lexicon_(lexicon), speller_(speller),
      section_processor_(reader.db, analyzer) {
    const bool leo_mode = config_.ranking.mode == RankingMode::leo;
    for (const auto& word : shipped_stopwords(
             reader_.language, leo_mode && config_.ranking.query_weighting, analyzer_)) {
        stopper_.add(word);
    }
    for (const auto& word : shipped_stopwords(reader_.language, false, analyzer_)) {
        function_words_.add(word);
    }
    parser_.set_stemmer(analyzer_.stemmer());
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    if (leo_mode && config_.ranking.query_weighting) {
        parser_.set_stopper(&stopper_);
    }
    parser_.set_default_op(Xapian::Query::OP_OR);
    // `leop*` is the words starting so; on a large site, the most frequent hundred of them.
    parser_.set_max_expansion(ranking::max_wildcard_terms,
                              Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    parser_.add_prefix("question", std::string(schema::question_prefix));
    parser_.add_prefix("title", std::string(schema::title_prefix));
    parser_.add_boolean_prefix("tag", std::string(schema::tag_prefix));
    parser_.add_boolean_prefix("category", std::string(schema::category_prefix));
    parser_.add_boolean_prefix("lang", std::string(schema::language_prefix));
    parser_.add_boolean_prefix("section", &section_processor_);
    parser_.set_database(reader_.lexicon());
}

unsigned QueryPlanner::flags(bool spelling) const {
    unsigned f = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                 Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT |
                 Xapian::QueryParser::FLAG_WILDCARD;
    if (config_.ranking.mode == RankingMode::leo) {
        if (config_.ranking.synonyms) {
            f |= Xapian::QueryParser::FLAG_SYNONYM | Xapian::QueryParser::FLAG_AUTO_SYNONYMS;
        }
        if (spelling) {
            f |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
        }
    }
    return f;
}

// Parses once per field. A query Xapian cannot parse (a lone `AND`, an open quote) is read
// again as plain words, so a user always gets results for what the query could mean.
Xapian::Query QueryPlanner::parse(const std::string& folded, const std::string& prefix,
                                  bool spelling) {
    return or_else<Xapian::QueryParserError>(
        [&] { return parser_.parse_query(folded, flags(spelling), prefix); },
        [&] { return parser_.parse_query(folded, 0, prefix); });
}

Xapian::Query field_query(const std::vector<WeightedTerm>& terms, std::string_view prefix,
                          Xapian::Query::op op) {
    std::vector<Xapian::Query> parts;
    for (const auto& t : terms) {
        std::vector<Xapian::Query> forms;
        for (const auto& f : t.forms) {
            forms.emplace_back(std::string(prefix) + f);
        }
        Xapian::Query q = forms.size() == 1 ? forms.front()
                                            : Xapian::Query(Xapian::Query::OP_SYNONYM,
                                                            forms.begin(), forms.end());
        if (!t.related.empty()) {
            // A pair holding the word scores by it; one holding only a WordNet synonym, less.
            std::vector<Xapian::Query> related;
            for (const auto& f : t.related) {
                related.emplace_back(std::string(prefix) + f);
            }
            q = Xapian::Query(Xapian::Query::OP_MAX, q,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                            Xapian::Query(Xapian::Query::OP_SYNONYM,
                                                          related.begin(), related.end()),
                                            ranking::wordnet_weight));
        }
        parts.push_back(
            t.weight == 1.0 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, t.weight));
    }
    return Xapian::Query(op, parts.begin(), parts.end());
}

Xapian::doccount QueryPlanner::pairs_holding(const WeightedTerm& t, std::string_view prefix) const {
    Xapian::doccount df = 0;
    for (const auto& form : t.forms) {
        df = std::max(df, reader_.db.get_termfreq(std::string(prefix) + form));
    }
    return df;
}

// Walking a posting list costs in proportion to its length, and the words on most pairs
// are the longest lists and the weakest evidence (BM25 gives them almost no weight).
// An intent cue is likewise not walked when it is that frequent: the intent feature already
// rewards the pairs whose question offers what it asks for, and the topic words choose them.
bool QueryPlanner::is_common(const WeightedTerm& t) const {
    const double share = config_.ranking.common_word_share;
    if (share <= 0 || share >= 1) {
        return false;
    }
    const auto df = pairs_holding(t);
    if (df < static_cast<Xapian::doccount>(std::max(config_.ranking.common_word_min_pairs, 0))) {
        return false;
    }
    return t.cue ||
           static_cast<double>(df) > share * static_cast<double>(reader_.db.get_doccount()) ||
           (config_.ranking.common_word_max_pairs > 0 &&
            df > static_cast<Xapian::doccount>(config_.ranking.common_word_max_pairs));
}

Plan QueryPlanner::plan(const std::string& text, const std::vector<std::string>& tags,
                        Choose choose) {
    if (config_.ranking.mode == RankingMode::leo && natural(text)) {
        return plan_natural(text, tags, choose);
    }
    return plan_syntax(text, tags);
}

Plan QueryPlanner::plan_natural(const std::string& text, const std::vector<std::string>& tags,
                                Choose choose) {
    const bool split_common = choose != Choose::anything;
    Plan p;
    auto terms = natural_terms(text, p.corrected, p.dropped, p.compounds);
    if (config_.ranking.repeated_words) {
        for (auto& t : terms) {
            t.weight *= repeated_word_weight(t.occurrences);
        }
    }
    p.long_query = config_.ranking.long_queries && terms.size() > long_query_terms;
    if (p.long_query) {
        std::vector<double> idf;
        idf.reserve(terms.size());
        const double n = std::max<double>(reader_.db.get_doccount(), 1);
        for (const auto& t : terms) {
            idf.push_back(std::log((n + 1) / (pairs_holding(t) + 0.5)));
        }
        const auto weights = long_query_weights(idf);
        for (std::size_t i = 0; i < terms.size(); ++i) {
            terms[i].weight *= weights[i];
        }
    }
    std::vector<WeightedTerm> selective;
    for (auto& t : terms) {
        p.used.push_back(t.forms.front());
        (split_common && is_common(t) ? p.common_terms : selective).push_back(t);
    }
    const bool fields = config_.ranking.fields;
    if (selective.empty() && !fields) {
        selective = std::move(p.common_terms); // no question field to choose by
        p.common_terms.clear();
    }
    // The question and title fields of the selective words are weighed in the matcher
    // (their lists are short, and pruning keeps them nearly free); a common word's
    // fields are scored in the second stage from the rank record (see field_score).
    std::vector<Xapian::Query> matcher;
    if (!selective.empty()) {
        p.all_fields = field_query(selective, "");
        matcher.push_back(p.all_fields);
        if (fields) {
            p.question = field_query(selective, schema::question_prefix);
            p.title = field_query(selective, schema::title_prefix);
        }
    } else if (!p.common_terms.empty()) {
        // Nothing but common words: the pairs asking about them in their questions are
        // the candidates (those lists are several times shorter), scored as any other,
        // first those asking about all of them (an AND walks only the shortest list).
        p.question =
            field_query(p.common_terms, schema::question_prefix,
                        choose == Choose::selective_or_all_questions ? Xapian::Query::OP_AND
                                                                     : Xapian::Query::OP_OR);
        p.matched_questions = true;
        p.same_words = choose == Choose::selective_or_all_questions || p.common_terms.size() == 1;
    }
    if (!p.question.empty()) {
        matcher.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, p.question,
                             config_.ranking.question_weight);
    }
    if (!p.title.empty()) {
        matcher.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, p.title, config_.ranking.title_weight);
    }
    Xapian::Query combined(Xapian::Query::OP_OR, matcher.begin(), matcher.end());
    if (fields) {
        p.field_terms = p.common_terms;
    }
    const bool as_corrected = !p.corrected.empty() && apply_corrections;
    for (const auto& word : analyzer_.words(as_corrected ? p.corrected : text)) {
        p.terms.push_back(analyzer_.term(word.folded));
    }
    for (const auto& c : p.compounds) {
        if (!c.joined()) { // the halves of a split word are the query's words too
            p.terms.insert(p.terms.end(), c.terms.begin(), c.terms.end());
        }
    }
    if (config_.ranking.intent) {
        p.intent = lexicon_.query_intent(p.terms);
    }
    p.combined = combined;
    p.query = finish(combined, tags, true);
    return p;
}

Plan QueryPlanner::plan_syntax(const std::string& text, const std::vector<std::string>& tags) {
    Plan p;
    const bool leo_mode = config_.ranking.mode == RankingMode::leo;
    auto folded = analyzer_.fold_query(text, query_prefixes);
    // Spelling suggestions cost a scan of the spelling table per word: ask only when a
    // word is unknown to the index.
    const auto unknown =
        leo_mode && config_.ranking.spelling ? unknown_words(text) : std::set<std::string>{};
    p.all_fields = parse(folded, "", !unknown.empty());
    p.corrected = unknown.empty()
                      ? std::string()
                      : keep_corrections_of(folded, parser_.get_corrected_query_string(), unknown);
    Xapian::Query combined = p.all_fields;
    if (leo_mode && config_.ranking.fields) {
        // The question and answer text decide what matches (so NOT and AND mean what they
        // say); question and title only add weight.
        p.question = parse(folded, std::string(schema::question_prefix));
        p.title = parse(folded, std::string(schema::title_prefix));
        const Xapian::Query boosts[] = {
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, p.question,
                          config_.ranking.question_weight),
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, p.title, config_.ranking.title_weight)};
        combined = Xapian::Query(
            Xapian::Query::OP_AND_MAYBE, combined,
            Xapian::Query(Xapian::Query::OP_OR, std::begin(boosts), std::end(boosts)));
    }
    for (const auto& word : analyzer_.words(text)) {
        const auto& term = analyzer_.term(word.folded);
        p.terms.push_back(term);
    }
    p.used = p.terms;
    if (leo_mode && config_.ranking.intent) {
        p.intent = lexicon_.query_intent(p.terms);
    }
    p.combined = combined;
    p.query = finish(combined, tags);
    return p;
}

Xapian::Query QueryPlanner::finish(const Xapian::Query& combined,
                                   const std::vector<std::string>& tags, bool words_only) {
    Xapian::Query query =
        words_only ? combined
                   : Xapian::Query(Xapian::Query::OP_AND_NOT, combined,
                                   Xapian::Query(std::string(schema::empty_answer_term)));
    if (!tags.empty()) {
        std::vector<Xapian::Query> filters;
        for (const auto& tag : tags) {
            auto t = analyzer_.fold_phrase(tag);
            std::replace(t.begin(), t.end(), ' ', '-');
            filters.emplace_back(schema::bounded_term(schema::tag_prefix, t));
        }
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    if (!sections.empty()) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              sections_query(reader_.db, analyzer_, sections));
    }
    return query;
}

} // namespace leo::detail
