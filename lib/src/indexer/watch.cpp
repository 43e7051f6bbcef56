// watch_directory: inotify on every folder under the root; a burst of saves becomes one
// incremental run once the folder has been quiet for the debounce time.

#include "store/xapian_error.hpp"

#include <chrono>
#include <cstring>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <map>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace leo {
namespace {

class Inotify {
public:
    Inotify() : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        if (fd_ < 0) {
            throw IndexError(std::string("cannot watch for changes: ") + std::strerror(errno));
        }
    }
    ~Inotify() { ::close(fd_); }
    Inotify(const Inotify&) = delete;
    Inotify& operator=(const Inotify&) = delete;

    void add_tree(const fs::path& root) {
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
    }

    // Waits up to `timeout` for events; returns whether any page-relevant change was seen.
    bool wait(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            return false;
        }
        alignas(inotify_event) char buffer[64 * 1024];
        bool changed = false;
        for (;;) {
            auto n = ::read(fd_, buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            for (char* at = buffer; at < buffer + n;) {
                auto* event = reinterpret_cast<inotify_event*>(at);
                at += sizeof(inotify_event) + event->len;
                std::string name = event->len ? event->name : "";
                if (!name.empty() && name[0] == '.') {
                    continue; // editors' swap files, the index itself
                }
                auto dir = dirs_.find(event->wd);
                if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO)) &&
                    dir != dirs_.end()) {
                    add_tree(dir->second / name);
                }
                changed = true;
            }
        }
        return changed;
    }

private:
    void add(const fs::path& dir) {
        int wd = inotify_add_watch(fd_, dir.c_str(),
                                   IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                       IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF);
        if (wd >= 0) {
            dirs_[wd] = dir;
        }
    }

    int fd_;
    std::map<int, fs::path> dirs_;
};

} // namespace

void watch_directory(Indexer& indexer, const fs::path& root, const IndexOptions& options,
                     const WatchOptions& watch) try {
    Inotify inotify;
    inotify.add_tree(root);
    auto report = indexer.index_directory(root, options);
    if (watch.on_run) {
        watch.on_run(report);
    }
    bool pending = false;
    auto last_change = std::chrono::steady_clock::now();
    while (!(options.should_stop && options.should_stop())) {
        if (inotify.wait(std::chrono::milliseconds(100))) {
            pending = true;
            last_change = std::chrono::steady_clock::now();
            continue;
        }
        if (pending && std::chrono::steady_clock::now() - last_change >= watch.debounce) {
            pending = false;
            report = indexer.index_directory(root, options);
            if (watch.on_run) {
                watch.on_run(report);
            }
        }
    }
} catch (...) {
    detail::rethrow_as_leo(detail::Failure::other, root, "watch");
}

} // namespace leo
