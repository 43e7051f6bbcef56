#include "page/page_file.hpp"

#include "page/page_encoding.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace leo::detail {
namespace {

std::string cannot_read(int err) {
    return std::string("cannot read: ") + std::strerror(err);
}

// Closes the descriptor on every path out.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }

private:
    int fd_;
};

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. Once fstat says it is
// a regular file the flag is cleared (it means nothing to regular files, but a read should not
// depend on that).
std::optional<std::string> open_regular(const std::filesystem::path& path, int& fd,
                                        struct stat& info) {
    fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return cannot_read(errno);
    }
    if (::fstat(fd, &info) != 0) {
        return cannot_read(errno);
    }
    if (!S_ISREG(info.st_mode)) {
        return "not a regular file";
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        return cannot_read(errno);
    }
    return std::nullopt;
}

// Appends at most `limit` bytes.
std::optional<std::string> read_up_to(int fd, std::size_t limit, std::string& out) {
    char buffer[1 << 16];
    while (out.size() < limit) {
        const auto want = std::min(sizeof buffer, limit - out.size());
        const auto got = ::read(fd, buffer, want);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return cannot_read(errno);
        }
        if (got == 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(got));
    }
    return std::nullopt;
}

} // namespace

std::string over_limit_message(std::uint64_t size, std::size_t max_bytes) {
    return fmt::format("page is {:.1f} MB, over the limit of {:.1f} MB (max_page_mb in leo.toml)",
                       static_cast<double>(size) / (1 << 20),
                       static_cast<double>(max_bytes) / (1 << 20));
}

PageFile read_page_file(const std::filesystem::path& path, std::size_t max_bytes) {
    PageFile page;
    int raw = -1;
    struct stat info {};
    page.problem = open_regular(path, raw, info);
    Fd fd(raw);
    if (page.problem) {
        return page;
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size > max_bytes) {
        page.problem = over_limit_message(size, max_bytes);
        return page;
    }
    page.text.reserve(static_cast<std::size_t>(size));
    // One byte past the limit tells a file that grew since the fstat (or that fstat sizes as
    // 0, as /proc does) from one that fits.
    if ((page.problem = read_up_to(fd.get(), max_bytes + 1, page.text))) {
        page.text.clear();
        return page;
    }
    if (page.text.size() > max_bytes) {
        page.text.clear();
        page.problem = fmt::format(
            "page grew past the limit of {:.1f} MB while being read (max_page_mb in leo.toml)",
            static_cast<double>(max_bytes) / (1 << 20));
        return page;
    }
    if (auto problem = decode_wide_page(page.text)) {
        page.text.clear();
        page.line = problem->line;
        page.problem = std::move(problem->reason);
    }
    return page;
}

std::string read_page_start(const std::filesystem::path& path, std::size_t bytes) {
    int raw = -1;
    struct stat info {};
    auto problem = open_regular(path, raw, info);
    Fd fd(raw);
    std::string text;
    // Room for `bytes` characters of UTF-32 after its byte-order mark.
    if (problem || read_up_to(fd.get(), bytes * 4 + 4, text) || decode_wide_page(text, true)) {
        return {};
    }
    text.resize(std::min(text.size(), bytes));
    return text;
}

} // namespace leo::detail
