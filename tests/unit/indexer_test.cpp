#include "format/index_format.hpp"
#include "format/schema.hpp"
#include "store/document_store.hpp"
#include "support.hpp"
#include "text/analyzer.hpp"

#include <catch2/catch.hpp>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <map>
#include <set>
#include <thread>
#include <xapian.h>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

std::vector<std::string> ids(leo::Searcher& searcher, const std::string& text,
                             std::size_t limit = 50) {
    leo::Query query;
    query.text = text;
    query.limit = limit;
    std::vector<std::string> out;
    for (const auto& hit : searcher.search(query).hits) {
        out.push_back(hit.id);
    }
    return out;
}

// Bumps a file's modification time so a same-size edit within one second is still seen.
void touch_later(const std::filesystem::path& path) {
    auto t = std::filesystem::last_write_time(path);
    std::filesystem::last_write_time(path, t + std::chrono::seconds(5));
}

} // namespace

TEST_CASE("every pair becomes one Xapian document, empty answers too", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "leopards.txt", leo::test::leopard_page);
    write_file(dir / "pages" / "notes.txt", "not a page: no fence on the first line\n");
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    auto report = indexer.index_directory(dir / "pages");
    CHECK(report.indexed == 1);
    CHECK(report.pairs == 4);
    CHECK(report.total_pairs == 4);
    CHECK(Xapian::Database(config.database.string()).get_doccount() == 4);
}

// Postings carry BM25's impacts (the length normalisation is in the wdf), and the second stage
// scores common words with the same formula from the rank record's length and field words.
TEST_CASE("each pair's postings hold its BM25 impacts, its rank record the length and field words",
          "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "leopards.txt", leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    (void)indexer.index_directory(dir / "pages");
    Xapian::Database db(config.database.string());
    REQUIRE(db.get_doccount() == 4);
    auto normalisation = leo::detail::read_length_norm(db);
    REQUIRE(normalisation);
    CHECK(normalisation->b == config.ranking.bm25_b);
    leo::detail::Analyzer analyzer("en");
    double words = 0;
    int answered = 0;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        auto doc = db.get_document(*it);
        const auto value = doc.get_value(leo::detail::schema::record_slot);
        auto record = leo::detail::decode_rank_record(leo::detail::split_record(value).rank);
        auto stored = leo::detail::decode(leo::detail::split_record(value).stored);
        INFO(record.id);
        const auto length =
            analyzer.words(stored.question).size() + analyzer.words(stored.answer).size();
        CHECK(record.length == std::to_string(length));
        CHECK(record.title_terms == "save leopard");
        if (stored.answer.empty()) {
            CHECK(doc.termlist_count() < 8); // ids, page, tags: no words to be found by
            continue;
        }
        words += static_cast<double>(length);
        ++answered;
        const double norm =
            leo::detail::bm25::length_norm(*normalisation, static_cast<double>(length));
        std::map<std::string, double> counts; // each text term's occurrences
        for (const auto* text : {&stored.question, &stored.answer}) {
            for (const auto& word : analyzer.words(*text)) {
                ++counts[analyzer.term(word.folded)];
            }
        }
        for (const auto& [term, count] : counts) {
            INFO(term);
            auto t = doc.termlist_begin();
            t.skip_to(term);
            REQUIRE(t != doc.termlist_end());
            CHECK(*t == term);
            CHECK(t.get_wdf() == leo::detail::bm25::impact(count, norm));
            CHECK(t.positionlist_count() == 0); // positions come from the stored text
        }
    }
    CHECK(normalisation->pivot == Approx(words / answered)); // one page: the whole sample
    auto first = leo::detail::decode_rank_record(
        leo::detail::split_record(db.get_document(1).get_value(leo::detail::schema::record_slot))
            .rank);
    CHECK(first.question_terms == "how mani amur leopard are left in the wild");
}

