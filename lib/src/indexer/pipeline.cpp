// The pipeline: changed pages are read, parsed and analysed on worker threads, and written from
// this one thread in file order, in batches that each commit atomically.

#include "indexer/indexer_impl.hpp"
#include "page/publish.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <leo/error.hpp>
#include <mutex>
#include <thread>

namespace leo {

namespace detail {

PreparedPage PagePreparer::operator()(DocumentBuilder& builder, const Candidate& file,
                                      bool builder_counts_spelling) const {
    PreparedPage page;
    page.file = file;
    // The walk's stat is no promise: the file may have become a FIFO or grown since.
    auto read = read_page_file(file.absolute, config.max_page_bytes);
    if (read.problem) {
        page.problem = PageProblem{file.relative, read.line, 0, std::move(*read.problem)};
        return page;
    }
    std::string text = std::move(read.text);
    page.content_hash = schema::hex(schema::fnv1a(text));
    auto old = known.find(file.relative);
    page.was_indexed = old != known.end();
    if (old != known.end() && old->second.content_hash == page.content_hash) {
        page.same_content = true; // touched, not changed
        return page;
    }
    try {
        auto parsed = parse_page(text, file.relative, config.parse);
        for (auto& warning : parsed.warnings) {
            page.warnings.push_back({file.relative, warning.line, 0, std::move(warning.reason)});
        }
        if (!sections.is_published(parsed.front_matter, file.relative)) {
            page.skipped = true;
            return page;
        }
        page.documents = builder.build(parsed, builder_counts_spelling ? nullptr : &page.spelling);
    } catch (const PageError& e) {
        page.problem = PageProblem{file.relative, e.line(), e.column(), e.reason()};
    } catch (const std::exception& e) {
        page.problem = PageProblem{file.relative, 0, 0, e.what()};
    }
    return page;
}

namespace {

// Workers prepare pages ahead of the writer, which takes them in file order: at most
// `window` pages and `window_bytes` of memory prepared ahead and held by the writer, so that a
// folder of large pages is not held in memory at once. A page is charged a bound of its cost
// while it is prepared (`expansion` times its file), then what it holds (PreparedPage::bytes),
// until the writer takes the next page. The page the writer waits for is prepared whatever
// the window holds: a page larger than the window is prepared alone.
class PreparePool {
public:
    PreparePool(const std::vector<Candidate>& files, const PagePreparer& prepare,
                const std::function<DocumentBuilder()>& make_builder)
        : files_(files), prepare_(prepare), make_builder_(make_builder), slots_(files.size()),
          charged_(files.size()) {
        std::size_t thread_count =
            std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
        for (std::size_t i = 0; i < std::min(thread_count, files_.size()); ++i) {
            workers_.emplace_back([this] { work(); });
        }
    }
    ~PreparePool() { finish(); }
    PreparePool(const PreparePool&) = delete;
    PreparePool& operator=(const PreparePool&) = delete;

    /// Page `i`, once a worker prepared it. The writer is done with the page it took before.
    PreparedPage take(std::size_t i) {
        PreparedPage page;
        {
            std::unique_lock lock(mutex_);
            if (i > 0) {
                bytes_ahead_ -= charged_[i - 1]; // the writer is done with page i - 1
                charged_[i - 1] = 0;
            }
            waiting_ = true;
            room_.notify_all();
            ready_.wait(lock, [&] { return slots_[i].has_value(); });
            waiting_ = false;
            page = std::move(*slots_[i]);
            slots_[i].reset();
            consumed_ = i + 1;
        }
        room_.notify_all();
        return page;
    }

    /// Stops the workers and waits for them.
    void finish() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        room_.notify_all();
        for (auto& t : workers_) {
            t.join();
        }
        workers_.clear();
    }

private:
    static constexpr std::size_t window = 256;
    // Four 12 MB pages prepared at once took 4.7 GB (issue 15). 256 ordinary pages (a few KB,
    // some 50 KB prepared) fit in it many times over; large pages are prepared one at a time.
    static constexpr std::size_t window_bytes = 64u << 20;
    // A prepared page has measured up to 13 times its file (long answers of distinct words).
    static constexpr std::size_t expansion = 16;

    [[nodiscard]] std::size_t reserved_bytes(std::size_t i) const {
        return expansion * static_cast<std::size_t>(std::max<std::int64_t>(files_[i].size, 0));
    }

    [[nodiscard]] bool has_room() const {
        if (next_ >= consumed_ + window) {
            return false;
        }
        const bool writer_waits_for_it = waiting_ && next_ == consumed_;
        return writer_waits_for_it || bytes_ahead_ + reserved_bytes(next_) <= window_bytes;
    }

    void work() {
        auto builder = make_builder_();
        const std::size_t total = files_.size();
        while (true) {
            std::size_t mine = 0;
            {
                std::unique_lock lock(mutex_);
                room_.wait(lock, [&] { return stop_ || next_ >= total || has_room(); });
                if (stop_ || next_ >= total) {
                    return;
                }
                mine = next_++;
                charged_[mine] = reserved_bytes(mine);
                bytes_ahead_ += charged_[mine];
            }
            auto page = prepare_(builder, files_[mine], false);
            const std::size_t held = page.bytes();
            {
                std::lock_guard lock(mutex_);
                bytes_ahead_ = bytes_ahead_ - charged_[mine] + held;
                charged_[mine] = held;
                slots_[mine] = std::move(page);
            }
            ready_.notify_all();
            room_.notify_all(); // a page may cost less than it was charged
        }
    }

