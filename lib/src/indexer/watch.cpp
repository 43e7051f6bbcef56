// watch_directory: inotify on every folder under the root; a burst of saves becomes one
// incremental run once the folder has been quiet for the debounce time, or at the latest the
// maximum wait after the burst's first change.

#include "store/xapian_error.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <map>
#include <memory>
#include <optional>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace leo {
namespace {

// Which folder a path names: a root moved away and another put in its place has another id.
struct FolderId {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const FolderId&) const = default;
};

std::optional<FolderId> folder_id(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return std::nullopt;
    }
    return FolderId{st.st_dev, st.st_ino};
}

class Inotify {
public:
    using Warn = std::function<void(const std::string&)>;

    explicit Inotify(Warn warn)
        : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)), warn_(std::move(warn)) {
        if (fd_ < 0) {
            throw IndexError(std::string("cannot watch for changes: ") + std::strerror(errno));
        }
    }
    ~Inotify() { ::close(fd_); }
    Inotify(const Inotify&) = delete;
    Inotify& operator=(const Inotify&) = delete;

    void add_tree(const fs::path& root) {
        limit_failures_.clear();
        add(root);
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(
                 root, fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) {
                break;
            }
            auto name = it->path().filename().string();
            if (it->is_directory(ec)) {
                if (!name.empty() && name[0] == '.') {
                    it.disable_recursion_pending();
                    continue;
                }
                add(it->path());
            }
        }
        report_limit_failures();
    }

    // Waits up to `timeout` for events; returns whether any page-relevant change was seen.
    bool wait(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            return false;
        }
        alignas(inotify_event) char buffer[64 * 1024];
        bool changed = false;
        std::vector<fs::path> new_folders;
        for (;;) {
            auto n = ::read(fd_, buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            for (char* at = buffer; at < buffer + n;) {
                auto* event = reinterpret_cast<inotify_event*>(at);
                at += sizeof(inotify_event) + event->len;
                if (event->mask & IN_Q_OVERFLOW) {
                    overflowed_ = true; // events were lost, new folders among them perhaps
                    changed = true;
                    continue;
                }
                if (event->mask & IN_IGNORED) {
                    dirs_.erase(event->wd); // the folder is gone
                    continue;
                }
                std::string name = event->len ? event->name : "";
                if (!name.empty() && name[0] == '.') {
                    continue; // editors' swap files, the index itself
                }
                auto dir = dirs_.find(event->wd);
                if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO)) &&
                    dir != dirs_.end()) {
                    new_folders.push_back(dir->second / name);
                }
                changed = true;
            }
        }
        for (const auto& folder : new_folders) {
            add_tree(folder);
        }
        return changed;
    }

    // After an overflow of the event queue, folders made meanwhile may be unwatched.
    [[nodiscard]] bool take_overflow() { return std::exchange(overflowed_, false); }

private:
    void add(const fs::path& dir) {
        int wd =
            inotify_add_watch(fd_, dir.c_str(),
                              IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                  IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
        if (wd >= 0) {
            dirs_[wd] = dir;
            return;
        }
        const int error = errno;
        if (error == ENOSPC || error == ENOMEM) {
            limit_failures_.push_back(dir); // one line for them all, not one per folder
        } else if (warn_) {
            warn_("cannot watch '" + dir.string() + "' for changes: " + std::strerror(error) +
                  "; changes in it are seen only when another change starts a run");
        }
    }

    void report_limit_failures() {
        if (limit_failures_.empty() || !warn_) {
            return;
        }
        std::string others;
        if (const auto more = limit_failures_.size() - 1; more > 0) {
            others =
                " and " + std::to_string(more) + (more == 1 ? " more folder" : " more folders");
        }
        warn_("cannot watch '" + limit_failures_.front().string() + "'" + others +
              " for changes: the system's limit of inotify watches is reached (raise "
              "fs.inotify.max_user_watches); changes in them are seen only when another change "
              "starts a run");
        limit_failures_.clear();
    }

    int fd_;
    Warn warn_;
    std::map<int, fs::path> dirs_;
    std::vector<fs::path> limit_failures_;
    bool overflowed_ = false;
};

// One run; a failure is the caller's to report when it asked to, and watching goes on.
void run_once(Indexer& indexer, const fs::path& root, const IndexOptions& options,
              const WatchOptions& watch) {
    try {
        auto report = indexer.index_directory(root, options);
        if (watch.on_run) {
            watch.on_run(report);
        }
    } catch (const LockError&) {
        throw; // not a passing fault: the index is no longer ours to write
    } catch (const Error& e) {
        if (!watch.on_error) {
            throw;
        }
        watch.on_error(e);
    }
}

} // namespace

void watch_directory(Indexer& indexer, const fs::path& root, const IndexOptions& options,
                     const WatchOptions& watch) try {
    auto inotify = std::make_unique<Inotify>(watch.on_warning);
    auto watched = folder_id(root);
    inotify->add_tree(root);
    run_once(indexer, root, options, watch);
    bool pending = false;
    auto first_change = Clock::now(), last_change = first_change;
    auto note_change = [&] {
        last_change = Clock::now();
        if (!pending) {
            first_change = last_change;
        }
        pending = true;
    };
    while (!(options.should_stop && options.should_stop())) {
        if (inotify->wait(std::chrono::milliseconds(100))) {
            note_change();
        }
        // The watches follow the folders, so a root moved away (`mv pages pages.old`) would
        // keep reporting the old one. A new root is watched from scratch; while there is none,
        // nothing runs, so its pages are not taken for deleted.
        auto now_at_root = folder_id(root);
        if (!now_at_root) {
            continue;
        }
        if (now_at_root != watched) {
            inotify = std::make_unique<Inotify>(watch.on_warning);
            watched = now_at_root;
            inotify->add_tree(root);
            note_change();
        } else if (inotify->take_overflow()) {
            inotify->add_tree(root);
        }
        const auto now = Clock::now();
        if (pending &&
            (now - last_change >= watch.debounce || now - first_change >= watch.max_wait)) {
            pending = false;
            run_once(indexer, root, options, watch);
        }
    }
} catch (...) {
    detail::rethrow_as_leo(detail::Failure::other, root, "watch");
}

} // namespace leo