// The pivot is the folder's average pair length, not that of its first pages by path: here the
// first tenth are long, the rest short, and a sample of the first pages would double the pivot.
TEST_CASE("the length normalisation samples pages spread over the whole folder", "[indexer]") {
    TempDir dir;
    const std::string long_answer = [] {
        std::string words;
        for (int w = 0; w < 100; ++w) {
            words += "word" + std::to_string(w) + " ";
        }
        return words;
    }();
    for (int i = 0; i < 200; ++i) {
        const auto n = std::to_string(1000 + i);
        write_file(dir / "pages" / ("p" + n + ".md"),
                   "## Where is " + n + "?\n\n" + (i < 20 ? long_answer : "short answer " + n) +
                       "\n");
    }
    auto config = leo::test::config_in(dir);
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    Xapian::Database db(config.database.string());
    REQUIRE(db.get_doccount() == 200);
    double words = 0;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const auto value = db.get_document(*it).get_value(leo::detail::schema::record_slot);
        words += std::stod(
            leo::detail::decode_rank_record(leo::detail::split_record(value).rank).length);
    }
    const double average = words / 200;
    auto normalisation = leo::detail::read_length_norm(db);
    REQUIRE(normalisation);
    CHECK(normalisation->pivot == Approx(average).epsilon(0.1));
}

// A first build of many pages runs one writer per core and merges them; a strict build writes
// page by page. Both must give the same terms and the same spelling table.
TEST_CASE("a parallel first build equals a page-by-page build", "[indexer]") {
    TempDir dir;
    const std::vector<std::string> words{"otter",  "heron", "willow", "marsh", "reed",
                                         "salmon", "delta", "ferry",  "quarry"};
    for (int p = 0; p < 600; ++p) {
        std::string page = "+++\ntitle = \"Page " + std::to_string(p) + "\"\n+++\n";
        for (int q = 0; q < 3; ++q) {
            page += "## Where does the " + words[(p + q) % words.size()] + " go?\n\n";
            page += "It goes by the " + words[(p * 7 + q) % words.size()] + " and word" +
                    std::to_string(p * 3 + q) + ".\n\n";
        }
        write_file(dir / "pages" / ("p" + std::to_string(p) + ".md"), page);
    }
    auto parallel = leo::test::config_in(dir);
    parallel.database = dir / "parallel";
    (void)leo::Indexer(parallel).index_directory(dir / "pages");
    auto serial = parallel;
    serial.database = dir / "serial";
    leo::IndexOptions strict;
    strict.strict = true;
    (void)leo::Indexer(serial).index_directory(dir / "pages", strict);

    Xapian::Database a(parallel.database.string()), b(serial.database.string());
    REQUIRE(a.get_doccount() == 1800);
    REQUIRE(b.get_doccount() == 1800);
    std::map<std::string, Xapian::doccount> terms_a, terms_b;
    for (auto t = a.allterms_begin(); t != a.allterms_end(); ++t) {
        terms_a[*t] = t.get_termfreq();
    }
    for (auto t = b.allterms_begin(); t != b.allterms_end(); ++t) {
        terms_b[*t] = t.get_termfreq();
    }
    CHECK(terms_a == terms_b);
    std::map<std::string, Xapian::doccount> spell_a, spell_b;
    for (auto w = a.spellings_begin(); w != a.spellings_end(); ++w) {
        spell_a[*w] = w.get_termfreq();
    }
    for (auto w = b.spellings_begin(); w != b.spellings_end(); ++w) {
        spell_b[*w] = w.get_termfreq();
    }
    CHECK(spell_a.size() > 1800); // every "wordN" is in it
    CHECK(spell_a == spell_b);
    CHECK(spell_a.at("otter") >= 300); // its every occurrence, from both writers
    CHECK(a.get_spelling_suggestion("otterr") == "otter");
}

TEST_CASE("re-indexing an unchanged folder changes nothing", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "a.md", leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    (void)indexer.index_directory(dir / "pages");
    auto again = indexer.index_directory(dir / "pages");
    CHECK(again.indexed == 0);
    CHECK(again.unchanged == 1);
    CHECK(again.removed == 0);
    touch_later(dir / "pages" / "a.md"); // touched, same bytes
    auto touched = indexer.index_directory(dir / "pages");
    CHECK(touched.indexed == 0);
    CHECK(touched.unchanged == 1);
}

