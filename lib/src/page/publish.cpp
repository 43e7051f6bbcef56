#include "page/publish.hpp"

#include <cstdio>
#include <string>

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

bool is_published(const FrontMatter& fm, std::int64_t now, bool drafts) {
    if ((fm.draft && !drafts) || fm.headless || fm.render_never) {
        return false;
    }
    const auto& publish = fm.publish_date.empty() ? fm.date : fm.publish_date;
    if (auto at = utc_seconds(publish); at && *at > now) {
        return false;
    }
    if (auto at = utc_seconds(fm.expiry_date); at && *at <= now) {
        return false;
    }
    return true;
}

} // namespace leo::detail
