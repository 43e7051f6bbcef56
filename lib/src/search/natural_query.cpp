#include "search/compounds.hpp"
#include "search/page_stemmers.hpp"
#include "search/query_form.hpp"
#include "search/query_plan.hpp"
#include "search/ranking_constants.hpp"
#include "text/wordnet.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace leo::detail {
namespace {

// A query with no syntax (no quotes, brackets, operators, `+`/`-` before a word or
// `prefix:`) is natural language: leo builds it term by term, so each word can carry its
// own weight. Anything else goes through Xapian's QueryParser.
bool is_natural(const std::string& text) {
    static constexpr std::string_view operators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    char previous = ' ';
    std::string word;
    for (char c : text + " ") {
        if (c == '"' || c == '(' || c == ')' || c == '*' || c == '~') {
            return false;
        }
        if ((c == '-' || c == '+') && (previous == ' ' || previous == '\t')) {
            return false;
        }
        if (c == ':' &&
            std::find(query_prefixes.begin(), query_prefixes.end(), word) != query_prefixes.end()) {
            return false;
        }
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word.push_back(c);
        } else {
            if (std::find(std::begin(operators), std::end(operators), word) !=
                std::end(operators)) {
                return false;
            }
            word.clear();
        }
        previous = c;
    }
    return true;
}

} // namespace

bool QueryPlanner::natural(const std::string& text) {
    if (is_natural(text)) {
        return true;
    }
    for (const auto& prefix : query_prefixes) {
        if (text.find(prefix + ":") != std::string::npos) {
            return false;
        }
    }
    return reads_as_text(
        text, [&](std::string_view word) { return stopper_(analyzer_.fold_phrase(word)); });
}

bool QueryPlanner::droppable(const std::string& folded) const {
    if (!stopper_(folded)) {
        return false;
    }
    // A function word ("can", "the") is grammar and names nothing, however rare it looks in a
    // small index. Chatter ("email", "help", "question") is words people write around what they
    // ask, and on some sites what they ask about: kept where it names something, rarer than the
    // middle of the idf scale (log(N / df) above rare_word_idf_share of log N).
    if (!config_.ranking.rare_stop_words || function_words_(folded)) {
        return true;
    }
    const double pairs = std::max<double>(reader_.db.get_doccount(), 1);
    const auto df = static_cast<double>(reader_.db.get_termfreq(analyzer_.term(folded)));
    return df == 0 || std::log(pairs / df) <= ranking::rare_word_idf_share * std::log(pairs);
}

