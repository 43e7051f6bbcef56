#include "support.hpp"

#include <catch2/catch.hpp>
#include <leo/error.hpp>
#include <leo/page.hpp>

using leo::parse_page;

TEST_CASE("setext headings become questions numbered from 1, empty answers included", "[parser]") {
    auto page = parse_page(leo::test::leopard_page, "faq/leopards.txt");
    REQUIRE(page.pairs.size() == 4);
    CHECK(page.pairs[0].position == 1);
    CHECK(page.pairs[0].question == "How many Amur leopards are left in the wild?");
    CHECK(page.pairs[2].question == "What will be done next year?");
    CHECK(page.pairs[2].answer.empty());
    CHECK(page.pairs[3].position == 4);
    CHECK(page.pair_id(page.pairs[3]) == "faq/leopards.txt#4");
}

TEST_CASE("answers are plain text: raw HTML dropped, entities decoded", "[parser]") {
    auto page = parse_page(leo::test::leopard_page, "p.md");
    CHECK(page.pairs[1].answer ==
          "Herders kill them after losses of livestock, and poachers sell their pelts & bones.");
    CHECK(page.pairs[3].answer.find("iframe") == std::string::npos);
    CHECK(page.pairs[3].answer.find('<') == std::string::npos);
}

TEST_CASE("front matter fields are read from TOML", "[parser]") {
    auto page = parse_page(leo::test::leopard_page, "p.md");
    const auto& fm = page.front_matter;
    CHECK(fm.title == "Saving leopards");
    CHECK(fm.date == "2019-05-01T00:00:00");
    CHECK(fm.tags == std::vector<std::string>{"Questions", "Big Cats"});
    CHECK(fm.slug == "saving-leopards");
    CHECK_FALSE(fm.draft);
}

TEST_CASE("front matter fields are read from YAML", "[parser]") {
    auto page =
        parse_page("---\ntitle: Help centre\ntags: [billing, refunds]\ndraft: true\nlang: de\n"
                   "date: 2023-10-15\n---\n## How do I get a refund?\n\nAsk us.\n",
                   "help.md");
    CHECK(page.front_matter.title == "Help centre");
    CHECK(page.front_matter.tags == std::vector<std::string>{"billing", "refunds"});
    CHECK(page.front_matter.draft);
    CHECK(page.front_matter.language == "de");
    CHECK(page.front_matter.date == "2023-10-15");
    REQUIRE(page.pairs.size() == 1);
    CHECK(page.pairs[0].question == "How do I get a refund?");
}

TEST_CASE("ATX headings, nested content and a higher heading ending an answer", "[parser]") {
    auto page =
        parse_page("# Guide\n\nIntro text.\n\n## First?\n\nOne `code` and [a link](http://x).\n\n"
                   "- item a\n- item b\n\n### Detail\n\nMore.\n\n# Next part\n\nNot an answer.\n\n"
                   "## Second? ##\n\n```\nfenced\n```\n",
                   "g.md");
    // The text under `# Guide` and `# Next part` is no question's: each is a pair of its own,
    // titled by its heading, so no text is lost.
    REQUIRE(page.pairs.size() == 4);
    CHECK(page.pairs[0].question == "Guide");
    CHECK(page.pairs[0].answer == "Intro text.");
    CHECK(page.pairs[1].answer == "One code and a link.\nitem a\nitem b\nDetail\nMore.");
    CHECK(page.pairs[1].context == "Guide");
    CHECK(page.pairs[2].question == "Next part");
    CHECK(page.pairs[2].anchor == "next-part");
    CHECK(page.pairs[3].question == "Second?");
    CHECK(page.pairs[3].answer == "fenced");
}

TEST_CASE("configured heading levels choose what a question is", "[parser]") {
    leo::ParseOptions options;
    options.min_question_level = 3;
    options.max_question_level = 3;
    auto page =
        parse_page("## Section\n\n### Q one?\n\nA one.\n\n### Q two?\n\nA two.\n", "l.md", options);
    REQUIRE(page.pairs.size() == 2);
    CHECK(page.pairs[1].answer == "A two.");
}

