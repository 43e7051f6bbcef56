#pragma once
// Question intent: what kind of answer a text asks for or offers, from the lexicon's cue words.

#include "text/analyzer.hpp"

#include <leo/config.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leo::detail {

/// Immutable after construction: safe to share between threads.
class IntentLexicon {
public:
    /// Analyses every cue once, with `analyzer`, so matching compares index terms.
    IntentLexicon(const std::vector<IntentRule>& rules, Analyzer& analyzer);

    /// The intent a query asks for, from its index terms in order.
    [[nodiscard]] std::optional<std::string>
    query_intent(const std::vector<std::string>& terms) const;
    /// The intent a question heading offers.
    [[nodiscard]] std::optional<std::string>
    question_intent(const std::vector<std::string>& terms) const;
    /// The evidence an answer must carry for `intent` (`number`, `year` or empty).
    [[nodiscard]] std::string_view evidence_for(std::string_view intent) const;
    /// Index terms of every query cue, so the ranker can tell cue words from topic words.
    [[nodiscard]] bool is_query_cue_term(const std::string& term) const;

    /// `n` when the folded answer words hold a number, plus `y` when one looks like a year.
    [[nodiscard]] static std::string
    answer_evidence(const std::vector<std::string_view>& folded_words);

private:
    struct Rule {
        std::string name;
        std::vector<std::vector<std::string>> query_cues;
        std::vector<std::vector<std::string>> question_cues;
        std::string evidence;
    };
    static bool contains(const std::vector<std::string>& terms,
                         const std::vector<std::string>& cue);
    std::vector<Rule> rules_;
    std::vector<std::string> cue_terms_;
};

} // namespace leo::detail
