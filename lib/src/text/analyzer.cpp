#include "text/analyzer.hpp"

#include "store/guarded.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <leo/config.hpp>
#include <leo/error.hpp>
#include <set>
#include <sstream>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <utility>
#include <xapian.h>

namespace leo::detail {
namespace {

// Latin, Greek and Cyrillic accents live in this block; marks elsewhere (Japanese voicing
// marks, Thai vowels, Indic signs) carry meaning and are kept.
bool is_foldable_accent(UChar32 c) {
    return c >= 0x0300 && c <= 0x036F;
}

bool is_word_char(UChar32 c) {
    return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

bool starts_with_letter(std::string_view folded) {
    if (folded.empty()) {
        return false;
    }
    UChar32 c = 0;
    int32_t i = 0;
    U8_NEXT(folded.data(), i, static_cast<int32_t>(folded.size()), c);
    return u_isalpha(c) != 0;
}

// ISO 639-1 codes and the Snowball stemmers that Xapian names after their language.
constexpr std::array<std::pair<std::string_view, std::string_view>, 26> snowball_codes{{
    {"ar", "arabic"},    {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
    {"da", "danish"},    {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
    {"fr", "french"},    {"de", "german"},    {"hu", "hungarian"},  {"id", "indonesian"},
    {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
    {"nb", "norwegian"}, {"nn", "norwegian"}, {"no", "norwegian"},  {"pt", "portuguese"},
    {"ro", "romanian"},  {"ru", "russian"},   {"es", "spanish"},    {"sv", "swedish"},
    {"ta", "tamil"},     {"tr", "turkish"},
}};

} // namespace

std::string Analyzer::snowball_name(std::string_view language) {
    // `AR`, `English`: tags and names are matched whatever their case.
    std::string lower(language);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto base = std::string_view(lower).substr(0, lower.find_first_of("-_"));
    for (auto [code, name] : snowball_codes) {
        if (base == code) {
            return std::string(name);
        }
    }
    return lower;
}

std::string Analyzer::iso_code(std::string_view language) {
    std::string lower(language);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (auto [code, name] : snowball_codes) {
        if (lower == name) {
            return std::string(code); // the first code of a name: `nb` for norwegian
        }
    }
    return lower;
}

bool Analyzer::can_stem(std::string_view language) {
    // Asked of Xapian itself, so a Xapian built without a stemmer (or an older one without
    // Arabic, Armenian…) indexes that language unstemmed instead of failing.
    static const std::set<std::string, std::less<>> available = [] {
        std::set<std::string, std::less<>> names;
        std::istringstream in(Xapian::Stem::get_available_languages());
        for (std::string name; in >> name;) {
            names.insert(name);
        }
        return names;
    }();
    return available.count(snowball_name(language)) > 0;
}

struct Analyzer::Stemmers {
    Xapian::Stem own;
    std::unordered_map<std::string, std::string> own_cache;
    // Other languages' stemmers (pages of a multilingual site), each with its own cache.
    struct Other {
        Xapian::Stem stem;
        std::unordered_map<std::string, std::string> cache;
    };
    std::unordered_map<std::string, Other> others;
};

Analyzer::Analyzer(std::string_view language)
    : language_(language), stemmers_(std::make_unique<Stemmers>()) {
    if (can_stem(language)) {
        // Listed yet refused: unstemmed rather than no index.
        stemmers_->own = or_else([&] { return Xapian::Stem(snowball_name(language)); },
                                 [] { return Xapian::Stem(); });
    }
    // Japanese, Chinese, Thai and other languages without a Snowball stemmer: words are indexed
    // as segmented, unstemmed.
    UErrorCode status = U_ZERO_ERROR;
    breaker_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    casefold_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
    decompose_ = icu::Normalizer2::getNFDInstance(status);
    compose_ = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || !breaker_) {
        throw Error("cannot set up the analyser for language '" + std::string(language) +
                    "': ICU " + u_errorName(status) + " (is ICU's data installed?)");
    }
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

void Analyzer::segment(std::string_view text,
                       void (*emit)(void*, std::string_view, std::size_t, std::size_t, bool),
                       void* context) {
    if (!force_icu_ && ascii::is_ascii(text)) {
        ascii::segment(text, [&](std::string_view piece, std::size_t b, std::size_t e, bool word) {
            emit(context, piece, b, e, word);
        });
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    // UText over the UTF-8 bytes: break positions come back as byte offsets, no conversion.
    UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    if (U_FAILURE(status)) {
        return;
    }
    breaker_->setText(utext, status);
    int32_t begin = breaker_->first();
    for (int32_t end = breaker_->next(); end != icu::BreakIterator::DONE;
         begin = end, end = breaker_->next()) {
        bool is_word = breaker_->getRuleStatus() >= UBRK_WORD_NONE_LIMIT;
        emit(context, text.substr(begin, end - begin), static_cast<std::size_t>(begin),
             static_cast<std::size_t>(end), is_word);
    }
    // Detach the iterator from the UText before it goes away.
    breaker_->setText(icu::UnicodeString());
    utext_close(utext);
}

bool Analyzer::fold_word(std::string_view word, std::string& out) const {
    if (ascii::is_ascii(word)) {
        return ascii::fold(word, out);
    }
    out.clear();
    UErrorCode status = U_ZERO_ERROR;
    auto source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    auto folded = casefold_->normalize(source, status);
    auto decomposed = decompose_->normalize(folded, status);
    icu::UnicodeString kept;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (!is_foldable_accent(c) && is_word_char(c)) {
            kept.append(c);
        }
    }
    auto composed = compose_->normalize(kept, status);
    if (U_FAILURE(status)) {
        return false;
    }
    composed.toUTF8String(out);
    return !out.empty() && out.size() <= max_word_bytes;
}

std::vector<Word> Analyzer::words(std::string_view text) {
    std::vector<Word> result;
    for_each_word(text, [&](const std::string& folded, std::size_t begin, std::size_t end) {
        result.push_back({folded, begin, end});
    });
    return result;
}

namespace {

const std::string& cached_stem(std::unordered_map<std::string, std::string>& cache,
                               const Xapian::Stem& stemmer, const std::string& folded) {
    auto found = cache.find(folded);
    if (found != cache.end()) {
        return found->second;
    }
    // The cache is bounded so a huge vocabulary cannot grow memory without limit: past this
    // many words it starts over, which costs only stemming them again.
    constexpr std::size_t max_cached_stems = 200'000;
    if (cache.size() > max_cached_stems) {
        cache.clear();
    }
    std::string stemmed = starts_with_letter(folded) ? stemmer(folded) : folded;
    if (stemmed.empty()) {
        // Arabic's stemmer strips a word that is all affix (`ال`, `وال`) to nothing, and Xapian
        // refuses an empty term: such a word stands for itself.
        stemmed = folded;
    }
    return cache.emplace(folded, std::move(stemmed)).first->second;
}

} // namespace

const std::string& Analyzer::term(const std::string& folded) {
    return cached_stem(stemmers_->own_cache, stemmers_->own, folded);
}

const Xapian::Stem& Analyzer::stemmer() const {
    return stemmers_->own;
}

const std::string& Analyzer::term(const std::string& folded, const std::string& stemmer) {
    if (stemmer.empty()) {
        return term(folded);
    }
    auto& others = stemmers_->others;
    auto found = others.find(stemmer);
    if (found == others.end()) {
        // An index built by a Xapian with a stemmer this one lacks: unstemmed forms.
        auto stem = or_else([&] { return Xapian::Stem(stemmer); }, [] { return Xapian::Stem(); });
        found = others.emplace(stemmer, Stemmers::Other{stem, {}}).first;
    }
    return cached_stem(found->second.cache, found->second.stem, folded);
}

std::string Analyzer::page_stemmer(std::string_view language) const {
    // A language Xapian cannot stem keeps the index's stemmer, as every page had before
    // leo read languages per page: its terms, and so its ranking, do not change.
    // `none` asks for no stemming at all.
    if (language.empty() || language_ == "none" || !can_stem(language) ||
        (can_stem(language_) && snowball_name(language) == snowball_name(language_))) {
        return {};
    }
    return snowball_name(language);
}

std::string Analyzer::fold_phrase(std::string_view text) {
    std::string result;
    for_each_word(text, [&](const std::string& folded, std::size_t, std::size_t) {
        if (!result.empty()) {
            result.push_back(' ');
        }
        result += folded;
    });
    return result;
}

std::string Analyzer::fold_query(std::string_view raw, const std::vector<std::string>& prefixes) {
    static constexpr std::array<std::string_view, 6> operators{"AND", "OR",   "NOT",
                                                               "XOR", "NEAR", "ADJ"};
    struct Context {
        Analyzer* self;
        std::string_view raw;
        const std::vector<std::string>* prefixes;
        std::string out;
        bool last_was_word = false;
    } ctx{this, raw, &prefixes, {}, false};
    segment(
        raw,
        [](void* p, std::string_view piece, std::size_t, std::size_t end, bool is_word) {
            auto* c = static_cast<Context*>(p);
            if (!is_word) {
                for (char ch : piece) {
                    // Control characters become spaces; so do underscores, which are no word
                    // of leo's but a word character of Xapian's. The rest is query syntax.
                    c->out.push_back(
                        static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f || ch == '_' ? ' '
                                                                                         : ch);
                }
                c->last_was_word = false;
                return;
            }
            if (c->last_was_word) {
                c->out.push_back(' '); // CJK words arrive back to back
            }
            c->last_was_word = true;
            bool is_operator =
                std::find(operators.begin(), operators.end(), piece) != operators.end();
            bool is_prefix =
                end < c->raw.size() && c->raw[end] == ':' &&
                std::find(c->prefixes->begin(), c->prefixes->end(), piece) != c->prefixes->end();
            if (is_operator || is_prefix) {
                c->out += piece;
                return;
            }
            if (c->self->fold_word(piece, c->self->scratch_)) {
                c->out += c->self->scratch_;
            } else {
                c->out.push_back(' ');
                c->last_was_word = false;
            }
        },
        &ctx);
    return ctx.out;
}

} // namespace leo::detail

namespace leo {

bool language_is_stemmed(std::string_view language) {
    return detail::Analyzer::can_stem(language);
}

} // namespace leo
