// Indexer: walks a folder, parses and analyses changed pages on worker threads, and writes
// them from one thread in atomic batches.

#include "format/index_format.hpp"
#include "format/schema.hpp"
#include "indexer/document_builder.hpp"
#include "page/page_file.hpp"
#include "page/publish.hpp"
#include "store/index_folder.hpp"
#include "store/xapian_error.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <fstream>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace fs = std::filesystem;

namespace leo {

std::string PageProblem::message() const {
    std::string out = path.string();
    if (line) {
        out += ":" + std::to_string(line);
        if (column) {
            out += ":" + std::to_string(column);
        }
    }
    return out + ": " + reason;
}

namespace detail {

void check_index_format(const Xapian::Database& db, const fs::path& path,
                        std::string& language_out) {
    auto format = db.get_metadata(std::string(schema::format_key));
    if (format.empty()) {
        if (db.get_doccount() == 0) {
            throw IndexError("cannot open index '" + path.string() +
                             "': it is empty; run leo-index to build it");
        }
        throw IndexError("cannot open index '" + path.string() +
                         "': not a leo index (a Xapian database leo did not write); use another "
                         "--db, or remove it and run leo-index to build one");
    }
    if (format != schema::format_version) {
        throw IndexError("cannot open index '" + path.string() + "': index format " + format +
                         ", this leo reads format " + std::string(schema::format_version) +
                         "; run leo-index to rebuild it");
    }
    if (db.get_metadata(std::string(schema::analyser_key)) != schema::analyser_id) {
        throw IndexError("cannot open index '" + path.string() +
                         "': built with another analyser; run leo-index to rebuild it");
    }
    language_out = db.get_metadata(std::string(schema::language_key));
}

std::optional<bm25::Normalisation> read_length_norm(const Xapian::Database& db) {
    std::istringstream in(db.get_metadata(std::string(schema::length_norm_key)));
    bm25::Normalisation n;
    if (!(in >> n.b >> n.pivot) || n.pivot <= 0) {
        return std::nullopt;
    }
    return n;
}

std::string encode_length_norm(const bm25::Normalisation& normalisation) {
    return fmt::format("{} {}", normalisation.b, normalisation.pivot);
}

} // namespace detail

namespace {

using detail::schema::file_key_prefix;

// What leo remembers of a file between runs, to skip it with one stat().
struct FileState {
    std::string path;
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
    std::string content_hash;

    [[nodiscard]] std::string encode() const {
        return std::to_string(mtime_ns) + " " + std::to_string(size) + " " + content_hash + " " +
               path;
    }
    // The path is the rest of the record, byte for byte: a name may hold spaces, newlines or
    // any other byte but NUL.
    static std::optional<FileState> decode(const std::string& text) {
        std::istringstream in(text);
        FileState state;
        in >> state.mtime_ns >> state.size >> state.content_hash;
        if (!in || in.get() != ' ') {
            return std::nullopt;
        }
        auto start = static_cast<std::size_t>(in.tellg());
        state.path = text.substr(start);
        return state;
    }
};

std::string file_key(const std::string& relative) {
    return detail::schema::bounded_term(file_key_prefix, relative);
}

struct Candidate {
    fs::path absolute;
    std::string relative;
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
};

// The result of reading, parsing and analysing one page off the writer thread.
struct PreparedPage {
    Candidate file;
    std::optional<PageProblem> problem;
    bool skipped = false; // draft
    bool same_content = false;
    bool was_indexed = false; // the index holds an earlier version of this page
    std::string content_hash;
    std::vector<detail::PairDocument> documents;
    detail::SpellingCounts spelling;
};

bool excluded(const std::string& relative, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        return fnmatch(p.c_str(), relative.c_str(), 0) == 0;
    });
}

std::string read_first_line(const fs::path& path) {
    auto line = detail::read_page_start(path, 8);
    return line.substr(0, line.find('\n'));
}

} // namespace

namespace {

// Xapian buffers this many changed documents before writing them to its tables (10,000 by
// default); its only knob is this variable, read when a writer opens. Measured on 10k generated
// pages: at 2,000 a full build peaks at 103 MiB instead of 268 MiB, in the same time (1,000 is
// no smaller and no faster). Set once, before any writer or worker thread exists, and never over
// a value the user chose.
void bound_writer_memory() {
    static const bool done = [] {
        ::setenv("XAPIAN_FLUSH_THRESHOLD", "2000", /*overwrite=*/0);
        return true;
    }();
    (void)done;
}

} // namespace

