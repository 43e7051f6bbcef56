#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <set>
#include <string>

using leo::test::TempDir;
using leo::test::write_file;

namespace {

struct Site {
    TempDir dir;
    leo::Config config = leo::test::config_in(dir);

    Site() {
        // Answers of their own, so that no two pages are copies folded into one hit.
        auto page = [](const char* answer) {
            return std::string("## How do I reset the router?\n\n") + answer + "\n";
        };
        write_file(dir / "pages" / "docs" / "a.md", page("Hold the button."));
        write_file(dir / "pages" / "Docs2" / "b.md", page("Pull the plug."));
        write_file(dir / "pages" / "blog" / "c.md", page("Call support."));
        write_file(dir / "pages" / "docs.md", page("Ask a friend.")); // in the root section
        write_file(dir / "pages" / "sv" / "docs" / "d.md",
                   "+++\nlang = \"sv\"\n+++\n" + page("Wait an hour."));
        // A folder named like a language holding pages of another: not a language folder.
        write_file(dir / "pages" / "de" / "docs" / "e.md", page("Buy a new one."));
        (void)leo::Indexer(config).index_directory(dir / "pages");
    }

    std::set<std::string> paths(const std::string& text, std::vector<std::string> sections = {}) {
        leo::Searcher searcher(config);
        leo::Query query;
        query.text = text;
        query.sections = std::move(sections);
        std::set<std::string> out;
        for (const auto& hit : searcher.search(query).hits) {
            out.insert(hit.path);
        }
        return out;
    }
};

} // namespace

TEST_CASE("section: keeps the pages whose first folder is the section", "[section][searcher]") {
    Site site;
    const std::set<std::string> docs{"docs/a.md", "sv/docs/d.md"};
    CHECK(site.paths("reset router section:docs") == docs);
    CHECK(site.paths("reset router", {"docs"}) == docs);
    CHECK(site.paths("reset router", {"DOCS"}) == docs);
    CHECK(site.paths("reset router section:blog") == std::set<std::string>{"blog/c.md"});
    CHECK(site.paths("reset router section:docs2") == std::set<std::string>{"Docs2/b.md"});
    CHECK(site.paths("reset router section:de") == std::set<std::string>{"de/docs/e.md"});
    CHECK(site.paths("reset router section:nowhere").empty());
}

TEST_CASE("several sections are any of them, and other filters still hold", "[section][searcher]") {
    Site site;
    const std::set<std::string> both{"docs/a.md", "sv/docs/d.md", "blog/c.md"};
    CHECK(site.paths("reset router section:docs section:blog") == both);
    CHECK(site.paths("reset router", {"docs", "blog"}) == both);
    CHECK(site.paths("reset router lang:sv", {"docs"}) == std::set<std::string>{"sv/docs/d.md"});
    CHECK(site.paths("reset router section:blog", {"docs"}).empty());
}
