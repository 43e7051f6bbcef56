// Sharded indexes: N Xapian databases searched as one through a stub file, plus a lexicon
// (spelling and synonyms) that the query node keeps because Xapian's remote backend does not
// serve those tables.

#include "store/shards.hpp"

#include "format/schema.hpp"
#include "store/index_folder.hpp"
#include "store/xapian_error.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace leo {

unsigned shard_of(const fs::path& relative_path, unsigned count) {
    if (count <= 1) {
        return 0;
    }
    return static_cast<unsigned>(detail::schema::fnv1a(relative_path.generic_string()) % count);
}

IndexReport index_sharded(const Config& config, const fs::path& root, unsigned count,
                          const IndexOptions& options, bool wait_for_lock) try {
    if (count == 0) {
        throw IndexError("cannot index into 0 shards");
    }
    detail::IndexFolder folder(config.database);
    folder.create();
    detail::FolderLock lock(config.database, wait_for_lock); // the stub and the lexicon
    folder.claim();
    if (!folder.holds_shards() && folder.live_generation()) {
        throw IndexError("cannot index '" + config.database.string() +
                         "' as shards: it holds an index of one shard; choose another --db");
    }
    IndexReport total;
    std::vector<fs::path> shards;
    for (unsigned i = 0; i < count; ++i) {
        Config shard_config = config;
        shard_config.database = config.database / detail::shard_name(i, count);
        shards.push_back(shard_config.database);
        IndexOptions shard_options = options;
        shard_options.shard_index = i;
        shard_options.shard_count = count;
        Indexer indexer(shard_config, wait_for_lock);
        auto report = indexer.index_directory(root, shard_options);
        total.pages_seen += report.pages_seen;
        total.indexed += report.indexed;
        total.unchanged += report.unchanged;
        total.removed += report.removed;
        total.failed += report.failed;
        total.skipped += report.skipped;
        total.pairs += report.pairs;
        total.total_pairs += report.total_pairs;
        total.interrupted = total.interrupted || report.interrupted;
        if (report.interrupted) {
            break;
        }
    }
    // A new lexicon each run, named by the stub that replaces the old one: a reader opens the
    // old stub and lexicon or the new ones, never a lexicon being written.
    auto lexicon = folder.next_generation("lexicon-g");
    try {
        detail::write_lexicon(lexicon, shards);
        detail::write_stub(folder, shards, lexicon);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(lexicon, ignored);
        throw;
    }
    // The old lexicon, shards of another count: all but what the stub just written names.
    std::vector<std::string> listed{lexicon.filename().string()};
    for (const auto& shard : shards) {
        listed.push_back(shard.filename().string());
    }
    folder.remove_leftovers(listed, /*keep_is_all=*/true);
    return total;
} catch (...) {
    detail::rethrow_as_leo(detail::Failure::index, config.database, "write");
}