TEST_CASE("anchors follow Hugo: github ids, {#custom} attributes, -1 -2 for repeats", "[parser]") {
    auto page = parse_page(
        "## FAQ\n\na\n\n## FAQ\n\nb\n\n## FAQ\n\nc\n\n## Own id? {#mine .cls}\n\nd\n", "a.md");
    REQUIRE(page.pairs.size() == 4);
    CHECK(page.pairs[0].anchor == "faq");
    CHECK(page.pairs[1].anchor == "faq-1");
    CHECK(page.pairs[2].anchor == "faq-2");
    CHECK(page.pairs[3].anchor == "mine");
    CHECK(page.pairs[3].question == "Own id?");
}

TEST_CASE("page URL comes from url, else slug, else the path", "[parser]") {
    auto with_url = parse_page("+++\nurl = \"/x/y/\"\n+++\n", "a/b.md");
    CHECK(with_url.url() == "/x/y/");
    auto with_slug = parse_page("+++\nslug = \"nice\"\n+++\n", "Sec/b.md");
    CHECK(with_slug.url() == "/sec/nice/");
    auto plain = parse_page("## Q\n\nA\n", "Sec/Some-Page.md");
    CHECK(plain.url() == "/sec/some-page/");
    auto bundle = parse_page("## Q\n\nA\n", "faq/leopards/index.md");
    CHECK(bundle.url() == "/faq/leopards/");
}

TEST_CASE("URLs are lower case letter by letter, unless disablePathToLower keeps the case",
          "[parser]") {
    CHECK(parse_page("## Q\n\nA\n", "Über/Ärger Straße.md").url() == "/über/ärger-straße/");
    leo::ParseOptions keep;
    keep.keep_path_case = true;
    CHECK(parse_page("## Q\n\nA\n", "Über/Ärger Straße.md", keep).url() == "/Über/Ärger-Straße/");
    CHECK(parse_page("+++\nslug = \"Nice Slug\"\n+++\n", "Sec/b.md", keep).url() ==
          "/Sec/Nice-Slug/");
    CHECK(parse_page("+++\nurl = \"/X/Y/\"\n+++\n", "a/b.md").url() == "/X/Y/"); // as written
    keep.permalinks = {{"posts", "/:section/:title/:filename/"}};
    CHECK(parse_page("+++\ntitle = \"Big Title\"\n+++\n", "posts/File.md", keep).url() ==
          "/posts/Big-Title/File/");
    keep.keep_path_case = false;
    CHECK(parse_page("+++\ntitle = \"Big Title\"\n+++\n", "posts/File.md", keep).url() ==
          "/posts/big-title/file/");
}

TEST_CASE("an HTML page's headings are its questions, with the ids it gives", "[parser][html]") {
    auto page =
        parse_page("---\ntitle: T\n---\n<p>Intro &amp; <em>more</em>.</p>\n"
                   "<H2 class=\"q\" ID='first'>First &lt;one&gt;?</H2>\n<p>Answer\n  one.</p>"
                   "<p>Two &#233;&#xE9;&eacute;.</p>\n<script>if (a < b) {}</script>"
                   "<!-- <h2>not</h2> -->\n<h2>No id <b>here</b></h2>\n"
                   "<table><tr><td>cell</td><td>other</td></tr></table>\n"
                   "<h2 id=\"first\">Again</h2><p>x</p>\n",
                   "faq/page.html");
    REQUIRE(page.pairs.size() == 4);
    CHECK(page.url() == "/faq/page/");
    CHECK(page.pairs[0].question == "T");
    CHECK(page.pairs[0].answer == "Intro & more.");
    CHECK(page.pairs[1].question == "First <one>?");
    CHECK(page.pairs[1].anchor == "first");
    CHECK(page.pairs[1].answer == "Answer one.\nTwo ééé.");
    CHECK(page.pairs[1].line == 5);
    CHECK(page.pairs[2].question == "No id here");
    CHECK(page.pairs[2].anchor.empty()); // Hugo makes no ids in HTML pages
    CHECK(page.pairs[2].answer == "cell\nother");
    CHECK(page.pairs[3].anchor == "first"); // a written id is kept as written
}

