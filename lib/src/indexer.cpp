// Indexer: walks a folder, parses and analyses changed pages on worker threads, and writes
// them from one thread in atomic batches.

#include "document_builder.hpp"
#include "index_format.hpp"
#include "schema.hpp"
#include "xapian_error.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio> // renameat2, RENAME_EXCHANGE (glibc)
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
    static std::optional<FileState> decode(const std::string& text) {
        std::istringstream in(text);
        FileState state;
        in >> state.mtime_ns >> state.size >> state.content_hash;
        if (!in) {
            return std::nullopt;
        }
        in.get();
        std::getline(in, state.path);
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
    std::ifstream in(path, std::ios::binary);
    std::string line;
    char c = 0;
    while (line.size() < 8 && in.get(c) && c != '\n') {
        line.push_back(c);
    }
    return line;
}

} // namespace

namespace {

// leo's own writer lock, a file beside the index folder (`<index>.lock`), held for the whole
// life of an Indexer. Xapian's lock lives inside the folder, and a first build briefly releases
// it while it swaps the merged index into place; a second leo-index waiting on Xapian's lock
// could slip in there. The file also says who holds it, which Xapian's lock does not.
class WriterLock {
public:
    WriterLock(const fs::path& database, bool wait) : database_(database) {
        auto folder = database.has_filename() ? database : database.parent_path();
        path_ = folder.parent_path() / (folder.filename().string() + ".lock");
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            throw IndexError("cannot lock index '" + database.string() + "': cannot create '" +
                             path_.string() + "': " + std::strerror(errno));
        }
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            if (!wait) {
                auto who = holder();
                ::close(fd_);
                throw LockError("cannot open index '" + database.string() +
                                "': locked by another leo-index" + who +
                                "; use --wait to wait for it");
            }
            while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
            }
        }
        auto pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
            // Only informative: the lock itself is held.
        }
    }
    ~WriterLock() {
        if (::ftruncate(fd_, 0) != 0) {
            // The pid stays behind; the next writer overwrites it.
        }
        ::close(fd_); // releases the lock
    }
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

private:
    std::string holder() const {
        char buffer[32] = {};
        auto n = ::pread(fd_, buffer, sizeof buffer - 1, 0);
        long pid = n > 0 ? std::strtol(buffer, nullptr, 10) : 0;
        return pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string();
    }

    fs::path database_;
    fs::path path_;
    int fd_ = -1;
};

} // namespace

namespace {

// Puts the database folder `fresh` at `target` and removes what was there. One atomic
// exchange, so a kill at any instant leaves a whole index at `target` (old or new), never a gap
// between two renames. Falls back to the two renames where the filesystem cannot exchange.
void swap_into_place(const fs::path& fresh, const fs::path& target) {
    std::error_code ec;
    if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        fs::remove_all(fresh, ec); // now the old index
        return;
    }
    auto old = target;
    old += ".old";
    fs::remove_all(old, ec);
    fs::rename(target, old);
    fs::rename(fresh, target);
    fs::remove_all(old, ec);
}

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

struct Indexer::Impl {
    Config config;
    std::unique_ptr<WriterLock> writer_lock; // declared before db: released after db is closed
    Xapian::WritableDatabase db;
    detail::Analyzer analyzer;
    detail::IntentLexicon lexicon;
    std::string language;
    // BM25's length normalisation of the index; measured when its first pages are indexed.
    std::optional<detail::bm25::Normalisation> normalisation;

