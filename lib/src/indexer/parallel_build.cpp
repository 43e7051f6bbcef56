// A first build of many pages: one writer per core, each into a database of its own, then
// Xapian's compaction merges them into a compact index. A single writer thread is the limit
// otherwise (profiled: two thirds of a build's instructions are in Xapian's writer).

#include "indexer/indexer_impl.hpp"
#include "store/xapian_error.hpp"

#include <chrono>
#include <condition_variable>
#include <leo/error.hpp>
#include <mutex>
#include <thread>

namespace leo {

namespace {

// Runs run_part(i) for every part on a thread of its own; every 100 ms until all have ended,
// on_tick reports progress from this thread.
template <class RunPart, class Tick>
void run_on_threads(std::size_t parts, RunPart& run_part, Tick on_tick) {
    std::mutex mutex;
    std::condition_variable finished;
    std::size_t running = parts;
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < parts; ++i) {
        threads.emplace_back([&, i] {
            run_part(i);
            std::lock_guard lock(mutex);
            --running;
            finished.notify_all();
        });
    }
    {
        std::unique_lock lock(mutex);
        while (!finished.wait_for(lock, std::chrono::milliseconds(100),
                                  [&] { return running == 0; })) {
            lock.unlock();
            on_tick();
            lock.lock();
        }
    }
    for (auto& t : threads) {
        t.join();
    }
}

void remove_parts(const std::vector<fs::path>& part_paths) {
    std::error_code ec;
    for (const auto& path : part_paths) {
        fs::remove_all(path, ec);
    }
}

// The parts' problems in path order, as a serial build reports them, then their warnings.
void report_part_findings(IndexReport& report, const IndexOptions& options,
                          const std::vector<std::vector<PageProblem>>& problems,
                          const std::vector<std::vector<PageProblem>>& warnings) {
    std::vector<PageProblem> all_problems;
    for (const auto& list : problems) {
        all_problems.insert(all_problems.end(), list.begin(), list.end());
    }
    std::sort(all_problems.begin(), all_problems.end(),
              [](const PageProblem& a, const PageProblem& b) { return a.path < b.path; });
    for (const auto& problem : all_problems) {
        detail::report_problem(report, options, problem);
    }
    for (const auto& list : warnings) {
        for (const auto& warning : list) {
            if (options.on_warning) {
                options.on_warning(warning);
            }
        }
    }
}

} // namespace

void Indexer::Impl::build_part(const std::vector<detail::Candidate>& files, std::size_t first,
                               std::size_t last, const fs::path& part_path,
                               const IndexOptions& options, const detail::PagePreparer& prepare,
                               detail::PartProgress& progress, std::vector<PageProblem>& problems,
                               std::vector<PageProblem>& warnings) {
    auto out = detail::open_build_part(part_path);
    auto builder = this->builder();
    std::size_t since_commit = 0;
    std::size_t bytes_since_commit = 0;
    auto flush = [&] {
        out.commit();
        since_commit = 0;
        bytes_since_commit = 0;
    };
    auto drain_spelling = [&] {
        builder.drain_spelling(
            [&](const std::string& word, unsigned count) { out.add_spelling(word, count); });
    };
    for (std::size_t i = first; i < last; ++i) {
        if (options.should_stop && options.should_stop()) {
            progress.stopped = true;
            break;
        }
        auto page = prepare(builder, files[i], /*builder_counts_spelling=*/true);
        ++progress.done;
        if (page.problem) {
            problems.push_back(*page.problem);
            continue;
        }
        warnings.insert(warnings.end(), page.warnings.begin(), page.warnings.end());
        if (page.skipped) {
            ++progress.skipped;
        } else {
            const std::size_t page_bytes = page.bytes();
            if (detail::commit_before_page(bytes_since_commit, page_bytes)) {
                flush();
            }
            for (auto& doc : page.documents) {
                out.add_document(doc.document);
                doc.document = {}; // freed as Xapian's buffers take it in
            }
            ++progress.indexed;
            progress.pairs += page.documents.size();
            since_commit += page.documents.size() + 1;
            bytes_since_commit += page_bytes;
        }
        out.set_metadata(detail::file_key(page.file.relative), page.state().encode());
        if (builder.vocabulary_full()) {
            drain_spelling(); // so that the builder may forget its vocabulary
        }
        if (since_commit >= options.batch_pairs || bytes_since_commit >= detail::batch_bytes) {
            flush(); // bounds memory; the part is only used once complete
        }
    }
    // The builder counted every word of the part: each is written once. Xapian looks up each
    // word it is given in the spelling table and rewrites the word lists of its fragments, so
    // writing a batch's words at every commit repeated that work for the common words. The
    // counts cost no memory the builder's vocabulary does not hold.
    drain_spelling();
    flush();
}

IndexReport Indexer::Impl::build_in_parallel(const std::vector<detail::Candidate>& files,
                                             std::size_t parts, const IndexOptions& options,
                                             IndexReport report,
                                             const detail::PagePreparer& prepare) {
    const std::size_t total = files.size();
    std::vector<fs::path> part_paths;
    for (std::size_t i = 0; i < parts; ++i) {
        part_paths.push_back(config.database / (".build-" + std::to_string(i)));
    }
    detail::PartProgress progress;
    std::vector<std::vector<PageProblem>> problems(parts);
    std::vector<std::vector<PageProblem>> warnings(parts);
    std::vector<std::string> failures(parts);
    auto run_part = [&](std::size_t part) {
        try {
            build_part(files, part * total / parts, (part + 1) * total / parts, part_paths[part],
                       options, prepare, progress, problems[part], warnings[part]);
        } catch (...) {
            try {
                detail::rethrow_as_leo(detail::Failure::index, config.database, "build");
            } catch (const std::exception& e) {
                failures[part] = e.what(); // the whole message, cause named
            }
        }
    };
    run_on_threads(parts, run_part, [&] {
        if (options.on_progress) {
            options.on_progress({progress.done.load(), total, progress.pairs.load()});
        }
    });
    auto discard = [&] { remove_parts(part_paths); };
    for (const auto& failure : failures) {
        if (!failure.empty()) {
            discard();
            throw IndexError(failure);
        }
    }
    report_part_findings(report, options, problems, warnings);
    if (progress.stopped) {
        discard(); // a first build stopped early commits nothing: the next run starts again
        report.interrupted = true;
        report.total_pairs = db().get_doccount();
        return report;
    }
    if (options.on_progress) {
        options.on_progress({total, total, progress.pairs.load()});
    }

    // Merge: the parts and the (empty, stamped) index itself, for its metadata and synonyms,
    // into a new generation, which then replaces the empty one.
    writer.merge_parts(part_paths);
    discard();
    report.indexed += progress.indexed;
    report.skipped += progress.skipped;
    report.pairs += progress.pairs;
    report.total_pairs = db().get_doccount();
    return report;
}

} // namespace leo