// Hidden even in a shared leo: only the class around it is public API.
struct __attribute__((visibility("hidden"))) Indexer::Impl {
    Config config;
    detail::IndexFolder folder;
    // Declared before db: released after db is closed.
    std::unique_ptr<detail::FolderLock> writer_lock;
    std::filesystem::path generation; // the live generation db writes to
    // Runs after db is closed and before the lock is released, however the run ended: what a
    // failed run left (a half-made generation, build parts, glass's revision file) goes.
    struct Tidy {
        Impl& impl;
        ~Tidy() {
            if (!impl.writer_lock) {
                return;
            }
            if (impl.generation.empty()) {
                impl.folder.remove_leftovers();
                return;
            }
            std::error_code ignored;
            fs::remove(impl.generation / "v.tmp", ignored);
            // What the stub names: this writer holds the lock and wrote it last.
            impl.folder.remove_leftovers({impl.generation.filename().string()},
                                         /*keep_is_all=*/true);
        }
    } tidy{*this};
    Xapian::WritableDatabase db;
    detail::Analyzer analyzer;
    detail::IntentLexicon lexicon;
    std::string language;
    // BM25's length normalisation of the index; measured when its first pages are indexed.
    std::optional<detail::bm25::Normalisation> normalisation;

    Impl(const Config& c, bool wait)
        : config(c), folder(c.database), analyzer(c.language),
          lexicon(effective_intents(c), analyzer), language(c.language) {
        folder.create();
        writer_lock = std::make_unique<detail::FolderLock>(config.database, wait);
        folder.claim();
        folder.remove_leftovers();
        bound_writer_memory();
        try {
            open(wait);
        } catch (const LockError&) {
            throw;
        } catch (const IndexError& e) {
            // The readers' fix, "run leo-index", is no fix for leo-index itself: it will not
            // write over an index it cannot read (it may be someone else's). Only damage and
            // another format carry that hint; a disk full, a failing disk or a permission names
            // its cause and no step that loses the index, which may well be whole.
            std::string message = e.what();
            auto hint = message.rfind("; run leo-index to");
            if (hint != std::string::npos) {
                message = message.substr(0, hint) + "; move the folder '" +
                          config.database.string() +
                          "' aside and run leo-index again to build a new index";
            }
            throw IndexError(message);
        }
    }

    void open(bool wait) {
        auto live = folder.live_generation();
        const bool created = !live;
        generation = live ? *live : folder.next_generation();
        try {
            int flags = (created ? Xapian::DB_CREATE : Xapian::DB_OPEN) | Xapian::DB_BACKEND_GLASS;
            if (wait) {
                flags |= Xapian::DB_RETRY_LOCK;
            }
            db = Xapian::WritableDatabase(generation.string(), flags);
        } catch (const Xapian::Error&) {
            // leo's own lock is held: Xapian's, if taken, is some other program's.
            detail::rethrow_xapian(config.database, "open", "another program writing to it");
        }
        try {
            if (created) {
                stamp();
                write_synonyms();
                db.commit();
                folder.publish(generation); // readers see an empty index from now on
                return;
            }
            if (db.get_doccount() == 0 &&
                db.get_metadata(std::string(detail::schema::format_key)).empty()) {
                stamp();
            } else {
                std::string existing;
                detail::check_index_format(db, config.database, existing);
                if (existing != config.language) {
                    throw IndexError(
                        "cannot open index '" + config.database.string() +
                        "': built for language '" + existing + "', configured '" + config.language +
                        "'; delete the index folder to rebuild it in the new language");
                }
            }
            write_synonyms();
            normalisation = detail::read_length_norm(db);
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(config.database, "open");
        }
    }

    // An index's lengths are normalised against the average pair length of the first pages (by
    // path) of the folder it was created from: every shard of a folder, built alone or together,
    // samples the same pages, so their postings' weights agree with one index of the whole.
    static constexpr std::size_t sample_pages = 64;

    void measure_length_norm(std::vector<std::pair<std::string, fs::path>> files) {
        if (auto measured = sample_length_norm(std::move(files))) {
            use_length_norm(*measured);
        } // else nothing to measure yet: the next run with pages will
    }

