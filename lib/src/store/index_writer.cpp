// The writable side of an index folder: lock, open, stamp, synonyms, and the swaps of a new
// generation into place.

#include "store/index_writer.hpp"

#include "format/index_format.hpp"
#include "format/schema.hpp"
#include "text/analyzer.hpp"

#include <cstdlib>
#include <leo/error.hpp>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace leo::detail {

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

// What a re-weighting rebuild needs to go back to the live generation.
struct IndexWriter::Fresh {
    fs::path live;
    Xapian::WritableDatabase live_db;
    fs::path folder;
    bool opened = false;
};

IndexWriter::IndexWriter(const Config& config, Analyzer& analyzer, bool wait)
    : config_(config), analyzer_(analyzer), folder_(config.database) {
    folder_.create();
    writer_lock_ = std::make_unique<FolderLock>(config_.database, wait);
    folder_.claim();
    folder_.remove_leftovers();
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
            message = message.substr(0, hint) + "; move the folder '" + config_.database.string() +
                      "' aside and run leo-index again to build a new index";
        }
        throw IndexError(message);
    }
}

IndexWriter::~IndexWriter() = default;

IndexWriter::Tidy::~Tidy() {
    if (!writer.writer_lock_) {
        return;
    }
    if (writer.generation_.empty()) {
        writer.folder_.remove_leftovers();
        return;
    }
    std::error_code ignored;
    fs::remove(writer.generation_ / "v.tmp", ignored);
    // What the stub names: this writer holds the lock and wrote it last.
    writer.folder_.remove_leftovers({writer.generation_.filename().string()},
                                    /*keep_is_all=*/true);
}

void IndexWriter::open(bool wait) {
    auto live = folder_.live_generation();
    const bool created = !live;
    generation_ = live ? *live : folder_.next_generation();
    try {
        int flags = (created ? Xapian::DB_CREATE : Xapian::DB_OPEN) | Xapian::DB_BACKEND_GLASS;
        if (wait) {
            flags |= Xapian::DB_RETRY_LOCK;
        }
        db_ = Xapian::WritableDatabase(generation_.string(), flags);
    } catch (const Xapian::Error&) {
        // leo's own lock is held: Xapian's, if taken, is some other program's.
        rethrow_xapian(config_.database, "open", "another program writing to it");
    }
    try {
        if (created) {
            stamp();
            write_synonyms();
            db_.commit();
            folder_.publish(generation_); // readers see an empty index from now on
            return;
        }
        if (db_.get_doccount() == 0 && db_.get_metadata(std::string(schema::format_key)).empty()) {
            stamp();
        } else {
            std::string existing;
            check_index_format(db_, config_.database, existing);
            if (existing != config_.language) {
                throw IndexError("cannot open index '" + config_.database.string() +
                                 "': built for language '" + existing + "', configured '" +
                                 config_.language +
                                 "'; delete the index folder to rebuild it in the new language");
            }
        }
        write_synonyms();
        opened_normalisation_ = read_length_norm(db_);
    } catch (const Xapian::Error&) {
        rethrow_xapian(config_.database, "open");
    }
}

void IndexWriter::stamp() {
    db_.set_metadata(std::string(schema::format_key), std::string(schema::format_version));
    db_.set_metadata(std::string(schema::analyser_key), std::string(schema::analyser_id));
    db_.set_metadata(std::string(schema::language_key), config_.language);
    record_page_settings();
}

bool IndexWriter::page_settings_changed() {
    return guarded("read", [&] {
        return db_.get_metadata(std::string(schema::page_settings_key)) !=
               page_settings_stamp(config_);
    });
}

void IndexWriter::record_page_settings() {
    db_.set_metadata(std::string(schema::page_settings_key), page_settings_stamp(config_));
}

// Synonym keys are stored both as folded words and as index terms, because Xapian's
// QueryParser looks a word up unstemmed first and then stemmed. Only what differs from the
// index is written: every run opens the index, and one with nothing to change must leave it
// as it is (the same revision), and still work on a full disk.
void IndexWriter::write_synonyms() {
    std::map<std::string, std::set<std::string>> wanted; // key -> expansions; empty: none
    for (const auto& [key, values] : effective_synonyms(config_)) {
        auto words = analyzer_.words(key);
        if (words.empty()) {
            continue;
        }
        std::string folded_key;
        std::string term_key;
        for (const auto& w : words) {
            folded_key += (folded_key.empty() ? "" : " ") + w.folded;
            term_key += (term_key.empty() ? "" : " ") + analyzer_.term(w.folded);
        }
        std::set<std::string> expansions;
        for (const auto& value : values) {
            for (const auto& w : analyzer_.words(value)) {
                expansions.insert(analyzer_.term(w.folded));
            }
        }
        for (const auto& k : std::set<std::string>{folded_key, term_key}) {
            auto& list = wanted[k] = expansions; // a later key sharing a form replaces it
            list.erase(k);
        }
    }
    // A synonym taken out of leo.toml leaves the index too.
    std::vector<std::string> stale;
    for (auto k = db_.synonym_keys_begin(); k != db_.synonym_keys_end(); ++k) {
        if (!wanted.count(*k)) {
            stale.push_back(*k);
        }
    }
    for (const auto& k : stale) {
        db_.clear_synonyms(k);
    }
    for (const auto& [k, list] : wanted) {
        std::set<std::string> stored;
        for (auto e = db_.synonyms_begin(k); e != db_.synonyms_end(k); ++e) {
            stored.insert(*e);
        }
        if (stored == list) {
            continue;
        }
        db_.clear_synonyms(k);
        for (const auto& e : list) {
            db_.add_synonym(k, e);
        }
    }
}

