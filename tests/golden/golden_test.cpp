// Golden ranking tests: the top ten ids and scores of fixed queries on two fixed collections
// (the project's corpus/ and a generated one), pinned to 1e-9. Any change to ranking, on
// purpose or not, shows up here; an intended one regenerates the goldens with
// LEO_UPDATE_GOLDENS=1 and the diff is reviewed like code.
//
// Beside them, one ablation per ranking feature: switching it off must change the order of a
// named query, so no feature can silently stop working; and every hit's --explain parts must
// combine to exactly its score.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <leo/config.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// A generated collection: fixed words, a fixed generator, the same bytes on every machine.

class Generator {
public:
    explicit Generator(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return state_ >> 33;
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    /// Skewed towards the front of the list, as word use is.
    std::size_t skewed(std::size_t n) { return std::min(below(n), below(n)); }

private:
    std::uint64_t state_;
};

const std::vector<std::string> nouns = {
    "river",     "bridge",  "harbour",   "lantern",   "orchard", "glacier",    "meadow",
    "falcon",    "market",  "library",   "tunnel",    "island",  "vineyard",   "canyon",
    "festival",  "railway", "beacon",    "monastery", "quarry",  "lighthouse", "tram",
    "ferry",     "castle",  "garden",    "forest",    "museum",  "volcano",    "reef",
    "desert",    "valley",  "cathedral", "bakery",    "otter",   "heron",      "badger",
    "salmon",    "beetle",  "walrus",    "pelican",   "lynx",    "bicycle",    "compass",
    "telescope", "printer", "battery",   "engine",    "kettle",  "violin"};
const std::vector<std::string> verbs = {"open",   "close", "flood", "grow",   "travel", "migrate",
                                        "repair", "visit", "build", "freeze", "sing",   "charge",
                                        "paint",  "cross", "feed",  "rent"};
const std::vector<std::string> fillers = {
    "the",  "a",     "of",  "in",       "near",  "during", "after", "with",   "and",      "every",
    "most", "local", "old", "northern", "quiet", "busy",   "small", "famous", "seasonal", "public"};

std::string sentence(Generator& g, std::size_t words) {
    std::string s;
    for (std::size_t i = 0; i < words; ++i) {
        const auto pick = g.below(10);
        const auto& w = pick < 4   ? nouns[g.skewed(nouns.size())]
                        : pick < 6 ? verbs[g.skewed(verbs.size())]
                                   : fillers[g.below(fillers.size())];
        s += (i ? " " : "") + w;
    }
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s + ".";
}

std::string question(Generator& g) {
    const auto& n1 = nouns[g.skewed(nouns.size())];
    const auto& n2 = nouns[g.below(nouns.size())];
    const auto& v = verbs[g.below(verbs.size())];
    switch (g.below(6)) {
    case 0:
        return "How many " + n1 + "s " + v + " near the " + n2 + "?";
    case 1:
        return "Why does the " + n1 + " " + v + " in winter?";
    case 2:
        return "When did the " + n1 + " first " + v + "?";
    case 3:
        return "Where can I " + v + " a " + n1 + "?";
    case 4:
        return "What is the " + n1 + " " + n2 + "?";
    default:
        return "How do I " + v + " the " + n1 + " by the " + n2 + "?";
    }
}

std::string answer(Generator& g) {
    std::string a = sentence(g, 8 + g.below(20));
    switch (g.below(4)) {
    case 0:
        a += " About " + std::to_string(10 + g.below(900)) + " of them, by the last count.";
        break;
    case 1:
        a += " It began in " + std::to_string(1850 + g.below(170)) + ".";
        break;
    case 2:
        a += " Because " + sentence(g, 6 + g.below(8));
        break;
    default:
        a += " " + sentence(g, 5 + g.below(15));
    }
    return a;
}

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

void generate_collection(const fs::path& dir) {
    Generator g(20261202);
    const std::vector<std::string> tags = {"travel", "nature", "tools"};
    std::string shared_page; // written twice: two identical pages tie exactly
    for (int page = 0; page < 160; ++page) {
        std::ostringstream out;
        out << "+++\ntitle = \"" << nouns[g.below(nouns.size())] << " and "
            << nouns[g.below(nouns.size())] << " questions\"\ntags = [\""
            << tags[g.below(tags.size())] << "\"]\n+++\n\n";
        const auto pairs = 3 + g.below(8);
        for (std::size_t k = 0; k < pairs; ++k) {
            out << "## " << question(g) << "\n\n" << answer(g) << "\n\n";
            if (g.below(12) == 0) { // a stock answer repeated on many pages
                out << "## Who can I ask about the " << nouns[g.below(nouns.size())]
                    << "?\n\nWrite to the visitor desk; it answers within two days.\n\n";
            }
        }
        const auto name = "page-" + std::to_string(1000 + page) + ".md";
        write(dir / name, out.str());
        if (page == 7) {
            shared_page = out.str();
        }
    }
    write(dir / "copy" / "twin-a.md", shared_page);
    write(dir / "copy" / "twin-b.md", shared_page);
}

// ---------------------------------------------------------------------------------------------

struct Collection {
    std::string name;
    fs::path pages;
    std::vector<std::string> queries;
};

// More than long_query_terms content words, as a visitor writes them.
constexpr const char* long_question =
    "my grandmother keeps asking me about the leopards she saw on television, the big spotted "
    "cats of the russian far east, and whether anyone protects these leopards from poachers in "
    "the forests";

const std::vector<std::string> corpus_queries = {"amur leopard population",
                                                 "how many amur leopards are left",
                                                 "leopard",
                                                 "snow leopards",
                                                 "how fast can a leopard run",
                                                 "when are cubs born",
                                                 "what threatens leopards",
                                                 "why does the population matter",
                                                 "who protects the leopards",
                                                 "where do snow leopards live",
                                                 "leoprd populaton",
                                                 "\"snow leopards\"",
                                                 "snow leopards NOT killed",
                                                 "question:leopard",
                                                 "title:threats",
                                                 "leopard cubs",
                                                 "reset password",
                                                 "refund",
                                                 "how do I change my email address",
                                                 "payment methods",
                                                 "can I pay by card",
                                                 "café sunday",
                                                 "creme brulee",
                                                 "is the cafe open on sunday",
                                                 "darf ich auf dem Fußweg parken",
                                                 "straßenverkehr",
                                                 "東京",
                                                 "account billing",
                                                 "how long does a refund take",
                                                 "leopards killed every year",
                                                 "forest",
                                                 "snow leopard habitat",
                                                 "leopard population count",
                                                 "how is the population of the leopards counted "
                                                 "and why does the population matter",
                                                 long_question};

const std::vector<std::string> generated_queries = {"river bridge",
                                                    "how many otters",
                                                    "how many salmon swim near the harbour",
                                                    "why does the glacier freeze",
                                                    "when did the railway first open",
                                                    "where can I rent a bicycle",
                                                    "lighthouse",
                                                    "visitor desk",
                                                    "who can I ask about the ferry",
                                                    "\"northern valley\"",
                                                    "castle NOT garden",
                                                    "question:volcano",
                                                    "title:reef",
                                                    "telescop",
                                                    "kettle battery engine",
                                                    "how do I repair the printer",
                                                    "what is the museum library",
                                                    "famous festival",
                                                    "pelican heron lynx",
                                                    "when did the monastery first build",
                                                    "festival location",
                                                    "railway count"};

fs::path source_dir() {
    return fs::path(LEO_SOURCE_DIR);
}

struct Built {
    fs::path root;
    std::map<std::string, leo::Config> configs;
};

fs::path scratch() {
    static const fs::path dir = [] {
        auto d = fs::temp_directory_path() / ("leo-golden-" + std::to_string(::getpid()));
        fs::remove_all(d);
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

/// Each collection indexed once per test run.
leo::Config index_of(const std::string& name) {
    static std::map<std::string, leo::Config> built;
    if (auto it = built.find(name); it != built.end()) {
        return it->second;
    }
    fs::path pages = source_dir() / "corpus" / "content";
    if (name == "generated") {
        pages = scratch() / "generated-pages";
        generate_collection(pages);
    }
    leo::Config config;
    config.database = scratch() / (name + "-index");
    leo::Indexer indexer(config);
    const auto report = indexer.index_directory(pages);
    REQUIRE(report.failed == 0);
    return built.emplace(name, config).first->second;
}

const std::vector<std::string>& queries_of(const std::string& name) {
    return name == "generated" ? generated_queries : corpus_queries;
}

std::vector<leo::Hit> top10(const leo::Config& config, const std::string& text) {
    leo::Searcher searcher(config);
    leo::Query q;
    q.text = text;
    q.limit = 10;
    q.explain = true;
    return searcher.search(q).hits;
}

/// query → its hits as "id score" lines.
using Run = std::map<std::string, std::vector<std::pair<std::string, double>>>;

Run run_all(const std::string& name, const leo::Config& config) {
    Run run;
    for (const auto& text : queries_of(name)) {
        auto& rows = run[text];
        for (const auto& hit : top10(config, text)) {
            rows.emplace_back(hit.id, hit.score);
        }
    }
    return run;
}

fs::path golden_file(const std::string& name) {
    return source_dir() / "tests" / "golden" / (name + ".golden");
}

void write_golden(const std::string& name, const Run& run) {
    std::ofstream out(golden_file(name));
    out << "# query<TAB>rank<TAB>pair id<TAB>score; regenerate with LEO_UPDATE_GOLDENS=1\n";
    for (const auto& text : queries_of(name)) {
        const auto& rows = run.at(text);
        if (rows.empty()) {
            out << text << "\t0\t-\t0\n";
        }
        for (std::size_t i = 0; i < rows.size(); ++i) {
            char score[64];
            std::snprintf(score, sizeof score, "%.17g", rows[i].second);
            out << text << '\t' << i + 1 << '\t' << rows[i].first << '\t' << score << '\n';
        }
    }
}

Run read_golden(const std::string& name) {
    Run run;
    std::ifstream in(golden_file(name));
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::vector<std::string> f;
        std::stringstream fields(line);
        for (std::string x; std::getline(fields, x, '\t');) {
            f.push_back(x);
        }
        REQUIRE(f.size() == 4);
        auto& rows = run[f[0]];
        if (f[1] != "0") {
            rows.emplace_back(f[2], std::strtod(f[3].c_str(), nullptr));
        }
    }
    return run;
}

std::vector<std::string> order(const std::vector<std::pair<std::string, double>>& rows) {
    std::vector<std::string> ids;
    for (const auto& r : rows) {
        ids.push_back(r.first);
    }
    return ids;
}

} // namespace

TEST_CASE("golden: top-ten ids and scores are the pinned ones", "[golden]") {
    for (const std::string name : {"corpus", "generated"}) {
        DYNAMIC_SECTION(name) {
            const auto got = run_all(name, index_of(name));
            if (std::getenv("LEO_UPDATE_GOLDENS")) {
                write_golden(name, got);
                WARN("rewrote " << golden_file(name).string());
                continue;
            }
            const auto want = read_golden(name);
            REQUIRE(want.size() == queries_of(name).size());
            for (const auto& text : queries_of(name)) {
                INFO("query: " << text);
                REQUIRE(want.count(text) == 1);
                const auto& w = want.at(text);
                const auto& g = got.at(text);
                REQUIRE(order(g) == order(w));
                for (std::size_t i = 0; i < w.size(); ++i) {
                    INFO("rank " << i + 1 << ": " << w[i].first);
                    CHECK(g[i].second == Approx(w[i].second).epsilon(1e-9));
                }
            }
        }
    }
}

TEST_CASE("golden: every query has answers to pin", "[golden]") {
    // A golden of empty lists would pin nothing.
    for (const std::string name : {"corpus", "generated"}) {
        std::size_t several = 0;
        for (const auto& [text, rows] : run_all(name, index_of(name))) {
            INFO(name << ": " << text);
            CHECK(!rows.empty());
            several += rows.size() >= 3;
        }
        INFO(name);
        CHECK(several >= queries_of(name).size() / 2);
    }
}

TEST_CASE("golden: --explain's parts combine to exactly the score", "[golden]") {
    for (const std::string name : {"corpus", "generated"}) {
        const auto config = index_of(name);
        for (const auto& text : queries_of(name)) {
            for (const auto& hit : top10(config, text)) {
                INFO(name << ": " << text << " → " << hit.id);
                double sum = 0;
                double product = 1;
                for (const auto& part : hit.explanation) {
                    if (part.factor) {
                        product *= part.value;
                    } else {
                        sum += part.value;
                    }
                }
                CHECK(sum * product == Approx(hit.score).epsilon(1e-12));
            }
        }
    }
}

namespace {

struct Ablation {
    const char* feature;
    std::function<void(leo::RankingConfig&)> off;
    const char* collection;
    const char* query; ///< whose top-ten order the feature decides
};

const std::vector<Ablation> ablations = {
    {"fields", [](auto& r) { r.fields = false; }, "corpus", "amur leopard population"},
    {"query_weighting", [](auto& r) { r.query_weighting = false; }, "corpus",
     "how do I change my email address"},
    {"proximity", [](auto& r) { r.proximity = false; }, "generated", "river bridge"},
    {"intent", [](auto& r) { r.intent = false; }, "corpus", "amur leopard population"},
    {"synonyms", [](auto& r) { r.synonyms = false; }, "corpus", "who protects the leopards"},
    {"spelling", [](auto& r) { r.spelling = false; }, "corpus", "leoprd populaton"},
    {"collapse", [](auto& r) { r.collapse = false; }, "generated", "visitor desk"},
    {"coverage", [](auto& r) { r.coverage = false; }, "corpus", "amur leopard population"},
    {"long_queries", [](auto& r) { r.long_queries = false; }, "corpus", long_question},
    {"repeated_words", [](auto& r) { r.repeated_words = false; }, "corpus",
     "how is the population of the leopards counted and why does the population matter"},
    {"feedback (on)", [](auto& r) { r.feedback = true; }, "corpus",
     "how many amur leopards are left"},
    {"wordnet (on)", [](auto& r) { r.wordnet = true; }, "corpus", "where do snow leopards live"},
    {"page_context", [](auto& r) { r.page_context = false; }, "corpus",
     "who protects the leopards"},
    {"question_weight 0", [](auto& r) { r.question_weight = 0; }, "corpus",
     "amur leopard population"},
    {"title_weight 0", [](auto& r) { r.title_weight = 0; }, "corpus",
     "why does the population matter"},
    {"cue_weight 0", [](auto& r) { r.cue_weight = 0; }, "corpus", "leopard population count"},
    {"coverage_weight 0", [](auto& r) { r.coverage_weight = 0; }, "corpus",
     "amur leopard population"},
    {"question_coverage_weight 0", [](auto& r) { r.question_coverage_weight = 0; }, "corpus",
     "how many amur leopards are left"},
    {"page_weight 0", [](auto& r) { r.page_weight = 0; }, "corpus", "who protects the leopards"},
    {"intent_mismatch 1", [](auto& r) { r.intent_mismatch = 1; }, "corpus",
     "why does the population matter"},
    {"bm25 mode", [](auto& r) { r.mode = leo::RankingMode::bm25; }, "corpus",
     "amur leopard population"},
};

} // namespace

TEST_CASE("golden: switching any ranking feature off changes a pinned order", "[golden]") {
    for (const auto& a : ablations) {
        DYNAMIC_SECTION(a.feature) {
            auto config = index_of(a.collection);
            const auto normal = top10(config, a.query);
            a.off(config.ranking);
            const auto ablated = top10(config, a.query);
            std::vector<std::string> x, y;
            for (const auto& h : normal) {
                x.push_back(h.id);
            }
            for (const auto& h : ablated) {
                y.push_back(h.id);
            }
            std::string decides;
            if (x == y) { // say which queries this feature does decide, to re-pin it
                for (const auto& text : queries_of(a.collection)) {
                    auto c = index_of(a.collection);
                    std::vector<std::string> p, q;
                    for (const auto& h : top10(c, text)) {
                        p.push_back(h.id);
                    }
                    a.off(c.ranking);
                    for (const auto& h : top10(c, text)) {
                        q.push_back(h.id);
                    }
                    if (p != q) {
                        decides += " [" + text + "]";
                    }
                }
            }
            INFO("queries whose order it changes:" << (decides.empty() ? " none" : decides));
            CHECK(x != y);
        }
    }
}

TEST_CASE("golden: the expansion words weigh feedback_weight", "[golden]") {
    // Feedback is off by default, so neither the goldens nor the ablation (on against off)
    // would notice its weight being ignored.
    auto config = index_of("corpus");
    config.ranking.feedback = true;
    const std::string query = "how many amur leopards are left";
    const auto light = top10(config, query);
    config.ranking.feedback_weight = 0.9;
    const auto heavy = top10(config, query);
    REQUIRE(!light.empty());
    REQUIRE(light.size() == heavy.size());
    bool moved = false;
    for (std::size_t i = 0; i < light.size(); ++i) {
        moved = moved || light[i].id != heavy[i].id || light[i].score != heavy[i].score;
    }
    CHECK(moved);
}
