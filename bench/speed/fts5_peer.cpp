// The SQLite FTS5 peer: the same pairs as leo (parsed by leo::parse_page), one row per pair,
// bm25() ranking. Prints index time and in-process query latency.
//
// usage: fts5_peer index PAGES_DIR DB      -> "seconds S pairs N"
//        fts5_peer query DB QUERIES.tsv    -> "median_ms M p95_ms P p99_ms Q queries N"

#include <leo/page.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
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

// FTS5 query syntax would read user text as operators: quote each word and OR them, which is
// what leo's natural queries do too.
std::string fts_query(const std::string& text) {
    std::string out, word;
    auto flush = [&] {
        if (!word.empty()) {
            out += (out.empty() ? "\"" : " OR \"") + word + "\"";
            word.clear();
        }
    };
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) {
            word.push_back(c);
        } else {
            flush();
        }
    }
    flush();
    return out;
}

int index(const std::filesystem::path& pages, const std::string& path) {
    auto start = std::chrono::steady_clock::now();
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                           "CREATE VIRTUAL TABLE pairs USING fts5(id UNINDEXED, question, answer);"
                           "BEGIN;", nullptr, nullptr, nullptr), db, "create");
    sqlite3_stmt* insert = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO pairs VALUES (?, ?, ?)", -1, &insert, nullptr), db, "prepare");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(pages)) {
        if (entry.is_regular_file()) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::size_t pairs = 0;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto page = leo::parse_page(text.str(), file.lexically_relative(pages));
        for (const auto& pair : page.pairs) {
            auto id = page.pair_id(pair);
            sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 2, pair.question.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 3, pair.answer.c_str(), -1, SQLITE_STATIC);
            check(sqlite3_step(insert), db, "insert");
            sqlite3_reset(insert);
            ++pairs;
        }
    }
    sqlite3_finalize(insert);
    check(sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);", nullptr, nullptr, nullptr), db, "commit");
    sqlite3_close(db);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "seconds " << seconds << " pairs " << pairs << '\n';
    return 0;
}

int query(const std::string& path, const std::string& queries) {
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    sqlite3_stmt* select = nullptr;
    check(sqlite3_prepare_v2(db, "SELECT id FROM pairs WHERE pairs MATCH ? ORDER BY bm25(pairs) LIMIT 10",
                             -1, &select, nullptr), db, "prepare");
    std::vector<std::string> texts;
    std::ifstream in(queries);
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        texts.push_back(fts_query(tab == std::string::npos ? line : line.substr(tab + 1)));
    }
    auto run = [&](const std::string& q) {
        sqlite3_bind_text(select, 1, q.c_str(), -1, SQLITE_STATIC);
        while (sqlite3_step(select) == SQLITE_ROW) {
        }
        sqlite3_reset(select);
    };
    for (const auto& q : texts) {
        run(q); // warm-up
    }
    std::vector<double> ms;
    for (int round = 0; round < 3; ++round) {
        for (const auto& q : texts) {
            auto start = std::chrono::steady_clock::now();
            run(q);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double f) { return ms[static_cast<std::size_t>(f * static_cast<double>(ms.size() - 1))]; };
    std::cout << "median_ms " << at(0.5) << " p95_ms " << at(0.95) << " p99_ms " << at(0.99) << " queries "
              << ms.size() << '\n';
    sqlite3_finalize(select);
    sqlite3_close(db);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "index") {
        return index(argv[2], argv[3]);
    }
    if (argc == 4 && std::string(argv[1]) == "query") {
        return query(argv[2], argv[3]);
    }
    std::cerr << "usage: fts5_peer index PAGES_DIR DB | fts5_peer query DB QUERIES.tsv\n";
    return 2;
}
