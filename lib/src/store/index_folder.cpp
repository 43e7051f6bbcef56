#include "store/index_folder.hpp"

#include "format/schema.hpp"
#include "store/shards.hpp"
#include "store/xapian_error.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <leo/error.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xapian.h>

namespace fs = std::filesystem;

namespace leo::detail {

namespace {

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// Names leo makes inside an index folder; nothing else there is ever removed.
bool is_leo_name(const std::string& name) {
    static const std::regex pattern(
        R"((g|lexicon-g)[0-9]+(\.tmp)?|lexicon|XAPIANDB\.tmp|iamleo\.tmp|\.build-[0-9]+|shard-[0-9]+-of-[0-9]+)");
    return std::regex_match(name, pattern);
}

// The files of a glass database written straight into the folder, as leo did before
// generations.
bool is_older_layout_file(const std::string& name) {
    return name == "iamglass" || name == "flintlock" ||
           (name.size() > 6 && name.compare(name.size() - 6, 6, ".glass") == 0);
}

// Whether `path` exists; an error other than "no such file" is reported, not taken for no.
bool present(const fs::path& path) {
    std::error_code ec;
    auto status = fs::symlink_status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
        throw IndexError("cannot read " + quoted(path) + ": " + describe_errno(ec.value()));
    }
    return fs::exists(status);
}

} // namespace

// A stub or marker that cannot be read is an error, never an empty file: what leo removes is
// decided by what the stub names.
std::string read_text(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw IndexError("cannot read " + quoted(path) + ": " + describe_errno(errno));
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int error = errno;
            ::close(fd);
            throw IndexError("cannot read " + quoted(path) + ": " + describe_errno(error));
        }
        if (n == 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

namespace {

constexpr const char* marker_text = "leo index: files here are written by leo-index\n";

// A sharded index's stub names a lexicon; leo's single index's names one generation.
bool names_shards(const std::string& stub_text) {
    return stub_text.find(lexicon_marker) != std::string::npos;
}

// The names a stub refers to, relative to its folder.
std::set<std::string> stub_names(const std::string& stub_text) {
    std::set<std::string> names;
    std::istringstream lines(stub_text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(lexicon_marker, 0) == 0) {
            names.insert(fs::path(line.substr(lexicon_marker.size() + 1)).filename().string());
            continue;
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream words(line);
        std::string type;
        std::string target;
        words >> type;
        std::getline(words >> std::ws, target);
        if (type != "remote") {
            names.insert(fs::path(target).filename().string());
        }
    }
    return names;
}

void sync_folder(const fs::path& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // the rename itself durable; a failure here leaves the old name, still whole
        ::close(fd);
    }
}

} // namespace

void replace_file(const fs::path& target, const std::string& text) {
    auto temporary = target;
    temporary += ".tmp";
    auto fail = [&](const char* doing) {
        int error = errno;
        ::unlink(temporary.c_str());
        throw IndexError("cannot " + std::string(doing) + " " + quoted(target) + ": " +
                         describe_errno(error));
    };
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail("write");
    }
    std::size_t written = 0;
    while (written < text.size()) {
        auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int error = n < 0 ? errno : EIO;
            ::close(fd);
            errno = error;
            fail("write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        int error = errno;
        ::close(fd);
        errno = error;
        fail("write");
    }
    if (::close(fd) != 0) {
        fail("write");
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        fail("replace");
    }
    sync_folder(target.parent_path());
}

