#pragma once
// The lexicons shipped in lib/data/, compiled in.

namespace leo::detail {
extern const char* const shipped_intents_toml;   ///< lib/data/intents.toml
extern const char* const shipped_synonyms_toml;  ///< lib/data/synonyms.toml
extern const char* const shipped_stopwords_toml; ///< lib/data/stopwords.toml
extern const char* const shipped_wordnet_tsv;    ///< lib/data/wordnet.tsv
} // namespace leo::detail