// A page of another extension is recognised by its front matter, read once: unchanged since
// (same size and time), it is not opened again. The test hides its front matter behind the
// same size and time, which only a run that reads the file again would notice.
TEST_CASE("an unchanged page of another extension costs a stat, not a read", "[indexer]") {
    TempDir dir;
    const auto page = dir / "pages" / "faq.txt";
    write_file(page, leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    auto first = indexer.index_directory(dir / "pages");
    REQUIRE(first.indexed == 1);
    const auto time = std::filesystem::last_write_time(page);
    std::string text = leo::test::leopard_page;
    REQUIRE(text.substr(0, 3) == "+++");
    text.replace(0, 3, "xxx");
    write_file(page, text);
    std::filesystem::last_write_time(page, time);
    auto again = indexer.index_directory(dir / "pages");
    CHECK(again.unchanged == 1);
    CHECK(again.removed == 0);
    CHECK(again.indexed == 0);
}

TEST_CASE("edits, additions and deletions are reflected after the next run", "[indexer]") {
    TempDir dir;
    auto config = leo::test::config_in(dir);
    write_file(dir / "pages" / "a.md", "## What is a zebra?\n\nA striped horse.\n");
    write_file(dir / "pages" / "b.md", "## What is a quokka?\n\nA small wallaby.\n");
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    leo::Searcher searcher(config);
    CHECK(ids(searcher, "zebra") == std::vector<std::string>{"a.md#1"});

    write_file(dir / "pages" / "a.md",
               "## What is an okapi?\n\nA forest giraffe.\n\n## Zebra?\n\nStripes.\n");
    touch_later(dir / "pages" / "a.md");
    write_file(dir / "pages" / "c.md", "## What is a tapir?\n\nA pig-like mammal.\n");
    std::filesystem::remove(dir / "pages" / "b.md");
    leo::IndexReport report;
    {
        leo::Indexer indexer(config);
        report = indexer.index_directory(dir / "pages");
    }
    CHECK(report.indexed == 2);
    CHECK(report.removed == 1);
    searcher.reopen();
    CHECK(ids(searcher, "okapi") == std::vector<std::string>{"a.md#1"});
    CHECK(ids(searcher, "zebra") == std::vector<std::string>{"a.md#2"});
    CHECK(ids(searcher, "tapir") == std::vector<std::string>{"c.md#1"});
    CHECK(ids(searcher, "quokka").empty());
    CHECK(searcher.pair_count() == 3);
}

TEST_CASE("drafts are skipped unless asked for", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "d.md", "+++\ndraft = true\n+++\n## Secret?\n\nYes.\n");
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    auto report = indexer.index_directory(dir / "pages");
    CHECK(report.skipped == 1);
    CHECK(report.total_pairs == 0);
}

TEST_CASE("a change of which pages are published reaches unchanged pages on the next run",
          "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "f.md", "---\ndate: 2999-01-01\n---\n## Future?\n\nSoon.\n");
    write_file(dir / "pages" / "e.md", "---\nexpiryDate: 2001-01-01\n---\n## Gone?\n\nYes.\n");
    write_file(dir / "pages" / "d.md", "+++\ndraft = true\n+++\n## Draft?\n\nYes.\n");
    auto config = leo::test::config_in(dir);
    auto run = [&] { return leo::Indexer(config).index_directory(dir / "pages"); };
    auto first = run();
    CHECK(first.skipped == 3);
    CHECK(first.total_pairs == 0);
    config.index_future = true;
    auto future = run();
    CHECK(future.indexed == 1);
    CHECK(future.total_pairs == 1);
    config.index_expired = true;
    config.index_drafts = true;
    auto all = run();
    CHECK(all.indexed == 3);
    CHECK(all.total_pairs == 3);
    CHECK(run().unchanged == 3);
    config.index_future = config.index_expired = config.index_drafts = false;
    auto none = run();
    CHECK(none.skipped == 3);
    CHECK(none.total_pairs == 0);
}