void verify_copy(const std::vector<fs::path>& sources, const fs::path& copy, bool renumbered) {
    // Glass opens some tables only when they are first needed and takes one it cannot open for
    // one that is not there, so a compaction that could not read a table writes a copy without
    // it, and says nothing. A copy that lacks what its sources hold is never published.
    Xapian::Database out(copy.string());
    auto why = [&](const std::string& what) {
        throw IndexError("cannot copy index " + quoted(copy.parent_path()) + ": the copy " + what +
                         ", as a table of the index could not be read (" +
                         std::string(unknown_system_error) + ")");
    };
    Xapian::doccount documents = 0;
    Xapian::docid offset = 0; // a renumbering compaction puts each source's ids after the last
    for (const auto& source : sources) {
        Xapian::Database in(source.string());
        documents += in.get_doccount();
        if (in.get_doccount() > 0) {
            // Each source's first pair keeps its terms in the copy.
            auto first = *in.postlist_begin("");
            auto id = renumbered ? offset + 1 : first;
            try {
                if (out.termlist_begin(id) == out.termlist_end(id)) {
                    why("has no terms for pair " + std::to_string(id));
                }
            } catch (const Xapian::DocNotFoundError&) {
                why("has no terms for pair " + std::to_string(id));
            }
            offset += in.get_lastdocid() - first + 1;
        }
        if (in.spellings_begin() != in.spellings_end() &&
            out.spellings_begin() == out.spellings_end()) {
            why("lost its spelling table");
        }
    }
    if (out.get_doccount() != documents) {
        why("holds " + std::to_string(out.get_doccount()) + " pairs, not " +
            std::to_string(documents));
    }
}

IndexFolder::IndexFolder(fs::path folder) : folder_(std::move(folder)) {}

void IndexFolder::create() const {
    std::error_code ec;
    auto status = fs::status(folder_, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
        throw IndexError("cannot open index " + quoted(folder_) +
                         ": it is a file, not an index folder; choose another --db");
    }
    if (!fs::exists(status) && !fs::create_directories(folder_, ec) && ec) {
        throw IndexError("cannot create index " + quoted(folder_) + ": " +
                         describe_errno(ec.value()));
    }
}

void IndexFolder::claim() {
    std::error_code ec;
    const bool marked = present(folder_ / marker_name);
    const bool older_single = present(folder_ / "iamglass");
    if (older_single) {
        migrate_older_layout();
        return;
    }
    if (marked) {
        return;
    }
    // A sharded index of an older leo: its stub names a lexicon.
    const bool older_sharded = holds_shards();
    const bool empty = fs::is_empty(folder_, ec);
    if (ec) {
        throw IndexError("cannot open index " + quoted(folder_) + ": " +
                         describe_errno(ec.value()));
    }
    if (!empty && !older_sharded) {
        throw IndexError("cannot use " + quoted(folder_) +
                         " as an index: it is not a leo index and is not empty; choose another "
                         "--db");
    }
    replace_file(folder_ / marker_name, marker_text);
}

// An older leo wrote the glass files straight into the folder: copy them into a generation by
// compaction (a kill leaves the old files in charge), publish it, then remove the old files.
void IndexFolder::migrate_older_layout() {
    const bool marked = present(folder_ / marker_name);
    if (!marked || !live_generation()) {
        try {
            Xapian::Database older(folder_.string());
            if (older.get_metadata(std::string(schema::format_key)).empty() &&
                older.get_doccount() > 0) {
                throw IndexError("cannot use " + quoted(folder_) +
                                 " as an index: it is not a leo index (a Xapian database leo "
                                 "did not write); choose another --db");
            }
            remove_leftovers();
            auto generation = next_generation();
            older.compact(generation.string(), Xapian::DBCOMPACT_NO_RENUMBER);
            older.close();
            verify_copy({folder_}, generation, /*renumbered=*/false);
            replace_file(folder_ / marker_name, marker_text);
            publish(generation);
        } catch (const Xapian::Error&) {
            rethrow_xapian(folder_, "upgrade");
        }
    }
    // Readers open iamglass before a stub: it goes first.
    std::error_code ec;
    fs::remove(folder_ / "iamglass", ec);
    for (const auto& entry : fs::directory_iterator(folder_, ec)) {
        auto name = entry.path().filename().string();
        if (is_older_layout_file(name)) {
            std::error_code ignored;
            fs::remove(entry.path(), ignored);
        }
    }
}

std::optional<fs::path> IndexFolder::live_generation() const {
    if (!present(folder_ / stub_name)) {
        return std::nullopt;
    }
    auto text = read_text(folder_ / stub_name);
    if (names_shards(text)) {
        throw IndexError("cannot open index " + quoted(folder_) +
                         " as one index: it is a sharded index; index it with --shards");
    }
    auto names = stub_names(text);
    if (names.size() != 1) {
        throw IndexError("cannot open index " + quoted(folder_) + ": its stub '" + stub_name +
                         "' lists " + std::to_string(names.size()) + " databases, not one");
    }
    return folder_ / *names.begin();
}

