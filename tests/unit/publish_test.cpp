#include "page/front_matter.hpp"
#include "page/publish.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <leo/page.hpp>

using leo::parse_page;
using leo::detail::is_published;
using leo::detail::utc_seconds;

namespace {
// 2025-06-01T00:00:00Z
constexpr std::int64_t now = 1748736000;
} // namespace

TEST_CASE("dates become UTC seconds, offsets applied", "[publish]") {
    CHECK(utc_seconds("2025-06-01") == now);
    CHECK(utc_seconds("2025-06-01T02:00:00+02:00") == now);
    CHECK(utc_seconds("2025-05-31T23:30:00-00:30") == now);
    CHECK(utc_seconds("1970-01-01T00:00:01Z") == 1);
    CHECK_FALSE(utc_seconds("").has_value());
    CHECK_FALSE(utc_seconds("soon").has_value());
}

TEST_CASE("pages hugo does not publish are not published", "[publish]") {
    struct Case {
        const char* page;
        bool published;
    };
    auto c = GENERATE(values<Case>({
        {"---\ntitle: plain\n---\n", true},
        {"---\ndraft: true\n---\n", false},
        {"---\nheadless: true\n---\n", false},
        {"---\nbuild:\n  render: never\n---\n", false},
        {"---\n_build:\n  render: false\n---\n", false},
        {"+++\n[build]\nrender = \"always\"\n+++\n", true},
        {"---\ndate: 2025-06-02\n---\n", false},
        {"---\ndate: 2025-06-02\npublishDate: 2025-05-01\n---\n", true},
        {"+++\npublishDate = 2030-01-01T00:00:00Z\n+++\n", false},
        {"---\nexpiryDate: 2025-06-01\n---\n", false},
        {"---\nexpiryDate: 2025-06-01T00:00:01Z\n---\n", true},
        {"---\nunpublishdate: 2020-01-01\n---\n", false},
    }));
    CAPTURE(c.page);
    CHECK(is_published(parse_page(c.page, "p.md").front_matter, now) == c.published);
}

TEST_CASE("a draft is published when drafts are asked for", "[publish]") {
    CHECK(is_published(parse_page("+++\ndraft = true\n+++\n", "d.md").front_matter, now,
                       {.drafts = true}));
}

TEST_CASE("buildFuture and buildExpired publish future and expired pages, each its own",
          "[publish]") {
    auto fm_of = [](std::string_view text) { return parse_page(text, "p.md").front_matter; };
    const auto future = fm_of("---\ndate: 2025-06-02\n---\n");
    const auto expired = fm_of("---\nexpiryDate: 2025-05-01\n---\n");
    const auto draft = fm_of("---\ndraft: true\n---\n");
    CHECK(is_published(future, now, {.future = true}));
    CHECK_FALSE(is_published(future, now, {.drafts = true, .expired = true}));
    CHECK(is_published(expired, now, {.expired = true}));
    CHECK_FALSE(is_published(expired, now, {.drafts = true, .future = true}));
    CHECK_FALSE(is_published(draft, now, {.future = true, .expired = true}));
    // Never rendered and headless pages are out whatever is asked for.
    const leo::detail::PublishSwitches all{true, true, true};
    CHECK_FALSE(is_published(fm_of("---\nheadless: true\n---\n"), now, all));
    CHECK_FALSE(is_published(fm_of("---\n_build:\n  render: never\n---\n"), now, all));
}

TEST_CASE("empty YAML values are absent, as Hugo reads them", "[publish][front-matter]") {
    auto page = parse_page("---\ntitle:\nslug:\ndate: \"\"\ntags:\ndraft:\nurl: ~\n---\nText.\n",
                           "faq/empty.md");
    CHECK(page.front_matter.title.empty());
    CHECK(page.front_matter.date.empty());
    CHECK(page.front_matter.tags.empty());
    CHECK_FALSE(page.front_matter.draft);
    CHECK(page.url() == "/faq/empty/");
    REQUIRE(page.pairs.size() == 1);
    CHECK(page.pairs[0].question == "empty");
    CHECK(parse_page("+++\ndate = \"\"\n+++\n", "t.md").front_matter.date.empty());
}

TEST_CASE("sections decide for the pages below them, cascade included", "[publish]") {
    leo::test::TempDir dir;
    auto fm_of = [](std::string_view text) { return parse_page(text, "x.md").front_matter; };
    leo::test::write_file(dir / "never" / "_index.md",
                          "---\ncascade:\n  - _build:\n      render: never\n---\n");
    leo::test::write_file(dir / "drafts" / "_index.md", "+++\n[cascade]\ndraft = true\n+++\n");
    leo::test::write_file(dir / "later" / "_index.md", "---\ndate: 2999-01-01\n---\n");
    leo::test::write_file(dir / "own" / "_index.md", "---\n_build:\n  render: never\n---\n");
    leo::test::write_file(dir / "aimed" / "_index.md",
                          "---\ncascade:\n  draft: true\n  _target:\n    path: /x\n---\n");
    leo::detail::Sections sections(dir.path(), now, {}, 1 << 20);
    const auto plain = fm_of("plain\n");
    CHECK_FALSE(sections.is_published(plain, "never/deep/p.md"));
    // A section's cascade applies to the section itself too.
    CHECK_FALSE(sections.is_published(
        fm_of("---\ncascade:\n  - _build:\n      render: never\n---\n"), "never/_index.md"));
    CHECK(sections.is_published(fm_of("---\n_build:\n  render: always\n---\n"), "never/p.md"));
    CHECK_FALSE(sections.is_published(fm_of("---\ndraft: false\n---\n"), "drafts/p.md"));
    CHECK_FALSE(sections.is_published(plain, "later/p.md"));
    CHECK(sections.is_published(plain, "own/p.md"));   // not cascaded: only the section is hidden
    CHECK(sections.is_published(plain, "aimed/p.md")); // a targeted cascade is not followed
    CHECK(sections.is_published(plain, "elsewhere/p.md"));
    CHECK(leo::detail::Sections(dir.path(), now, {.drafts = true}, 1 << 20)
              .is_published(plain, "drafts/p.md"));
    // A future section publishes its pages when future pages are built; a never one does not.
    leo::detail::Sections future(dir.path(), now, {.future = true}, 1 << 20);
    CHECK(future.is_published(plain, "later/p.md"));
    CHECK_FALSE(future.is_published(plain, "drafts/p.md"));
    CHECK_FALSE(future.is_published(plain, "never/deep/p.md"));
}
