#include "text/wordnet.hpp"

#include "text/embedded_data.hpp"

#include <map>
#include <sstream>

namespace leo::detail {

namespace {

// word<TAB>synonym synonym ...; `#` starts a comment line.
std::map<std::string, std::vector<std::string>, std::less<>> parse(std::string_view text) {
    std::map<std::string, std::vector<std::string>, std::less<>> out;
    std::istringstream in{std::string(text)};
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (line.empty() || line[0] == '#' || tab == std::string::npos) {
            continue;
        }
        std::istringstream words(line.substr(tab + 1));
        auto& list = out[line.substr(0, tab)];
        for (std::string w; words >> w;) {
            list.push_back(std::move(w));
        }
    }
    return out;
}

} // namespace

const std::vector<std::string>& wordnet_synonyms(std::string_view folded) {
    static const auto lexicon = parse(shipped_wordnet_tsv);
    static const std::vector<std::string> none;
    if (const auto it = lexicon.find(folded); it != lexicon.end()) {
        return it->second;
    }
    // A plural's lemma, as WordNet's morphy finds it: "diseases" → "disease", "allergies" →
    // "allergy", "rashes" → "rash".
    auto ends = [&](std::string_view tail) {
        return folded.size() > tail.size() + 2 &&
               folded.substr(folded.size() - tail.size()) == tail;
    };
    std::vector<std::string> lemmas;
    if (ends("ies")) {
        lemmas.push_back(std::string(folded.substr(0, folded.size() - 3)) + "y");
    }
    if (ends("es")) {
        lemmas.emplace_back(folded.substr(0, folded.size() - 2));
    }
    if (ends("s") && !ends("ss")) {
        lemmas.emplace_back(folded.substr(0, folded.size() - 1));
    }
    for (const auto& lemma : lemmas) {
        if (const auto it = lexicon.find(lemma); it != lexicon.end()) {
            return it->second;
        }
    }
    return none;
}

} // namespace leo::detail
