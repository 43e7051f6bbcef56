// Searcher: query text → plan (query_plan.cpp) → first stage, Xapian's BM25 match
// (first_stage.cpp) → second stage, rescoring by page, coverage, proximity and intent
// (second_stage.cpp) → hits with snippets (hits.cpp), over an IndexReader (store/).

#include "search/first_stage.hpp"
#include "search/hits.hpp"
#include "search/query_plan.hpp"
#include "search/second_stage.hpp"
#include "search/spelling.hpp"
#include "store/guarded.hpp"
#include "store/index_reader.hpp"
#include "store/shards.hpp"
#include "store/xapian_error.hpp"
#include "text/analyzer.hpp"
#include "text/intent.hpp"

#include <algorithm>
#include <leo/error.hpp>
#include <leo/searcher.hpp>
#include <sstream>

namespace leo {
namespace {

// Queries longer than this are cut: nobody types more, and the cost of a query grows with it.
constexpr std::size_t max_query_bytes = 4096;

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

std::vector<std::string> described(const std::vector<detail::Compound>& compounds) {
    std::vector<std::string> out;
    out.reserve(compounds.size());
    for (const auto& c : compounds) {
        out.push_back(c.describe());
    }
    return out;
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
    detail::Rescorer rescorer{config, reader, planner, *lexicon};

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

    Results run(const Query& request) {
        Results results;
        planner.apply_corrections = request.correct;
        planner.sections = request.sections;
        std::string text(cut_utf8(request.text, max_query_bytes));
        results.query = request.text;
        auto p = planner.plan(text, request.tags);
        results.terms_used = p.used;
        results.words_dropped = p.dropped;
        results.compounds = described(p.compounds);
        if (p.query.empty() || (p.all_fields.empty() && p.question.empty())) {
            return results;
        }
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
                results.terms_used = p.used;
                results.words_dropped = p.dropped;
                results.compounds = described(p.compounds);
            }
        }

        // Bounded, so a window of 2^64-1 answers neither wraps nor asks Xapian for billions.
        const std::size_t offset = std::min(request.offset, max_offset);
        const std::size_t wanted = offset + std::min(request.limit, max_limit);
        auto found = matcher.match(p, text, request.tags, results.used_correction, wanted);
        results.total = found.matches;
        for (const auto& t : p.common_terms) { // every pair holding one matches the query too
            results.total = std::max<std::size_t>(results.total, planner.pairs_holding(t));
        }
        results.shards_failed = reader.shards_failed;

        const auto words = rescorer.query_words(p);
        detail::CandidatePairs pairs(found, words.looked_for, analyzer);
        const auto scored = rescorer.rescore(p, words, pairs);
        for (std::size_t i = offset; i < scored.size() && i < wanted; ++i) {
            const auto& s = scored[i];
            auto hit = detail::make_hit(i + 1, s, pairs, words);
            if (request.explain) {
                hit.explanation = detail::explain(p, s, *s.it, matcher, reader.db, config.ranking);
            }
            results.hits.push_back(std::move(hit));
        }
        return results;
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
    const auto& database = impl_->reader.database;
    bool shards_reopened = false;
    for (;;) {
        try {
            // A writer committed past our snapshot: guarded() moves to the new one and asks again.
            return detail::guarded(
                database, "search", [&] { return impl_->run(query); }, [&] { reopen(); });
        } catch (const detail::ShardError& e) {
            // A shard server went away mid-query: with partial answers allowed, reopen without
            // it and ask again; otherwise name the failure.
            auto stub = detail::stub_file(database);
            const bool partial = impl_->config.allow_partial_shards;
            if (shards_reopened || !stub || !partial) {
                throw IndexError(
                    e.what() +
                    std::string(stub && !partial
                                    ? "; use --allow-partial to answer from the other shards"
                                    : ""));
            }
            shards_reopened = true;
            detail::guarded(database, "reopen", [&] {
                impl_->reader.open_shards(*stub);
                impl_->planner.use_lexicon(impl_->reader.lexicon());
            });
        } catch (...) {
            detail::rethrow_as_leo(detail::Failure::index, database, "search");
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
    try {
        return detail::guarded(
            impl_->reader.database, "read", [&] { return impl_->words_starting(word, limit); },
            [&] { reopen(); });
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->reader.database, "read");
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
