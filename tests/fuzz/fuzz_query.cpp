// libFuzzer target: any bytes as a query against an index of corpus/ give results or a
// leo::Error, never a crash. The index is built once, on the first input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <leo/leo.hpp>
#include <memory>
#include <string>
#include <unistd.h>

#ifndef LEO_CORPUS_DIR
#error "LEO_CORPUS_DIR must name the pages to index"
#endif

namespace {

leo::Searcher& searcher() {
    static std::unique_ptr<leo::Searcher> instance = [] {
        leo::Config config;
        config.database = std::filesystem::temp_directory_path() /
                          ("leo-fuzz-query-" + std::to_string(::getpid()));
        std::filesystem::remove_all(config.database);
        {
            leo::Indexer indexer(config);
            (void)indexer.index_directory(LEO_CORPUS_DIR);
        }
        auto s = std::make_unique<leo::Searcher>(config);
        static std::filesystem::path cleanup_path = config.database;
        std::atexit([] { std::filesystem::remove_all(cleanup_path); });
        return s;
    }();
    return *instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    leo::Query query;
    query.text.assign(reinterpret_cast<const char*>(data), size);
    query.limit = 5;
    query.explain = size % 2 == 1;
    try {
        auto results = searcher().search(query);
        for (const auto& hit : results.hits) {
            for (auto [begin, end] : hit.snippet.highlights) {
                if (begin > end || end > hit.snippet.text.size()) {
                    std::abort(); // a highlight outside its snippet is a bug
                }
            }
        }
    } catch (const leo::Error&) {
    }
    return 0;
}
