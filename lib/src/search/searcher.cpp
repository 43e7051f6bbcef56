// Searcher: query text → Xapian query over leo's fields → first-stage BM25 → second-stage
// re-ranking by proximity and intent → hits with snippets.

#include "format/bm25.hpp"
#include "format/index_format.hpp"
#include "format/schema.hpp"
#include "format/term_positions.hpp"
#include "search/page_stemmers.hpp"
#include "search/phrase_check.hpp"
#include "search/query_form.hpp"
#include "search/snippet.hpp"
#include "search/spelling.hpp"
#include "store/document_store.hpp"
#include "store/index_folder.hpp"
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

// Queries longer than this are cut: nobody types more, and the cost of a query grows with it.
constexpr std::size_t max_query_bytes = 4096;

// Glass keeps the last two revisions readable, so a reader overtaken by a writer that commits
// batch after batch can be overtaken again right after reopening; each retry starts from the
// newest revision, and a handful is plenty for any real commit rate.
constexpr int max_reopens = 8;

const std::vector<std::string> query_prefixes{"question", "title", "tag", "category", "lang"};

std::vector<std::string> shipped_stopwords(std::string_view language, bool with_chatter) {
    std::vector<std::string> words;
    auto table = toml::parse(detail::shipped_stopwords_toml);
    auto add = [&](std::string_view key) {
        if (auto* list = table.get_as<toml::array>(key)) {
            for (const auto& item : *list) {
                words.push_back(*item.value<std::string>());
            }
        }
    };
    add(language.substr(0, 2));
    if (with_chatter && language.substr(0, 2) == "en") {
        add("chatter");
    }
    return words;
}

std::string strip_prefix(const std::string& term) {
    std::size_t i = 0;
    while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') {
        ++i;
    }
    return term.substr(i);
}

