#!/usr/bin/env python3
"""Prints the per-language stop lists of lib/data/stopwords.toml from Apache Lucene's own.

usage: scripts/stopwords_from_lucene.py DIR > lists.toml
DIR: org/apache/lucene/analysis/ unpacked from lucene-analyzers-common-8.7.0.jar (Debian's
liblucene8-java 8.8.1-4: `apt-get download liblucene8-java`, `dpkg-deb -x`, then
`unzip lucene-analyzers-common-8.7.0.jar 'org/apache/lucene/analysis/*/*.txt'`).
Lists are copied as they are (order kept, duplicates dropped); leo folds them at load time
the way it folds query words. The `en` and `chatter` lists of stopwords.toml are leo's own and
not printed.
"""
import os
import sys

# leo's key (ISO 639-1, as Analyzer::iso_code names the language), Lucene's file, its format.
SOURCES = [
    ("ar", "ar/stopwords.txt", "plain"),
    ("ca", "ca/stopwords.txt", "plain"),
    ("da", "snowball/danish_stop.txt", "snowball"),
    ("de", "snowball/german_stop.txt", "snowball"),
    ("es", "snowball/spanish_stop.txt", "snowball"),
    ("eu", "eu/stopwords.txt", "plain"),
    ("fi", "snowball/finnish_stop.txt", "snowball"),
    ("fr", "snowball/french_stop.txt", "snowball"),
    ("ga", "ga/stopwords.txt", "plain"),
    ("hu", "snowball/hungarian_stop.txt", "snowball"),
    ("hy", "hy/stopwords.txt", "plain"),
    ("id", "id/stopwords.txt", "plain"),
    ("it", "snowball/italian_stop.txt", "snowball"),
    ("lt", "lt/stopwords.txt", "plain"),
    ("nb", "snowball/norwegian_stop.txt", "snowball"),
    ("nl", "snowball/dutch_stop.txt", "snowball"),
    ("pt", "snowball/portuguese_stop.txt", "snowball"),
    ("ro", "ro/stopwords.txt", "plain"),
    ("ru", "snowball/russian_stop.txt", "snowball"),
    ("sv", "snowball/swedish_stop.txt", "snowball"),
    ("tr", "tr/stopwords.txt", "plain"),
]


def words(path, form):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if form == "snowball":
                line = line.split("|", 1)[0]  # `word | comment`, several words a line
                pieces = line.split()
            else:
                pieces = [] if line.lstrip().startswith("#") else line.split()
            for w in pieces:
                if w not in out:
                    out.append(w)
    return out


def toml_list(key, items, width=100):
    lines, line = [], key + " = ["
    indent = " " * len(line)
    for i, w in enumerate(items):
        piece = '"' + w + '"' + ("," if i + 1 < len(items) else "]")
        if len(line) + 1 + len(piece) > width and not line.endswith("["):
            lines.append(line)
            line = indent + piece
        else:
            line += ("" if line.endswith("[") else " ") + piece
    lines.append(line)
    return "\n".join(lines)


def main():
    root = sys.argv[1]
    for key, rel, form in SOURCES:
        items = words(os.path.join(root, rel), form)
        print("# %s: Lucene's %s, %d words" % (key, rel, len(items)))
        print(toml_list(key, items))
        print()


if __name__ == "__main__":
    main()
