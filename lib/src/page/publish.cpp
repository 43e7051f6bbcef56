#include "page/publish.hpp"

#include "page/front_matter.hpp"
#include "page/page_file.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace leo::detail {
namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

} // namespace

std::optional<std::int64_t> utc_seconds(std::string_view iso) {
    std::string s(iso);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 || month < 1 ||
        month > 12 || day < 1 || day > 31) {
        return std::nullopt;
    }
    auto rest = std::string_view(s).substr(static_cast<std::size_t>(consumed));
    std::int64_t offset = 0;
    if (!rest.empty() && (rest[0] == 'T' || rest[0] == 't' || rest[0] == ' ')) {
        int n = 0;
        std::string time(rest.substr(1));
        if (std::sscanf(time.c_str(), "%2d:%2d%n:%2d%n", &hour, &minute, &n, &second, &n) < 2) {
            return std::nullopt;
        }
        rest = rest.substr(1 + static_cast<std::size_t>(n));
        while (!rest.empty() && (rest[0] == '.' || (rest[0] >= '0' && rest[0] <= '9'))) {
            rest.remove_prefix(1); // fractions of a second
        }
        int oh = 0, om = 0;
        std::string zone(rest);
        if (!rest.empty() && (rest[0] == '+' || rest[0] == '-') &&
            std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) == 2) {
            offset = (rest[0] == '-' ? -1 : 1) * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
        }
    }
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
           std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second - offset;
}

bool is_published(const FrontMatter& fm, std::int64_t now, PublishSwitches switches) {
    if ((fm.draft && !switches.drafts) || fm.headless || fm.render_never) {
        return false;
    }
    const auto& publish = fm.publish_date.empty() ? fm.date : fm.publish_date;
    if (auto at = utc_seconds(publish); at && *at > now && !switches.future) {
        return false;
    }
    if (auto at = utc_seconds(fm.expiry_date); at && *at <= now && !switches.expired) {
        return false;
    }
    return true;
}

const std::optional<FrontMatter>& Sections::section(const std::filesystem::path& folder,
                                                    const std::string& suffix) {
    const std::lock_guard lock(mutex_);
    auto key = folder.generic_string() + "\n" + suffix;
    auto found = sections_.find(key);
    if (found != sections_.end()) {
        return found->second;
    }
    std::optional<FrontMatter> fm;
    for (const char* extension : {".md", ".markdown", ".html", ".htm"}) {
        auto relative = folder / ("_index" + suffix + extension);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(root_ / relative, ec)) {
            continue;
        }
        auto read = read_page_file(root_ / relative, max_bytes_);
        try {
            if (!read.problem) {
                fm = parse_front_matter(split_front_matter(read.text, relative), relative);
            }
        } catch (const std::exception&) {
            // The section page reports its own error when it is indexed; its pages stand.
        }
        break;
    }
    return sections_.emplace(key, std::move(fm)).first->second;
}

bool Sections::is_published(const FrontMatter& page, const std::filesystem::path& relative) {
    // The folders above the page, the outermost first: `a/b/p.md` → ``, `a`, `a/b`; a section
    // page `a/_index.md` is the section `a` itself, below ``.
    const auto name = relative.filename().string();
    const bool is_section = name.rfind("_index.", 0) == 0;
    // `.fr` of `p.fr.md` when it names the page's language, not the `.2` of `v1.2.md`.
    auto suffix = relative.stem().extension().string();
    if (suffix.size() < 2 || suffix.substr(1) != page.language) {
        suffix.clear();
    }
    std::vector<std::filesystem::path> folders{{}};
    for (const auto& part : relative.parent_path()) {
        folders.push_back(folders.back() / part);
    }
    if (is_section) {
        folders.pop_back();
    }
    FrontMatter fm = page;
    std::optional<bool> render_never = page.cascade_render_never;
    bool draft = page.draft || page.cascade_draft;
    for (auto folder = folders.rbegin(); folder != folders.rend(); ++folder) {
        const auto& above = section(*folder, suffix);
        if (!above) {
            continue;
        }
        FrontMatter section_fm = *above;
        section_fm.draft = section_fm.draft || section_fm.cascade_draft;
        section_fm.headless = false; // a headless section still has pages
        section_fm.render_never = false;
        if (!folder->empty() && !detail::is_published(section_fm, now_, switches_)) {
            return false;
        }
        draft = draft || above->cascade_draft;
        if (!render_never) {
            render_never = above->cascade_render_never;
        }
    }
    fm.draft = draft;
    if (!page.render_given && render_never) {
        fm.render_never = *render_never;
    }
    return detail::is_published(fm, now_, switches_);
}

} // namespace leo::detail
