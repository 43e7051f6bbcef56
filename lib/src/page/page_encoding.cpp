#include "page/page_encoding.hpp"

#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace leo::detail {
namespace {

struct Wide {
    std::string_view name;
    std::string_view mark;
    std::size_t unit; // bytes per code unit
    bool big_endian;
};

// UTF-32 LE first: its mark begins with UTF-16 LE's.
constexpr std::array<Wide, 4> wide_encodings{{
    {"UTF-32 LE", {"\xFF\xFE\0\0", 4}, 4, false},
    {"UTF-32 BE", {"\0\0\xFE\xFF", 4}, 4, true},
    {"UTF-16 LE", "\xFF\xFE", 2, false},
    {"UTF-16 BE", "\xFE\xFF", 2, true},
}};

const Wide* wide_of(std::string_view bytes) {
    for (const auto& wide : wide_encodings) {
        if (bytes.substr(0, wide.mark.size()) == wide.mark) {
            return &wide;
        }
    }
    return nullptr;
}

std::uint32_t unit_at(std::string_view bytes, std::size_t at, const Wide& wide) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < wide.unit; ++i) {
        const auto byte =
            static_cast<unsigned char>(bytes[at + (wide.big_endian ? i : wide.unit - 1 - i)]);
        value = (value << 8) | byte;
    }
    return value;
}

// The next code point at `at`, moving `at` past it; nothing when the units there are no
// character (`why` says how).
std::optional<UChar32> next_code_point(std::string_view bytes, std::size_t& at, const Wide& wide,
                                       const char*& why) {
    auto first = unit_at(bytes, at, wide);
    at += wide.unit;
    if (wide.unit == 4) {
        if (first > 0x10FFFF || U_IS_SURROGATE(first)) {
            why = "not a Unicode character";
            return std::nullopt;
        }
        return static_cast<UChar32>(first);
    }
    if (!U16_IS_SURROGATE(first)) {
        return static_cast<UChar32>(first);
    }
    if (U16_IS_SURROGATE_LEAD(first) && at + 2 <= bytes.size()) {
        auto second = unit_at(bytes, at, wide);
        if (U16_IS_TRAIL(second)) {
            at += 2;
            return U16_GET_SUPPLEMENTARY(first, second);
        }
    }
    why = "an unpaired surrogate";
    return std::nullopt;
}

} // namespace

std::optional<std::string_view> wide_encoding(std::string_view bytes) {
    const auto* wide = wide_of(bytes);
    return wide ? std::optional(wide->name) : std::nullopt;
}

std::optional<EncodingProblem> decode_wide_page(std::string& bytes, bool prefix) {
    const auto* wide = wide_of(bytes);
    if (!wide) {
        return std::nullopt;
    }
    std::string_view in = bytes;
    std::string out;
    out.reserve(in.size()); // UTF-8 of BMP text from UTF-16 is at most 1.5 times: one growth
    std::size_t line = 1;
    std::size_t at = wide->mark.size();
    while (at + wide->unit <= in.size()) {
        const auto start = at;
        const char* why = "";
        auto code_point = next_code_point(in, at, *wide, why);
        if (!code_point) {
            if (prefix && at >= in.size()) {
                break; // a surrogate pair cut by the end of the prefix
            }
            return EncodingProblem{
                line, fmt::format("encoded as {}, broken at byte {}: {}", wide->name, start, why)};
        }
        std::array<char, U8_MAX_LENGTH> utf8{};
        std::int32_t length = 0;
        [[maybe_unused]] UBool error = false;
        U8_APPEND(reinterpret_cast<std::uint8_t*>(utf8.data()), length, U8_MAX_LENGTH, *code_point,
                  error);
        out.append(utf8.data(), static_cast<std::size_t>(length));
        line += *code_point == '\n' ? 1 : 0;
    }
    if (at != in.size() && !prefix) {
        return EncodingProblem{line, fmt::format("encoded as {}, cut in the middle of a character "
                                                 "at byte {}",
                                                 wide->name, at)};
    }
    bytes = std::move(out);
    return std::nullopt;
}

} // namespace leo::detail
