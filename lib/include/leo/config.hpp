#pragma once
/// @file config.hpp
/// leo's settings and `leo.toml`, the file they come from.

#include <cstddef>
#include <filesystem>
#include <leo/export.hpp>
#include <leo/page.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leo {

/// Which ranking answers are ordered by.
enum class RankingMode {
    leo, ///< the full Q&A ranking (`mode = "leo"`)
    bm25 ///< plain Xapian BM25 over question and answer text, the baseline (`mode = "bm25"`)
};

/// The mode a name of leo.toml and `leo-ask --ranking` stands for (`leo`, `bm25`); nullopt for
/// any other.
[[nodiscard]] LEO_EXPORT std::optional<RankingMode> ranking_mode(std::string_view name);

/// How answers are ranked. Every feature of the default ranking can be switched off alone.
struct RankingConfig {
    RankingMode mode = RankingMode::leo; ///< see RankingMode
    bool fields = true;                  ///< weigh question and title matches above answer matches
    bool query_weighting = true;         ///< drop stop words and chatter from long questions
    bool rare_stop_words = true;   ///< ... except those rare in this index: they carry meaning here
    bool proximity = true;         ///< query words close together score higher
    bool intent = true;            ///< match the kind of answer asked for
    bool synonyms = true;          ///< expand query words through the synonym table
    bool wordnet = false;          ///< ... and English words through WordNet's, weighed less
    bool spelling = true;          ///< correct words the index has never seen
    bool collapse = true;          ///< fold identical answers into one hit
    bool coverage = true;          ///< pairs holding more of the query's rare words score higher
    bool long_queries = true;      ///< weigh a long question's words by their rarity
    bool repeated_words = true;    ///< a word the query says again weighs more, as in BM25
    bool feedback = false;         ///< expand the query with words of the top answers
    bool page_context = true;      ///< a pair on a page that answers the query well scores higher
    bool compounds = false;        ///< match words joined or split otherwise ("e-mail" for "email")
    double question_weight = 0.5;  ///< scale of the question field against the whole pair
    double title_weight = 0.5;     ///< scale of the page title field
    double proximity_weight = 1.0; ///< scale of the closeness factor
    int proximity_depth = 10;      ///< candidates whose word positions are read
    double intent_weight = 1.0;
    double intent_mismatch = 0.0; ///< intent penalty for a question offering another kind of answer
    double cue_weight = 0.5;      ///< weight of intent cue words ("symptoms") as search terms
    double coverage_weight = 0.5; ///< exponent on the matched share of the query's rarity
    double question_coverage_weight =
        1.0;                  ///< bonus for the query's rarity matched by question and title
    double page_weight = 1.0; ///< share of the page's best pair score added to each of its pairs
    double bm25_k1 = 1.2;
    double bm25_b = 0.4;
    int feedback_docs = 5;        ///< top answers the expansion words are taken from
    int feedback_terms = 10;      ///< expansion words added
    double feedback_weight = 0.3; ///< weight of the expansion words against the query's own
    int rerank_depth = 30;        ///< how many first-stage hits the second stage re-scores
    /// A query word in more than this share of the pairs is a common word of the collection:
    /// it does not choose candidates (walking its posting list would cost more than the rest of
    /// the query), it only adds to the scores of the candidates the other words chose.
    double common_word_share = 0.2;
    /// ... and only once it is in at least this many pairs: below that, walking it is cheap.
    int common_word_min_pairs = 5000;
    /// A word in more than this many pairs is common whatever its share: the cost of walking a
    /// posting list is its length, so this bounds the time of a query in a large collection.
    int common_word_max_pairs = 100000;
};

/// A kind of answer a question can ask for, with the words that signal it.
struct IntentRule {
    std::string name;                       ///< e.g. `quantity`
    std::vector<std::string> query_cues;    ///< words or phrases in a query that ask for it
    std::vector<std::string> question_cues; ///< words or phrases in a question that offer it
    std::string answer_evidence;            ///< `number`, `year` or empty
};