void IndexWriter::start_fresh_generation() {
    fresh_ = std::make_unique<Fresh>(Fresh{generation_, db_, folder_.next_generation()});
    try {
        db_ = Xapian::WritableDatabase(fresh_->folder.string(),
                                       Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        fresh_->opened = true;
        generation_ = fresh_->folder;
        stamp();
        write_synonyms();
    } catch (...) {
        abandon_fresh_generation();
        throw;
    }
}

void IndexWriter::abandon_fresh_generation() {
    if (!fresh_) {
        return;
    }
    if (fresh_->opened) {
        db_.close();
    }
    std::error_code ignored;
    if (generation_ != fresh_->live) {
        fs::remove_all(generation_, ignored); // the rebuild's merge
    }
    fs::remove_all(fresh_->folder, ignored);
    db_ = fresh_->live_db;
    generation_ = fresh_->live;
    fresh_.reset();
}

void IndexWriter::publish_fresh_generation() {
    db_.commit();
    db_.close();
    fresh_->live_db.close(); // before its files go: closing commits what it holds
    folder_.publish(generation_);
    // Published: from here on the new generation is the index, whatever fails.
    fresh_.reset();
    db_ =
        Xapian::WritableDatabase(generation_.string(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
}

void IndexWriter::reopen() {
    abandon_fresh_generation();
    try {
        db_.cancel_transaction(); // what the failed run wrote goes, not into a commit
    } catch (const Xapian::Error&) {
        // no transaction, or no database left to cancel it on
    }
    try {
        db_.close();
    } catch (const Xapian::Error&) {
        // already closed by glass
    }
    open(false);
}

void IndexWriter::merge_parts(const std::vector<fs::path>& parts) {
    auto discard = [&] {
        std::error_code ec;
        for (const auto& path : parts) {
            fs::remove_all(path, ec);
        }
    };
    auto merged = folder_.next_generation();
    try {
        db_.commit();
        Xapian::Database sources(generation_.string());
        for (const auto& path : parts) {
            sources.add_database(Xapian::Database(path.string()));
        }
        sources.compact(merged.string());
        sources.close();
        std::vector<fs::path> inputs{generation_};
        inputs.insert(inputs.end(), parts.begin(), parts.end());
        verify_copy(inputs, merged, /*renumbered=*/true);
        db_.close();
        if (!rebuilding()) {
            folder_.publish(merged);
        }
        generation_ = merged;
        db_ = Xapian::WritableDatabase(generation_.string(),
                                       Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (...) {
        discard();
        if (generation_ != merged) {
            std::error_code ignored;
            fs::remove_all(merged, ignored);
        }
        try {
            throw;
        } catch (const Xapian::Error&) {
            rethrow_xapian(config_.database, "merge");
        }
    }
}

void IndexWriter::compact() {
    auto compacted = folder_.next_generation();
    try {
        db_.commit();
        db_.compact(compacted.string(), Xapian::DBCOMPACT_NO_RENUMBER);
        verify_copy({generation_}, compacted, /*renumbered=*/false);
        // The writer moves to the compacted copy: the lock stays ours throughout.
        db_.close();
        folder_.publish(compacted);
        generation_ = compacted;
        db_ = Xapian::WritableDatabase(generation_.string(),
                                       Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (...) {
        if (generation_ != compacted) {
            std::error_code ignored;
            fs::remove_all(compacted, ignored);
        }
        try {
            throw;
        } catch (const Xapian::Error&) {
            rethrow_xapian(config_.database, "compact");
        }
    }
}

Xapian::WritableDatabase open_build_part(const fs::path& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
    return Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE_OR_OVERWRITE |
                                                       Xapian::DB_BACKEND_GLASS |
                                                       Xapian::DB_NO_SYNC);
}

} // namespace leo::detail
