#pragma once
// The indexer's insides, shared by its parts: indexer.cpp (the public Indexer, length
// normalisation, re-weighting), walk.cpp (which files changed), pipeline.cpp (prepare on
// workers, write in order) and parallel_build.cpp (a first build, one writer per core).

#include "format/file_state.hpp"
#include "format/index_format.hpp"
#include "format/schema.hpp"
#include "indexer/document_builder.hpp"
#include "page/page_file.hpp"
#include "page/publish.hpp"
#include "store/index_writer.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <leo/indexer.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leo {

namespace fs = std::filesystem;

namespace detail {

/// A file the walk found changed (or new), with what its stat() said.
struct Candidate {
    fs::path absolute;
    std::string relative;
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
};

/// Bytes of documents (estimated_bytes) written per commit, beside IndexOptions::batch_pairs:
/// Xapian buffers the postings and values of a transaction until its commit, and pairs of
/// long answers fill its buffers long before 20,000 of them. Measured: 12 pages of 7.4 MB
/// (720 pairs of 120 KB) peaked at 720 MB in one batch, 554 MB committed every 32 MB of page
/// files; ordinary pairs (about 10 KB each) commit after about 6,000.
inline constexpr std::size_t batch_bytes = 64u << 20;

/// Whether a batch holding `batch` bytes of documents commits before a page of `page` bytes
/// joins it, so that what Xapian buffers stays within batch_bytes, this page included; a page
/// larger than the bound goes in a batch of its own.
[[nodiscard]] constexpr bool commit_before_page(std::size_t batch, std::size_t page) {
    return batch > 0 && batch + page > batch_bytes;
}

/// The result of reading, parsing and analysing one page off the writer thread.
struct PreparedPage {
    Candidate file;
    std::optional<PageProblem> problem;
    std::vector<PageProblem> warnings; // what the parse cut; the page is indexed all the same
    bool skipped = false;              // draft
    bool same_content = false;
    bool was_indexed = false; // the index holds an earlier version of this page
    std::string content_hash;
    std::vector<PairDocument> documents;
    SpellingCounts spelling;

    /// About the memory the prepared page holds (its documents and spelling counts).
    [[nodiscard]] std::size_t bytes() const {
        std::size_t total = spelling.size() * 64;
        for (const auto& doc : documents) {
            total += doc.bytes;
        }
        return total;
    }

    [[nodiscard]] FileState state() const {
        return FileState{file.relative, file.mtime_ns, file.size, content_hash};
    }
};

/// What the walk found.
struct Walk {
    fs::path root;                          ///< the folder walked
    std::map<std::string, FileState> known; ///< the index's file states, by relative path
    std::vector<Candidate> changed;         ///< in file order once sorted
    std::set<std::string> seen;             ///< pages of this folder (and shard) that exist
    std::vector<std::pair<std::string, fs::path>> length_sample; ///< pages to measure lengths on
    std::vector<std::string> unreadable; ///< `folder/` prefixes whose pages are kept
};

/// Walks `root`, one stat per file. `sample_lengths`: collect the pages to measure on.
void walk_folder(const Config& config, const fs::path& root, const IndexOptions& options,
                 bool sample_lengths, IndexReport& report, Walk& walk);

/// True when `relative` matches one of the exclude patterns.
[[nodiscard]] bool excluded(const std::string& relative, const std::vector<std::string>& patterns);

/// Counts `problem` in `report` and tells `options.on_problem`.
void report_problem(IndexReport& report, const IndexOptions& options, const PageProblem& problem);

/// Reads, parses and analyses one changed page; thread-safe (it only reads what it holds).
struct PagePreparer {
    const Config& config;
    const std::map<std::string, FileState>& known;
    /// Hugo's publish rules: the page's own dates and draft flag, and its sections' cascade.
    Sections& sections;
    /// `builder_counts_spelling`: the builder keeps the spelling counts (the parallel build)
    /// instead of the page carrying them to the writer thread.
    [[nodiscard]] PreparedPage operator()(DocumentBuilder& builder, const Candidate& file,
                                          bool builder_counts_spelling) const;
};

/// The counts the threads of a parallel build share.
struct PartProgress {
    std::atomic<std::size_t> done{0}, pairs{0}, indexed{0}, skipped{0};
    std::atomic<bool> stopped{false};
};

} // namespace detail

// Hidden even in a shared leo: only the class around it is public API.
struct __attribute__((visibility("hidden"))) Indexer::Impl {
    Config config;
    detail::Analyzer analyzer;
    detail::IntentLexicon lexicon;
    std::string language;
    detail::IndexWriter writer;
    // BM25's length normalisation of the index; measured when its first pages are indexed.
    std::optional<detail::bm25::Normalisation> normalisation;

    Impl(const Config& c, bool wait)
        : config(c), analyzer(c.language), lexicon(effective_intents(c), analyzer),
          language(c.language), writer(config, analyzer, wait),
          normalisation(writer.opened_normalisation()) {}

    Xapian::WritableDatabase& db() { return writer.db(); }

    // Set when a run fails: the next one reopens the last commit first.
    bool needs_reopen = false;
    void reopen() {
        pending_spelling.clear();
        writer.reopen();
        normalisation = writer.opened_normalisation();
        needs_reopen = false;
    }

    // An index's lengths are normalised against the average pair length of a sample of pages
    // spread evenly over the folder it was created from, sorted by path: every shard of a folder,
    // built alone or together, samples the same pages, so their postings' weights agree with one
    // index of the whole. Evenly, not the first pages: a folder's first pages by path are often
    // of one kind (one section, one source) and their lengths are not the folder's.
    static constexpr std::size_t sample_pages = 64;