/// Everything leo reads from `leo.toml`, with defaults for what it does not say.
struct Config {
    std::filesystem::path database = ".leo"; ///< the index directory
    std::string language = "en";             ///< stemmer and stop words of the index
    ParseOptions parse;
    /// Drafts are indexed: `index_drafts` in leo.toml, or a Hugo site's `buildDrafts`.
    bool index_drafts = false;
    /// Pages whose publish date is in the future are indexed: a Hugo site's `buildFuture`.
    bool index_future = false;
    /// Pages whose expiry date has passed are indexed: a Hugo site's `buildExpired`.
    bool index_expired = false;
    /// Pages larger than this are reported and skipped, so one runaway file cannot exhaust
    /// memory (`max_page_mb` in leo.toml).
    std::size_t max_page_bytes = 16u << 20;
    std::vector<std::string> exclude; ///< glob patterns of paths not to index
    /// A linked page whose target lies outside the indexed folder is skipped and reported unless
    /// this is true (`follow_links = "outside"` in leo.toml; the default is `"inside"`).
    bool follow_links_outside = false;
    RankingConfig ranking;
    /// Extra synonyms: word or phrase → equivalents; added to leo's shipped list.
    std::map<std::string, std::vector<std::string>> synonyms;
    /// Extra or extended intents; a rule named like a shipped one adds to its cues.
    std::vector<IntentRule> intents;
    /// A sharded index with an unreachable shard answers from the others (and says so) instead
    /// of failing.
    bool allow_partial_shards = false;
    /// A stub line `remote :PROGRAM ARGS` runs PROGRAM when the index is opened: refused unless
    /// this is true (`leo-ask --allow-program-shards`), so opening an index someone handed you
    /// cannot run their program.
    bool allow_program_shards = false;
    std::filesystem::path source; ///< the file this came from; empty for pure defaults
};

/// True when leo can stem `language` (an ISO 639-1 code or a Snowball name such as `en`,
/// `arabic`); pages of any other language are indexed unstemmed.
[[nodiscard]] LEO_EXPORT bool language_is_stemmed(std::string_view language);

/// Reads a `leo.toml`. Throws ConfigError (`file:line:col: what`) on a bad file, key or value.
[[nodiscard]] LEO_EXPORT Config load_config(const std::filesystem::path& file);

/// Which of a Hugo site's config folders are read, as `hugo --environment --configDir` choose.
struct HugoEnvironment {
    /// `<config_dir>/<name>/` is merged over `<config_dir>/_default/`; `hugo` builds
    /// `production` unless told otherwise. Empty: `_default` only.
    std::string name = "production";
    /// The folder of the site's config folders, relative to the site root.
    std::filesystem::path config_dir = "config";
};

/// When `folder` is a Hugo site root (a `hugo.*` or `config.*` in TOML, YAML or JSON, or a
/// `<config_dir>/_default/` folder, beside a content folder), reads what leo follows of the
/// site (see docs/hugo.md) into `config.parse` and the `index_*` publish switches, and returns
/// the content folder to index; otherwise returns `folder`. Throws ConfigError when the site
/// config cannot be read.
[[nodiscard]] std::filesystem::path read_hugo_site(const std::filesystem::path& folder,
                                                   Config& config,
                                                   const HugoEnvironment& environment = {});

/// The nearest `leo.toml` in `start` or its parents (as git finds `.git`), if any.
[[nodiscard]] LEO_EXPORT std::optional<std::filesystem::path>
find_config(const std::filesystem::path& start);

/// The shipped intent lexicon merged with `config.intents`.
[[nodiscard]] LEO_EXPORT std::vector<IntentRule> effective_intents(const Config& config);

/// The shipped synonym list merged with `config.synonyms`.
[[nodiscard]] LEO_EXPORT std::map<std::string, std::vector<std::string>>
effective_synonyms(const Config& config);

} // namespace leo