// Each of these took time quadratic in its length in a naive scanner (a search to the page's
// end from every `<` or `&`): 400,000 of them would not finish within the test's time.
TEST_CASE("hostile HTML pages parse in linear time", "[parser][html]") {
    auto repeat = [](std::string_view piece, std::size_t n) {
        std::string out = "---\ntitle: T\n---\n<h2 id=x>Q?</h2>answer ";
        for (std::size_t i = 0; i < n; ++i) {
            out += piece;
        }
        return out;
    };
    for (const char* piece : {"<a x='", "&", "&nosuch;", "<a ", "</", "<!", "&#"}) {
        CAPTURE(piece);
        auto page = parse_page(repeat(piece, 400'000), "h.html");
        REQUIRE_FALSE(page.pairs.empty());
        CHECK(page.pairs.back().question == "Q?");
        CHECK(page.pairs.back().answer.substr(0, 6) == "answer");
    }
    // An unterminated tag takes the rest of the page, as browsers read it.
    CHECK(parse_page("---\n---\n<h2>Q?</h2><p>a</p><a href='x>b", "u.html").pairs[0].answer == "a");
}

TEST_CASE("CRLF, CR line ends and a byte-order mark parse like LF", "[parser]") {
    auto lf = parse_page("+++\ntitle = \"t\"\n+++\nQ?\n--\n\nA.\n", "a.md");
    auto crlf =
        parse_page("\xEF\xBB\xBF+++\r\ntitle = \"t\"\r\n+++\r\nQ?\r\n--\r\n\r\nA.\r\n", "a.md");
    auto cr = parse_page("+++\rtitle = \"t\"\r+++\rQ?\r--\r\rA.\r", "a.md");
    for (const auto* page : {&crlf, &cr}) {
        REQUIRE(page->pairs.size() == 1);
        CHECK(page->pairs[0].question == lf.pairs[0].question);
        CHECK(page->pairs[0].answer == lf.pairs[0].answer);
        CHECK(page->front_matter.title == "t");
    }
}

TEST_CASE("broken pages throw PageError with path, line and column", "[parser]") {
    struct Case {
        const char* text;
        std::size_t line;
        const char* reason;
    };
    auto [text, line, reason] = GENERATE(values<Case>({
        {"+++\ntitle = \"x\"\n## never closed\n", 1, "never closed"},
        {"+++\ntitle = \"x\n+++\n", 2, "invalid TOML"},
        {"---\ntitle: [unclosed\n---\n", 3, "invalid YAML"},
        {"+++\ntags = 3\n+++\n", 2, "'tags' must be a list of strings"},
        {"+++\ndate = \"yesterday\"\n+++\n", 2, "'date' is not a date: 'yesterday'"},
        {"+++\ndraft = \"yes\"\n+++\n", 2, "'draft' must be true or false"},
        {"ok\nbad \xFF byte\n", 2, "invalid UTF-8"},
    }));
    try {
        (void)parse_page(text, "bad.md");
        FAIL("no error for: " << text);
    } catch (const leo::PageError& e) {
        CHECK(e.line() == line);
        CHECK_THAT(e.what(), Catch::Contains(reason));
        CHECK_THAT(e.what(), Catch::StartsWith("bad.md:" + std::to_string(line) + ":"));
    }
}

TEST_CASE("a NUL byte marks a binary file", "[parser]") {
    const std::string text("a\n\nb\0c", 7);
    try {
        (void)parse_page(text, "bin.md");
        FAIL("no error for a NUL byte");
    } catch (const leo::PageError& e) {
        CHECK(e.line() == 3);
        CHECK(e.column() == 2);
        CHECK_THAT(e.what(), Catch::Contains("NUL byte"));
    }
}

TEST_CASE("pages without text have no pairs; text without a heading is the page's own pair",
          "[parser]") {
    CHECK(parse_page("", "e.md").pairs.empty());
    CHECK(parse_page("+++\ntitle = \"t\"\n+++\n", "f.md").pairs.empty());
    CHECK(parse_page("## Only\n\n### Headings\n", "h.md").pairs.size() == 1);
    auto untitled = parse_page("Just a paragraph.\n", "g.md");
    REQUIRE(untitled.pairs.size() == 1);
    CHECK(untitled.pairs[0].question == "g");
    CHECK(untitled.pairs[0].anchor.empty());
    auto titled = parse_page("+++\ntitle = \"Tea\"\n+++\nIntro.\n\n## Q?\n\nA.\n", "t/index.md");
    REQUIRE(titled.pairs.size() == 2);
    CHECK(titled.pairs[0].question == "Tea");
    CHECK(titled.pairs[0].answer == "Intro.");
    CHECK(titled.pairs[1].question == "Q?");
}

TEST_CASE("question levels follow the page: ### under bare ## categories, # sections", "[parser]") {
    auto faq = parse_page("## Billing\n\n### Refund?\n\nYes.\n\n### Invoice?\n\nMailed.\n\n"
                          "## Account\n\n### Reset?\n\nLink.\n",
                          "c.md");
    REQUIRE(faq.pairs.size() == 3);
    CHECK(faq.pairs[0].question == "Refund?");
    CHECK(faq.pairs[0].context == "Billing");
    CHECK(faq.pairs[2].context == "Account");
    CHECK(faq.pairs[2].anchor == "reset");
    auto sections = parse_page("# One\n\nFirst.\n\n# Two\n\nSecond.\n", "s.md");
    REQUIRE(sections.pairs.size() == 2);
    CHECK(sections.pairs[1].question == "Two");
    CHECK(sections.pairs[1].answer == "Second.");
    // Where ## holds text, ### stays inside its answer.
    auto nested = parse_page("## Q?\n\nA.\n\n### Detail\n\nMore.\n", "n.md");
    REQUIRE(nested.pairs.size() == 1);
    CHECK(nested.pairs[0].answer == "A.\nDetail\nMore.");
}

TEST_CASE("ids are unique per page across all heading levels, as Hugo numbers them", "[parser]") {
    auto page = parse_page("## Q one\n\na\n\n### Q one\n\nb\n\n## Q one\n\nc\n\n"
                           "## Q one {#q-one-2}\n\nd\n\n## Q one-1\n\ne\n",
                           "d.md");
    REQUIRE(page.pairs.size() == 4);
    CHECK(page.pairs[0].anchor == "q-one");
    CHECK(page.pairs[1].anchor == "q-one-2"); // q-one-1 went to the ### heading
    CHECK(page.pairs[2].anchor == "q-one-2"); // an explicit id is kept as written
    CHECK(page.pairs[3].anchor == "q-one-1-1");
}

TEST_CASE("definition lists are pairs; tables, alerts, footnotes and attributes are text",
          "[parser]") {
    leo::ParseOptions options;
    options.definition_term_ids = true;
    auto page = parse_page("## Terms\n\nIs it free?\n: Yes, *always*.\n\n"
                           "| a | b |\n|---|:-:|\n| one | two |\n\n"
                           "> [!NOTE]\n> Careful[^1].\n\n{.wide}\n\n[^1]: A note.\n",
                           "d.md", options);
    REQUIRE(page.pairs.size() == 2);
    CHECK(page.pairs[0].question == "Terms");
    CHECK(page.pairs[0].answer == "a b\none two\nCareful.\nA note.");
    CHECK(page.pairs[1].question == "Is it free?");
    CHECK(page.pairs[1].answer == "Yes, always.");
    CHECK(page.pairs[1].anchor == "is-it-free");
    CHECK(page.pairs[1].context == "Terms");
}

TEST_CASE("is_page_file takes Markdown by name and other text by its fence", "[parser]") {
    CHECK(leo::is_page_file("a.md", "whatever"));
    CHECK(leo::is_page_file("a.markdown", ""));
    CHECK(leo::is_page_file("000_x.txt", "+++"));
    CHECK(leo::is_page_file("y.txt", "---\r"));
    CHECK_FALSE(leo::is_page_file("notes.txt", "hello"));
    CHECK_FALSE(leo::is_page_file("image.png", "\x89PNG"));
}

TEST_CASE("control characters never reach questions, answers, anchors or front matter",
          "[parser]") {
    // Raw controls, TOML escapes and HTML entities that decode to controls, in every field.
    auto page =
        parse_page("+++\ntitle = \"Ti\x1b]0;owned\x07tle\\u001b[2K\\u202e\"\n"
                   "description = \"d\\u0085\"\ntags = [\"t\\u0007ag\"]\n"
                   "categories = [\"\x1b[31mc\"]\nslug = \"s\\u2066lug\"\nlang = \"e\\u0085n\"\n"
                   "+++\n"
                   "## Is \x1b[31mred\x1b[0m bad?\n\nAn\x7f an\xC2\x9B"
                   "2Jswer &#x1b;[1A&#x1b;[2Kwith &#x202e;entities.\n\n"
                   "## Own id? {#my\x1b[1Aid}\n\nText\x01\x02\x03 here.\n",
                   "p.md");
    const auto& fm = page.front_matter;
    CHECK(fm.title == "Title");
    CHECK(fm.description == "d");
    CHECK(fm.tags == std::vector<std::string>{"tag"});
    CHECK(fm.categories == std::vector<std::string>{"c"});
    CHECK(fm.slug == "slug");
    CHECK(fm.language == "en");
    REQUIRE(page.pairs.size() == 2);
    CHECK(page.pairs[0].question == "Is red bad?");
    CHECK(page.pairs[0].anchor == "is-red-bad");
    CHECK(page.pairs[0].answer == "An answer with entities.");
    CHECK(page.pairs[1].anchor == "myid");
    CHECK(page.pairs[1].answer == "Text here.");
}

TEST_CASE("YAML escapes that decode to controls are dropped too", "[parser]") {
    auto page =
        parse_page("---\ntitle: \"a\\e]52;c;eA==\\ab\\x85\"\nurl: \"/x\\e[2K/\"\n---\n", "y.md");
    CHECK(page.front_matter.title == "ab");
    CHECK(page.url() == "/x/");
}

TEST_CASE("front-matter URLs and slugs are normalised and never climb above the site root",
          "[parser]") {
    struct Case {
        const char* front_matter;
        const char* path;
        const char* url;
    };
    auto [front_matter, path, url] = GENERATE(values<Case>({
        {"url = \"../../../etc/passwd\"", "a.md", "/etc/passwd"},
        {"url = \"/a/./b/../../../c/\"", "a.md", "/c/"},
        {"url = \"%2e%2e/%2E%2e/x/\"", "a.md", "/x/"},
        {"url = \"\\\\..\\\\..\\\\x\"", "a.md", "/x"},
        {"url = \"//a//b/\"", "a.md", "/a/b/"},
        {"url = \"about\"", "a.md", "/about"},
        {"url = \"/x/..\"", "a.md", "/"},
        {"url = \"/faq/?q=1#top\"", "a.md", "/faq/?q=1#top"},
        {"url = \"https://example.org/a/../../b/\"", "a.md", "https://example.org/b/"},
        {"url = \"javascript:alert(1)//\"", "Sec/page.md", "/sec/page/"},
        {"url = \"data:text/html,x\"", "page.md", "/page/"},
        {"slug = \"/../../x\"", "docs/a.md", "/docs/x/"},
        {"slug = \"../..\"", "docs/a.md", "/docs/a/"},
        {"slug = \"a/./b\"", "docs/p.md", "/docs/a/b/"},
    }));
    auto page = parse_page("+++\n" + std::string(front_matter) + "\n+++\n", path);
    CAPTURE(front_matter);
    CHECK(page.url() == url);
}

TEST_CASE("URLs from file names hold no controls", "[parser]") {
    auto page = parse_page("## Q\n\nA\n", "S\x1b[2Kec/pa\x1b]0;t\x07ge\xE2\x80\xAE.md");
    CHECK(page.url() == "/sec/page/");
}