    Impl(const Config& c, bool wait)
        : config(c), analyzer(c.language), lexicon(effective_intents(c), analyzer),
          language(c.language) {
        int flags = Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS;
        if (wait) {
            flags |= Xapian::DB_RETRY_LOCK;
        }
        std::error_code ec;
        if (fs::exists(config.database, ec) && !fs::is_directory(config.database, ec)) {
            throw IndexError(
                "cannot open index '" + config.database.string() +
                "': it is a file, not an index folder; remove it or choose another --db");
        }
        fs::create_directories(config.database, ec);
        writer_lock = std::make_unique<WriterLock>(config.database, wait);
        bound_writer_memory();
        try {
            open(flags);
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

    void open(int flags) {
        try {
            db = Xapian::WritableDatabase(config.database.string(), flags);
        } catch (const Xapian::Error&) {
            // leo's own lock is held: Xapian's, if taken, is some other program's.
            detail::rethrow_xapian(config.database, "open", "another program writing to it");
        }
        try {
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
        std::sort(files.begin(), files.end());
        if (files.size() > sample_pages) {
            files.resize(sample_pages);
        }
        std::vector<Page> pages;
        for (const auto& [relative, absolute] : files) {
            std::ifstream in(absolute, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            try {
                pages.push_back(parse_page(text.str(), relative, config.parse));
            } catch (const std::exception&) {
                // A broken page is reported when it is indexed; it just does not count here.
            }
        }
        measure_length_norm(pages);
    }

    void measure_length_norm(const std::vector<Page>& pages) {
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
        if (pairs > 0) { // else nothing to measure yet: the next run with pages will
            use_length_norm(
                {config.ranking.bm25_b, std::max(1.0, words / static_cast<double>(pairs))});
        }
    }

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
        } catch (const Xapian::Error& e) {
            failures[part] = e.get_description();
        } catch (const std::exception& e) {
            failures[part] = e.what();
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
            throw IndexError("cannot build index '" + config.database.string() + "': " + failure);
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

    // Merge: the parts and the (empty, stamped) index itself, for its metadata and synonyms.
    auto merged = config.database;
    merged += ".merge";
    auto old = config.database;
    old += ".old";
    std::error_code ec;
    fs::remove_all(merged, ec);
    fs::remove_all(old, ec);
    try {
        db.commit();
        Xapian::Database sources(config.database.string());
        for (const auto& path : part_paths) {
            sources.add_database(Xapian::Database(path.string()));
        }
        sources.compact(merged.string());
        sources.close();
        // Swap the merged index in. Xapian's lock is released for the swap only (leo's own
        // writer lock is held throughout); a reader that opens in between sees the empty index
        // it would have seen before.
        db.close();
        swap_into_place(merged, config.database);
        db = Xapian::WritableDatabase(config.database.string(),
                                      Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::Error&) {
        discard();
        detail::rethrow_xapian(config.database, "merge");
    }
    discard();
    report.indexed += indexed;
    report.skipped += skipped;
    report.pairs += pairs;
    report.total_pairs = db.get_doccount();
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
        impl_->db.commit();
        auto target = impl_->config.database;
        auto temporary = target;
        temporary += ".compact";
        std::error_code ec;
        fs::remove_all(temporary, ec);
        impl_->db.compact(temporary.string(), Xapian::DBCOMPACT_NO_RENUMBER);
        // Swap in the compacted copy; the writer is reopened on it so the lock stays ours.
        impl_->db.close();
        swap_into_place(temporary, target);
        impl_->db =
            Xapian::WritableDatabase(target.string(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::Error&) {
        detail::rethrow_xapian(impl_->config.database, "compact");
    }
}

IndexReport Indexer::index_directory(const fs::path& root, const IndexOptions& options) {
    auto& impl = *impl_;
    IndexReport report;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        throw IndexError("cannot index '" + root.string() + "': not a folder");
    }
    auto database = fs::weakly_canonical(impl.config.database, ec);

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
    auto walker =
        fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        throw IndexError("cannot index '" + root.string() + "': " + ec.message());
    }
    for (auto it = fs::begin(walker); it != fs::end(walker); it.increment(ec)) {
        if (options.strict && report.failed > 0) {
            break; // the first bad page ends a strict run
        }
        if (ec) {
            report_problem({root, 0, 0, "cannot walk: " + ec.message()});
            ec.clear();
            break;
        }
        const auto& entry = *it;
        auto name = entry.path().filename().string();
        std::error_code entry_ec;
        if (entry.is_directory(entry_ec)) {
            if ((!name.empty() && name[0] == '.') ||
                fs::equivalent(entry.path(), database, entry_ec)) {
                it.disable_recursion_pending();
            }
            continue;
        }
        // Lexical: fs::relative resolves links, and a link loop would leave the name empty.
        auto relative = entry.path().lexically_relative(root).generic_string();
        struct stat info {};
        if (::stat(entry.path().c_str(), &info) != 0) {
            int err = errno;
            if (entry.is_symlink(entry_ec) || err == ELOOP) {
                if (entry.path().extension() == ".md" || entry.path().extension() == ".markdown") {
                    report_problem(
                        {relative, 0, 0, std::string("cannot read: ") + std::strerror(err)});
                    seen.insert(relative);
                }
            }
            continue;
        }
        if (!S_ISREG(info.st_mode) || (!name.empty() && name[0] == '.')) {
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
        if (!markdown && !unchanged && !is_page_file(entry.path(), read_first_line(entry.path()))) {
            continue;
        }
        if (!impl.normalisation && !excluded(relative, impl.config.exclude) &&
            static_cast<std::size_t>(info.st_size) <= impl.config.max_page_bytes) {
            length_sample.emplace_back(relative, entry.path()); // before the shard is chosen
        }
        if (options.shard_count > 1 &&
            shard_of(relative, options.shard_count) != options.shard_index) {
            continue; // another shard's page; not `seen`, so a page that moved shard leaves this
                      // one
        }
        if (excluded(relative, impl.config.exclude)) {
            ++report.skipped;
            continue;
        }
        ++report.pages_seen;
        seen.insert(relative);
        if (static_cast<std::size_t>(info.st_size) > impl.config.max_page_bytes) {
            report_problem(
                {relative, 0, 0,
                 fmt::format(
                     "page is {:.1f} MB, over the limit of {:.1f} MB (max_page_mb in leo.toml)",
                     static_cast<double>(info.st_size) / (1 << 20),
                     static_cast<double>(impl.config.max_page_bytes) / (1 << 20))});
            continue;
        }
        if (unchanged) {
            ++report.unchanged;
            continue;
        }
        changed.push_back(
            Candidate{entry.path(), relative, mtime_ns, static_cast<std::int64_t>(info.st_size)});
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
    // Spelling counts go with the page to the writer thread, or, where one thread prepares and
    // writes (the parallel first build), stay in its builder until that thread writes them.
    auto prepare = [&](detail::DocumentBuilder& builder, const Candidate& file,
                       bool builder_counts_spelling) {
        PreparedPage page;
        page.file = file;
        std::ifstream in(file.absolute, std::ios::binary);
        std::string text;
        if (in) {
            std::ostringstream buffer;
            buffer << in.rdbuf();
            text = std::move(buffer).str();
        }
        if (!in) {
            page.problem = PageProblem{file.relative, 0, 0,
                                       std::string("cannot read: ") + std::strerror(errno)};
            return page;
        }
        page.content_hash = detail::schema::hex(detail::schema::fnv1a(text));
        auto old = known.find(file.relative);
        page.was_indexed = old != known.end();
        if (old != known.end() && old->second.content_hash == page.content_hash) {
            page.same_content = true; // touched, not changed
            return page;
        }
        try {
            auto parsed = parse_page(text, file.relative, impl.config.parse);
            if (parsed.front_matter.draft && !impl.config.index_drafts) {
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
        // 3. Files that are gone take their pairs with them.
        begin();
        for (const auto& [relative, state] : known) {
            if (!seen.count(relative)) {
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