    // The normalisation a clean build of these files would measure.
    std::optional<detail::bm25::Normalisation>
    sample_length_norm(std::vector<std::pair<std::string, fs::path>> files) {
        std::sort(files.begin(), files.end());
        if (files.size() > sample_pages) {
            files.resize(sample_pages);
        }
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
    IndexReport index_directory_of(const fs::path& root, const IndexOptions& options);
    void compact();
    bool rebuilding = false; // a merge is then published once the whole rebuild is complete

    void use_length_norm(const detail::bm25::Normalisation& n) {
        normalisation = n;
        db.set_metadata(std::string(detail::schema::length_norm_key),
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

    void stamp() {
        db.set_metadata(std::string(detail::schema::format_key),
                        std::string(detail::schema::format_version));
        db.set_metadata(std::string(detail::schema::analyser_key),
                        std::string(detail::schema::analyser_id));
        db.set_metadata(std::string(detail::schema::language_key), config.language);
    }

    // Synonym keys are stored both as folded words and as index terms, because Xapian's
    // QueryParser looks a word up unstemmed first and then stemmed. Only what differs from the
    // index is written: every run opens the index, and one with nothing to change must leave it
    // as it is (the same revision), and still work on a full disk.
    void write_synonyms() {
        std::map<std::string, std::set<std::string>> wanted; // key -> expansions; empty: none
        for (const auto& [key, values] : effective_synonyms(config)) {
            auto words = analyzer.words(key);
            if (words.empty()) {
                continue;
            }
            std::string folded_key;
            std::string term_key;
            for (const auto& w : words) {
                folded_key += (folded_key.empty() ? "" : " ") + w.folded;
                term_key += (term_key.empty() ? "" : " ") + analyzer.term(w.folded);
            }
            std::set<std::string> expansions;
            for (const auto& value : values) {
                for (const auto& w : analyzer.words(value)) {
                    expansions.insert(analyzer.term(w.folded));
                }
            }
            for (const auto& k : std::set<std::string>{folded_key, term_key}) {
                auto& list = wanted[k] = expansions; // a later key sharing a form replaces it
                list.erase(k);
            }
        }
        // A synonym taken out of leo.toml leaves the index too.
        std::vector<std::string> stale;
        for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
            if (!wanted.count(*k)) {
                stale.push_back(*k);
            }
        }
        for (const auto& k : stale) {
            db.clear_synonyms(k);
        }
        for (const auto& [k, list] : wanted) {
            std::set<std::string> stored;
            for (auto e = db.synonyms_begin(k); e != db.synonyms_end(k); ++e) {
                stored.insert(*e);
            }
            if (stored == list) {
                continue;
            }
            db.clear_synonyms(k);
            for (const auto& e : list) {
                db.add_synonym(k, e);
            }
        }
    }

    void write(const detail::PairDocument& doc) { db.replace_document(doc.id_term, doc.document); }

    void remove(const std::string& relative) {
        db.delete_document(detail::DocumentBuilder::page_term(relative));
    }

    void write_prepared(PreparedPage& page) {
        if (page.was_indexed) {
            // Old pairs go with the page term, so add_document needs no per-pair id lookup.
            db.delete_document(detail::DocumentBuilder::page_term(page.file.relative));
        }
        for (const auto& doc : page.documents) {
            db.add_document(doc.document);
        }
        // Spelling counts are summed over a batch and written once per word (words repeat
        // across pages far more than they are new).
        for (const auto& [word, count] : page.spelling) {
            pending_spelling[word] += count;
        }
    }

    void flush_spelling() {
        for (const auto& [word, count] : pending_spelling) {
            db.add_spelling(word, count);
        }
        pending_spelling.clear();
    }

    std::unordered_map<std::string, unsigned> pending_spelling;

    template <class Prepare>
    IndexReport build_in_parallel(const std::vector<Candidate>& files, std::size_t parts,
                                  const IndexOptions& options, IndexReport report,
                                  Prepare& prepare);
};

template <class Prepare>
IndexReport Indexer::Impl::build_in_parallel(const std::vector<Candidate>& files, std::size_t parts,
                                             const IndexOptions& options, IndexReport report,
                                             Prepare& prepare) {
    const std::size_t total = files.size();
    std::vector<fs::path> part_paths;
    for (std::size_t i = 0; i < parts; ++i) {
        part_paths.push_back(config.database / (".build-" + std::to_string(i)));
    }
    std::atomic<std::size_t> done{0}, pairs{0}, indexed{0}, skipped{0};
    std::atomic<bool> stopped{false};
    std::vector<std::vector<PageProblem>> problems(parts);
    std::vector<std::string> failures(parts);
    std::mutex mutex;
    std::condition_variable finished;
    std::size_t running = parts;
    auto build_part = [&](std::size_t part) {
        try {
            std::error_code ec;
            fs::remove_all(part_paths[part], ec);
            // No fsync: a part that a crash interrupts is thrown away and rebuilt.
            Xapian::WritableDatabase out(part_paths[part].string(), Xapian::DB_CREATE_OR_OVERWRITE |
                                                                        Xapian::DB_BACKEND_GLASS |
                                                                        Xapian::DB_NO_SYNC);
            auto builder = this->builder();
            std::size_t since_commit = 0;
            auto flush = [&] {
                out.commit();
                since_commit = 0;
            };
            auto drain_spelling = [&] {
                builder.drain_spelling([&](const std::string& word, unsigned count) {
                    out.add_spelling(word, count);
                });
            };
            for (std::size_t i = part * total / parts; i < (part + 1) * total / parts; ++i) {
                if (options.should_stop && options.should_stop()) {
                    stopped = true;
                    break;
                }
                auto page = prepare(builder, files[i], /*builder_counts_spelling=*/true);
                ++done;
                if (page.problem) {
                    problems[part].push_back(*page.problem);
                    continue;
                }
                if (page.skipped) {
                    ++skipped;
                } else {
                    for (const auto& doc : page.documents) {
                        out.add_document(doc.document);
                    }
                    ++indexed;
                    pairs += page.documents.size();
                    since_commit += page.documents.size() + 1;
                }
                FileState state{page.file.relative, page.file.mtime_ns, page.file.size,
                                page.content_hash};
                out.set_metadata(file_key(page.file.relative), state.encode());
                if (builder.vocabulary_full()) {
                    drain_spelling(); // so that the builder may forget its vocabulary
                }
                if (since_commit >= options.batch_pairs) {
                    flush(); // bounds memory; the part is only used once complete
                }
            }
            // The builder counted every word of the part: each is written once. Xapian looks up
            // each word it is given in the spelling table and rewrites the word lists of its
            // fragments, so writing a batch's words at every commit repeated that work for the
            // common words. The counts cost no memory the builder's vocabulary does not hold.
            drain_spelling();
            flush();
        } catch (...) {
            try {
                detail::rethrow_as_leo(detail::Failure::index, config.database, "build");
            } catch (const std::exception& e) {
                failures[part] = e.what(); // the whole message, cause named
            }
        }
        std::lock_guard lock(mutex);
        --running;
        finished.notify_all();
    };
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < parts; ++i) {
        threads.emplace_back(build_part, i);
    }
    {
        std::unique_lock lock(mutex);
        while (!finished.wait_for(lock, std::chrono::milliseconds(100),
                                  [&] { return running == 0; })) {
            if (options.on_progress) {
                lock.unlock();
                options.on_progress({done.load(), total, pairs.load()});
                lock.lock();
            }
        }
    }
    for (auto& t : threads) {
        t.join();
    }
    auto discard = [&] {
        std::error_code ec;
        for (const auto& path : part_paths) {
            fs::remove_all(path, ec);
        }
    };
    for (const auto& failure : failures) {
        if (!failure.empty()) {
            discard();
            throw IndexError(failure);
        }
    }
    std::vector<PageProblem> all_problems;
    for (auto& list : problems) {
        all_problems.insert(all_problems.end(), list.begin(), list.end());
    }
    std::sort(all_problems.begin(), all_problems.end(),
              [](const PageProblem& a, const PageProblem& b) { return a.path < b.path; });
    for (const auto& problem : all_problems) {
        ++report.failed;
        if (options.on_problem) {
            options.on_problem(problem);
        }
    }
    if (stopped) {
        discard(); // a first build stopped early commits nothing: the next run starts again
        report.interrupted = true;
        report.total_pairs = db.get_doccount();
        return report;
    }
    if (options.on_progress) {
        options.on_progress({total, total, pairs.load()});
    }

    // Merge: the parts and the (empty, stamped) index itself, for its metadata and synonyms,
    // into a new generation, which then replaces the empty one.
    auto merged = folder.next_generation();
    try {
        db.commit();
        Xapian::Database sources(generation.string());
        for (const auto& path : part_paths) {
            sources.add_database(Xapian::Database(path.string()));
        }
        sources.compact(merged.string());
        sources.close();
        std::vector<fs::path> inputs{generation};
        inputs.insert(inputs.end(), part_paths.begin(), part_paths.end());
        detail::verify_copy(inputs, merged, /*renumbered=*/true);
        db.close();
        if (!rebuilding) {
            folder.publish(merged);
        }
        generation = merged;
        db = Xapian::WritableDatabase(generation.string(),
                                      Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (...) {
        discard();
        if (generation != merged) {
            std::error_code ignored;
            fs::remove_all(merged, ignored);
        }
        try {
            throw;
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(config.database, "merge");
        }
    }
    discard();
    report.indexed += indexed;
    report.skipped += skipped;
    report.pairs += pairs;
    report.total_pairs = db.get_doccount();
    return report;
}

std::optional<IndexReport> Indexer::Impl::rebuild(const fs::path& root, IndexOptions options,
                                                  const detail::bm25::Normalisation& measured) {
    auto live = generation;
    auto live_normalisation = normalisation;
    auto fresh = folder.next_generation();
    Xapian::WritableDatabase live_db = db;
    bool opened_fresh = false;
    auto back_to_live = [&] {
        if (opened_fresh) {
            db.close();
        }
        std::error_code ignored;
        if (generation != live) {
            fs::remove_all(generation, ignored); // the rebuild's merge
        }
        fs::remove_all(fresh, ignored);
        db = live_db;
        generation = live;
        normalisation = live_normalisation;
        rebuilding = false;
    };
    try {
        db = Xapian::WritableDatabase(fresh.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        opened_fresh = true;
        generation = fresh;
        rebuilding = true;
        stamp();
        write_synonyms();
        use_length_norm(measured);
        db.commit();
    } catch (...) {
        back_to_live();
        throw;
    }
    IndexReport report;
    options.reweight = false;
    try {
        report = index_directory_of(root, options);
    } catch (...) {
        back_to_live();
        throw;
    }
    if (report.failed > 0 || report.interrupted) {
        back_to_live();
        return std::nullopt;
    }
    try {
        db.commit();
        db.close();
        live_db.close(); // before its files go: closing commits what it holds
        folder.publish(generation);
    } catch (...) {
        back_to_live();
        throw;
    }
    // Published: from here on the new generation is the index, whatever fails.
    rebuilding = false;
    db = Xapian::WritableDatabase(generation.string(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    report.reweighted = true;
    return report;
}

Indexer::Indexer(const Config& config, bool wait_for_lock) try
    : impl_(std::make_unique<Impl>(config, wait_for_lock)) {
} catch (...) {
    detail::rethrow_as_leo(detail::Failure::index, config.database, "open");
}
Indexer::~Indexer() = default;
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

void Indexer::add_page(const Page& page) {
    try {
        if (!impl_->normalisation) {
            impl_->measure_length_norm(std::vector<Page>{page}); // the index's first page
        }
    } catch (const Xapian::Error&) {
        detail::rethrow_xapian(impl_->config.database, "write");
    }
    auto builder = impl_->builder();
    detail::SpellingCounts spelling;
    auto docs = builder.build(page, &spelling);
    try {
        impl_->db.delete_document(detail::DocumentBuilder::page_term(page.path.generic_string()));
        for (const auto& doc : docs) {
            impl_->write(doc);
        }
        for (const auto& [word, count] : spelling) {
            impl_->db.add_spelling(word, count);
        }
    } catch (const Xapian::Error&) {
        detail::rethrow_xapian(impl_->config.database, "write");
    }
}

void Indexer::remove_page(const fs::path& relative_path) {
    try {
        impl_->db.delete_document(
            detail::DocumentBuilder::page_term(relative_path.generic_string()));
        impl_->db.set_metadata(file_key(relative_path.generic_string()), "");
    } catch (const Xapian::Error&) {
        detail::rethrow_xapian(impl_->config.database, "write");
    }
}

void Indexer::commit() {
    try {
        impl_->db.commit();
    } catch (const Xapian::Error&) {
        detail::rethrow_xapian(impl_->config.database, "commit");
    }
}

void Indexer::compact() {
    try {
        impl_->compact();
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "compact");
    }
}

void Indexer::Impl::compact() {
    auto& impl = *this;
    auto compacted = impl.folder.next_generation();
    try {
        impl.db.commit();
        impl.db.compact(compacted.string(), Xapian::DBCOMPACT_NO_RENUMBER);
        detail::verify_copy({impl.generation}, compacted, /*renumbered=*/false);
        // The writer moves to the compacted copy: the lock stays ours throughout.
        impl.db.close();
        impl.folder.publish(compacted);
        impl.generation = compacted;
        impl.db = Xapian::WritableDatabase(impl.generation.string(),
                                           Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (...) {
        if (impl.generation != compacted) {
            std::error_code ignored;
            fs::remove_all(compacted, ignored);
        }
        try {
            throw;
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(impl.config.database, "compact");
        }
    }
}

IndexReport Indexer::index_directory(const fs::path& root, const IndexOptions& options) {
    try {
        return impl_->index_directory_of(root, options);
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "write");
    }
}

IndexReport Indexer::Impl::index_directory_of(const fs::path& root, const IndexOptions& options) {
    auto& impl = *this;
    IndexReport report;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        throw IndexError("cannot index '" + root.string() + "': not a folder");
    }
    auto database = fs::weakly_canonical(impl.config.database, ec);
    // Links are resolved against the real folder, so a root that is itself a link still holds
    // the pages inside it.
    const auto real_root = fs::canonical(root, ec);
    auto leads_outside = [&](const fs::path& link) {
        std::error_code link_ec;
        auto target = fs::canonical(link, link_ec);
        if (link_ec || real_root.empty()) {
            return true; // cannot tell where it leads: do not follow it
        }
        auto inside = target.lexically_relative(real_root);
        return inside.empty() || *inside.begin() == "..";
    };

    // 1. Walk: one stat per file; unchanged files are never opened.
    std::map<std::string, FileState> known;
    try {
        for (auto it = impl.db.metadata_keys_begin(std::string(file_key_prefix));
             it != impl.db.metadata_keys_end(std::string(file_key_prefix)); ++it) {
            if (auto state = FileState::decode(impl.db.get_metadata(*it))) {
                known.emplace(state->path, *state);
            }
        }
    } catch (const Xapian::Error&) {
        detail::rethrow_xapian(impl.config.database, "read");
    }
    auto report_problem = [&](const PageProblem& problem) {
        ++report.failed;
        if (options.on_problem) {
            options.on_problem(problem);
        }
    };
    // --strict promises nothing is committed once a page is bad, and the walk itself finds some
    // (links that lead nowhere, pages over the size limit): stop there, before any write.
    auto strict_stop = [&] {
        if (options.strict && report.failed > 0) {
            report.interrupted = true;
            return true;
        }
        return false;
    };
    std::vector<Candidate> changed;
    std::set<std::string> seen;
    std::vector<std::pair<std::string, fs::path>> length_sample;
    // Folders that could not be read: the pages leo knows under them are kept, not removed.
    std::vector<std::string> unreadable;
    auto cannot_read_folder = [&](const fs::path& dir, const std::error_code& why) {
        auto relative = dir.lexically_relative(root).generic_string();
        report_problem({relative, 0, 0, "cannot read: " + why.message()});
        unreadable.push_back(relative + "/");
    };
    std::vector<fs::path> folders{root};
    std::vector<fs::directory_entry> entries;
    while (!folders.empty()) {
        if (options.strict && report.failed > 0) {
            break; // the first bad page ends a strict run
        }
        auto dir = std::move(folders.back());
        folders.pop_back();
        entries.clear();
        std::error_code walk_ec;
        fs::directory_iterator it(dir, walk_ec);
        if (walk_ec) {
            if (dir == root) {
                throw IndexError("cannot index '" + root.string() +
                                 "': " + detail::describe_errno(walk_ec.value()));
            }
            cannot_read_folder(dir, walk_ec);
            continue;
        }
        for (; it != fs::directory_iterator(); it.increment(walk_ec)) {
            if (walk_ec) {
                break;
            }
            entries.push_back(*it);
        }
        if (walk_ec) {
            cannot_read_folder(dir, walk_ec);
            continue;
        }
        for (const auto& entry : entries) {
            if (options.strict && report.failed > 0) {
                break; // the first bad page ends a strict run
            }
            auto name = entry.path().filename().string();
            std::error_code entry_ec;
            if (entry.is_directory(entry_ec)) {
                // Links to folders are not followed; hidden folders and the index itself are
                // skipped.
                if (!entry.is_symlink(entry_ec) && !(!name.empty() && name[0] == '.') &&
                    !fs::equivalent(entry.path(), database, entry_ec)) {
                    folders.push_back(entry.path());
                }
                continue;
            }
            // Lexical: fs::relative resolves links, and a link loop would leave the name empty.
            auto relative = entry.path().lexically_relative(root).generic_string();
            struct stat info {};
            if (::stat(entry.path().c_str(), &info) != 0) {
                int err = errno;
                // Gone since the folder was read: its pairs go. Anything else that cannot be read
                // (a dangling link, a link loop, no permission) keeps them, with a message.
                const bool page_like = known.count(relative) > 0 ||
                                       entry.path().extension() == ".md" ||
                                       entry.path().extension() == ".markdown";
                if (page_like && (err != ENOENT || entry.is_symlink(entry_ec))) {
                    report_problem(
                        {relative, 0, 0, std::string("cannot read: ") + std::strerror(err)});
                    seen.insert(relative);
                }
                continue;
            }
            if (!S_ISREG(info.st_mode) || (!name.empty() && name[0] == '.')) {
                continue;
            }
            // A link out of the folder would publish whatever it names (~/.ssh, /etc/passwd).
            // Not `seen`: a page that became such a link is no page of the folder, its pairs go.
            if (!impl.config.follow_links_outside && entry.is_symlink(entry_ec) &&
                leads_outside(entry.path())) {
                const auto extension = entry.path().extension();
                if (known.count(relative) > 0 || extension == ".md" || extension == ".markdown") {
                    report_problem({relative, 0, 0,
                                    "not indexed: a link to a file outside the folder "
                                    "(follow_links = \"outside\" in leo.toml allows it)"});
                }
                continue;
            }
            const std::int64_t mtime_ns =
                std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
            const auto old = known.find(relative);
            const bool unchanged = old != known.end() && old->second.mtime_ns == mtime_ns &&
                                   old->second.size == static_cast<std::int64_t>(info.st_size);
            // A file of another extension is a page if it opens with front matter; one indexed as a
            // page and unchanged since is one still, so an unchanged folder costs a stat a file.
            auto extension = entry.path().extension().string();
            bool markdown = extension == ".md" || extension == ".markdown";
            if (!markdown && !unchanged &&
                !is_page_file(entry.path(), read_first_line(entry.path()))) {
                continue;
            }
            if ((!impl.normalisation || options.reweight) &&
                !excluded(relative, impl.config.exclude) &&
                static_cast<std::size_t>(info.st_size) <= impl.config.max_page_bytes) {
                length_sample.emplace_back(relative, entry.path()); // before the shard is chosen
            }
            if (options.shard_count > 1 &&
                shard_of(relative, options.shard_count) != options.shard_index) {
                continue; // another shard's page; not `seen`, so a page that moved shard leaves
                          // this one
            }
            if (excluded(relative, impl.config.exclude)) {
                ++report.skipped;
                continue;
            }
            ++report.pages_seen;
            seen.insert(relative);
            if (static_cast<std::size_t>(info.st_size) > impl.config.max_page_bytes) {
                report_problem({relative, 0, 0,
                                detail::over_limit_message(static_cast<std::uint64_t>(info.st_size),
                                                           impl.config.max_page_bytes)});
                continue;
            }
            if (unchanged) {
                ++report.unchanged;
                continue;
            }
            changed.push_back(Candidate{entry.path(), relative, mtime_ns,
                                        static_cast<std::int64_t>(info.st_size)});
        }
    }
    if (strict_stop()) {
        try {
            report.total_pairs = impl.db.get_doccount();
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(impl.config.database, "read");
        }
        return report;
    }
    std::sort(changed.begin(), changed.end(),
              [](const Candidate& a, const Candidate& b) { return a.relative < b.relative; });
    if (options.reweight && impl.normalisation && !impl.rebuilding) {
        try {
            auto measured = impl.sample_length_norm(std::move(length_sample));
            if (measured && detail::encode_length_norm(*measured) !=
                                detail::encode_length_norm(*impl.normalisation)) {
                if (auto rebuilt = impl.rebuild(root, options, *measured)) {
                    return *rebuilt;
                }
            }
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(impl.config.database, "re-weight");
        }
        length_sample.clear();
    }
    if (!impl.normalisation && !changed.empty()) {
        try {
            impl.measure_length_norm(std::move(length_sample));
        } catch (const Xapian::Error&) {
            detail::rethrow_xapian(impl.config.database, "write");
        }
    }

    // 2. Prepare on workers, write on this thread, in file order.
    const std::size_t total = changed.size();
    const std::size_t window = 256;
    std::vector<std::optional<PreparedPage>> slots(total);
    std::mutex mutex;
    std::condition_variable ready;
    std::condition_variable room;
    std::size_t next = 0;
    std::size_t consumed = 0;
    bool stop_workers = false;
    // Hugo decides future and expired pages by the time of the build: so does this run.
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    detail::Sections sections(root, now, impl.config.index_drafts, impl.config.max_page_bytes);
    // Spelling counts go with the page to the writer thread, or, where one thread prepares and
    // writes (the parallel first build), stay in its builder until that thread writes them.
    auto prepare = [&](detail::DocumentBuilder& builder, const Candidate& file,
                       bool builder_counts_spelling) {
        PreparedPage page;
        page.file = file;
        // The walk's stat is no promise: the file may have become a FIFO or grown since.
        auto read = detail::read_page_file(file.absolute, impl.config.max_page_bytes);
        if (read.problem) {
            page.problem = PageProblem{file.relative, 0, 0, std::move(*read.problem)};
            return page;
        }
        std::string text = std::move(read.text);
        page.content_hash = detail::schema::hex(detail::schema::fnv1a(text));
        auto old = known.find(file.relative);
        page.was_indexed = old != known.end();
        if (old != known.end() && old->second.content_hash == page.content_hash) {
            page.same_content = true; // touched, not changed
            return page;
        }
        try {
            auto parsed = parse_page(text, file.relative, impl.config.parse);
            if (!sections.is_published(parsed.front_matter, file.relative)) {
                page.skipped = true;
                return page;
            }
            page.documents =
                builder.build(parsed, builder_counts_spelling ? nullptr : &page.spelling);
        } catch (const PageError& e) {
            page.problem = PageProblem{file.relative, e.line(), e.column(), e.reason()};
        } catch (const std::exception& e) {
            page.problem = PageProblem{file.relative, 0, 0, e.what()};
        }
        return page;
    };
    // A first build of many pages: one writer per core, each into a database of its own, then
    // Xapian's compaction merges them into a compact index. A single writer thread is the
    // limit otherwise (profiled: two thirds of a build's instructions are in Xapian's writer).
    const std::size_t cores = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    if (known.empty() && impl.db.get_doccount() == 0 && total >= 512 && cores > 1 &&
        !options.strict) {
        return impl.build_in_parallel(changed, cores, options, report, prepare);
    }

    auto worker = [&] {
        auto builder = impl.builder();
        while (true) {
            std::size_t mine = 0;
            {
                std::unique_lock lock(mutex);
                room.wait(lock, [&] {
                    return stop_workers || next >= total || next < consumed + window;
                });
                if (stop_workers || next >= total) {
                    return;
                }
                mine = next++;
            }
            auto page = prepare(builder, changed[mine], false);
            {
                std::lock_guard lock(mutex);
                slots[mine] = std::move(page);
            }
            ready.notify_all();
        }
    };
    std::size_t thread_count = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < std::min(thread_count, total); ++i) {
        workers.emplace_back(worker);
    }
    auto finish_workers = [&] {
        {
            std::lock_guard lock(mutex);
            stop_workers = true;
        }
        room.notify_all();
        for (auto& t : workers) {
            t.join();
        }
        workers.clear();
    };

    // Batches bound memory and make each commit atomic; strict runs commit once or never.
    const std::size_t batch_pairs = std::max<std::size_t>(options.batch_pairs, 1);
    std::size_t pairs_in_batch = 0;
    bool in_transaction = false;
    auto begin = [&] {
        if (!in_transaction) {
            impl.db.begin_transaction();
            in_transaction = true;
        }
    };
    auto commit = [&] {
        if (in_transaction) {
            impl.flush_spelling();
            impl.db.commit_transaction();
            in_transaction = false;
        }
        pairs_in_batch = 0;
    };
    try {
        for (std::size_t i = 0; i < total; ++i) {
            PreparedPage page;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] { return slots[i].has_value(); });
                page = std::move(*slots[i]);
                slots[i].reset();
                consumed = i + 1;
            }
            room.notify_all();
            begin();
            if (page.problem) {
                report_problem(*page.problem);
                if (options.strict) {
                    impl.pending_spelling.clear();
                    impl.db.cancel_transaction();
                    in_transaction = false;
                    finish_workers();
                    report.interrupted = true;
                    return report;
                }
                continue; // the old pairs of a now-broken page stay until it is fixed
            }
            FileState state{page.file.relative, page.file.mtime_ns, page.file.size,
                            page.content_hash};
            if (page.same_content) {
                ++report.unchanged;
            } else if (page.skipped) {
                ++report.skipped;
                impl.remove(page.file.relative);
            } else {
                impl.write_prepared(page);
                ++report.indexed;
                report.pairs += page.documents.size();
                pairs_in_batch += page.documents.size() + 1;
            }
            impl.db.set_metadata(file_key(page.file.relative), state.encode());
            if (options.on_progress) {
                options.on_progress({i + 1, total, report.pairs});
            }
            if (!options.strict && pairs_in_batch >= batch_pairs) {
                commit();
                if (options.should_stop && options.should_stop()) {
                    report.interrupted = true;
                    finish_workers();
                    report.total_pairs = impl.db.get_doccount();
                    return report;
                }
            }
        }
        finish_workers();
        // 3. Files that are gone take their pairs with them; those in folders that could not
        // be read are not known to be gone.
        begin();
        for (const auto& [relative, state] : known) {
            const std::string& page = relative; // a lambda may not capture a binding (C++20)
            const bool under_unreadable =
                std::any_of(unreadable.begin(), unreadable.end(),
                            [&](const std::string& prefix) { return page.rfind(prefix, 0) == 0; });
            if (!seen.count(relative) && !under_unreadable) {
                impl.remove(relative);
                impl.db.set_metadata(file_key(relative), "");
                ++report.removed;
            }
        }
        commit();
        report.total_pairs = impl.db.get_doccount();
    } catch (const Xapian::Error&) {
        finish_workers();
        detail::rethrow_xapian(impl.config.database, "write");
    } catch (...) {
        finish_workers();
        throw;
    }
    return report;
}

} // namespace leo
