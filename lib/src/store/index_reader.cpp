#include "store/index_reader.hpp"

#include "format/index_format.hpp"
#include "store/index_folder.hpp"
#include "store/xapian_error.hpp"

#include <leo/error.hpp>

namespace leo::detail {

IndexReader::IndexReader(const Config& config)
    : database(config.database), allow_partial_shards(config.allow_partial_shards),
      allow_program_shards(config.allow_program_shards) {
    open();
}

void IndexReader::open() {
    std::error_code ec;
    if (!std::filesystem::exists(database, ec)) {
        throw IndexError("cannot open index '" + database.string() +
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
            auto stub = stub_file(database);
            if (stub) {
                // Xapian follows a stub's lines itself: a program line runs, a loop recurses
                // until the stack overflows. Read them first.
                vet_stub(*stub, database, allow_program_shards);
            }
            std::optional<std::filesystem::path> lexicon_path;
            auto specs = stub ? read_stub(*stub, lexicon_path) : std::vector<ShardSpec>{};
            if (specs.size() == 1 && !lexicon_path && specs.front().type != "remote") {
                // leo's own index folder: a stub naming its live generation
                db = Xapian::Database(specs.front().target);
                lexicon_db = db;
                has_lexicon = true;
            } else if (stub) {
                open_shards(std::move(specs), lexicon_path);
            } else {
                db = Xapian::Database(database.string());
                lexicon_db = db;
                has_lexicon = true;
            }
            check_index_format(db, database, language);
            normalisation = read_length_norm(db).value_or(normalisation);
            return;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == max_reopens) {
                rethrow_xapian(database, "open");
            }
        } catch (const Xapian::DatabaseCorruptError&) {
            if (attempt == max_reopens) {
                rethrow_xapian(database, "open");
            }
        } catch (const Xapian::Error&) {
            if (!moved()) {
                rethrow_xapian(database, "open");
            }
        } catch (const IndexError&) {
            if (!moved()) {
                throw;
            }
        }
    }
}

std::string IndexReader::read_stub_text() const {
    auto stub = stub_file(database);
    return stub ? read_text(*stub) : std::string();
}

bool IndexReader::reopen() {
    if (read_stub_text() != stub_text) {
        open();
        return true;
    }
    try {
        db.reopen(); // a new lexicon comes with a new stub, opened afresh above
    } catch (const Xapian::Error&) {
        // The stub was read just before a writer swapped in a new generation and removed the
        // one open here: its files are gone, and the new stub names where the index is now.
        if (read_stub_text() == stub_text) {
            throw;
        }
        open();
        return true;
    }
    return false;
}

void IndexReader::open_shards(const std::filesystem::path& stub) {
    vet_stub(stub, database, allow_program_shards);
    std::optional<std::filesystem::path> lexicon_path;
    auto specs = read_stub(stub, lexicon_path);
    open_shards(std::move(specs), lexicon_path);
}

void IndexReader::open_shards(std::vector<ShardSpec> specs,
                              const std::optional<std::filesystem::path>& lexicon_path) {
    shard_specs = std::move(specs);
    db = Xapian::Database();
    shards_failed.clear();
    bool any_remote = false;
    std::size_t opened = 0;
    for (const auto& spec : shard_specs) {
        any_remote = any_remote || spec.type == "remote";
        try {
            auto shard = open_shard(spec);
            (void)shard.get_doccount(); // a dead server answers here, not later
            db.add_database(shard);
            ++opened;
        } catch (const Xapian::Error& e) {
            if (!allow_partial_shards) {
                const char* why = e.get_error_string();
                throw IndexError("cannot open shard '" + spec.line + "' of index '" +
                                 database.string() + "': " + e.get_msg() +
                                 (why ? std::string(" (") + why + ")" : std::string()) +
                                 " (use --allow-partial to answer from the other shards)");
            }
            shards_failed.push_back(spec.line);
        }
    }
    if (opened == 0) {
        throw IndexError("cannot open index '" + database.string() + "': no shard could be opened");
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

} // namespace leo::detail
