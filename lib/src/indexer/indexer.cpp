// Indexer: walks a folder (walk.cpp), prepares changed pages on worker threads and writes them
// from one thread in atomic batches (pipeline.cpp, parallel_build.cpp), through the store's
// IndexWriter. Here: the public Indexer, and the order of a run's steps.

#include "indexer/indexer_impl.hpp"
#include "store/xapian_error.hpp"

#include <leo/error.hpp>

namespace leo {

std::string PageProblem::message() const {
    std::string out = path.string();
    if (line) {
        out += ":" + std::to_string(line);
        if (column) {
            out += ":" + std::to_string(column);
        }
    }
    return out + ": " + reason;
}

std::optional<IndexReport> Indexer::Impl::rebuild(const fs::path& root, IndexOptions options,
                                                  const detail::bm25::Normalisation& measured) {
    auto live_normalisation = normalisation;
    auto back_to_live = [&] {
        writer.abandon_fresh_generation();
        normalisation = live_normalisation;
    };
    writer.start_fresh_generation();
    try {
        use_length_norm(measured);
        db().commit();
    } catch (...) {
        back_to_live();
        throw;
    }
    IndexReport report;
    options.reweight = false;
    try {
        report = index_directory_of(root, options);
    } catch (...) {
        back_to_live();
        throw;
    }
    if (report.failed > 0 || report.interrupted) {
        back_to_live();
        return std::nullopt;
    }
    try {
        writer.publish_fresh_generation();
    } catch (...) {
        back_to_live();
        throw;
    }
    report.reweighted = true;
    return report;
}

Indexer::Indexer(const Config& config, bool wait_for_lock) try
    : impl_(std::make_unique<Impl>(config, wait_for_lock)) {
} catch (...) {
    detail::rethrow_as_leo(detail::Failure::index, config.database, "open");
}
Indexer::~Indexer() = default;
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

void Indexer::add_page(const Page& page) {
    impl_->writer.guarded("write", [&] {
        if (!impl_->normalisation) {
            impl_->measure_length_norm(std::vector<Page>{page}); // the index's first page
        }
    });
    auto builder = impl_->builder();
    detail::PreparedPage prepared;
    prepared.file.relative = page.path.generic_string();
    prepared.was_indexed = true; // whatever the index holds of the page goes
    prepared.content_hash = detail::FileState::unknown_content;
    prepared.documents = builder.build(page, &prepared.spelling);
    impl_->writer.guarded("write", [&] {
        impl_->write_page(prepared);
        impl_->flush_spelling(); // add_page's changes wait for no batch
    });
}

void Indexer::remove_page(const fs::path& relative_path) {
    impl_->writer.guarded("write", [&] {
        impl_->db().delete_document(
            detail::DocumentBuilder::page_term(relative_path.generic_string()));
        impl_->db().set_metadata(detail::file_key(relative_path.generic_string()), "");
    });
}

void Indexer::commit() {
    impl_->writer.guarded("commit", [&] { impl_->db().commit(); });
}

void Indexer::compact() {
    try {
        impl_->writer.compact();
    } catch (...) {
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "compact");
    }
}

IndexReport Indexer::index_directory(const fs::path& root, const IndexOptions& options) {
    try {
        if (impl_->needs_reopen) {
            impl_->reopen();
        }
        return impl_->index_directory_of(root, options);
    } catch (...) {
        impl_->needs_reopen = true; // a later run (--watch) starts from the last commit
        detail::rethrow_as_leo(detail::Failure::index, impl_->config.database, "write");
    }
}

std::map<std::string, detail::FileState> Indexer::Impl::read_file_states() {
    std::map<std::string, detail::FileState> known;
    const std::string prefix(detail::schema::file_key_prefix);
    writer.guarded("read", [&] {
        for (auto it = db().metadata_keys_begin(prefix); it != db().metadata_keys_end(prefix);
             ++it) {
            if (auto state = detail::FileState::decode(db().get_metadata(*it))) {
                known.emplace(state->path, *state);
            }
        }
    });
    return known;
}

// Settings that shape pages changed: every known page is parsed again. The forgotten states are
// written with the new settings' stamp, in the same commit, so a run stopped halfway leaves the
// rest still marked for parsing.
void Indexer::Impl::forget_file_states(std::map<std::string, detail::FileState>& known) {
    writer.guarded("write", [&] {
        for (auto& [relative, state] : known) {
            state.mtime_ns = -1;
            state.content_hash = detail::FileState::unknown_content;
            db().set_metadata(detail::file_key(relative), state.encode());
        }
        writer.record_page_settings();
    });
}

IndexReport Indexer::Impl::index_directory_of(const fs::path& root, const IndexOptions& options) {
    IndexReport report;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        throw IndexError("cannot index '" + root.string() + "': not a folder");
    }
    // 1. Walk: one stat per file; unchanged files are never opened.
    detail::Walk walk;
    walk.root = root;
    walk.known = read_file_states();
    if (!walk.known.empty() && writer.page_settings_changed()) {
        forget_file_states(walk.known);
    }
    detail::walk_folder(config, root, options, !normalisation || options.reweight, report, walk);
    // --strict promises nothing is committed once a page is bad, and the walk itself finds some
    // (links that lead nowhere, pages over the size limit): stop there, before any write.
    if (options.strict && report.failed > 0) {
        report.interrupted = true;
        report.total_pairs = writer.guarded("read", [&] { return db().get_doccount(); });
        return report;
    }
    std::sort(walk.changed.begin(), walk.changed.end(),
              [](const detail::Candidate& a, const detail::Candidate& b) {
                  return a.relative < b.relative;
              });
    if (options.reweight && normalisation && !writer.rebuilding()) {
        auto rebuilt = writer.guarded("re-weight", [&]() -> std::optional<IndexReport> {
            auto measured = sample_length_norm(std::move(walk.length_sample));
            if (measured && detail::encode_length_norm(*measured) !=
                                detail::encode_length_norm(*normalisation)) {
                return rebuild(root, options, *measured);
            }
            return std::nullopt;
        });
        if (rebuilt) {
            return *rebuilt;
        }
        walk.length_sample.clear();
    }
    if (!normalisation && !walk.changed.empty()) {
        writer.guarded("write", [&] { measure_length_norm(std::move(walk.length_sample)); });
    }
    // 2. Prepare on workers, write on this thread, in file order; 3. remove what is gone.
    return write_changed(walk, options, report);
}

} // namespace leo
