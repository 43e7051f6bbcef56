#pragma once
// The one analyser: ICU normalise → segment → fold, then Xapian's Snowball stemmer.
// Indexing and querying both go through it, so the two cannot disagree on a term.

#include "text/ascii_words.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unicode/uversion.h>
#include <unordered_map>
#include <utility>
#include <vector>

// Xapian stays out of the text layer's header: only analyzer.cpp needs the Snowball stemmer.
namespace Xapian {
class Stem;
}

U_NAMESPACE_BEGIN
class BreakIterator;
class Normalizer2;
U_NAMESPACE_END

namespace leo::detail {

/// A word found in a text: its folded form and the bytes it came from.
struct Word {
    std::string folded;
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// Not thread-safe (ICU break iterators keep state): one Analyzer per thread.
class Analyzer {
public:
    /// `language`: an ISO 639-1 code or Snowball name (`en`, `german`); `none` for no stemming.
    explicit Analyzer(std::string_view language);
    ~Analyzer();
    Analyzer(Analyzer&&) noexcept;
    Analyzer& operator=(Analyzer&&) noexcept;

    /// Words longer than this many bytes after folding are dropped (Xapian's own limit is 245).
    static constexpr std::size_t max_word_bytes = ascii::max_word_bytes;

    /// Splits `text` (UTF-8) into words and folds each: NFKC case fold, Latin accents removed,
    /// inner punctuation dropped (`don't` → `dont`). CJK and Thai runs are split into words.
    [[nodiscard]] std::vector<Word> words(std::string_view text);

    /// Calls `sink(folded, begin, end)` for every word; the allocation-free form of words().
    template <class Sink> void for_each_word(std::string_view text, Sink&& sink);

    /// The term a folded word is indexed under (its stem, or itself when it does not start with
    /// a letter, as Xapian's QueryParser decides).
    [[nodiscard]] const std::string& term(const std::string& folded);

    /// The term a folded word of a page in another language is indexed under: its stem by
    /// `stemmer` (a Snowball name from page_stemmer()); empty `stemmer` is term(folded).
    [[nodiscard]] const std::string& term(const std::string& folded, const std::string& stemmer);

    /// The Snowball stemmer a page of `language` is analysed with when it is not this
    /// analyser's own (`sv` in an English index → `swedish`); empty when the page is analysed as
    /// the index is: the same stemmer, no language, or one Xapian cannot stem.
    [[nodiscard]] std::string page_stemmer(std::string_view language) const;

    /// Folds the words of a raw query in place, keeping its syntax (quotes, brackets, `+`/`-`,
    /// upper-case operators and `prefix:` names in `prefixes`) as written.
    [[nodiscard]] std::string fold_query(std::string_view raw,
                                         const std::vector<std::string>& prefixes);

    /// Folds a whole string (for tags and lexicon entries): words joined by single spaces.
    [[nodiscard]] std::string fold_phrase(std::string_view text);

    /// Segment with ICU even for ASCII text (which otherwise takes an equivalent fast path):
    /// for the test that checks the two agree.
    void force_icu(bool on) { force_icu_ = on; }

    /// A Xapian::Stem that stems exactly as term() does, for the QueryParser.
    [[nodiscard]] const Xapian::Stem& stemmer() const;
    [[nodiscard]] const std::string& language() const { return language_; }

    /// Snowball's name for a language code (`en` → `english`, any case), or the input in lower
    /// case when unknown.
    [[nodiscard]] static std::string snowball_name(std::string_view language);
    /// The ISO 639-1 code of a Snowball name (`german` → `de`), lower-cased; any other
    /// `language` comes back lower-cased as it is.
    [[nodiscard]] static std::string iso_code(std::string_view language);

    /// True when this Xapian has a Snowball stemmer for `language`; words of any other language
    /// are indexed unstemmed.
    [[nodiscard]] static bool can_stem(std::string_view language);

private:
    void segment(std::string_view text,
                 void (*emit)(void*, std::string_view, std::size_t, std::size_t, bool),
                 void* context);
    bool fold_word(std::string_view word, std::string& out) const;

    std::string language_;
    struct Stemmers; // this analyser's Snowball stemmer and other languages', each with a cache
    std::unique_ptr<Stemmers> stemmers_;
    std::unique_ptr<icu::BreakIterator> breaker_;
    const icu::Normalizer2* casefold_ = nullptr;
    const icu::Normalizer2* decompose_ = nullptr;
    const icu::Normalizer2* compose_ = nullptr;
    std::string scratch_;
    bool force_icu_ = false;
};

template <class Sink> void Analyzer::for_each_word(std::string_view text, Sink&& sink) {
    if (!force_icu_ && ascii::is_ascii(text)) {
        ascii::segment(
            text, [&](std::string_view piece, std::size_t begin, std::size_t end, bool is_word) {
                if (is_word && ascii::fold(piece, scratch_)) {
                    sink(std::as_const(scratch_), begin, end);
                }
            });
        return;
    }
    struct Context {
        Analyzer* self;
        Sink* sink;
    } context{this, &sink};
    segment(
        text,
        [](void* raw, std::string_view word, std::size_t begin, std::size_t end, bool is_word) {
            auto* ctx = static_cast<Context*>(raw);
            if (!is_word) {
                return;
            }
            if (ctx->self->fold_word(word, ctx->self->scratch_)) {
                (*ctx->sink)(std::as_const(ctx->self->scratch_), begin, end);
            }
        },
        &context);
}

} // namespace leo::detail