    // The `sample_pages` of `files` (sorted) at the middles of equal slices of the list.
    static void keep_evenly_spread(std::vector<std::pair<std::string, fs::path>>& files) {
        const std::size_t total = files.size();
        if (total <= sample_pages) {
            return;
        }
        std::vector<std::pair<std::string, fs::path>> kept;
        kept.reserve(sample_pages);
        for (std::size_t i = 0; i < sample_pages; ++i) {
            kept.push_back(std::move(files[(2 * i + 1) * total / (2 * sample_pages)]));
        }
        files = std::move(kept);
    }

    void measure_length_norm(std::vector<std::pair<std::string, fs::path>> files) {
        if (auto measured = sample_length_norm(std::move(files))) {
            use_length_norm(*measured);
        } // else nothing to measure yet: the next run with pages will
    }

    // The normalisation a clean build of these files would measure.
    std::optional<detail::bm25::Normalisation>
    sample_length_norm(std::vector<std::pair<std::string, fs::path>> files) {
        std::sort(files.begin(), files.end());
        keep_evenly_spread(files);
        std::vector<Page> pages;
        for (const auto& [relative, absolute] : files) {
            auto file = detail::read_page_file(absolute, config.max_page_bytes);
            if (file.problem) {
                continue; // reported when it is indexed
            }
            try {
                pages.push_back(parse_page(file.text, relative, config.parse));
            } catch (const std::exception&) {
                // A broken page is reported when it is indexed; it just does not count here.
            }
        }
        return length_norm_of(pages);
    }

    void measure_length_norm(const std::vector<Page>& pages) {
        if (auto measured = length_norm_of(pages)) {
            use_length_norm(*measured);
        }
    }

    std::optional<detail::bm25::Normalisation> length_norm_of(const std::vector<Page>& pages) {
        auto measure = builder();
        double words = 0;
        std::size_t pairs = 0;
        for (const auto& page : pages) {
            for (const auto& pair : page.pairs) {
                if (!pair.answer.empty()) {
                    words += static_cast<double>(measure.text_length(pair));
                    ++pairs;
                }
            }
        }
        if (pairs == 0) {
            return std::nullopt;
        }
        return detail::bm25::Normalisation{config.ranking.bm25_b,
                                           std::max(1.0, words / static_cast<double>(pairs))};
    }

    // Re-reads every page into a new generation weighted by `normalisation`, and publishes it
    // if every page could be read and the run was not stopped: the index then equals a clean
    // build. Otherwise the new generation is dropped, the live one stays, and nullopt says so.
    std::optional<IndexReport> rebuild(const fs::path& root, IndexOptions options,
                                       const detail::bm25::Normalisation& measured);

    void use_length_norm(const detail::bm25::Normalisation& n) {
        normalisation = n;
        db().set_metadata(std::string(detail::schema::length_norm_key),
                          detail::encode_length_norm(n));
    }

    [[nodiscard]] detail::DocumentBuilder builder() const {
        return detail::DocumentBuilder(
            detail::Analyzer(language), lexicon,
            normalisation.value_or(detail::bm25::Normalisation{
                config.ranking.bm25_b, detail::bm25::Normalisation{}.pivot}));
    }

    ~Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void remove(const std::string& relative) {
        db().delete_document(detail::DocumentBuilder::page_term(relative));
    }

    // The one write path of a page's pairs, the walk's and add_page's: the old pairs go, the
    // new ones are added, spelling counts wait for the batch's commit, and the file's state is
    // recorded, so that the next walk knows the page and replaces its pairs.
    void write_page(detail::PreparedPage& page) {
        if (page.was_indexed) {
            // Old pairs go with the page term, so add_document needs no per-pair id lookup.
            db().delete_document(detail::DocumentBuilder::page_term(page.file.relative));
        }
        for (auto& doc : page.documents) {
            db().add_document(doc.document);
            doc.document = {}; // freed as Xapian's buffers take it in, not after the page
        }
        // Spelling counts are summed over a batch and written once per word (words repeat
        // across pages far more than they are new).
        for (const auto& [word, count] : page.spelling) {
            pending_spelling[word] += count;
        }
        record_state(page);
    }

    void record_state(const detail::PreparedPage& page) {
        db().set_metadata(detail::file_key(page.file.relative), page.state().encode());
    }

    void flush_spelling() {
        for (const auto& [word, count] : pending_spelling) {
            db().add_spelling(word, count);
        }
        pending_spelling.clear();
    }

    std::unordered_map<std::string, unsigned> pending_spelling;

    // indexer.cpp: steps 1 to 3 of a run.
    IndexReport index_directory_of(const fs::path& root, const IndexOptions& options);
    [[nodiscard]] std::map<std::string, detail::FileState> read_file_states();
    void forget_file_states(std::map<std::string, detail::FileState>& known);
    // pipeline.cpp: pages prepared on workers, written on this thread in file order.
    IndexReport write_changed(const detail::Walk& walk, const IndexOptions& options,
                              IndexReport report);
    IndexReport remove_gone(const detail::Walk& walk, IndexReport report);
    // parallel_build.cpp: a first build, one writer per core.
    IndexReport build_in_parallel(const std::vector<detail::Candidate>& files, std::size_t parts,
                                  const IndexOptions& options, IndexReport report,
                                  const detail::PagePreparer& prepare);
    void build_part(const std::vector<detail::Candidate>& files, std::size_t first,
                    std::size_t last, const fs::path& part_path, const IndexOptions& options,
                    const detail::PagePreparer& prepare, detail::PartProgress& progress,
                    std::vector<PageProblem>& problems, std::vector<PageProblem>& warnings);
};

} // namespace leo