    const std::vector<Candidate>& files_;
    const PagePreparer& prepare_;
    const std::function<DocumentBuilder()>& make_builder_;
    std::vector<std::optional<PreparedPage>> slots_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::condition_variable room_;
    std::size_t next_ = 0;
    std::size_t consumed_ = 0;
    std::vector<std::size_t> charged_; // what each page counts in bytes_ahead_
    std::size_t bytes_ahead_ = 0;      // of the pages prepared, being prepared, or written
    bool waiting_ = false;             // the writer waits in take()
    bool stop_ = false;
    std::vector<std::thread> workers_;
};

} // namespace

} // namespace detail

// Longer than most: the write loop's cases (a problem, strict or not; unchanged, draft or
// written; a batch full, a stop asked for) share the batch and transaction state.
// NOLINTNEXTLINE(readability-function-size): the reason is above
IndexReport Indexer::Impl::write_changed(const detail::Walk& walk, const IndexOptions& options,
                                         IndexReport report) {
    const auto& changed = walk.changed;
    const std::size_t total = changed.size();
    // Hugo decides future and expired pages by the time of the build: so does this run.
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    // Spelling counts go with the page to the writer thread, or, where one thread prepares and
    // writes (the parallel first build), stay in its builder until that thread writes them.
    detail::Sections sections(walk.root, now,
                              {config.index_drafts, config.index_future, config.index_expired},
                              config.max_page_bytes);
    const detail::PagePreparer prepare{config, walk.known, sections};
    // A first build of many pages: one writer per core, each into a database of its own, then
    // Xapian's compaction merges them into a compact index. A single writer thread is the
    // limit otherwise (profiled: two thirds of a build's instructions are in Xapian's writer).
    const std::size_t cores = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    if (walk.known.empty() && db().get_doccount() == 0 && total >= 512 && cores > 1 &&
        !options.strict) {
        return build_in_parallel(changed, cores, options, report, prepare);
    }
    const std::function<detail::DocumentBuilder()> make_builder = [this] { return builder(); };
    detail::PreparePool pool(changed, prepare, make_builder);

    // Batches bound memory and make each commit atomic; strict runs commit once or never.
    const std::size_t batch_pairs = std::max<std::size_t>(options.batch_pairs, 1);
    std::size_t pairs_in_batch = 0;
    std::size_t bytes_in_batch = 0;
    bool in_transaction = false;
    auto begin = [&] {
        if (!in_transaction) {
            db().begin_transaction();
            in_transaction = true;
        }
    };
    auto commit = [&] {
        if (in_transaction) {
            flush_spelling();
            db().commit_transaction();
            in_transaction = false;
        }
        pairs_in_batch = 0;
        bytes_in_batch = 0;
    };
    return writer.guarded("write", [&] {
        for (std::size_t i = 0; i < total; ++i) {
            auto page = pool.take(i);
            begin();
            for (const auto& warning : page.warnings) {
                if (options.on_warning) {
                    options.on_warning(warning);
                }
            }
            if (page.problem) {
                detail::report_problem(report, options, *page.problem);
                if (options.strict) {
                    pending_spelling.clear();
                    db().cancel_transaction();
                    in_transaction = false;
                    pool.finish();
                    report.interrupted = true;
                    return report;
                }
                continue; // the old pairs of a now-broken page stay until it is fixed
            }
            if (page.same_content) {
                ++report.unchanged;
                record_state(page);
            } else if (page.skipped) {
                ++report.skipped;
                remove(page.file.relative);
                record_state(page);
            } else {
                const std::size_t page_bytes = page.bytes();
                if (!options.strict && detail::commit_before_page(bytes_in_batch, page_bytes)) {
                    commit();
                    begin();
                }
                write_page(page);
                ++report.indexed;
                report.pairs += page.documents.size();
                pairs_in_batch += page.documents.size() + 1;
                bytes_in_batch += page_bytes;
            }
            if (options.on_progress) {
                options.on_progress({i + 1, total, report.pairs});
            }
            if (!options.strict &&
                (pairs_in_batch >= batch_pairs || bytes_in_batch >= detail::batch_bytes)) {
                commit();
                if (options.should_stop && options.should_stop()) {
                    report.interrupted = true;
                    pool.finish();
                    report.total_pairs = db().get_doccount();
                    return report;
                }
            }
        }
        pool.finish();
        begin();
        report = remove_gone(walk, report);
        commit();
        report.total_pairs = db().get_doccount();
        return report;
    });
}

// Files that are gone take their pairs with them; those in folders that could not be read are
// not known to be gone.
IndexReport Indexer::Impl::remove_gone(const detail::Walk& walk, IndexReport report) {
    for (const auto& [relative, state] : walk.known) {
        const std::string& page = relative; // a lambda may not capture a binding (C++20)
        const bool under_unreadable =
            std::any_of(walk.unreadable.begin(), walk.unreadable.end(),
                        [&](const std::string& prefix) { return page.rfind(prefix, 0) == 0; });
        if (!walk.seen.count(relative) && !under_unreadable) {
            remove(relative);
            db().set_metadata(detail::file_key(relative), "");
            ++report.removed;
        }
    }
    return report;
}

} // namespace leo
