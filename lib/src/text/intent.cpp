#include "text/intent.hpp"

#include <algorithm>

namespace leo::detail {

IntentLexicon::IntentLexicon(const std::vector<IntentRule>& rules, Analyzer& analyzer) {
    auto analyse = [&](const std::vector<std::string>& cues) {
        std::vector<std::vector<std::string>> out;
        for (const auto& cue : cues) {
            std::vector<std::string> terms;
            for (const auto& word : analyzer.words(cue)) {
                terms.push_back(analyzer.term(word.folded));
            }
            if (!terms.empty()) {
                out.push_back(std::move(terms));
            }
        }
        return out;
    };
    for (const auto& rule : rules) {
        Rule r{rule.name, analyse(rule.query_cues), analyse(rule.question_cues),
               rule.answer_evidence};
        for (const auto& cue : r.query_cues) {
            cue_terms_.insert(cue_terms_.end(), cue.begin(), cue.end());
        }
        rules_.push_back(std::move(r));
    }
    std::sort(cue_terms_.begin(), cue_terms_.end());
    cue_terms_.erase(std::unique(cue_terms_.begin(), cue_terms_.end()), cue_terms_.end());
}

bool IntentLexicon::contains(const std::vector<std::string>& terms,
                             const std::vector<std::string>& cue) {
    return std::search(terms.begin(), terms.end(), cue.begin(), cue.end()) != terms.end();
}

std::optional<std::string>
IntentLexicon::query_intent(const std::vector<std::string>& terms) const {
    for (const auto& rule : rules_) {
        for (const auto& cue : rule.query_cues) {
            if (contains(terms, cue)) {
                return rule.name;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string>
IntentLexicon::question_intent(const std::vector<std::string>& terms) const {
    for (const auto& rule : rules_) {
        for (const auto& cue : rule.question_cues) {
            if (contains(terms, cue)) {
                return rule.name;
            }
        }
    }
    return std::nullopt;
}

std::string_view IntentLexicon::evidence_for(std::string_view intent) const {
    for (const auto& rule : rules_) {
        if (rule.name == intent) {
            return rule.evidence;
        }
    }
    return {};
}

bool IntentLexicon::is_query_cue_term(const std::string& term) const {
    return std::binary_search(cue_terms_.begin(), cue_terms_.end(), term);
}

std::string IntentLexicon::answer_evidence(const std::vector<std::string_view>& folded_words) {
    bool number = false;
    bool year = false;
    for (const auto& word : folded_words) {
        if (word.empty() || word[0] < '0' || word[0] > '9') {
            continue;
        }
        number = true;
        if (word.size() == 4 &&
            std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            (word[0] == '1' || word[0] == '2')) {
            year = true;
        }
    }
    return std::string(number ? "n" : "") + (year ? "y" : "");
}

} // namespace leo::detail
