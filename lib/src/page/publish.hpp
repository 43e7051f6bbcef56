#pragma once
// Whether Hugo publishes a page, from its front matter: the rules of `hugo` with no flags.

#include <cstdint>
#include <leo/page.hpp>
#include <optional>
#include <string_view>

namespace leo::detail {

/// Seconds since 1970 (UTC) of an ISO 8601 date as FrontMatter keeps it (`2024-05-01`,
/// `2024-05-01T10:00:00+02:00`); a date without an offset is UTC, as Hugo reads it by default.
[[nodiscard]] std::optional<std::int64_t> utc_seconds(std::string_view iso);

/// False for what `hugo` leaves out of the site: drafts (unless `drafts`), headless bundles,
/// `build.render = never`, a publish date (else `date`) after `now` and an expiry date at or
/// before it (`now`: seconds since 1970, UTC).
[[nodiscard]] bool is_published(const FrontMatter& fm, std::int64_t now, bool drafts = false);

} // namespace leo::detail
