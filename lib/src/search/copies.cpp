#include "search/copies.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

namespace leo::detail {
namespace {

constexpr auto highest = std::numeric_limits<unsigned long long>::max();

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The number at the front of `text`, consumed; none when it does not start with a digit.
// Saturates rather than wraps: a folder of twenty digits is still a (large) version.
std::optional<unsigned long long> take_number(std::string_view& text) {
    if (text.empty() || !is_digit(text.front())) {
        return std::nullopt;
    }
    unsigned long long n = 0;
    while (!text.empty() && is_digit(text.front())) {
        const auto digit = static_cast<unsigned long long>(text.front() - '0');
        n = n > (highest - digit) / 10 ? highest : n * 10 + digit;
        text.remove_prefix(1);
    }
    return n;
}

// `2023-05` or `2023-05-01`.
std::optional<std::vector<unsigned long long>> date_numbers(std::string_view folder) {
    if (folder.size() < 6 || !std::all_of(folder.begin(), folder.begin() + 4, is_digit) ||
        folder[4] != '-') {
        return std::nullopt;
    }
    std::vector<unsigned long long> numbers;
    for (;;) {
        auto n = take_number(folder);
        if (!n) {
            return std::nullopt;
        }
        numbers.push_back(*n);
        if (folder.empty()) {
            break;
        }
        if (folder.front() != '-' || numbers.size() == 3) {
            return std::nullopt;
        }
        folder.remove_prefix(1);
    }
    return numbers;
}

// `v1.2`, `1.4`, `2`, `1.x`.
std::optional<std::vector<unsigned long long>> dotted_numbers(std::string_view folder) {
    if (!folder.empty() && folder.front() == 'v') {
        folder.remove_prefix(1);
    }
    std::vector<unsigned long long> numbers;
    auto n = take_number(folder);
    if (!n) {
        return std::nullopt;
    }
    numbers.push_back(*n);
    while (!folder.empty()) {
        if (folder.front() != '.' || folder.size() == 1) {
            return std::nullopt;
        }
        folder.remove_prefix(1);
        if (folder == "x") {
            numbers.push_back(highest);
            break;
        }
        n = take_number(folder);
        if (!n) {
            return std::nullopt;
        }
        numbers.push_back(*n);
    }
    return numbers;
}

// The numbers of a version-looking folder: empty for a named newest one, none for any other.
std::optional<std::vector<unsigned long long>> version_numbers(std::string_view folder) {
    std::string lower(folder);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "latest" || lower == "stable" || lower == "current") {
        return std::vector<unsigned long long>{};
    }
    if (auto date = date_numbers(lower)) {
        return date;
    }
    return dotted_numbers(lower);
}

// The folders of `path`, without its file name.
std::vector<std::string_view> folders_of(std::string_view path) {
    std::vector<std::string_view> folders;
    for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/')) {
        folders.push_back(path.substr(0, slash));
        path.remove_prefix(slash + 1);
    }
    return folders;
}

std::strong_ordering compare_numbers(const std::vector<unsigned long long>& a,
                                     const std::vector<unsigned long long>& b) {
    // A named newest folder (no numbers) is newer than any number.
    if (a.empty() || b.empty()) {
        return a.empty() <=> b.empty();
    }
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        const auto x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
        if (x != y) {
            return x <=> y;
        }
    }
    return std::strong_ordering::equal;
}

} // namespace

std::strong_ordering PathVersion::operator<=>(const PathVersion& other) const {
    static const std::vector<unsigned long long> newest;
    for (std::size_t i = 0; i < std::max(folders.size(), other.folders.size()); ++i) {
        const auto& a = i < folders.size() ? folders[i] : newest;
        const auto& b = i < other.folders.size() ? other.folders[i] : newest;
        if (auto order = compare_numbers(a, b); order != std::strong_ordering::equal) {
            return order;
        }
    }
    return std::strong_ordering::equal;
}

bool is_version_folder(std::string_view folder) {
    return version_numbers(folder).has_value();
}

PathVersion path_version(std::string_view path) {
    PathVersion version;
    for (auto folder : folders_of(path)) {
        if (auto numbers = version_numbers(folder)) {
            version.folders.push_back(std::move(*numbers));
        }
    }
    return version;
}

std::string versionless_path(std::string_view path) {
    std::string out;
    for (auto folder : folders_of(path)) {
        if (!is_version_folder(folder)) {
            out.append(folder);
            out += '/';
        }
    }
    out.append(path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1));
    return out;
}

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
    if (a.empty() && b.empty()) {
        return 1.0;
    }
    std::size_t common = 0;
    for (const auto& word : a) {
        common += b.count(word);
    }
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

bool newer_copy(const CopyFacts& a, const CopyFacts& b) {
    if (auto order = path_version(a.path) <=> path_version(b.path);
        order != std::strong_ordering::equal) {
        return order == std::strong_ordering::greater;
    }
    return a.date > b.date;
}

} // namespace leo::detail
