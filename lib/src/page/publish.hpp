#pragma once
// Whether Hugo publishes a page, from its front matter: the rules of `hugo` with no flags.

#include <cstdint>
#include <filesystem>
#include <leo/page.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace leo::detail {

/// Seconds since 1970 (UTC) of an ISO 8601 date as FrontMatter keeps it (`2024-05-01`,
/// `2024-05-01T10:00:00+02:00`); a date without an offset is UTC, as Hugo reads it by default.
[[nodiscard]] std::optional<std::int64_t> utc_seconds(std::string_view iso);

/// Which pages `hugo` leaves out by default it publishes all the same: the site config's
/// `buildDrafts`, `buildFuture` and `buildExpired` (leo's `index_drafts` too, for drafts).
struct PublishSwitches {
    bool drafts = false;
    bool future = false;
    bool expired = false;
};

/// False for what `hugo` leaves out of the site: drafts, a publish date (else `date`) after
/// `now` and an expiry date at or before it (`now`: seconds since 1970, UTC), each unless its
/// switch is on; headless bundles and `build.render = never` always.
[[nodiscard]] bool is_published(const FrontMatter& fm, std::int64_t now,
                                PublishSwitches switches = {});

/// What a page's sections decide of it, as `hugo` 0.111 builds a site: a section (`_index.md`)
/// that is a draft, future or expired (and not published by its switch) takes every page
/// below it out of the site; `cascade`'s
/// `draft` and `build.render` apply to the section itself and the pages below it, a page's own
/// `build` winning. The sections' front matter is read from disk once, and shared by threads.
class Sections {
public:
    Sections(std::filesystem::path root, std::int64_t now, PublishSwitches switches,
             std::size_t max_bytes)
        : root_(std::move(root)), now_(now), switches_(switches), max_bytes_(max_bytes) {}

    /// Whether Hugo publishes the page at `relative` (to the content folder) with front matter
    /// `fm`.
    [[nodiscard]] bool is_published(const FrontMatter& fm, const std::filesystem::path& relative);

private:
    // The front matter of the section page of `folder` (`_index.md`, or `_index.<lang>.md` for a
    // page of that language suffix), if it has one that parses.
    const std::optional<FrontMatter>& section(const std::filesystem::path& folder,
                                              const std::string& suffix);

    std::filesystem::path root_;
    std::int64_t now_;
    PublishSwitches switches_;
    std::size_t max_bytes_;
    std::mutex mutex_;
    std::map<std::string, std::optional<FrontMatter>> sections_;
};

} // namespace leo::detail
