#!/usr/bin/env python3
"""Hugo is the oracle: a small site is built by `hugo` and indexed by leo-index from its root.

usage: hugo_test.py SITE LEO_INDEX LEO_ASK

Checks: every pair's URL is a page in Hugo's public/ and its anchor an id there; every page Hugo
published with text yields a pair; the pages leo finds by the unpublished pages' word are exactly
those Hugo published with it (none, unless the site builds drafts, future or expired pages); no
markup reaches an answer. Some sites are indexed once with another config before: the next run
must follow the site's own (settings changes re-parse unchanged pages).
Exit 77 (ctest skip) when hugo is not installed.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SITE, LEO_INDEX, LEO_ASK = sys.argv[1:4]
HUGO = shutil.which("hugo")
failures = []
# Every block of fixture text holds this word, so one query finds every pair with text.
WORD = "kestrel"
# Only unpublished pages hold this one.
HIDDEN = "zeppelin"

LAYOUT = {
    "layouts/_default/baseof.html": '<html><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "layouts/_default/single.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
    "layouts/_default/list.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
    "layouts/shortcodes/note.html": "<aside>{{ .Inner }}</aside>\n",
    "layouts/shortcodes/figure.html": "<figure></figure>\n",
}

COMMON = {
    "sections.md": f"---\ntitle: Sections\n---\n# First section\n\n{WORD} one.\n\n# Second section\n\n{WORD} two.\n",
    "faq/_index.md": f"---\ntitle: FAQ\n---\nThe {WORD} questions.\n",
    "faq/categories.md": (f"---\ntitle: Categories\ntags: [x]\n---\nIntro {WORD} text.\n\n## Billing\n\n"
                          f"### Can I get a refund?\n\n{WORD} refunds.\n\n### Can I get a refund?\n\n{WORD} again.\n\n"
                          f"## Accounts\n\n### How do I reset it?\n\n{WORD} reset.\n"),
    "faq/dupes.md": (f"+++\ntitle = \"Dupes\"\n+++\n## Q one\n\n{WORD} a\n\n### Q one\n\n{WORD} b\n\n"
                     f"## Q one\n\n{WORD} c\n\n## Q one {{#q-one-2}}\n\n{WORD} d\n\n## Q one-1\n\n{WORD} e\n\n"
                     f"## Größe & Café's naïve?\n\n{WORD} f\n"),
    "faq/bundle/index.md": f"---\ntitle: Bundle\nslug: Nice Slug\n---\n## Hello World!\n\n{WORD} bundle.\n",
    "faq/empty.md": f"---\ntitle:\nslug:\ndate: \"\"\ntags:\n---\nOnly {WORD} text, no heading.\n",
    "faq/defs.md": (f"---\ntitle: Definitions\n---\nIs it free?\n: Yes, {WORD} always.\n\n"
                    f"How long does it take?\n: About a {WORD} week.\n"),
    "faq/markup.md": (f"---\ntitle: Markup\n---\n## Tables and notes?\n\n| a | b |\n|---|---|\n| {WORD} | two |\n\n"
                      f"> [!NOTE]\n> A {WORD} note[^1].\n\n{{{{< note >}}}}\n{WORD} inside\n{{{{< /note >}}}}\n\n"
                      f"{{{{< figure\n  src=\"x.png\" >}}}}\n\n[^1]: The {WORD} footnote.\n\n"
                      f"## Attributes? {{.wide}}\n\n{WORD} with attributes.\n"),
    # An HTML page (front matter, then HTML Hugo publishes as written): its headings are the
    # questions, with their own ids or none (Hugo makes none for HTML).
    "faq/page.html": (f"---\ntitle: HTML page\n---\n<p>Intro {WORD} &amp; more.</p>\n"
                      f"<h2 id=\"first-q\">First &lt;question&gt;?</h2>\n<p>{WORD} <b>bold</b> one.</p>\n"
                      f"<script>var {HIDDEN} = 1;</script><!-- {HIDDEN} -->\n"
                      f"<h2>Second question?</h2>\n<ul><li>{WORD} a</li><li>b</li></ul>\n"),
    # An HTML section page decides for its pages as a Markdown one does.
    "htmldraft/_index.html": f"---\ntitle: HTML draft\ndraft: true\n---\n<h2 id=\"s\">S?</h2><p>{HIDDEN} {WORD} section</p>\n",
    "htmldraft/p.md": f"---\ntitle: P\n---\n## Q?\n\n{HIDDEN} {WORD} below an HTML draft\n",
    # Hugo lower-cases a path letter by letter, `Ä` too (unless disablePathToLower).
    "faq/Ärger Über.md": f"---\ntitle: Ärger\n---\n## Why?\n\n{WORD} ärger.\n",
    "hidden/draft.md": f"---\ntitle: Draft\ndraft: true\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    "hidden/future.md": f"---\ntitle: Future\ndate: 2999-01-01\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    "hidden/future-publish.md": f"+++\ntitle = \"Future\"\npublishDate = 2999-01-01T00:00:00Z\n+++\n## Q?\n\n{HIDDEN} {WORD}\n",
    "hidden/expired.md": f"---\ntitle: Expired\nexpiryDate: 2001-01-01\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    # Hugo 0.111 reads `_build` only (`build` came later; leo reads both).
    "hidden/never.md": f"---\ntitle: Never\n_build:\n  render: never\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    "hidden/headless/index.md": f"---\ntitle: Headless\nheadless: true\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    # Sections decide for their pages (hugo 0.111): a cascaded `_build` hides the section and all
    # below it unless a page sets its own; a draft or future section takes its pages with it,
    # even one that says `draft: false`; a section's own `_build` (not cascaded) hides only itself.
    "never/_index.md": f"---\ntitle: Never\ncascade:\n  _build:\n    render: never\n---\n{HIDDEN} {WORD}\n",
    "never/deep/p.md": f"---\ntitle: P\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    "never/shown.md": f"---\ntitle: Shown\n_build:\n  render: always\n---\n## Q?\n\n{WORD} shown.\n",
    "drafts/_index.md": f"+++\ntitle = \"Drafts\"\n[cascade]\ndraft = true\n+++\n{HIDDEN} {WORD}\n",
    "drafts/p.md": f"---\ntitle: P\ndraft: false\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    "later/_index.md": f"---\ntitle: Later\ndate: 2999-01-01\n---\n{HIDDEN} {WORD}\n",
    "later/p.md": f"---\ntitle: P\n---\n## Q?\n\n{HIDDEN} {WORD}\n",
    "unrendered/_index.md": f"---\ntitle: Unrendered\n_build:\n  render: never\n---\n{HIDDEN} {WORD}\n",
    "unrendered/p.md": f"---\ntitle: P\n---\n## Q?\n\n{WORD} rendered.\n",
}

SITES = {
    "basic": ('baseURL = "https://example.org/"\ntitle = "Basic"\n'
              '[permalinks]\nposts = "/:year/:month/:slug/"\n',
              dict(COMMON, **{
                  "posts/first.md": f"---\ntitle: First Post\ndate: 2024-03-05\n---\n## Why?\n\n{WORD} post.\n",
                  "posts/second.md": f"---\ntitle: Second\nslug: my-slug\ndate: 2023-11-20\n---\n{WORD} post two.\n",
              })),
    "blackfriday": ('baseURL = "https://example.org/docs/"\n'
                    '[markup.goldmark.parser]\nautoHeadingIDType = "blackfriday"\n', COMMON),
    "ascii": ('baseURL: "https://example.org/"\nmarkup:\n  goldmark:\n    parser:\n'
              '      autoHeadingIDType: github-ascii\n', COMMON),
    "multilingual": ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
                     '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n',
                     dict(COMMON, **{
                         "about.md": f"---\ntitle: About\n---\n## Who are we?\n\n{WORD} people.\n",
                         "about.fr.md": f"---\ntitle: À propos\n---\n## Qui sommes-nous ?\n\n{WORD} gens.\n",
                     })),
    "subdir": ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
               'defaultContentLanguageInSubdir = true\n'
               '[languages.en]\ncontentDir = "content/en"\nweight = 1\n'
               '[languages.de]\ncontentDir = "content/de"\nweight = 2\n',
               {**{"en/" + k: v for k, v in COMMON.items()},
                "de/fragen.md": f"---\ntitle: Fragen\n---\n## Wie geht das?\n\n{WORD} Antwort.\n"}),
    # An English site with German and Swedish translations: each page is stemmed in its own
    # language, and a query is looked for under every language's stems. The German and Swedish
    # words below match their inflections only through their own stemmer (English leaves
    # `wohnungen` and `fragorna` whole).
    "stemmed": ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
                '[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n[languages.sv]\nweight = 3\n',
                dict(COMMON, **{"homes.md": f"---\ntitle: Homes\n---\n## Which homes are running?\n\n{WORD} houses.\n",
                 "homes.de.md": f"---\ntitle: Heim\n---\n## Gibt es Wohnungen?\n\n{WORD} Häuser.\n",
                 "homes.sv.md": f"---\ntitle: Hem\n---\n## Frågorna om hem\n\n{WORD} svar.\n",
                 "other.sv.md": f"---\ntitle: Annat\n---\n## Annat\n\n{WORD} Wohnung.\n"})),
    # Split config (hugo 0.111 merges config/_default over the root file, maps key by key): the
    # folder's baseURL and anchor style win over the root file's; its languages, permalinks and
    # a language's menus come from files named for their keys.
    "configdir": ({"hugo.toml": 'baseURL = "https://example.org/"\ntitle = "Split"\n'
                                '[markup.goldmark.parser]\nautoHeadingIDType = "github"\n',
                   "config/_default/hugo.toml": 'baseURL = "https://example.org/kb/"\n'
                                                'defaultContentLanguage = "en"\n',
                   "config/_default/languages.toml": '[en]\nweight = 1\n[fr]\nweight = 2\n',
                   "config/_default/markup.toml": '[goldmark.parser]\nautoHeadingIDType = "blackfriday"\n',
                   "config/_default/permalinks.yaml": 'posts: /:year/:slug/\n',
                   "config/_default/params.toml": 'subtitle = "x"\n',
                   "config/_default/menus.en.toml": '[[main]]\nname = "Home"\nurl = "/"\n'},
                  dict(COMMON, **{
                      "posts/first.md": f"---\ntitle: First Post\ndate: 2024-03-05\n---\n## Why?\n\n{WORD} post.\n",
                      "about.fr.md": f"---\ntitle: À propos\n---\n## Qui sommes-nous ?\n\n{WORD} gens.\n",
                  })),
    "json": ({"hugo.json": '{"baseURL": "https://example.org/j/", "uglyURLs": true,\n'
                           ' "permalinks": {"posts": "/:year/:month/:slug/"},\n'
                           ' "markup": {"goldmark": {"parser": {"autoHeadingIDType": "github-ascii"}}}}\n'},
             dict(COMMON, **{
                 "posts/first.md": f"---\ntitle: First Post\ndate: 2024-03-05\n---\n## Why?\n\n{WORD} post.\n",
             })),
    # buildDrafts, buildFuture, buildExpired: hugo publishes drafts, future and expired pages
    # (and the sections' pages below a draft or future section); never, headless stay out.
    "build": ('baseURL = "https://example.org/"\nbuildDrafts = true\nbuildFuture = true\n'
              'buildExpired = true\n', COMMON),
    # disablePathToLower: the URL keeps the case of the path, slug and permalink tokens.
    "case": ('baseURL = "https://example.org/"\ndisablePathToLower = true\n'
             '[permalinks]\nposts = "/:section/:title/:slug/"\n',
             dict(COMMON, **{
                 "Upper/My Page.md": f"---\ntitle: Mine\n---\n## Case?\n\n{WORD} mine.\n",
                 "Upper/_index.md": f"---\ntitle: Upper\n---\n{WORD} section.\n",
                 "Docs/Sub/Other.md": f"---\ntitle: Other\nslug: Nice Slug\n---\n{WORD} other.\n",
                 "posts/Perma.md": f"---\ntitle: Perma Title\nslug: Perma Slug\n---\n{WORD} perma.\n",
             })),
    # Environments: config/<env>/ merges over config/_default/; the production folder is not
    # read when another environment is built. Staging builds future pages.
    "environment": ({"config/_default/hugo.toml": 'baseURL = "https://example.org/"\n',
                     "config/production/hugo.toml": 'uglyURLs = true\n',
                     "config/staging/hugo.toml": 'baseURL = "https://example.org/stg/"\n'
                                                 'buildFuture = true\n'}, COMMON),
}

# Site → how it is built: hugo's arguments, leo-index's environment and arguments, and the
# config leo-index first indexes the unchanged pages with (a later run with the site's own
# config must publish what that config publishes: the incremental-index rule).
BUILDS = {
    "build": {"before": 'baseURL = "https://example.org/"\n'},
    "case": {"before": 'baseURL = "https://example.org/"\n[permalinks]\nposts = "/:section/:title/:slug/"\n'},
    "environment": {"hugo": ["--environment", "staging"], "env": {"HUGO_ENVIRONMENT": "staging"},
                    # the flag wins over the variable, as with hugo
                    "again": (["--environment", "staging"], {"HUGO_ENVIRONMENT": "production"}),
                    "base": "/stg"},
}

# Site → (query, page id that must be among its hits, page ids that must not be).
STEM_QUERIES = {
    "stemmed": [("Wohnung", "homes.de.md", []),          # indexed with German stems
                ("Wohnungen", "homes.de.md", []),        # the query stemmed as German too
                ("Haus", "homes.de.md", []),
                ("Häusern", "homes.de.md", []),          # German stems on both sides
                ("frågor", "homes.sv.md", []),           # Swedish, both ways
                ("runs", "homes.md", []),                # English pages by English stems
                ("houses", "homes.md", ["homes.de.md"]),
                ("Wohnung", "other.sv.md", [])],         # a German word in a Swedish page, as written
}


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL", message)


class Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.text = []
        self.hidden = False  # inside a script or style

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden = True  # no reader sees it
        for name, value in attrs:
            if name == "id":
                self.ids.add(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = False

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def read_html(path):
    parser = Ids()
    with open(path, encoding="utf-8") as f:
        parser.feed(f.read())
    return parser.ids, " ".join(parser.text)


def public_file(public, url, base_path):
    path = re.sub(r"^https?://[^/]+", "", url.split("#", 1)[0])
    if base_path and path.startswith(base_path):
        path = path[len(base_path):]
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return os.path.join(public, path)


def write_files(site, files):
    for rel, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(site, rel)), exist_ok=True)
        with open(os.path.join(site, rel), "w", encoding="utf-8") as f:
            f.write(text)


def leo_index(site, db, args=(), env=None):
    indexed = subprocess.run([LEO_INDEX, "--db", db, *args, site], capture_output=True, text=True,
                             env=dict(os.environ, **(env or {})))
    check(indexed.returncode == 0, f"leo-index exit {indexed.returncode}: {indexed.stderr}")
    return indexed


def ask(db, word):
    asked = subprocess.run([LEO_ASK, "--db", db, "--json", "-n", "1000", word],
                           capture_output=True, text=True)
    check(asked.returncode in (0, 1), f"leo-ask exit {asked.returncode}: {asked.stderr}")
    hits = json.loads(asked.stdout)["hits"] if asked.returncode == 0 else []
    # A copy folded into a hit (the same answer on another page) is a pair found all the same.
    copies = [dict(hit, id=c["id"], url=c["url"], anchor=c["url"].partition("#")[2])
              for hit in hits for c in hit.get("copies", [])]
    return hits + copies


def main():
    if HUGO is None:
        print("hugo is not installed: skipped")
        return 77
    config, pages = SITES[SITE]
    build = BUILDS.get(SITE, {})
    if isinstance(config, str):
        config = {"hugo.yaml" if config.startswith("baseURL:") else "hugo.toml": config}
    # The base path is the last baseURL written: config/ files come after the root file.
    base_urls = [m.group(1) for text in config.values() for m in re.finditer(r'baseURL\W+"([^"]*)"', text)]
    base_path = build.get("base", re.sub(r"^https?://[^/]+", "", base_urls[-1]).rstrip("/"))
    with tempfile.TemporaryDirectory() as work:
        site = os.path.join(work, "site")
        db = os.path.join(work, "db")
        write_files(site, dict(LAYOUT, **{"content/" + k: v for k, v in pages.items()}))
        if "before" in build:
            # Indexed first with another config; the pages do not change after.
            write_files(site, {"hugo.toml": build["before"]})
            leo_index(site, db)
            os.remove(os.path.join(site, "hugo.toml"))
        write_files(site, config)
        built = subprocess.run([HUGO, "--quiet", "-s", site, "-d", os.path.join(work, "public"),
                                *build.get("hugo", [])], capture_output=True, text=True)
        check(built.returncode == 0, f"hugo failed: {built.stderr}")
        public = os.path.join(work, "public")
        leo_index(site, db, env=build.get("env"))
        hits = ask(db, WORD)
        check(len(hits) > 5, f"only {len(hits)} pairs found")
        if "again" in build:
            args, env = build["again"]
            leo_index(site, os.path.join(work, "db2"), args, env)
            again = ask(os.path.join(work, "db2"), WORD)
            check(sorted(h["url"] for h in again) == sorted(h["url"] for h in hits),
                  f"{args} {env} reads another config: {sorted(h['url'] for h in again)}")
        found_files = set()
        for hit in hits:
            file = public_file(public, hit["url"], base_path)
            found_files.add(os.path.normpath(file))
            if not os.path.isfile(file):
                check(False, f"{hit['id']}: {hit['url']} is no page in public/")
                continue
            ids, _ = read_html(file)
            if hit["anchor"]:
                check(hit["anchor"] in ids, f"{hit['id']}: anchor #{hit['anchor']} not in {hit['url']} (ids: {sorted(ids)})")
            for pattern in [r"\|", r"\[!", r"\{[#.]", r"\{\{", r"\[\^", r"(^|\n): ", r"<", r"\*\*", r"\]\("]:
                check(not re.search(pattern, hit["answer"]), f"{hit['id']}: markup {pattern} in {hit['answer']!r}")
        # Every page Hugo published with fixture text gives at least one pair; the pages that
        # hold the unpublished pages' word are exactly those leo finds by it.
        published_hidden = set()
        for root, _, names in os.walk(public):
            for n in names:
                if n.endswith(".html"):
                    path = os.path.join(root, n)
                    _, text = read_html(path)
                    if WORD in text:
                        check(os.path.normpath(path) in found_files,
                              f"{os.path.relpath(path, public)} has text but no pair")
                    if HIDDEN in text:
                        published_hidden.add(os.path.normpath(path))
        for query, wanted, unwanted in STEM_QUERIES.get(SITE, []):
            found = subprocess.run([LEO_ASK, "--db", db, "--json", query], capture_output=True, text=True)
            pages = [h["id"].split("#")[0] for h in json.loads(found.stdout)["hits"]] if found.returncode == 0 else []
            check(wanted in pages, f"{query!r} does not find {wanted} (found {pages})")
            for page in unwanted:
                check(page not in pages, f"{query!r} finds {page} (found {pages})")
        hidden = {os.path.normpath(public_file(public, h["url"], base_path)) for h in ask(db, HIDDEN)}
        check(hidden == published_hidden,
              f"pages found by {HIDDEN!r} {sorted(hidden)} are not those hugo published with it "
              f"{sorted(published_hidden)}")
    print(f"{SITE}: {len(hits)} pairs checked, {len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
