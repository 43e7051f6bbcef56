// The walk: one stat per file, so that an unchanged folder costs a stat a file and unchanged
// files are never opened; what changed, what is gone and what cannot be read.

#include "indexer/indexer_impl.hpp"
#include "page/page_file.hpp"
#include "store/xapian_error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fnmatch.h>
#include <leo/error.hpp>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace leo::detail {

bool excluded(const std::string& relative, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        return fnmatch(p.c_str(), relative.c_str(), 0) == 0;
    });
}

void report_problem(IndexReport& report, const IndexOptions& options, const PageProblem& problem) {
    ++report.failed;
    if (options.on_problem) {
        options.on_problem(problem);
    }
}

namespace {

bool has_markdown_extension(const fs::path& path) {
    const auto extension = path.extension();
    return extension == ".md" || extension == ".markdown";
}

std::string read_first_line(const fs::path& path) {
    auto line = read_page_start(path, 8);
    return line.substr(0, line.find('\n'));
}

class FolderWalk {
public:
    FolderWalk(const Config& config, const fs::path& root, const IndexOptions& options,
               bool sample_lengths, IndexReport& report, Walk& walk)
        : config_(config), root_(root), options_(options), sample_lengths_(sample_lengths),
          report_(report), walk_(walk) {
        std::error_code ec;
        database_ = fs::weakly_canonical(config.database, ec);
        // Links are resolved against the real folder, so a root that is itself a link still
        // holds the pages inside it.
        real_root_ = fs::canonical(root, ec);
    }

    void run() {
        std::vector<fs::path> folders{root_};
        std::vector<fs::directory_entry> entries;
        while (!folders.empty()) {
            if (strict_failed()) {
                break; // the first bad page ends a strict run
            }
            auto dir = std::move(folders.back());
            folders.pop_back();
            if (!read_folder(dir, entries)) {
                continue;
            }
            for (const auto& entry : entries) {
                if (strict_failed()) {
                    break; // the first bad page ends a strict run
                }
                consider(entry, folders);
            }
        }
    }

private:
    [[nodiscard]] bool strict_failed() const { return options_.strict && report_.failed > 0; }

    void problem(const PageProblem& problem) { report_problem(report_, options_, problem); }

    bool read_folder(const fs::path& dir, std::vector<fs::directory_entry>& entries) {
        entries.clear();
        std::error_code walk_ec;
        fs::directory_iterator it(dir, walk_ec);
        if (walk_ec) {
            if (dir == root_) {
                throw IndexError("cannot index '" + root_.string() +
                                 "': " + describe_errno(walk_ec.value()));
            }
            cannot_read_folder(dir, walk_ec);
            return false;
        }
        for (; it != fs::directory_iterator(); it.increment(walk_ec)) {
            if (walk_ec) {
                break;
            }
            entries.push_back(*it);
        }
        if (walk_ec) {
            cannot_read_folder(dir, walk_ec);
            return false;
        }
        return true;
    }

    // Folders that could not be read: the pages leo knows under them are kept, not removed.
    void cannot_read_folder(const fs::path& dir, const std::error_code& why) {
        auto relative = dir.lexically_relative(root_).generic_string();
        problem({relative, 0, 0, "cannot read: " + why.message()});
        walk_.unreadable.push_back(relative + "/");
    }

    [[nodiscard]] bool leads_outside(const fs::path& link) const {
        std::error_code link_ec;
        auto target = fs::canonical(link, link_ec);
        if (link_ec || real_root_.empty()) {
            return true; // cannot tell where it leads: do not follow it
        }
        auto inside = target.lexically_relative(real_root_);
        return inside.empty() || *inside.begin() == "..";
    }

