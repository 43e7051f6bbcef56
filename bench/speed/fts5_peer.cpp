// The SQLite FTS5 peer: the same pairs as leo (parsed by leo::parse_page), one row per pair,
// bm25() ranking. Indexing is incremental the way leo's is (a page whose size and modification
// time are unchanged is skipped; a changed page's rows are replaced; a removed page's rows go),
// so the re-index figures compare like with like.
//
// usage: fts5_peer index PAGES_DIR DB      -> "seconds S pages N indexed M pairs P"
//        fts5_peer optimize DB             -> merges FTS5's segments and VACUUMs (cf. --compact)
//        fts5_peer query DB QUERIES.tsv [ROUNDS]
//                                          -> "median_ms M p95_ms P p99_ms Q queries N"
//                                             (a warm-up pass, then ROUNDS timed ones; 3)

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <leo/page.hpp>
#include <set>
#include <sqlite3.h>
#include <sstream>
#include <string>
#include <vector>

namespace {

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::cerr << "fts5_peer: " << what << ": " << sqlite3_errmsg(db) << '\n';
        std::exit(1);
    }
}

// A prepared statement that finalises itself.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        check(sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr), db, sql);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }
    // Steps to the end, then resets for the next bindings.
    void run() {
        int rc = SQLITE_ROW;
        while (rc == SQLITE_ROW) {
            rc = sqlite3_step(stmt_);
        }
        check(rc, db_, "step");
        sqlite3_reset(stmt_);
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// FTS5 query syntax would read user text as operators: quote each word and OR them, which is
// what leo's natural queries do too.
std::string fts_query(const std::string& text) {
    std::string out;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) {
            out += (out.empty() ? "\"" : " OR \"") + word + "\"";
            word.clear();
        }
    };
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 ||
            (static_cast<unsigned char>(c) & 0x80U) != 0) {
            word.push_back(c);
        } else {
            flush();
        }
    }
    flush();
    return out;
}

std::int64_t mtime_ns(const std::filesystem::path& file) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::filesystem::last_write_time(file).time_since_epoch())
        .count();
}