bool has_prefix(const std::string& term) {
    return !term.empty() && term[0] >= 'A' && term[0] <= 'Z';
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
    Xapian::Database db;
    std::string language;
    detail::bm25::Normalisation normalisation; // the index's, for the words scored after the match
    detail::Analyzer analyzer;
    std::unique_ptr<detail::IntentLexicon> lexicon;
    Xapian::SimpleStopper stopper;
    Xapian::QueryParser parser;
    // Spelling and synonyms: the index itself, or a sharded index's lexicon (Xapian's remote
    // backend serves neither table).
    Xapian::Database lexicon_db;
    bool has_lexicon = false;
    std::vector<detail::ShardSpec> shard_specs;
    std::vector<std::string> shards_failed;
    std::unique_ptr<detail::Speller> speller;
    bool apply_corrections = true; // the request's Query::correct

    explicit Impl(const Config& c) : config(c), analyzer("none") {
        open();
        analyzer = detail::Analyzer(language);
        speller = std::make_unique<detail::Speller>(language);
        lexicon = std::make_unique<detail::IntentLexicon>(effective_intents(config), analyzer);
        const bool leo_mode = config.ranking.mode == "leo";
        for (const auto& word :
             shipped_stopwords(language, leo_mode && config.ranking.query_weighting)) {
            stopper.add(word);
        }
        parser.set_stemmer(analyzer.stemmer());
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
        if (leo_mode && config.ranking.query_weighting) {
            parser.set_stopper(&stopper);
        }
        parser.set_default_op(Xapian::Query::OP_OR);
        // `leop*` is the words starting so; on a large site, the most frequent hundred of them.
        parser.set_max_expansion(100, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        parser.add_prefix("question", std::string(schema::question_prefix));
        parser.add_prefix("title", std::string(schema::title_prefix));
        parser.add_boolean_prefix("tag", std::string(schema::tag_prefix));
        parser.add_boolean_prefix("category", std::string(schema::category_prefix));
        parser.add_boolean_prefix("lang", std::string(schema::language_prefix));
        parser.set_database(has_lexicon ? lexicon_db : db);
    }

    void open() {
        std::error_code ec;
        if (!std::filesystem::exists(config.database, ec)) {
            throw IndexError("cannot open index '" + config.database.string() +
                             "': no index there; run leo-index to build it");
        }
        // A writer committing batch after batch can discard the revision being opened before
        // its metadata is read, or reuse a block under the reader, which glass reports as a
        // block at the wrong level: open the newest revision again, as a search does. Real
        // damage does not go away and is reported after the last attempt.
        // A writer that swaps in a new generation (a first build, a compaction) replaces the
        // stub and then removes the old generation: a reader that read the old stub may find
        // its generation gone, and opens again by the new stub.
        for (int attempt = 1;; ++attempt) {
            stub_text = read_stub_text();
            auto moved = [&] { return attempt < max_reopens && read_stub_text() != stub_text; };
            try {
                auto stub = detail::stub_file(config.database);
                if (stub) {
                    // Xapian follows a stub's lines itself: a program line runs, a loop recurses
                    // until the stack overflows. Read them first.
                    detail::vet_stub(*stub, config.database, config.allow_program_shards);
                }
                std::optional<std::filesystem::path> lexicon_path;
                auto specs = stub ? detail::read_stub(*stub, lexicon_path)
                                  : std::vector<detail::ShardSpec>{};
                if (specs.size() == 1 && !lexicon_path && specs.front().type != "remote") {
                    // leo's own index folder: a stub naming its live generation
                    db = Xapian::Database(specs.front().target);
                    lexicon_db = db;
                    has_lexicon = true;
                } else if (stub) {
                    open_shards(std::move(specs), lexicon_path);
                } else {
                    db = Xapian::Database(config.database.string());
                    lexicon_db = db;
                    has_lexicon = true;
                }
                detail::check_index_format(db, config.database, language);
                normalisation = detail::read_length_norm(db).value_or(normalisation);
                return;
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt == max_reopens) {
                    detail::rethrow_xapian(config.database, "open");
                }
            } catch (const Xapian::DatabaseCorruptError&) {
                if (attempt == max_reopens) {
                    detail::rethrow_xapian(config.database, "open");
                }
            } catch (const Xapian::Error&) {
                if (!moved()) {
                    detail::rethrow_xapian(config.database, "open");
                }
            } catch (const IndexError&) {
                if (!moved()) {
                    throw;
                }
            }
        }
    }

    // The stub's text, or "" for an index without one: what a reopen compares.
    [[nodiscard]] std::string read_stub_text() const {
        auto stub = detail::stub_file(config.database);
        return stub ? detail::read_text(*stub) : std::string();
    }

    // Moves to the index's newest revision: the same databases reopened, or, when the stub now
    // names others, those opened afresh.
    void reopen() {
        if (read_stub_text() != stub_text) {
            open();
            parser.set_database(has_lexicon ? lexicon_db : db);
            return;
        }
        db.reopen(); // a new lexicon comes with a new stub, opened afresh above
    }

    std::string stub_text;

    // Searcher::words_starting's reading of the spelling table (defined below it).
    [[nodiscard]] std::vector<std::string> words_starting(std::string_view word, std::size_t limit);

    // Each shard is opened alone, so one that cannot be reached is named, and left out when the
    // user allows partial answers.
    void open_shards(const std::filesystem::path& stub) {
        detail::vet_stub(stub, config.database, config.allow_program_shards);
        std::optional<std::filesystem::path> lexicon_path;
        auto specs = detail::read_stub(stub, lexicon_path);
        open_shards(std::move(specs), lexicon_path);
    }

    void open_shards(std::vector<detail::ShardSpec> specs,
                     const std::optional<std::filesystem::path>& lexicon_path) {
        shard_specs = std::move(specs);
        db = Xapian::Database();
        shards_failed.clear();
        bool any_remote = false;
        std::size_t opened = 0;
        for (const auto& spec : shard_specs) {
            any_remote = any_remote || spec.type == "remote";
            try {
                auto shard = detail::open_shard(spec);
                (void)shard.get_doccount(); // a dead server answers here, not later
                db.add_database(shard);
                ++opened;
            } catch (const Xapian::Error& e) {
                if (!config.allow_partial_shards) {
                    const char* why = e.get_error_string();
                    throw IndexError("cannot open shard '" + spec.line + "' of index '" +
                                     config.database.string() + "': " + e.get_msg() +
                                     (why ? std::string(" (") + why + ")" : std::string()) +
                                     " (use --allow-partial to answer from the other shards)");
                }
                shards_failed.push_back(spec.line);
            }
        }
        if (opened == 0) {
            throw IndexError("cannot open index '" + config.database.string() +
                             "': no shard could be opened");
        }
        has_lexicon = false;
        if (lexicon_path) {
            lexicon_db = Xapian::Database(lexicon_path->string());
            has_lexicon = true;
        } else if (!any_remote) {
            lexicon_db = db;
            has_lexicon = true;
        }
    }

    [[nodiscard]] unsigned flags(bool spelling) const {
        unsigned f = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                     Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT |
                     Xapian::QueryParser::FLAG_WILDCARD;
        if (config.ranking.mode == "leo") {
            if (config.ranking.synonyms) {
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
    Xapian::Query parse(const std::string& folded, const std::string& prefix,
                        bool spelling = false) {
        try {
            return parser.parse_query(folded, flags(spelling), prefix);
        } catch (const Xapian::QueryParserError&) {
            return parser.parse_query(folded, 0, prefix);
        }
    }

    struct WeightedTerm {
        std::vector<std::string> forms; // the term, then its synonyms
        double weight = 1.0;
        bool cue = false; // an intent cue ("causes", "how many")
    };

    // How a natural query chooses its candidates, tried in this order until enough are found:
    // by the selective words (common words and cues only add to the scores), else by questions
    // holding every one of the query's words, by questions holding any, by any text.
    enum class Choose { selective_or_all_questions, any_question, anything };

    struct Plan {
        Xapian::Query query;
        Xapian::Query combined;   // the fields together, before filters
        Xapian::Query all_fields; // the unprefixed part alone, for --explain
        Xapian::Query question;
        Xapian::Query title;
        // The words whose question and title fields the second stage scores (the common ones).
        std::vector<WeightedTerm> field_terms;
        // Common words of the collection: left out of the match and scored in the second stage
        // for the candidates the other words chose, from the pairs' rank records.
        std::vector<WeightedTerm> common_terms;
        // The query's every word is common: the matcher chose candidates by their questions,
        // and weighed the question field of those words itself.
        bool matched_questions = false;
        // ... and every candidate holds all of them (one list, or an AND of lists).
        bool same_words = false;
        std::vector<std::string> terms; // query's content terms, in order
        std::optional<std::string> intent;
        std::string corrected;
    };

    // A query with no syntax (no quotes, brackets, operators, `+`/`-` before a word or
    // `prefix:`) is natural language: leo builds it term by term, so each word can carry its
    // own weight. Anything else goes through Xapian's QueryParser.
    static bool is_natural(const std::string& text) {
        static constexpr std::string_view operators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
        char previous = ' ';
        std::string word;
        for (char c : text + " ") {
            if (c == '"' || c == '(' || c == ')' || c == '*' || c == '~') {
                return false;
            }
            if ((c == '-' || c == '+') && (previous == ' ' || previous == '\t')) {
                return false;
            }
            if (c == ':' && std::find(query_prefixes.begin(), query_prefixes.end(), word) !=
                                query_prefixes.end()) {
                return false;
            }
            if (std::isalnum(static_cast<unsigned char>(c))) {
                word.push_back(c);
            } else {
                if (std::find(std::begin(operators), std::end(operators), word) !=
                    std::end(operators)) {
                    return false;
                }
                word.clear();
            }
            previous = c;
        }
        return true;
    }

    // A query with syntax characters that reads as a question (see query_form.hpp) is natural
    // too, unless it names a field: `tag:` and `title:` are never punctuation.
    bool natural(const std::string& text) {
        if (is_natural(text)) {
            return true;
        }
        for (const auto& prefix : query_prefixes) {
            if (text.find(prefix + ":") != std::string::npos) {
                return false;
            }
        }
        return detail::reads_as_text(
            text, [&](std::string_view word) { return stopper(analyzer.fold_phrase(word)); });
    }

    // The natural query's content terms: stop words and chatter dropped (unless nothing else is
    // left), repeated words once, words the index has never seen replaced by a spelling
    // suggestion, and intent cue words ("symptoms", "how many") weighed down, since the intent
    // feature already rewards the pairs that answer that kind of question.
    std::vector<WeightedTerm> natural_terms(const std::string& text, std::string& corrected) {
        const bool leo_mode = config.ranking.mode == "leo";
        auto words = analyzer.words(text);
        bool all_stop = leo_mode && config.ranking.query_weighting &&
                        std::all_of(words.begin(), words.end(),
                                    [&](const detail::Word& w) { return stopper(w.folded); });
        std::vector<WeightedTerm> out;
        std::vector<std::string> seen;
        const auto stemmers = detail::page_stemmers(db);
        bool changed = false;
        std::string rewritten;
        for (const auto& word : words) {
            std::string folded = word.folded;
            if (leo_mode && config.ranking.query_weighting && !all_stop && stopper(folded)) {
                rewritten += (rewritten.empty() ? "" : " ") + folded;
                continue;
            }
            std::string term = analyzer.term(folded);
            if (leo_mode && config.ranking.spelling && has_lexicon && db.get_termfreq(term) == 0 &&
                lexicon_db.synonyms_begin(term) == lexicon_db.synonyms_end(term) &&
                !detail::held_by_page_stem(db, analyzer, folded, stemmers)) {
                const auto typed = std::string_view(text).substr(word.begin, word.end - word.begin);
                if (auto suggestion = speller->correction(typed, folded, lexicon_db)) {
                    rewritten += (rewritten.empty() ? "" : " ") + *suggestion;
                    changed = true;
                    if (apply_corrections) {
                        folded = *suggestion;
                        term = analyzer.term(folded);
                    }
                } else {
                    rewritten += (rewritten.empty() ? "" : " ") + folded;
                }
            } else {
                rewritten += (rewritten.empty() ? "" : " ") + folded;
            }
            if (std::find(seen.begin(), seen.end(), term) != seen.end()) {
                continue;
            }
            seen.push_back(term);
            WeightedTerm wt;
            wt.forms.push_back(term);
            detail::add_page_stems(analyzer, folded, stemmers, wt.forms);
            if (leo_mode && config.ranking.synonyms && has_lexicon) {
                for (auto syn = lexicon_db.synonyms_begin(term);
                     syn != lexicon_db.synonyms_end(term); ++syn) {
                    wt.forms.push_back(*syn);
                }
            }
            if (leo_mode && config.ranking.intent && lexicon->is_query_cue_term(term)) {
                wt.weight = config.ranking.cue_weight;
                wt.cue = true;
            }
            out.push_back(std::move(wt));
        }
        if (changed) {
            corrected = rewritten;
        }
        return out;
    }

    static Xapian::Query field_query(const std::vector<WeightedTerm>& terms,
                                     std::string_view prefix,
                                     Xapian::Query::op op = Xapian::Query::OP_OR) {
        std::vector<Xapian::Query> parts;
        for (const auto& t : terms) {
            std::vector<Xapian::Query> forms;
            for (const auto& f : t.forms) {
                forms.emplace_back(std::string(prefix) + f);
            }
            Xapian::Query q = forms.size() == 1 ? forms.front()
                                                : Xapian::Query(Xapian::Query::OP_SYNONYM,
                                                                forms.begin(), forms.end());
            parts.push_back(
                t.weight == 1.0 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, t.weight));
        }
        return Xapian::Query(op, parts.begin(), parts.end());
    }

    // The number of pairs holding a term or any of its synonyms, as Xapian estimates an
    // OP_SYNONYM's: at least that of its most frequent form.
    Xapian::doccount pairs_holding(const WeightedTerm& t, std::string_view prefix = {}) const {
        Xapian::doccount df = 0;
        for (const auto& form : t.forms) {
            df = std::max(df, db.get_termfreq(std::string(prefix) + form));
        }
        return df;
    }

    // Walking a posting list costs in proportion to its length, and the words on most pairs
    // are the longest lists and the weakest evidence (BM25 gives them almost no weight).
    // An intent cue is likewise not walked when it is that frequent: the intent feature already
    // rewards the pairs whose question offers what it asks for, and the topic words choose them.
    bool is_common(const WeightedTerm& t) const {
        const double share = config.ranking.common_word_share;
        if (share <= 0 || share >= 1) {
            return false;
        }
        const auto df = pairs_holding(t);
        if (df < static_cast<Xapian::doccount>(std::max(config.ranking.common_word_min_pairs, 0))) {
            return false;
        }
        return t.cue || static_cast<double>(df) > share * static_cast<double>(db.get_doccount()) ||
               (config.ranking.common_word_max_pairs > 0 &&
                df > static_cast<Xapian::doccount>(config.ranking.common_word_max_pairs));
    }

    Plan plan(const std::string& text, const std::vector<std::string>& tags,
              Choose choose = Choose::selective_or_all_questions) {
        const bool split_common = choose != Choose::anything;
        Plan p;
        const bool leo_mode = config.ranking.mode == "leo";
        if (leo_mode && natural(text)) {
            auto terms = natural_terms(text, p.corrected);
            if (config.ranking.long_queries) {
                std::vector<double> idf;
                idf.reserve(terms.size());
                const double n = std::max<double>(db.get_doccount(), 1);
                for (const auto& t : terms) {
                    idf.push_back(std::log((n + 1) / (pairs_holding(t) + 0.5)));
                }
                const auto weights = detail::long_query_weights(idf);
                for (std::size_t i = 0; i < terms.size(); ++i) {
                    terms[i].weight *= weights[i];
                }
            }
            std::vector<WeightedTerm> selective;
            for (auto& t : terms) {
                (split_common && is_common(t) ? p.common_terms : selective).push_back(t);
            }
            const bool fields = config.ranking.fields;
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
                p.question = field_query(p.common_terms, schema::question_prefix,
                                         choose == Choose::selective_or_all_questions
                                             ? Xapian::Query::OP_AND
                                             : Xapian::Query::OP_OR);
                p.matched_questions = true;
                p.same_words =
                    choose == Choose::selective_or_all_questions || p.common_terms.size() == 1;
            }
            if (!p.question.empty()) {
                matcher.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, p.question,
                                     config.ranking.question_weight);
            }
            if (!p.title.empty()) {
                matcher.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, p.title,
                                     config.ranking.title_weight);
            }
            Xapian::Query combined(Xapian::Query::OP_OR, matcher.begin(), matcher.end());
            if (fields) {
                p.field_terms = p.common_terms;
            }
            const bool as_corrected = !p.corrected.empty() && apply_corrections;
            for (const auto& word : analyzer.words(as_corrected ? p.corrected : text)) {
                p.terms.push_back(analyzer.term(word.folded));
            }
            if (config.ranking.intent) {
                p.intent = lexicon->query_intent(p.terms);
            }
            p.combined = combined;
            p.query = finish(combined, tags, true);
            return p;
        }
        auto folded = analyzer.fold_query(text, query_prefixes);
        // Spelling suggestions cost a scan of the spelling table per word: ask only when a
        // word is unknown to the index.
        const auto unknown =
            leo_mode && config.ranking.spelling ? unknown_words(text) : std::set<std::string>{};
        p.all_fields = parse(folded, "", !unknown.empty());
        p.corrected =
            unknown.empty()
                ? std::string()
                : keep_corrections_of(folded, parser.get_corrected_query_string(), unknown);
        Xapian::Query combined = p.all_fields;
        if (leo_mode && config.ranking.fields) {
            // The question and answer text decide what matches (so NOT and AND mean what they
            // say); question and title only add weight.
            p.question = parse(folded, std::string(schema::question_prefix));
            p.title = parse(folded, std::string(schema::title_prefix));
            const Xapian::Query boosts[] = {Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                          p.question,
                                                          config.ranking.question_weight),
                                            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, p.title,
                                                          config.ranking.title_weight)};
            combined = Xapian::Query(
                Xapian::Query::OP_AND_MAYBE, combined,
                Xapian::Query(Xapian::Query::OP_OR, std::begin(boosts), std::end(boosts)));
        }
        for (const auto& word : analyzer.words(text)) {
            const auto& term = analyzer.term(word.folded);
            p.terms.push_back(term);
        }
        if (leo_mode && config.ranking.intent) {
            p.intent = lexicon->query_intent(p.terms);
        }
        p.combined = combined;
        p.query = finish(combined, tags);
        return p;
    }

    // Empty answers are never answers (pairs of an empty answer hold no words, so only a query
    // of filters alone can reach them); tags filter without weighing.
    Xapian::Query finish(const Xapian::Query& combined, const std::vector<std::string>& tags,
                         bool words_only = false) {
        Xapian::Query query =
            words_only ? combined
                       : Xapian::Query(Xapian::Query::OP_AND_NOT, combined,
                                       Xapian::Query(std::string(schema::empty_answer_term)));
        if (!tags.empty()) {
            std::vector<Xapian::Query> filters;
            for (const auto& tag : tags) {
                auto t = analyzer.fold_phrase(tag);
                std::replace(t.begin(), t.end(), ' ', '-');
                filters.emplace_back(schema::bounded_term(schema::tag_prefix, t));
            }
            query =
                Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
        }
        return query;
    }

    // Pseudo-relevance feedback: the words that best tell the top answers from the rest (Xapian's
    // expand set) are added to the query at a reduced weight, reaching answers that use other
    // words for the same thing.
    Xapian::Query expand(const Plan& p, Xapian::Enquire& e, const Xapian::MSet& mset,
                         const std::vector<std::string>& tags) {
        Xapian::RSet rset;
        int taken = 0;
        for (auto it = mset.begin(); it != mset.end() && taken < config.ranking.feedback_docs;
             ++it, ++taken) {
            rset.add_document(*it);
        }
        struct Decider : Xapian::ExpandDecider {
            const Impl* self;
            const std::vector<std::string>* query_terms;
            bool operator()(const std::string& term) const override {
                return !term.empty() && !has_prefix(term) && !(term[0] >= '0' && term[0] <= '9') &&
                       !self->stopper(term) &&
                       std::find(query_terms->begin(), query_terms->end(), term) ==
                           query_terms->end();
            }
        } decider;
        decider.self = this;
        decider.query_terms = &p.terms;
        auto eset = e.get_eset(static_cast<Xapian::termcount>(config.ranking.feedback_terms), rset,
                               &decider);
        if (eset.empty()) {
            return p.query;
        }
        std::vector<Xapian::Query> words;
        for (auto t = eset.begin(); t != eset.end(); ++t) {
            words.emplace_back(*t);
        }
        Xapian::Query extra(Xapian::Query::OP_OR, words.begin(), words.end());
        return finish(Xapian::Query(Xapian::Query::OP_OR, p.combined,
                                    Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, extra,
                                                  config.ranking.feedback_weight)),
                      tags);
    }

    // The content words of a query with syntax that are neither in the index nor words of the
    // language: the sign of a typo. A field name before `:`, the value of a filter (`tag:howto`),
    // an operator (`NEAR`), a window's size (`NEAR/3`), a wildcard's stem (`leop*`) and the words
    // of a quoted phrase, which the user typed exactly as meant, are not corrected.
    std::set<std::string> unknown_words(const std::string& text) {
        static constexpr std::string_view operators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
        std::set<std::string> unknown;
        std::size_t filter_end = 0; // a filter's value runs to the next space
        for (const auto& word : analyzer.words(text)) {
            if (word.begin < filter_end) {
                continue;
            }
            const auto raw = std::string_view(text).substr(word.begin, word.end - word.begin);
            const auto before = std::string_view(text).substr(0, word.begin);
            const bool quoted = std::count(before.begin(), before.end(), '"') % 2 == 1;
            if (std::find(std::begin(operators), std::end(operators), raw) != std::end(operators) ||
                (word.begin > 0 && text[word.begin - 1] == '/') || quoted ||
                (word.end < text.size() && text[word.end] == '*')) {
                continue;
            }
            const bool names_field = word.end < text.size() && text[word.end] == ':' &&
                                     std::find(query_prefixes.begin(), query_prefixes.end(),
                                               word.folded) != query_prefixes.end();
            if (names_field) {
                if (word.folded != "question" && word.folded != "title") {
                    filter_end = std::min(text.find_first_of(" \t\n", word.end), text.size());
                }
                continue;
            }
            if (!stopper(word.folded) && db.get_termfreq(analyzer.term(word.folded)) == 0 &&
                !speller->is_word(raw, word.folded)) {
                unknown.insert(word.folded);
            }
        }
        return unknown;
    }

    // Xapian's corrected query, with only the unknown words changed: it "corrects" any word that
    // a more frequent one is close to, and leo indexes stems, so good words would change too.
    std::string keep_corrections_of(const std::string& folded, const std::string& corrected,
                                    const std::set<std::string>& unknown) {
        const auto before = analyzer.words(folded);
        const auto after = analyzer.words(corrected);
        if (before.size() != after.size()) {
            return {};
        }
        std::string out;
        std::size_t copied = 0;
        bool changed = false;
        for (std::size_t i = 0; i < before.size(); ++i) {
            if (unknown.count(before[i].folded) && after[i].folded != before[i].folded) {
                out += folded.substr(copied, before[i].begin - copied);
                out += after[i].folded;
                copied = before[i].end;
                changed = true;
            }
        }
        return changed ? out + folded.substr(copied) : std::string();
    }

    // BM25 over the impacts the indexer wrote (bm25.hpp): b = 0 in the matcher, so that it looks
    // up no document lengths, and k1 on the impacts' scale; `bm25` mode is the same formula with
    // Xapian's default k1 of 1, over the question and answer text alone.
    Xapian::Enquire enquire(const Xapian::Query& query) const {
        Xapian::Enquire e(db);
        set_query(e, query);
        e.set_weighting_scheme(detail::bm25::weighting(k1()));
        return e;
    }

    [[nodiscard]] double k1() const {
        return config.ranking.mode == "leo" ? config.ranking.bm25_k1 : 1.0;
    }

    // Every query the matcher runs is scaled back from the impacts' scale to BM25's own.
    void set_query(Xapian::Enquire& e, const Xapian::Query& query) const {
        e.set_query(
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, detail::bm25::weight_scale(k1())));
    }

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
        const double n = static_cast<double>(db.get_doccount());
        const auto tf = static_cast<double>(pairs_holding(t, prefix));
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

    // The matcher's top `depth`, chosen the same way whatever the docids and however the index
    // is sharded. Of pairs of equal weight Xapian keeps the lowest docids, and the docids of one
    // index and of its shards differ; nor are equal weights always equal to the last bit, as each
    // shard adds a pair's parts in its own order. So when the weights at the cut are within
    // rounding of each other, every pair that close is fetched and the cut falls by the pairs'
    // tie keys (shorter pairs first, as BM25's length normalisation would rank them).
    struct Candidates {
        Xapian::MSet mset;
        std::vector<Xapian::doccount> chosen; // positions in mset, best first
        Xapian::doccount matches = 0;         // the matcher's estimate of all matching pairs
    };

    // `by_tie_key` orders equal weights by tie key from the first walk, for queries whose every
    // candidate holds the same words (one list, or an AND): weights then differ only by the
    // words' impacts, thousands tie at the cut, and a second walk would double the query's
    // cost. Elsewhere ties are rare and sorting every candidate by key costs more than it saves.
    static Candidates candidates(Xapian::Enquire& e, std::size_t depth, bool by_tie_key) {
        constexpr double rounding = 1e-9;
        // A few more than asked for: a tie that ends among them is taken whole, which costs a
        // few more candidates instead of a second match.
        constexpr std::size_t slack = 8;
        if (by_tie_key) {
            e.set_sort_by_relevance_then_value(schema::tie_slot, false);
        }
        Candidates c{e.get_mset(0, static_cast<Xapian::doccount>(depth + slack)), {}, 0};
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
        const auto limit = static_cast<Xapian::doccount>(4 * depth + 16);
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

    Results run(const Query& request) {
        Results results;
        apply_corrections = request.correct;
        std::string text(cut_utf8(request.text, max_query_bytes));
        results.query = request.text;
        auto p = plan(text, request.tags);
        if (p.query.empty() || (p.all_fields.empty() && p.question.empty())) {
            return results;
        }
        const bool leo_mode = config.ranking.mode == "leo";
        // Xapian suggests a spelling for any word that is not itself a term, and leo indexes
        // stems, so a suggestion counts only when a word's term is unknown to the index.
        if (!p.corrected.empty() && !apply_corrections) {
            results.corrected_query = p.corrected; // reported; the hits are for the text as typed
        } else if (!p.corrected.empty() && natural(text)) {
            results.corrected_query = p.corrected;
            results.used_correction = true;
        } else if (!p.corrected.empty()) {
            auto corrected = plan(p.corrected, request.tags);
            if (!corrected.query.empty()) {
                results.corrected_query = p.corrected;
                p = std::move(corrected);
                results.used_correction = true;
            }
        }

        auto e = enquire(p.query);
        // Bounded, so a window of 2^64-1 answers neither wraps nor asks Xapian for billions.
        const std::size_t offset = std::min(request.offset, max_offset);
        const std::size_t wanted = offset + std::min(request.limit, max_limit);
        const std::size_t depth =
            leo_mode ? std::max<std::size_t>(wanted,
                                             static_cast<std::size_t>(config.ranking.rerank_depth))
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
            p = plan(results.used_correction ? corrected : text, request.tags, wider);
            p.corrected = corrected;
            set_query(e, p.query);
            found = candidates(e, depth, p.same_words);
        }
        if (leo_mode && config.ranking.feedback && found.chosen.size() >= 3) {
            p.query = expand(p, e, found.mset, request.tags);
            set_query(e, p.query);
            found = candidates(e, depth, false);
        }
        // The index keeps no positions, so Xapian matched the query's phrases and windows as
        // ANDs: a deeper pool is checked against the pairs' stored text, and what holds them kept.
        std::vector<std::optional<detail::StoredPair>> stored;
        if (detail::needs_positions(p.query)) {
            found = candidates(e, std::max<std::size_t>(4 * depth, 200), false);
            found.mset.fetch();
            std::vector<Xapian::docid> dids;
            std::vector<detail::StoredPair> pairs;
            for (auto i : found.chosen) {
                dids.push_back(*found.mset[i]);
                pairs.push_back(
                    detail::decode(detail::split_record(
                                       found.mset[i].get_document().get_value(schema::record_slot))
                                       .stored));
            }
            const auto holds = detail::check_positions(p.query, db, dids, pairs, analyzer);
            std::vector<Xapian::doccount> kept;
            for (std::size_t k = 0; k < holds.size() && kept.size() < depth; ++k) {
                if (holds[k]) {
                    kept.push_back(found.chosen[k]);
                    stored.emplace_back(std::move(pairs[k]));
                }
            }
            const auto held = static_cast<double>(std::count(holds.begin(), holds.end(), true));
            found.matches = holds.empty()
                                ? 0
                                : static_cast<Xapian::doccount>(std::lround(
                                      found.matches * held / static_cast<double>(holds.size())));
            found.chosen = std::move(kept);
        }
        const auto& mset = found.mset;
        const std::size_t count = found.chosen.size();
        stored.resize(count);
        auto candidate = [&](std::size_t i) { return mset[found.chosen[i]]; };
        results.total = found.matches;
        for (const auto& t : p.common_terms) { // every pair holding one matches the query too
            results.total = std::max<std::size_t>(results.total, pairs_holding(t));
        }
        results.shards_failed = shards_failed;

        // Content terms of the query, for proximity and highlighting, without prefixes.
        std::vector<std::string> content_terms;
        for (const auto& term : p.terms) {
            if (!stopper(term) &&
                std::find(content_terms.begin(), content_terms.end(), term) ==
                    content_terms.end() &&
                (db.get_termfreq(term) > 0 || (has_lexicon && lexicon_db.synonyms_begin(term) !=
                                                                  lexicon_db.synonyms_end(term)))) {
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
        const double n = static_cast<double>(db.get_doccount());
        std::vector<std::vector<std::string>> alternatives;
        for (const auto& term : content_terms) {
            std::vector<std::string> forms{term};
            if (config.ranking.synonyms && has_lexicon) {
                for (auto syn = lexicon_db.synonyms_begin(term);
                     syn != lexicon_db.synonyms_end(term); ++syn) {
                    forms.push_back(*syn);
                }
            }
            Xapian::doccount df = 0;
            for (const auto& f : forms) {
                df = std::max(df, db.get_termfreq(f));
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
                    normalisation, std::strtod(std::string(record.length).c_str(), nullptr));
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
            auto doc = db.get_document(did);
            auto id = doc.termlist_begin();
            id.skip_to(std::string(schema::id_prefix));
            auto e = enquire(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(*id)));
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
            auto tl = db.termlist_begin(did);
            tl.skip_to(*t);
            if (tl != db.termlist_end(did) && *tl == *t) {
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
            auto stub = detail::stub_file(impl_->config.database);
            if (shards_reopened || !stub || !impl_->config.allow_partial_shards) {
                throw IndexError("cannot search index '" + impl_->config.database.string() +
                                 "': a shard stopped answering (" + e.get_msg() + ")" +
                                 (stub && !impl_->config.allow_partial_shards
                                      ? "; use --allow-partial to answer from the other shards"
                                      : ""));
            }
            shards_reopened = true;
            try {
                impl_->open_shards(*stub);
                impl_->parser.set_database(impl_->has_lexicon ? impl_->lexicon_db : impl_->db);
            } catch (const Xapian::Error&) {
                detail::rethrow_xapian(impl_->config.database, "reopen");
            }
        } catch (const Xapian::DatabaseModifiedError&) {
            // A writer committed past our snapshot: move to the new one and ask again.
            if (++reopens > max_reopens) {
                throw IndexError("cannot search index '" + impl_->config.database.string() +
                                 "': it changed " + std::to_string(max_reopens) +
                                 " times while being read; try again");
            }
            reopen();
        } catch (const Xapian::DatabaseCorruptError&) {
            // Glass's view of a block a writer reused under this reader; real damage stays.
            if (++reopens > max_reopens) {
                detail::rethrow_xapian(impl_->config.database, "search");
            }
            reopen();
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(impl_->config.database, "search");
        } catch (...) {
            detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "search");
        }
    }
}

