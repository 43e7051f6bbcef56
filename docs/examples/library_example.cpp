// The example of docs/library.md: index a folder, then ask it a question.
// Built and run by the package tests against an installed leo, so it cannot rot.
//
// usage: library_example PAGES_DIR INDEX_DIR "question"

#include <iostream>
#include <leo/leo.hpp>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: library_example PAGES_DIR INDEX_DIR QUESTION\n";
        return 2; // usage
    }
    try {
        leo::Config config; // defaults; leo::load_config("leo.toml") reads a file
        config.database = argv[2];

        leo::Indexer indexer(config); // holds the write lock until it goes out of scope
        leo::IndexOptions options;
        options.on_problem = [](const leo::PageProblem& p) { std::cerr << p.message() << '\n'; };
        auto report = indexer.index_directory(argv[1], options);
        std::cout << report.indexed << " pages, " << report.total_pairs << " pairs\n";

        leo::Searcher searcher(config);
        leo::Query query;
        query.text = argv[3];
        query.limit = 3;
        for (const auto& hit : searcher.search(query).hits) {
            std::cout << hit.rank << ". " << hit.question << "\n   " << hit.snippet.text << "\n   "
                      << hit.id << "  " << hit.url << '\n';
        }
        return 0;
    } catch (const leo::Error& e) { // every library error derives from leo::Error
        std::cerr << "library_example: " << e.what() << '\n';
        return 1;
    }
}
