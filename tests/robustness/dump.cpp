// leo_dump INDEX: one line per pair, `id<TAB>hash of its data, values and terms`, sorted; then one
// line per remembered file, `file<TAB>path<TAB>what leo remembers of it` (mtime, size, content
// hash). Two indexes with the same dump hold the same pairs with the same content and the same
// record of each file. Also checks that the index is whole: every page's pairs are all there (ids
// 1..n), or none. Exit 0 whole, 1 not whole, 3 cannot open.
//
// leo_dump --foreign PATH: makes a Xapian database leo did not write (one document, no
// metadata), for the bad-database tests.
// leo_dump --set-metadata PATH KEY VALUE: changes one metadata entry (an older format version).

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>
#include <xapian.h>

namespace {

int dump(const std::string& path) {
    Xapian::Database db(path);
    std::vector<std::string> lines;
    std::map<std::string, std::set<int>> positions;
    for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it) {
        std::string id = (*it).substr(1);
        auto post = db.postlist_begin(*it);
        // Everything leo stores of a pair: its document data, every value slot, every term
        // with its wdf (the BM25 impact) — two dumps agree only if the pairs are the same.
        auto doc = db.get_document(*post);
        std::uint64_t hash = 14695981039346656037ull;
        auto mix = [&](const std::string& bytes) {
            for (unsigned char c : bytes) {
                hash = (hash ^ c) * 1099511628211ull;
            }
            hash = (hash ^ 0xffu) * 1099511628211ull; // a separator: "ab","c" is not "a","bc"
        };
        mix(doc.get_data());
        for (auto value = doc.values_begin(); value != doc.values_end(); ++value) {
            mix(std::to_string(value.get_valueno()));
            mix(*value);
        }
        for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
            mix(*term);
            mix(std::to_string(term.get_wdf()));
        }
        lines.push_back(id + "\t" + std::to_string(hash));
        auto hash_mark = id.rfind('#');
        positions[id.substr(0, hash_mark)].insert(std::stoi(id.substr(hash_mark + 1)));
    }
    std::sort(lines.begin(), lines.end());
    for (const auto& line : lines) {
        std::cout << line << '\n';
    }
    std::vector<std::string> files;
    for (auto key = db.metadata_keys_begin("F"); key != db.metadata_keys_end("F"); ++key) {
        auto value = db.get_metadata(*key);
        if (!value.empty()) {
            // `mtime size hash path`: the path last, as it may hold spaces
            std::size_t cut = 0;
            for (int field = 0; field < 3 && cut != std::string::npos; ++field) {
                cut = value.find(' ', cut == 0 ? 0 : cut + 1);
            }
            files.push_back("file\t" + value.substr(cut + 1) + "\t" + value.substr(0, cut));
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& line : files) {
        std::cout << line << '\n';
    }
    int broken = 0;
    for (const auto& [page, ks] : positions) {
        if (*ks.rbegin() != static_cast<int>(ks.size())) {
            std::cerr << "half a page: " << page << " has " << ks.size() << " pairs up to #"
                      << *ks.rbegin() << '\n';
            ++broken;
        }
    }
    if (db.get_doccount() != lines.size()) {
        std::cerr << "documents without ids: " << db.get_doccount() - lines.size() << '\n';
        ++broken;
    }
    return broken ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "--foreign") {
            Xapian::WritableDatabase db(args[1], Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
            Xapian::Document doc;
            doc.add_term("hello");
            doc.set_data("not leo's");
            db.add_document(doc);
            db.commit();
            return 0;
        }
        if (args.size() == 4 && args[0] == "--set-metadata") {
            Xapian::WritableDatabase db(args[1], Xapian::DB_OPEN);
            db.set_metadata(args[2], args[3]);
            db.commit();
            return 0;
        }
        if (args.size() == 1 && args[0][0] != '-') {
            return dump(args[0]);
        }
        std::cerr << "usage: leo_dump INDEX | --foreign PATH | --set-metadata PATH KEY VALUE\n";
        return 2;
    } catch (const Xapian::Error& e) {
        std::cerr << "leo_dump: " << e.get_description() << '\n';
        return 3;
    }
}