    // Longer than most: one decision per kind of entry (folder, unreadable, not a page, link
    // out, another shard's, excluded, too big, unchanged, changed), in the order they apply.
    void consider(const fs::directory_entry& entry, std::vector<fs::path>& folders) {
        auto name = entry.path().filename().string();
        std::error_code entry_ec;
        if (entry.is_directory(entry_ec)) {
            // Links to folders are not followed; hidden folders and the index are skipped.
            if (!entry.is_symlink(entry_ec) && !(!name.empty() && name[0] == '.') &&
                !fs::equivalent(entry.path(), database_, entry_ec)) {
                folders.push_back(entry.path());
            }
            return;
        }
        // Lexical: fs::relative resolves links, and a link loop would leave the name empty.
        auto relative = entry.path().lexically_relative(root_).generic_string();
        struct stat info {};
        if (::stat(entry.path().c_str(), &info) != 0) {
            int err = errno;
            // Gone since the folder was read: its pairs go. Anything else that cannot be read
            // (a dangling link, a link loop, no permission) keeps them, with a message.
            const bool page_like =
                walk_.known.count(relative) > 0 || has_markdown_extension(entry.path());
            if (page_like && (err != ENOENT || entry.is_symlink(entry_ec))) {
                problem({relative, 0, 0, std::string("cannot read: ") + std::strerror(err)});
                walk_.seen.insert(relative);
            }
            return;
        }
        if (!S_ISREG(info.st_mode) || (!name.empty() && name[0] == '.')) {
            return;
        }
        // A link out of the folder would publish whatever it names (~/.ssh, /etc/passwd).
        // Not `seen`: a page that became such a link is no page of the folder, its pairs go.
        if (!config_.follow_links_outside && entry.is_symlink(entry_ec) &&
            leads_outside(entry.path())) {
            if (walk_.known.count(relative) > 0 || has_markdown_extension(entry.path())) {
                problem({relative, 0, 0,
                         "not indexed: a link to a file outside the folder "
                         "(follow_links = \"outside\" in leo.toml allows it)"});
            }
            return;
        }
        const std::int64_t mtime_ns =
            std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
        const auto old = walk_.known.find(relative);
        const bool unchanged = old != walk_.known.end() && old->second.mtime_ns == mtime_ns &&
                               old->second.size == static_cast<std::int64_t>(info.st_size);
        // A file of another extension is a page if it opens with front matter; one indexed as a
        // page and unchanged since is one still, so an unchanged folder costs a stat a file.
        if (!has_markdown_extension(entry.path()) && !unchanged &&
            !is_page_file(entry.path(), read_first_line(entry.path()))) {
            return;
        }
        if (sample_lengths_ && !excluded(relative, config_.exclude) &&
            static_cast<std::size_t>(info.st_size) <= config_.max_page_bytes) {
            walk_.length_sample.emplace_back(relative, entry.path()); // before the shard is chosen
        }
        if (options_.shard_count > 1 &&
            shard_of(relative, options_.shard_count) != options_.shard_index) {
            return; // another shard's page; not `seen`, so a page that moved shard leaves
                    // this one
        }
        if (excluded(relative, config_.exclude)) {
            ++report_.skipped;
            return;
        }
        ++report_.pages_seen;
        walk_.seen.insert(relative);
        if (static_cast<std::size_t>(info.st_size) > config_.max_page_bytes) {
            problem({relative, 0, 0,
                     detail::over_limit_message(static_cast<std::uint64_t>(info.st_size),
                                                config_.max_page_bytes)});
            return;
        }
        if (unchanged) {
            ++report_.unchanged;
            return;
        }
        walk_.changed.push_back(
            Candidate{entry.path(), relative, mtime_ns, static_cast<std::int64_t>(info.st_size)});
    }

    const Config& config_;
    const fs::path& root_;
    const IndexOptions& options_;
    bool sample_lengths_;
    IndexReport& report_;
    Walk& walk_;
    fs::path database_;
    fs::path real_root_;
};

} // namespace

void walk_folder(const Config& config, const fs::path& root, const IndexOptions& options,
                 bool sample_lengths, IndexReport& report, Walk& walk) {
    FolderWalk(config, root, options, sample_lengths, report, walk).run();
}

} // namespace leo::detail
