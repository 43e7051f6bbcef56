#include "search/compounds.hpp"

#include <algorithm>

namespace leo::detail {
namespace {

bool continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::size_t letters(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return !continuation_byte(c); }));
}

std::string joined_by(const std::vector<std::string>& words, std::string_view separator) {
    std::string out;
    for (const auto& w : words) {
        out += (out.empty() ? "" : std::string(separator)) + w;
    }
    return out;
}

} // namespace

std::string Compound::describe() const {
    return joined_by(written, " ") + " → " + joined_by(read, " ");
}

bool adjacent(std::string_view text, const Word& a, const Word& b, bool& hyphen) {
    hyphen = false;
    if (a.end > b.begin || b.begin > text.size()) {
        return false;
    }
    for (char c : text.substr(a.end, b.begin - a.end)) {
        if (c == '-') {
            hyphen = true;
        } else if (c != ' ' && c != '\t') {
            return false;
        }
    }
    return true;
}

std::optional<Compound> joined_word(const Xapian::Database& db, Analyzer& analyzer,
                                    const std::string& a, const std::string& b) {
    const std::string word = a + b;
    if (a.empty() || b.empty() || letters(word) < min_joined_letters) {
        return std::nullopt;
    }
    Compound c{{a, b}, {analyzer.term(a), analyzer.term(b)}, {word}, {analyzer.term(word)}};
    const auto& term = c.terms.front();
    if (term == c.written_terms[0] || term == c.written_terms[1] || db.get_termfreq(term) == 0) {
        return std::nullopt;
    }
    return c;
}

std::optional<Compound> split_word(const Xapian::Database& db, Analyzer& analyzer,
                                   const std::string& folded) {
    std::optional<Compound> best;
    Xapian::doccount best_df = 0;
    const std::size_t total = letters(folded);
    if (total < 2 * min_split_letters) {
        return best;
    }
    std::size_t seen = 0; // letters before `at`
    for (std::size_t at = 0; at < folded.size(); ++at) {
        if (continuation_byte(folded[at])) {
            continue;
        }
        if (seen >= min_split_letters && total - seen >= min_split_letters) {
            const std::string x = folded.substr(0, at), y = folded.substr(at);
            std::string x_term = analyzer.term(x);
            std::string y_term = analyzer.term(y);
            const auto df = std::min(db.get_termfreq(x_term), db.get_termfreq(y_term));
            if (df > best_df) {
                best_df = df;
                best = Compound{{folded},
                                {analyzer.term(folded)},
                                {x, y},
                                {std::move(x_term), std::move(y_term)}};
            }
        }
        ++seen;
    }
    return best;
}

} // namespace leo::detail
