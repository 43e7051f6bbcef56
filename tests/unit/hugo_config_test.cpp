#include "support.hpp"

#include <catch2/catch.hpp>
#include <leo/config.hpp>
#include <leo/error.hpp>

using leo::test::TempDir;
using leo::test::write_file;

TEST_CASE("a site configured only in config/_default is a Hugo site", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "config/_default/hugo.toml", "baseURL = 'https://example.org/docs/'\n");
    write_file(dir / "config/_default/languages.toml", "[en]\nweight = 1\n[fr]\nweight = 2\n");
    write_file(dir / "config/_default/markup.yaml",
               "goldmark:\n  parser:\n    autoHeadingIDType: blackfriday\n");
    write_file(dir / "config/_default/permalinks.toml", "posts = '/:year/:slug/'\n");
    write_file(dir / "config/_default/menus.en.toml", "[[main]]\nname = 'Home'\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config) == dir / "content");
    CHECK(config.parse.base_path == "/docs");
    CHECK(config.parse.anchors == leo::AnchorStyle::blackfriday);
    REQUIRE(config.parse.permalinks.size() == 1);
    CHECK(config.parse.permalinks[0].second == "/:year/:slug/");
    REQUIRE(config.parse.languages.size() == 2);
    CHECK(config.parse.languages[1].url_prefix == "/fr");
}

TEST_CASE("config/_default merges over the root file, map by map", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "hugo.toml", "baseURL = 'https://example.org/root/'\nuglyURLs = true\n"
                                  "[markup.goldmark.parser]\nautoDefinitionTermID = true\n"
                                  "autoHeadingIDType = 'blackfriday'\n");
    write_file(dir / "config/_default/markup.toml",
               "[goldmark.parser]\nautoHeadingIDType = 'github-ascii'\n");
    write_file(dir / "config/_default/config.toml", "baseurl = 'https://example.org/dir/'\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config) == dir / "content");
    CHECK(config.parse.base_path == "/dir");                       // the folder wins
    CHECK(config.parse.ugly_urls);                                 // the root file's stays
    CHECK(config.parse.anchors == leo::AnchorStyle::github_ascii); // deep key replaced
    CHECK(config.parse.definition_term_ids);                       // its sibling kept
}

TEST_CASE("config/production, hugo's default environment, wins over _default", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "config/_default/hugo.toml", "baseURL = 'https://example.org/a/'\n");
    write_file(dir / "config/production/hugo.toml", "baseURL = 'https://example.org/b/'\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config) == dir / "content");
    CHECK(config.parse.base_path == "/b");
}

TEST_CASE("another environment's folder replaces production's", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "config/_default/hugo.toml", "baseURL = 'https://example.org/a/'\n");
    write_file(dir / "config/production/hugo.toml", "baseURL = 'https://example.org/b/'\n");
    write_file(dir / "config/staging/hugo.yaml", "buildFuture: true\nuglyURLs: true\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config, {"staging"}) == dir / "content");
    CHECK(config.parse.base_path == "/a"); // production's is not read
    CHECK(config.parse.ugly_urls);
    CHECK(config.index_future);
    leo::Config only_default;
    (void)leo::read_hugo_site(dir.path(), only_default, {"none-such"});
    CHECK(only_default.parse.base_path == "/a");
    CHECK_FALSE(only_default.index_future);
}

TEST_CASE("the config folder may be named as hugo's --configDir names it", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "site-config/_default/hugo.toml", "baseURL = 'https://example.org/c/'\n");
    write_file(dir / "config/_default/hugo.toml", "baseURL = 'https://example.org/not/'\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config, {"production", "site-config"}) ==
          dir / "content");
    CHECK(config.parse.base_path == "/c");
}

TEST_CASE("buildDrafts, buildFuture, buildExpired and disablePathToLower are read",
          "[hugo-config]") {
    TempDir dir;
    write_file(dir / "hugo.toml", "builddrafts = true\nbuildFuture = true\nbuildExpired = true\n"
                                  "disablePathToLower = true\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    (void)leo::read_hugo_site(dir.path(), config);
    CHECK(config.index_drafts);
    CHECK(config.index_future);
    CHECK(config.index_expired);
    CHECK(config.parse.keep_path_case);
    TempDir plain;
    write_file(plain / "hugo.toml", "buildDrafts = false\n");
    write_file(plain / "content/a.md", "# A\n");
    leo::Config defaults;
    defaults.index_drafts = true; // leo.toml's index_drafts stands
    (void)leo::read_hugo_site(plain.path(), defaults);
    CHECK(defaults.index_drafts);
    CHECK_FALSE(defaults.index_future);
    CHECK_FALSE(defaults.index_expired);
    CHECK_FALSE(defaults.parse.keep_path_case);
}

TEST_CASE("hugo.json is read like hugo.toml", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "hugo.json",
               R"({"baseURL": "https://example.org/j/", "contentDir": "pages", "uglyURLs": true,
                   "defaultContentLanguage": "de", "disableLanguages": ["fr"],
                   "languages": {"de": {"weight": 1}, "fr": {"weight": 2}},
                   "markup": {"goldmark": {"parser": {"autoHeadingIDType": "blackfriday"}}}})");
    write_file(dir / "pages/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config) == dir / "pages");
    CHECK(config.parse.base_path == "/j");
    CHECK(config.parse.ugly_urls);
    CHECK(config.parse.anchors == leo::AnchorStyle::blackfriday);
    REQUIRE(config.parse.languages.size() == 1);
    CHECK(config.parse.languages[0].code == "de");
}

TEST_CASE("a broken hugo.json names its file and line", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "hugo.json", "{\n  \"baseURL\": \"x\",\n  oops\n}\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    try {
        (void)leo::read_hugo_site(dir.path(), config);
        FAIL("no error");
    } catch (const leo::ConfigError& e) {
        CHECK(e.file() == dir / "hugo.json");
        CHECK(e.line() == 3);
    }
}

TEST_CASE("a folder with neither config file nor config folder is not a site", "[hugo-config]") {
    TempDir dir;
    write_file(dir / "config/notes.md", "# not config\n");
    write_file(dir / "content/a.md", "# A\n");
    leo::Config config;
    CHECK(leo::read_hugo_site(dir.path(), config) == dir.path());
}
