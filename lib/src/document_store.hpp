#pragma once
// What a pair's Xapian document carries as data: everything a hit shows, nothing re-read.

#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

struct StoredPair {
    std::string id;
    std::string path;
    std::string question;
    std::string answer;
    std::string anchor;
    std::string url; ///< page URL with `#anchor`
    std::string title;
    std::string date;
    std::vector<std::string> tags;
};

/// Length-prefixed fields: compact, and decoding needs no parsing of the text itself.
[[nodiscard]] std::string encode(const StoredPair& pair);
/// Throws IndexError when `data` is not a StoredPair of this format.
[[nodiscard]] StoredPair decode(std::string_view data);

} // namespace leo::detail
