#pragma once
// Copies of one answer: which pairs the second stage folds into one hit, and which copy the hit
// shows. Versioned documentation holds the same question on the same page once per version
// (`docs/v1.2/install.md`, `docs/v2.0/install.md`), with answers that differ by a word or two;
// one hit stands for them all and shows the newest. No Xapian here: plain text in, answers out.

#include <compare>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

/// The version a page path names in its folders, for ordering copies. A folder is
/// version-looking when it is a number with dots (`1.4`, `v1.2`, `V2`, `1.x`) or a date
/// (`2023-05`, `2023-05-01`), or one of `latest`, `stable`, `current`, which name the newest
/// release. A path without such a folder is newest too: sites that keep versions in folders
/// keep the current documentation at the path without one and archive the old ones in folders.
/// The file name itself is never a version (`1.2.md` is release notes, not a version of a page).
struct PathVersion {
    /// Per version-looking folder, in order: its numbers (`x` is the highest number of its
    /// line); empty for `latest`, `stable`, `current`.
    std::vector<std::vector<unsigned long long>> folders;
    /// Newer compares greater: folder by folder, numbers compared as numbers (`v10.0` > `v2.0`,
    /// `1.2` == `1.2.0`); a named or missing folder is newer than any number.
    [[nodiscard]] std::strong_ordering operator<=>(const PathVersion& other) const;
    [[nodiscard]] bool operator==(const PathVersion& other) const {
        return (*this <=> other) == std::strong_ordering::equal;
    }
};

/// True for a folder name that names a version (see PathVersion).
[[nodiscard]] bool is_version_folder(std::string_view folder);
/// The versions `path`'s folders name.
[[nodiscard]] PathVersion path_version(std::string_view path);
/// `path` without its version-looking folders: the same page in every version.
[[nodiscard]] std::string versionless_path(std::string_view path);

/// |a ∩ b| / |a ∪ b|; 1 for two empty sets.
[[nodiscard]] double jaccard(const std::set<std::string>& a, const std::set<std::string>& b);

/// Two answers this alike (by jaccard() of their folded words, numbers left out) to the same
/// question on the same page of two versions are one answer.
inline constexpr double near_identical_share = 0.8;

/// What the choice of the copy to show looks at.
struct CopyFacts {
    std::string_view path;
    std::string_view date; ///< front matter date, ISO 8601 as stored; may be empty
};

/// True when `a` is a newer copy than `b`: by path_version(), else by date (a copy with no date
/// is older than one with a date). Neither newer: the caller keeps the better-scored. A strict
/// weak order, for sorting.
[[nodiscard]] bool newer_copy(const CopyFacts& a, const CopyFacts& b);

} // namespace leo::detail