TEST_CASE("a broken page is reported and every other page indexed", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "good.md", "## Fine?\n\nYes.\n");
    write_file(dir / "pages" / "bad.md", "+++\ntags = 3\n+++\n## Q?\n\nA.\n");
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    std::vector<std::string> problems;
    leo::IndexOptions options;
    options.on_problem = [&](const leo::PageProblem& p) { problems.push_back(p.message()); };
    auto report = indexer.index_directory(dir / "pages", options);
    CHECK(report.indexed == 1);
    CHECK(report.failed == 1);
    CHECK(problems ==
          std::vector<std::string>{"bad.md:2:8: front matter 'tags' must be a list of strings"});
}

TEST_CASE("strict mode stops at the first bad page and commits nothing", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "a.md", "## Fine?\n\nYes.\n");
    write_file(dir / "pages" / "b.md", "+++\nbroken\n");
    write_file(dir / "pages" / "c.md", "## Also fine?\n\nYes.\n");
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    leo::IndexOptions options;
    options.strict = true;
    auto report = indexer.index_directory(dir / "pages", options);
    CHECK(report.failed == 1);
    CHECK(report.interrupted);
    CHECK(Xapian::Database(config.database.string()).get_doccount() == 0);
}

TEST_CASE("a second writer is refused with a lock error", "[indexer]") {
    TempDir dir;
    auto config = leo::test::config_in(dir);
    leo::Indexer first(config);
    CHECK_THROWS_AS(leo::Indexer(config), leo::LockError);
}

TEST_CASE("an index of another format or language is refused with the fix", "[indexer]") {
    TempDir dir;
    auto config = leo::test::config_in(dir);
    {
        leo::Indexer indexer(config);
        indexer.commit();
    }
    {
        Xapian::WritableDatabase db(config.database.string());
        db.set_metadata("leo.format", "0");
        db.commit();
    }
    try {
        leo::Searcher searcher(config);
        FAIL("opened an old-format index");
    } catch (const leo::IndexError& e) {
        CHECK_THAT(e.what(), Catch::Contains("run leo-index to rebuild"));
        CHECK_THAT(e.what(), Catch::Contains(config.database.string()));
    }
    TempDir other;
    auto foreign = leo::test::config_in(other);
    {
        Xapian::WritableDatabase db(foreign.database.string(), Xapian::DB_CREATE);
        db.add_document(Xapian::Document());
        db.commit();
    }
    CHECK_THROWS_WITH(leo::Searcher(foreign), Catch::Contains("not a leo index"));
    CHECK_THROWS_WITH(leo::Searcher(leo::test::config_in(other) =
                                        [&] {
                                            auto c = foreign;
                                            c.database = other / "missing";
                                            return c;
                                        }()),
                      Catch::Contains("no index there"));
}

TEST_CASE("pages split across shards search like one index", "[indexer][shards]") {
    TempDir dir;
    for (int i = 0; i < 30; ++i) {
        write_file(dir / "pages" / ("p" + std::to_string(i) + ".md"),
                   "## How tall is tree " + std::to_string(i) + "?\n\nTree " + std::to_string(i) +
                       " is tall and green, " + std::to_string(i * 3) + " metres.\n");
    }
    auto one = leo::test::config_in(dir);
    {
        leo::Indexer indexer(one);
        (void)indexer.index_directory(dir / "pages");
    }
    auto three = one;
    three.database = dir / "sharded";
    auto report = leo::index_sharded(three, dir / "pages", 3);
    CHECK(report.indexed == 30);
    CHECK(std::filesystem::exists(three.database / "XAPIANDB"));
    leo::Searcher a(one), b(three);
    for (const char* q : {"tall tree", "green", "how tall is tree 7", "metres"}) {
        leo::Query query;
        query.text = q;
        auto ra = a.search(query), rb = b.search(query);
        REQUIRE(ra.hits.size() == rb.hits.size());
        for (std::size_t i = 0; i < ra.hits.size(); ++i) {
            CHECK(ra.hits[i].id == rb.hits[i].id);
            CHECK(ra.hits[i].score == Approx(rb.hits[i].score).epsilon(1e-12));
        }
    }
    CHECK(leo::shard_of("a/b.md", 1) == 0);
    CHECK(leo::shard_of("a/b.md", 7) == leo::shard_of("a/b.md", 7));
}

