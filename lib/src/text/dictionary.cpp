#include "text/dictionary.hpp"

#include "text/analyzer.hpp"

#include <algorithm>
#include <cctype>
#include <hunspell.hxx>
#include <system_error>
#include <unicode/unistr.h>
#include <utility>

namespace leo::detail {

namespace {

// Snowball names, as a leo.toml may give them, to the codes dictionaries are named by.
std::string language_code(std::string_view language) {
    auto code = Analyzer::iso_code(language);
    std::replace(code.begin(), code.end(), '-', '_');
    return code;
}

// `en_us` → `en_US`: how hunspell files spell a region.
std::string file_stem(const std::string& code) {
    auto underscore = code.find('_');
    if (underscore == std::string::npos) {
        return code;
    }
    std::string out = code.substr(0, underscore + 1);
    for (char c : code.substr(underscore + 1)) {
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

std::optional<std::filesystem::path> find_dic(const std::string& code,
                                              const std::filesystem::path& folder) {
    std::error_code ec;
    auto exists = [&](const std::filesystem::path& p) {
        return std::filesystem::is_regular_file(p, ec) &&
               std::filesystem::is_regular_file(std::filesystem::path(p).replace_extension(".aff"),
                                                ec);
    };
    const auto stem = file_stem(code);
    if (code.find('_') != std::string::npos) {
        auto p = folder / (stem + ".dic");
        return exists(p) ? std::optional(p) : std::nullopt;
    }
    // A bare code: the language's own region (`de_DE`), the bare name, then any region.
    std::string upper = stem;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::string same_region = stem;
    same_region.append("_").append(upper);
    for (const auto& name : {same_region, stem, std::string(stem == "en" ? "en_US" : "")}) {
        if (!name.empty() && exists(folder / (name + ".dic"))) {
            return folder / (name + ".dic");
        }
    }
    std::vector<std::filesystem::path> regional;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const auto name = entry.path().filename().string();
        if (name.rfind(stem + "_", 0) == 0 && entry.path().extension() == ".dic" &&
            exists(entry.path())) {
            regional.push_back(entry.path());
        }
    }
    if (regional.empty()) {
        return std::nullopt;
    }
    return *std::min_element(regional.begin(), regional.end());
}

} // namespace

std::vector<std::filesystem::path> Dictionary::system_folders() {
    return {"/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts"};
}

std::optional<Dictionary> Dictionary::open(std::string_view language,
                                           const std::vector<std::filesystem::path>& folders) {
    const auto code = language_code(language);
    if (code.empty() || code == "none") {
        return std::nullopt;
    }
    for (const auto& folder : folders) {
        if (auto dic = find_dic(code, folder)) {
            auto aff = std::filesystem::path(*dic).replace_extension(".aff");
            auto hunspell = std::make_unique<Hunspell>(aff.c_str(), dic->c_str());
            return Dictionary(std::move(hunspell), *dic);
        }
    }
    return std::nullopt;
}

Dictionary::Dictionary(std::unique_ptr<Hunspell> hunspell, std::filesystem::path path)
    : hunspell_(std::move(hunspell)), path_(std::move(path)) {
    auto encoding = hunspell_->get_dict_encoding();
    std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    utf8_ = encoding == "UTF-8" || encoding == "UTF8";
}
Dictionary::~Dictionary() = default;
Dictionary::Dictionary(Dictionary&&) noexcept = default;
Dictionary& Dictionary::operator=(Dictionary&&) noexcept = default;

bool Dictionary::knows(std::string_view word) const {
    if (word.empty()) {
        return false;
    }
    // hunspell accepts "Paris" but not "paris", and leo's words arrive case-folded: a lower-case
    // word is also tried with a capital, so names stay words.
    std::string text(word);
    if (!utf8_) {
        // An older dictionary in a legacy charset (ISO-8859-x): hunspell wants its own bytes.
        const auto unicode = icu::UnicodeString::fromUTF8(
            icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
        const auto encoding = hunspell_->get_dict_encoding();
        std::string bytes(static_cast<std::size_t>(unicode.length()) * 4 + 1, '\0');
        const auto n = unicode.extract(0, unicode.length(), bytes.data(),
                                       static_cast<uint32_t>(bytes.size()), encoding.c_str());
        bytes.resize(std::min<std::size_t>(static_cast<std::size_t>(n), bytes.size()));
        text = bytes;
    }
    if (hunspell_->spell(text)) {
        return true;
    }
    if (std::islower(static_cast<unsigned char>(text.front())) != 0) {
        text.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(text.front())));
        return hunspell_->spell(text);
    }
    return false;
}

} // namespace leo::detail
