// The README's plain-BM25 reference, rebuilt with Xapian alone: TermGenerator with the English
// stemmer and STEM_SOME, question and answer text as one field, an OR of the query words,
// Xapian 1.4's default BM25. Its run, scored by trec_score.py, must give the figures in
// ../shared/eval/README.md: that is how the scorer is checked against trec_eval.
//
// usage: bm25_reference CORPUS_DIR TOPICS.tsv > run.txt

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <leo/page.hpp>
#include <sstream>
#include <xapian.h>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: bm25_reference CORPUS_DIR TOPICS.tsv\n";
        return 2;
    }
    namespace fs = std::filesystem;
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(argv[1])) {
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto page = leo::parse_page(text.str(), file.filename());
        for (const auto& pair : page.pairs) {
            Xapian::Document doc;
            generator.set_document(doc);
            generator.index_text(pair.question);
            generator.increase_termpos();
            generator.index_text(pair.answer);
            doc.set_data(page.pair_id(pair));
            db.add_document(doc);
        }
    }
    Xapian::QueryParser parser;
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_OR);
    Xapian::Enquire enquire(db);
    std::ifstream topics(argv[2]);
    std::string line;
    while (std::getline(topics, line)) {
        auto tab = line.find('\t');
        if (tab == std::string::npos) {
            continue;
        }
        Xapian::Query query;
        try {
            query = parser.parse_query(line.substr(tab + 1), 0);
        } catch (const Xapian::QueryParserError&) {
            continue;
        }
        enquire.set_query(query);
        auto mset = enquire.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            std::cout << line.substr(0, tab) << " Q0 " << it.get_document().get_data() << ' '
                      << it.get_rank() + 1 << ' ' << it.get_weight() << " bm25\n";
        }
    }
}
