#include "search/copies.hpp"
#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <string>

using leo::detail::CopyFacts;
using leo::detail::is_version_folder;
using leo::detail::jaccard;
using leo::detail::newer_copy;
using leo::detail::path_version;
using leo::detail::versionless_path;

TEST_CASE("version-looking folders are numbers with dots, dates and the newest's names",
          "[copies]") {
    struct Case {
        const char* folder;
        bool version;
    };
    const Case cases[] = {
        {"v1.2", true},
        {"1.4", true},
        {"V2", true},
        {"10", true},
        {"1.x", true},
        {"2023-05", true},
        {"2023-05-01", true},
        {"latest", true},
        {"Stable", true},
        {"current", true},
        {"docs", false},
        {"v", false},
        {"1.", false},
        {"1..2", false},
        {"2-edge", false},
        {"v1.2beta", false},
        {"2023-05-01-02", false},
        {"", false},
        {"x", false},
        {"version1", false},
    };
    for (const auto& c : cases) {
        INFO(c.folder);
        CHECK(is_version_folder(c.folder) == c.version);
    }
}

TEST_CASE("versions compare number by number, not as text", "[copies]") {
    CHECK(path_version("docs/v10.0/x.md") > path_version("docs/v2.0/x.md"));
    CHECK(path_version("docs/v2.0/x.md") > path_version("docs/v1.0/x.md"));
    CHECK(path_version("docs/1.2/x.md") == path_version("docs/v1.2.0/x.md"));
    CHECK(path_version("docs/1.10/x.md") > path_version("docs/1.9/x.md"));
    CHECK(path_version("docs/1.x/x.md") > path_version("docs/1.9/x.md"));
    CHECK(path_version("docs/1.x/x.md") < path_version("docs/2.0/x.md"));
    CHECK(path_version("news/2023-05/x.md") > path_version("news/2022-12/x.md"));
    CHECK(path_version("docs/v99999999999999999999999/x.md") > path_version("docs/v1/x.md"));
}

TEST_CASE("latest, stable, current and no version at all count as newest", "[copies]") {
    CHECK(path_version("docs/latest/x.md") > path_version("docs/v10.0/x.md"));
    CHECK(path_version("docs/x.md") > path_version("docs/v10.0/x.md"));
    CHECK(path_version("docs/x.md") == path_version("docs/latest/x.md"));
    CHECK(path_version("docs/1.2.md") == path_version("docs/x.md")); // a file name is no version
}

TEST_CASE("a path without its version folders names the page in every version", "[copies]") {
    CHECK(versionless_path("docs/v1.0/x.md") == "docs/x.md");
    CHECK(versionless_path("docs/v10.0/x.md") == "docs/x.md");
    CHECK(versionless_path("en/docs/latest/guide/x.md") == "en/docs/guide/x.md");
    CHECK(versionless_path("x.md") == "x.md");
    CHECK(versionless_path("release/1.2.md") == "release/1.2.md");
    CHECK(versionless_path("docs/v1.0/x.md") != versionless_path("docs/v1.0/y.md"));
}

TEST_CASE("jaccard is the share of words two sets have in common", "[copies]") {
    CHECK(jaccard({}, {}) == 1.0);
    CHECK(jaccard({"a", "b"}, {"a", "b"}) == 1.0);
    CHECK(jaccard({"a", "b"}, {"c"}) == 0.0);
    CHECK(jaccard({"a", "b", "c", "d"}, {"a", "b", "c", "e"}) == Approx(3.0 / 5.0));
}

TEST_CASE("the newer copy is the higher version, else the later date, else neither", "[copies]") {
    CHECK(newer_copy(CopyFacts{"docs/v10.0/x.md", ""}, CopyFacts{"docs/v2.0/x.md", "2030-01-01"}));
    CHECK_FALSE(
        newer_copy(CopyFacts{"docs/v2.0/x.md", "2030-01-01"}, CopyFacts{"docs/v10.0/x.md", ""}));
    CHECK(newer_copy(CopyFacts{"a.md", "2024-02-01T00:00:00"},
                     CopyFacts{"b.md", "2023-12-31T00:00:00"}));
    CHECK(newer_copy(CopyFacts{"a.md", "2020-01-01"}, CopyFacts{"b.md", ""}));
    CHECK_FALSE(newer_copy(CopyFacts{"a.md", ""}, CopyFacts{"b.md", ""}));
    CHECK_FALSE(newer_copy(CopyFacts{"a.md", "2020-01-01"}, CopyFacts{"b.md", "2020-01-01"}));
}

