// In-process query latency of leo's ranking over the topic files: one Searcher, a warm-up pass,
// then every query timed alone. Prints median and 99th percentile in milliseconds.
//
// usage: query_latency DB CONFIG|- TOPICS.tsv...

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <leo/leo.hpp>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: query_latency DB CONFIG|- TOPICS.tsv...\n";
        return 2;
    }
    leo::Config config = std::string(argv[2]) == "-" ? leo::Config{} : leo::load_config(argv[2]);
    config.database = argv[1];
    leo::Searcher searcher(config);
    std::vector<std::string> queries;
    for (int i = 3; i < argc; ++i) {
        std::ifstream in(argv[i]);
        std::string line;
        while (std::getline(in, line)) {
            auto tab = line.find('\t');
            queries.push_back(tab == std::string::npos ? line : line.substr(tab + 1));
        }
    }
    leo::Query query;
    query.limit = 10;
    for (const auto& q : queries) { // warm-up: caches and the OS page cache
        query.text = q;
        (void)searcher.search(query);
    }
    std::vector<double> ms;
    for (int round = 0; round < 3; ++round) {
        for (const auto& q : queries) {
            query.text = q;
            auto start = std::chrono::steady_clock::now();
            (void)searcher.search(query);
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
        }
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1))];
    };
    std::cout << "median_ms " << at(0.5) << " p95_ms " << at(0.95) << " p99_ms " << at(0.99)
              << " queries " << ms.size() << "\n";
}
