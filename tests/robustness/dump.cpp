// leo_dump INDEX: one line per pair, `id<TAB>hash of its stored data`, sorted; then one line per
// remembered file. Two indexes with the same dump hold the same pairs with the same content.
// Also checks that the index is whole: every page's pairs are all there (ids 1..n), or none.

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: leo_dump INDEX\n";
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        std::vector<std::string> lines;
        std::map<std::string, std::set<int>> positions;
        for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it) {
            std::string id = (*it).substr(1);
            auto post = db.postlist_begin(*it);
            std::string data = db.get_document(*post).get_value(2); // leo's pair data slot
            std::uint64_t hash = 14695981039346656037ull;
            for (unsigned char c : data) {
                hash = (hash ^ c) * 1099511628211ull;
            }
            lines.push_back(id + "\t" + std::to_string(hash));
            auto hash_mark = id.rfind('#');
            positions[id.substr(0, hash_mark)].insert(std::stoi(id.substr(hash_mark + 1)));
        }
        std::sort(lines.begin(), lines.end());
        for (const auto& line : lines) {
            std::cout << line << '\n';
        }
        for (auto key = db.metadata_keys_begin("F"); key != db.metadata_keys_end("F"); ++key) {
            auto value = db.get_metadata(*key);
            if (!value.empty()) {
                std::cout << "file\t" << value.substr(value.rfind(' ') + 1) << '\n';
            }
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
    } catch (const Xapian::Error& e) {
        std::cerr << "leo_dump: " << e.get_description() << '\n';
        return 3;
    }
}