int index(const std::filesystem::path& pages, const std::string& path) {
    auto start = std::chrono::steady_clock::now();
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(
              db,
              "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
              "CREATE VIRTUAL TABLE IF NOT EXISTS pairs USING fts5(id UNINDEXED, question, answer);"
              "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
              " first INTEGER, count INTEGER);"
              "BEGIN;",
              nullptr, nullptr, nullptr),
          db, "create");
    std::size_t pages_seen = 0;
    std::size_t indexed = 0;
    std::size_t pairs = 0;
    {
        Statement insert(db, "INSERT INTO pairs(rowid, id, question, answer) VALUES (?, ?, ?, ?)");
        Statement lookup(db, "SELECT size, mtime, first, count FROM files WHERE path = ?");
        Statement remove(db, "DELETE FROM pairs WHERE rowid BETWEEN ? AND ?");
        Statement record(db, "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)");
        Statement forget(db, "DELETE FROM files WHERE path = ?");
        Statement last(db, "SELECT coalesce(max(rowid), 0) FROM pairs");
        check(sqlite3_step(last.get()), db, "max rowid");
        std::int64_t next_rowid = sqlite3_column_int64(last.get(), 0) + 1;
        sqlite3_reset(last.get());

        auto drop_rows = [&](std::int64_t first, std::int64_t count) {
            if (count > 0) {
                sqlite3_bind_int64(remove.get(), 1, first);
                sqlite3_bind_int64(remove.get(), 2, first + count - 1);
                remove.run();
            }
        };

        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(pages)) {
            if (entry.is_regular_file()) {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        std::set<std::string> seen;
        for (const auto& file : files) {
            ++pages_seen;
            const auto relative = file.lexically_relative(pages).generic_string();
            seen.insert(relative);
            const auto size = static_cast<std::int64_t>(std::filesystem::file_size(file));
            const auto mtime = mtime_ns(file);
            sqlite3_bind_text(lookup.get(), 1, relative.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(lookup.get()) == SQLITE_ROW) {
                const bool unchanged = sqlite3_column_int64(lookup.get(), 0) == size &&
                                       sqlite3_column_int64(lookup.get(), 1) == mtime;
                const auto first = sqlite3_column_int64(lookup.get(), 2);
                const auto count = sqlite3_column_int64(lookup.get(), 3);
                sqlite3_reset(lookup.get());
                if (unchanged) {
                    continue;
                }
                drop_rows(first, count);
            } else {
                sqlite3_reset(lookup.get());
            }
            std::ifstream in(file, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            auto page = leo::parse_page(text.str(), relative);
            const std::int64_t first = next_rowid;
            for (const auto& pair : page.pairs) {
                auto id = page.pair_id(pair);
                sqlite3_bind_int64(insert.get(), 1, next_rowid++);
                sqlite3_bind_text(insert.get(), 2, id.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(insert.get(), 3, pair.question.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(insert.get(), 4, pair.answer.c_str(), -1, SQLITE_STATIC);
                insert.run();
                ++pairs;
            }
            sqlite3_bind_text(record.get(), 1, relative.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(record.get(), 2, size);
            sqlite3_bind_int64(record.get(), 3, mtime);
            sqlite3_bind_int64(record.get(), 4, first);
            sqlite3_bind_int64(record.get(), 5, next_rowid - first);
            record.run();
            ++indexed;
        }
        // Pages whose files are gone.
        std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> gone;
        Statement all(db, "SELECT path, first, count FROM files");
        while (sqlite3_step(all.get()) == SQLITE_ROW) {
            std::string p(reinterpret_cast<const char*>(sqlite3_column_text(all.get(), 0)));
            if (seen.count(p) == 0) {
                gone.push_back(
                    {p, {sqlite3_column_int64(all.get(), 1), sqlite3_column_int64(all.get(), 2)}});
            }
        }
        for (const auto& [p, rows] : gone) {
            drop_rows(rows.first, rows.second);
            sqlite3_bind_text(forget.get(), 1, p.c_str(), -1, SQLITE_TRANSIENT);
            forget.run();
        }
    }
    check(sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);", nullptr, nullptr, nullptr),
          db, "commit");
    sqlite3_close(db);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "seconds " << seconds << " pages " << pages_seen << " indexed " << indexed
              << " pairs " << pairs << '\n';
    return 0;
}

int optimize(const std::string& path) {
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db,
                       "INSERT INTO pairs(pairs) VALUES('optimize'); VACUUM;"
                       "PRAGMA wal_checkpoint(TRUNCATE);",
                       nullptr, nullptr, nullptr),
          db, "optimize");
    sqlite3_close(db);
    return 0;
}

int query(const std::string& path, const std::string& queries, int rounds) {
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    std::vector<std::string> texts;
    std::ifstream in(queries);
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        texts.push_back(fts_query(tab == std::string::npos ? line : line.substr(tab + 1)));
    }
    std::vector<double> ms;
    {
        Statement select(db,
                         "SELECT id FROM pairs WHERE pairs MATCH ? ORDER BY bm25(pairs) LIMIT 10");
        auto run = [&](const std::string& q) {
            sqlite3_bind_text(select.get(), 1, q.c_str(), -1, SQLITE_STATIC);
            select.run();
        };
        for (const auto& q : texts) {
            run(q); // warm-up
        }
        for (int round = 0; round < rounds; ++round) {
            for (const auto& q : texts) {
                auto begin = std::chrono::steady_clock::now();
                run(q);
                ms.push_back(std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - begin)
                                 .count());
            }
        }
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double f) {
        return ms[static_cast<std::size_t>(f * static_cast<double>(ms.size() - 1))];
    };
    std::cout << "median_ms " << at(0.5) << " p95_ms " << at(0.95) << " p99_ms " << at(0.99)
              << " queries " << ms.size() << '\n';
    sqlite3_close(db);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 3 && args[0] == "index") {
        return index(args[1], args[2]);
    }
    if (args.size() == 2 && args[0] == "optimize") {
        return optimize(args[1]);
    }
    if ((args.size() == 3 || args.size() == 4) && args[0] == "query") {
        return query(args[1], args[2],
                     args.size() == 4 ? std::max(1, std::atoi(args[3].c_str())) : 3);
    }
    std::cerr << "usage: fts5_peer index PAGES_DIR DB | fts5_peer optimize DB | fts5_peer query DB "
                 "QUERIES.tsv [ROUNDS]\n";
    return 2;
}