namespace detail {

std::string shard_name(unsigned index, unsigned count) {
    return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

void write_lexicon(const fs::path& lexicon, const std::vector<fs::path>& shards) {
    try {
        Xapian::WritableDatabase out(lexicon.string(),
                                     Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        for (const auto& shard : shards) {
            Xapian::Database in(shard.string());
            for (auto word = in.spellings_begin(); word != in.spellings_end(); ++word) {
                out.add_spelling(*word, word.get_termfreq());
            }
            if (&shard == &shards.front()) {
                for (auto key = in.synonym_keys_begin(); key != in.synonym_keys_end(); ++key) {
                    for (auto syn = in.synonyms_begin(*key); syn != in.synonyms_end(*key); ++syn) {
                        out.add_synonym(*key, *syn);
                    }
                }
                for (auto key = in.metadata_keys_begin("leo."); key != in.metadata_keys_end("leo.");
                     ++key) {
                    out.set_metadata(*key, in.get_metadata(*key));
                }
            }
        }
        out.commit();
    } catch (const Xapian::Error&) {
        rethrow_xapian(lexicon, "write the lexicon of");
    }
}

void write_stub(IndexFolder& folder, const std::vector<fs::path>& shards, const fs::path& lexicon) {
    std::string text =
        "# leo sharded index: " + std::to_string(shards.size()) + " shards, searched as one\n";
    text += std::string(lexicon_marker) + ' ' + lexicon.filename().string() + '\n';
    for (const auto& shard : shards) {
        text += "auto " + shard.filename().string() + '\n';
    }
    folder.write_stub(text); // written beside and renamed over the old stub
}

std::optional<fs::path> stub_file(const fs::path& database) {
    std::error_code ec;
    if (fs::is_regular_file(database, ec)) {
        return database;
    }
    if (fs::is_regular_file(database / "XAPIANDB", ec)) {
        return database / "XAPIANDB";
    }
    return std::nullopt;
}

std::vector<ShardSpec> read_stub(const fs::path& stub, std::optional<fs::path>& lexicon) {
    std::istringstream in(read_text(stub));
    std::vector<ShardSpec> shards;
    std::string line;
    auto base = stub.parent_path();
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (line.rfind(lexicon_marker, 0) == 0 &&
            (line.size() == lexicon_marker.size() || line[lexicon_marker.size()] == ' ')) {
            // Found by the stub fuzzer: the marker alone once read past the end of the line.
            auto name = line.substr(std::min(line.size(), lexicon_marker.size() + 1));
            if (name.empty()) {
                throw IndexError("cannot read stub '" + stub.string() + "': line " +
                                 std::to_string(number) + ": '" + std::string(lexicon_marker) +
                                 "' names no lexicon folder");
            }
            auto path = fs::path(name);
            lexicon = path.is_absolute() ? path : base / path;
            continue;
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream words(line);
        ShardSpec spec;
        spec.line = line;
        words >> spec.type;
        std::getline(words >> std::ws, spec.target);
        if (spec.type == "remote") {
            // `remote HOST:PORT` or `remote :PROGRAM ARGS`
        } else if (spec.type == "auto" || spec.type == "glass" || spec.type == "chert") {
            fs::path path(spec.target);
            spec.target = (path.is_absolute() ? path : base / path).string();
        } else {
            throw IndexError("cannot read stub '" + stub.string() + "': line " +
                             std::to_string(number) + ": unknown database type '" + spec.type +
                             "'");
        }
        shards.push_back(std::move(spec));
    }
    return shards;
}

namespace {

// leo's own stubs nest two deep (an index folder's stub names a shard folder, whose stub names
// its live generation); a little room above that for hand-made stubs.
constexpr int max_stub_depth = 4;

void vet_stub_at(const fs::path& stub, const fs::path& database, bool allow_programs,
                 std::vector<fs::path>& chain) {
    auto fail = [&](const std::string& why) {
        throw IndexError("cannot open index '" + database.string() + "': " + why);
    };
    std::error_code ec;
    auto real = fs::weakly_canonical(stub, ec);
    if (ec) {
        real = stub;
    }
    if (std::find(chain.begin(), chain.end(), real) != chain.end()) {
        fail("its stub '" + stub.string() + "' names itself, directly or through another stub");
    }
    if (static_cast<int>(chain.size()) >= max_stub_depth) {
        fail("its stubs are nested more than " + std::to_string(max_stub_depth) + " deep, at '" +
             stub.string() + "'");
    }
    chain.push_back(real);
    std::optional<fs::path> lexicon;
    auto specs = read_stub(stub, lexicon);
    auto follow = [&](const fs::path& target) {
        if (auto nested = stub_file(target)) {
            vet_stub_at(*nested, database, allow_programs, chain);
        }
    };
    for (const auto& spec : specs) {
        if (spec.type == "remote" && !spec.target.empty() && spec.target[0] == ':' &&
            !allow_programs) {
            fail("its stub runs a program ('" + spec.line +
                 "'); pass --allow-program-shards to allow it");
        }
        // glass and chert lines open one database directly; only `auto` reads a stub.
        if (spec.type == "auto") {
            follow(spec.target);
        }
    }
    if (lexicon) {
        follow(*lexicon); // opened as `auto` too
    }
    chain.pop_back();
}

} // namespace

void vet_stub(const fs::path& stub, const fs::path& database, bool allow_programs) {
    std::vector<fs::path> chain;
    vet_stub_at(stub, database, allow_programs, chain);
}

Xapian::Database open_shard(const ShardSpec& spec) {
    if (spec.type != "remote") {
        return Xapian::Database(spec.target);
    }
    if (!spec.target.empty() && spec.target[0] == ':') {
        auto command = spec.target.substr(1);
        auto space = command.find(' ');
        return Xapian::Remote::open(command.substr(0, space),
                                    space == std::string::npos ? "" : command.substr(space + 1));
    }
    auto colon = spec.target.rfind(':');
    if (colon == std::string::npos) {
        throw IndexError("cannot open shard '" + spec.line + "': expected remote HOST:PORT");
    }
    // Parsed by hand: std::stoul throws std::invalid_argument, and accepts "12abc" and "-1".
    auto digits = std::string_view(spec.target).substr(colon + 1);
    unsigned port = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        port == 0 || port > 65535) {
        throw IndexError("cannot open shard '" + spec.line + "': '" + std::string(digits) +
                         "' is not a port number (expected remote HOST:PORT)");
    }
    // A dead host must fail fast: 2 s to connect, 10 s for any one request.
    return Xapian::Remote::open(spec.target.substr(0, colon), port, 10000, 2000);
}

} // namespace detail
} // namespace leo