// The natural query's content terms: stop words and chatter that are frequent in this index
// dropped (unless nothing else is left; `dropped` says which), repeated words once, words the index
// has never seen replaced by a spelling suggestion, and intent cue words ("symptoms", "how many")
// weighed down, since the intent feature already rewards the pairs that answer that kind of
// question. Longer than most: one pass over the words, whose cases (dropped, split, corrected,
// kept) share the rewritten query and the terms seen so far.
// NOLINTNEXTLINE(readability-function-size): the reason is above
std::vector<WeightedTerm> QueryPlanner::natural_terms(const std::string& text,
                                                      std::string& corrected,
                                                      std::vector<std::string>& dropped,
                                                      std::vector<Compound>& compounds) {
    const bool leo_mode = config_.ranking.mode == RankingMode::leo;
    const bool spelling = leo_mode && config_.ranking.spelling && reader_.has_lexicon;
    const bool compound = leo_mode && config_.ranking.compounds;
    auto words = analyzer_.words(text);
    bool all_stop =
        leo_mode && config_.ranking.query_weighting &&
        std::all_of(words.begin(), words.end(), [&](const Word& w) { return droppable(w.folded); });
    std::vector<WeightedTerm> out;
    std::vector<std::string> seen;
    const auto stemmers = page_stemmers(reader_.db);
    const bool english =
        leo_mode && Analyzer::iso_code(Analyzer::snowball_name(reader_.language)) == "en";
    bool changed = false;
    std::string rewritten;
    auto add = [&](const std::string& folded, const std::string& term) {
        if (auto again = std::find(seen.begin(), seen.end(), term); again != seen.end()) {
            ++out[static_cast<std::size_t>(again - seen.begin())].occurrences;
            return;
        }
        seen.push_back(term);
        WeightedTerm wt;
        wt.forms.push_back(term);
        add_page_stems(analyzer_, folded, stemmers, wt.forms);
        if (leo_mode && config_.ranking.synonyms && reader_.has_lexicon) {
            for (auto syn = reader_.lexicon_db.synonyms_begin(term);
                 syn != reader_.lexicon_db.synonyms_end(term); ++syn) {
                wt.forms.push_back(*syn);
            }
        }
        if (english && config_.ranking.wordnet) {
            // Only the synonyms the index holds: the others would cost a posting list for nothing.
            for (const auto& syn : wordnet_synonyms(folded)) {
                auto form = analyzer_.term(syn);
                if (std::find(wt.forms.begin(), wt.forms.end(), form) == wt.forms.end() &&
                    std::find(wt.related.begin(), wt.related.end(), form) == wt.related.end() &&
                    reader_.db.get_termfreq(form) > 0) {
                    wt.related.push_back(std::move(form));
                }
            }
        }
        if (leo_mode && config_.ranking.intent && lexicon_.is_query_cue_term(term)) {
            wt.weight = config_.ranking.cue_weight;
            wt.cue = true;
        }
        out.push_back(std::move(wt));
    };
    for (const auto& word : words) {
        std::string folded = word.folded;
        if (leo_mode && config_.ranking.query_weighting && !all_stop && droppable(folded)) {
            rewritten += (rewritten.empty() ? "" : " ") + folded;
            if (std::find(dropped.begin(), dropped.end(), folded) == dropped.end()) {
                dropped.push_back(folded);
            }
            continue;
        }
        std::string term = analyzer_.term(folded);
        const bool unknown = (spelling || compound) && reader_.db.get_termfreq(term) == 0 &&
                             (!reader_.has_lexicon || reader_.lexicon_db.synonyms_begin(term) ==
                                                          reader_.lexicon_db.synonyms_end(term)) &&
                             !held_by_page_stem(reader_.db, analyzer_, folded, stemmers);
        // A word the index writes as two is no typo: "strikethrough" is "strike through".
        if (unknown && compound) {
            if (auto split = split_word(reader_.db, analyzer_, folded)) {
                rewritten += (rewritten.empty() ? "" : " ") + folded;
                for (std::size_t i = 0; i < split->read.size(); ++i) {
                    add(split->read[i], split->terms[i]);
                }
                compounds.push_back(std::move(*split));
                continue;
            }
        }
        if (unknown && spelling) {
            const auto typed = std::string_view(text).substr(word.begin, word.end - word.begin);
            if (auto suggestion = speller_.correction(typed, folded, reader_.lexicon_db)) {
                rewritten += (rewritten.empty() ? "" : " ") + *suggestion;
                changed = true;
                if (apply_corrections) {
                    folded = *suggestion;
                    term = analyzer_.term(folded);
                }
            } else {
                rewritten += (rewritten.empty() ? "" : " ") + folded;
            }
        } else {
            rewritten += (rewritten.empty() ? "" : " ") + folded;
        }
        add(folded, term);
    }
    if (changed) {
        corrected = rewritten;
    }
    if (compound) {
        join_adjacent(text, words, out, compounds);
    }
    return out;
}

// Two adjacent words the index holds joined ("web site" → `websit`, "e-mail" → `email`) also
// match the joined term: it becomes a form of each word that was kept (as a synonym is), so a
// pair writing it joined is weighed as one writing both words, and the second stage, which
// scores term by term, credits it to both. Not after a function word unless a hyphen joins
// them: "a part" is not "apart", nor "can not" a search for "cannot".
void QueryPlanner::join_adjacent(const std::string& text, const std::vector<Word>& words,
                                 std::vector<WeightedTerm>& terms,
                                 std::vector<Compound>& compounds) {
    for (std::size_t i = 1; i < words.size(); ++i) {
        bool hyphen = false;
        if (!adjacent(text, words[i - 1], words[i], hyphen) ||
            (!hyphen && function_words_(words[i - 1].folded))) {
            continue;
        }
        auto joined = joined_word(reader_.db, analyzer_, words[i - 1].folded, words[i].folded);
        if (!joined) {
            continue;
        }
        bool used = false;
        for (auto& t : terms) {
            if (std::find(joined->written_terms.begin(), joined->written_terms.end(),
                          t.forms.front()) != joined->written_terms.end() &&
                std::find(t.forms.begin(), t.forms.end(), joined->terms.front()) == t.forms.end()) {
                t.forms.push_back(joined->terms.front());
                used = true;
            }
        }
        if (used) {
            compounds.push_back(std::move(*joined));
        }
    }
}

} // namespace leo::detail