namespace {

// The same question on the same page of three versions, answers differing by the version.
leo::Results versioned_site_search(leo::test::TempDir& dir, const std::string& text,
                                   bool collapse = true) {
    for (const char* version : {"v1.0", "v2.0", "v10.0"}) {
        leo::test::write_file(dir / "pages" / "docs" / version / "x.md",
                              std::string("## How do I install the widget?\n\nRun the installer "
                                          "and restart the widget service before first use, ") +
                                  version + ".\n");
    }
    leo::test::write_file(dir / "pages" / "docs" / "v1.0" / "y.md",
                          "## How do I install the widget?\n\nAsk your administrator for a "
                          "licence key, then run the installer from the shared drive.\n");
    leo::test::write_file(dir / "pages" / "docs" / "v2.0" / "y.md",
                          "## How do I install the widget?\n\nDownload it from the store; the "
                          "widget installs itself on first start.\n");
    auto config = leo::test::config_in(dir);
    config.ranking.collapse = collapse;
    (void)leo::Indexer(config).index_directory(dir / "pages");
    leo::Searcher searcher(config);
    leo::Query query;
    query.text = text;
    query.explain = true;
    return searcher.search(query);
}

} // namespace

TEST_CASE("one question on one page of several versions is one hit showing the newest",
          "[copies][searcher]") {
    leo::test::TempDir dir;
    auto results = versioned_site_search(dir, "install widget");
    REQUIRE(results.hits.size() == 3);
    auto x = std::find_if(results.hits.begin(), results.hits.end(),
                          [](const leo::Hit& h) { return h.path.ends_with("/x.md"); });
    REQUIRE(x != results.hits.end());
    const auto& hit = *x;
    CHECK(hit.id == "docs/v10.0/x.md#1");
    CHECK(hit.answer.find("v10.0") != std::string::npos);
    CHECK(hit.duplicates == 2);
    REQUIRE(hit.copies.size() == 2);
    CHECK(hit.copies[0].id == "docs/v2.0/x.md#1");
    CHECK(hit.copies[1].id == "docs/v1.0/x.md#1");
    CHECK(hit.copies[1].path == "docs/v1.0/x.md");
    // Ranked by the best-scored copy (the versions tie, and ties go to the smaller pair id),
    // which --explain names.
    auto part = std::find_if(hit.explanation.begin(), hit.explanation.end(),
                             [](const leo::ScorePart& p) { return p.feature == "copies"; });
    REQUIRE(part != hit.explanation.end());
    CHECK(part->detail.find("docs/v1.0/x.md#1") != std::string::npos);
    CHECK(part->value == 0.0);
    // Another page's answer to the same question is no copy, nor is another version's answer
    // that says something else.
    for (const auto& other : results.hits) {
        if (&other != &hit) {
            CHECK(other.path.ends_with("/y.md"));
            CHECK(other.copies.empty());
        }
    }
}

TEST_CASE("without collapse every version is a hit of its own", "[copies][searcher]") {
    leo::test::TempDir dir;
    auto results = versioned_site_search(dir, "install widget", false);
    CHECK(results.hits.size() == 5);
    for (const auto& hit : results.hits) {
        CHECK(hit.copies.empty());
    }
}

TEST_CASE("copies of one version show the latest dated page", "[copies][searcher]") {
    leo::test::TempDir dir;
    const char* answer = "## How are refunds paid?\n\nRefunds go back to the card you paid with.\n";
    leo::test::write_file(dir / "pages" / "a-old.md",
                          std::string("+++\ndate = 2020-01-01T00:00:00\n+++\n") + answer);
    leo::test::write_file(dir / "pages" / "b-new.md",
                          std::string("+++\ndate = 2024-06-01T00:00:00\n+++\n") + answer);
    leo::test::write_file(dir / "pages" / "c-undated.md", answer);
    auto config = leo::test::config_in(dir);
    (void)leo::Indexer(config).index_directory(dir / "pages");
    leo::Searcher searcher(config);
    leo::Query query;
    query.text = "refunds card";
    auto results = searcher.search(query);
    REQUIRE(results.hits.size() == 1);
    CHECK(results.hits.front().path == "b-new.md");
    REQUIRE(results.hits.front().copies.size() == 2);
    CHECK(results.hits.front().copies[0].path == "a-old.md");
    CHECK(results.hits.front().copies[1].path == "c-undated.md");
}