TEST_CASE("a stop request ends the run at a batch boundary with what was done committed",
          "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "a.md", "## Q?\n\nA.\n");
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    leo::IndexOptions options;
    options.should_stop = [] { return true; };
    auto report = indexer.index_directory(dir / "pages", options);
    // One small page is one batch: it is committed, and the run ends normally.
    CHECK(report.indexed == 1);
    CHECK(Xapian::Database(config.database.string()).get_doccount() == 1);
}

TEST_CASE("a page deleted while the run is under way is reported, the rest indexed", "[indexer]") {
    TempDir dir;
    for (int i = 0; i < 400; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "p%03d.md", i);
        write_file(dir / "pages" / name, "## Question " + std::to_string(i) + "?\n\nAnswer.\n");
    }
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    std::vector<std::string> problems;
    leo::IndexOptions options;
    bool deleted = false;
    // Workers read at most 256 pages ahead of the writer, so the last page is still unread.
    options.on_progress = [&](const leo::IndexProgress&) {
        if (!deleted) {
            deleted = std::filesystem::remove(dir / "pages" / "p399.md");
        }
    };
    options.on_problem = [&](const leo::PageProblem& p) { problems.push_back(p.message()); };
    auto report = indexer.index_directory(dir / "pages", options);
    REQUIRE(deleted);
    CHECK(problems == std::vector<std::string>{"p399.md: cannot read: No such file or directory"});
    CHECK(report.indexed == 399);
}

TEST_CASE("a truncated or empty index is named, with the fix, never garbage", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "a.md", leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    {
        leo::Indexer indexer(config);
        (void)indexer.index_directory(dir / "pages");
    }
    auto table = leo::test::live_generation(config.database) / "postlist.glass";
    std::filesystem::resize_file(table, 0);
    try {
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = "leopards";
        (void)searcher.search(query);
        FAIL("a truncated index answered");
    } catch (const leo::IndexError& e) {
        CHECK_THAT(e.what(), Catch::Contains("'" + config.database.string() + "'"));
        CHECK_THAT(e.what(), Catch::Contains("rebuild"));
    }
    TempDir empty;
    auto none = leo::test::config_in(empty);
    std::filesystem::create_directories(none.database); // a folder, no database in it
    CHECK_THROWS_AS(leo::Searcher(none), leo::IndexError);
}

// add_page and the walk share one write path, which records the file's state: a walk after
// add_page replaces the page's pairs instead of adding them a second time.
TEST_CASE("add_page then index_directory stores each pair once", "[indexer]") {
    TempDir dir;
    write_file(dir / "pages" / "leopards.txt", leo::test::leopard_page);
    auto config = leo::test::config_in(dir);
    leo::Indexer indexer(config);
    indexer.add_page(leo::parse_page(leo::test::leopard_page, "leopards.txt", config.parse));
    indexer.commit();
    REQUIRE(Xapian::Database(config.database.string()).get_doccount() == 4);
    auto report = indexer.index_directory(dir / "pages");
    CHECK(report.total_pairs == 4);
    Xapian::Database db(config.database.string());
    CHECK(db.get_doccount() == 4);
    std::set<std::string> ids;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        auto value = db.get_document(*it).get_value(leo::detail::schema::record_slot);
        ids.insert(leo::detail::decode_rank_record(leo::detail::split_record(value).rank).id);
    }
    CHECK(ids.size() == 4);
}