bool IndexFolder::holds_shards() const {
    return present(folder_ / stub_name) && names_shards(read_text(folder_ / stub_name));
}

fs::path IndexFolder::next_generation(const std::string& stem) const {
    unsigned long highest = 0;
    std::error_code ec;
    fs::directory_iterator entries(folder_, ec);
    if (ec) {
        throw IndexError("cannot read index " + quoted(folder_) + ": " +
                         describe_errno(ec.value()));
    }
    for (const auto& entry : entries) {
        auto name = entry.path().filename().string();
        if (name.rfind(stem, 0) != 0) {
            continue;
        }
        auto digits = name.substr(stem.size());
        auto end = digits.find_first_not_of("0123456789");
        if (end == 0 || digits.empty()) {
            continue;
        }
        highest = std::max(highest, std::stoul(digits.substr(0, end)));
    }
    // Never an existing name, even one the listing missed: a new generation is written over
    // nothing.
    auto next = folder_ / (stem + std::to_string(highest + 1));
    while (present(next)) {
        next = folder_ / (stem + std::to_string(++highest + 1));
    }
    return next;
}

void IndexFolder::write_stub(const std::string& stub_text) {
    replace_file(folder_ / stub_name, stub_text);
}

void IndexFolder::publish(const fs::path& generation) {
    write_stub("# leo index: the live generation\nauto " + generation.filename().string() + "\n");
    remove_leftovers({generation.filename().string()}, /*keep_is_all=*/true);
}

void IndexFolder::remove_leftovers(const std::vector<std::string>& keep, bool keep_is_all) const {
    std::error_code ec;
    std::set<std::string> live(keep.begin(), keep.end());
    try {
        if (!keep_is_all && present(folder_ / stub_name)) {
            auto names = stub_names(read_text(folder_ / stub_name));
            if (names.empty()) {
                return; // a stub naming nothing is not leo's: keep everything
            }
            live.insert(names.begin(), names.end());
        }
    } catch (const IndexError&) {
        return; // what the stub names is unknown: nothing goes; the next run tidies up
    }
    fs::directory_iterator entries(folder_, ec);
    if (ec) {
        ec.clear();
        entries = fs::directory_iterator(folder_, ec); // once more: a transient failure
        if (ec) {
            return;
        }
    }
    std::vector<fs::path> doomed;
    for (const auto& entry : entries) {
        auto name = entry.path().filename().string();
        if (is_leo_name(name) && !live.count(name)) {
            doomed.push_back(entry.path());
        }
    }
    for (const auto& path : doomed) {
        std::error_code failed; // what cannot be removed now is removed by the next run
        if (fs::remove_all(path, failed) == static_cast<std::uintmax_t>(-1) || failed) {
            fs::remove_all(path, failed); // once more: a transient failure
        }
    }
}

FolderLock::FolderLock(const fs::path& folder, bool wait) {
    fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) {
        throw IndexError("cannot lock index " + quoted(folder) + ": " + describe_errno(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
        return;
    }
    if (!wait) {
        // Who holds it: /proc/locks names the process that holds an flock on this inode.
        std::string who;
        struct stat info {};
        if (::fstat(fd_, &info) == 0) {
            char device[64];
            std::snprintf(device, sizeof device, "%02x:%02x:%llu", major(info.st_dev),
                          minor(info.st_dev), static_cast<unsigned long long>(info.st_ino));
            std::ifstream locks("/proc/locks");
            std::string line;
            while (std::getline(locks, line)) {
                std::istringstream words(line);
                std::string number, kind, mode, access, pid, where;
                words >> number >> kind >> mode >> access >> pid >> where;
                if (kind == "FLOCK" && where == device && pid != std::to_string(::getpid())) {
                    who = " (pid " + pid + ")";
                    break;
                }
            }
        }
        ::close(fd_);
        throw LockError("cannot open index " + quoted(folder) + ": locked by another leo-index" +
                        who + "; use --wait to wait for it");
    }
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int error = errno;
            ::close(fd_);
            throw IndexError("cannot lock index " + quoted(folder) + ": " + describe_errno(error));
        }
    }
}

FolderLock::~FolderLock() {
    ::close(fd_); // releases the lock
}

} // namespace leo::detail