void Searcher::reopen() {
    try {
        impl_->reopen();
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "reopen");
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
                detail::rethrow_xapian(impl_->config.database, "read");
            }
        } catch (const Xapian::DatabaseCorruptError&) {
            if (reopens >= max_reopens) {
                detail::rethrow_xapian(impl_->config.database, "read");
            }
        } catch (...) {
            detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "read");
        }
        reopen();
    }
}

std::vector<std::string> Searcher::Impl::words_starting(std::string_view word, std::size_t limit) {
    auto folded = analyzer.fold_phrase(word);
    if (folded.empty() || folded.find(' ') != std::string::npos || !has_lexicon) {
        return {};
    }
    // The spelling table holds every indexed word, folded, with its frequency, in byte
    // order: the words with a prefix are one run of it. A short prefix of a large index
    // has a long run, so only its first part is read.
    constexpr std::size_t max_scanned = 20'000;
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    auto it = lexicon_db.spellings_begin();
    it.skip_to(folded);
    for (std::size_t scanned = 0;
         it != lexicon_db.spellings_end() && scanned < max_scanned && (*it).starts_with(folded);
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
        std::istringstream lines(impl_->stub_text);
        for (std::string line; generation.empty() && std::getline(lines, line);) {
            if (!line.empty() && line.front() != '#') {
                generation = line.substr(line.rfind(' ') + 1);
            }
        }
        if (!impl_->shard_specs.empty() || impl_->db.size() != 1) {
            return generation + ":" + std::to_string(impl_->db.get_doccount());
        }
        return (generation.empty() ? "" : generation + ":") +
               std::to_string(impl_->db.get_revision());
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "read");
    }
}

std::size_t Searcher::pair_count() const {
    try {
        return impl_->db.get_doccount(); // a remote shard answers over the network
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "read");
    }
}

} // namespace leo
