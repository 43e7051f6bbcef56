#include "search/query_form.hpp"

#include "search/ranking_constants.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace leo::detail {

bool reads_as_text(std::string_view text,
                   const std::function<bool(std::string_view)>& is_stop_word) {
    const auto quotes = std::count(text.begin(), text.end(), '"');
    if (quotes % 2 == 1 || text.find('?') != std::string_view::npos) {
        return true;
    }
    std::size_t words = 0;
    bool stop_outside_quotes = false;
    bool inside = false;
    std::string word;
    auto end_word = [&] {
        if (word.empty()) {
            return;
        }
        ++words;
        // An operator is syntax whatever else it is (`NOT` is also the stop word "not").
        const bool upper = std::all_of(word.begin(), word.end(),
                                       [](unsigned char c) { return std::isupper(c) != 0; });
        if (!inside && !upper) {
            std::transform(word.begin(), word.end(), word.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            stop_outside_quotes = stop_outside_quotes || is_stop_word(word);
        }
        word.clear();
    };
    for (char c : text) {
        if (c == '"') {
            end_word();
            inside = !inside;
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0 ||
                   (std::ispunct(static_cast<unsigned char>(c)) != 0 && c != '\'')) {
            end_word();
        } else {
            word.push_back(c);
        }
    }
    end_word();
    return words > max_query_words || (quotes > 0 && stop_outside_quotes);
}

std::vector<double> long_query_weights(const std::vector<double>& idf) {
    std::vector<double> weights(idf.size(), 1.0);
    if (idf.size() <= long_query_terms) {
        return weights;
    }
    const double top = *std::max_element(idf.begin(), idf.end());
    if (top <= 0) {
        return weights;
    }
    for (std::size_t i = 0; i < idf.size(); ++i) {
        weights[i] = std::max(idf[i], 0.0) / top;
    }
    return weights;
}

double repeated_word_weight(int occurrences) {
    const double q = std::max(occurrences, 1);
    constexpr double k3 = ranking::repeated_word_k3;
    return (k3 + 1) * q / (k3 + q);
}

} // namespace leo::detail
