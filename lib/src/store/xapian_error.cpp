#include "store/xapian_error.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <leo/error.hpp>
#include <new>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <xapian.h>

namespace fs = std::filesystem;

namespace leo::detail {
namespace {

// The errno values a database or a filesystem call fails with in practice. Xapian 1.4 keeps an
// error's errno private and gives out its text only, so the text is matched back to the value.
constexpr std::array known_errnos{
    ENOSPC,       EDQUOT,    EIO,   EROFS,        EACCES,     EPERM,  EMFILE,
    ENFILE,       ENOMEM,    EFBIG, ENOENT,       ENOTDIR,    EISDIR, ELOOP,
    ENAMETOOLONG, ESTALE,    EBUSY, EAGAIN,       EINVAL,     ENXIO,  ECONNREFUSED,
    ECONNRESET,   ETIMEDOUT, EPIPE, EHOSTUNREACH, ENETUNREACH};

// The causes worth finding inside a message that wraps another error (a failed commit reports
// the write that failed in its text only). Their texts occur in no message of Xapian's own.
constexpr std::array wrapped_errnos{ENOSPC, EDQUOT, EIO,    EROFS,  EACCES,
                                    EPERM,  EMFILE, ENFILE, ENOMEM, EFBIG};

int whole_errno_text(std::string_view text) {
    for (int code : known_errnos) {
        if (text == std::strerror(code)) {
            return code;
        }
    }
    return 0;
}

int errno_text_inside(std::string_view text) {
    for (int code : wrapped_errnos) {
        if (text.find(std::strerror(code)) != std::string_view::npos) {
            return code;
        }
    }
    return 0;
}

// Xapian reports a folder it cannot look into as "no database there": ask the filesystem why.
int probe(const fs::path& database) {
    struct stat info {};
    if (::stat(database.c_str(), &info) != 0) {
        return errno;
    }
    if (S_ISDIR(info.st_mode)) {
        int fd = ::open((database / "iamglass").c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return errno;
        }
        ::close(fd);
    }
    return 0;
}

bool is_system_category(const std::error_code& code) {
    return code.category() == std::generic_category() || code.category() == std::system_category();
}

} // namespace

int xapian_errno(const Xapian::Error& error) {
    if (const char* text = error.get_error_string()) {
        if (int code = whole_errno_text(text)) {
            return code;
        }
    }
    // A lock that cannot be taken, and a commit that failed and could not go back to the old
    // revision ("Modifications failed (… No space left on device)"), carry it in the message.
    return errno_text_inside(error.get_msg());
}

std::string describe_errno(int code) {
    std::string text = std::strerror(code);
    switch (code) {
    case ENOSPC:
        return "disk full (" + text + ")";
    case EDQUOT:
        return "disk quota exceeded";
    case EIO:
        return "I/O error (" + text + ")";
    case EACCES:
        return "permission denied";
    case EPERM:
        return "permission denied (" + text + ")";
    case EROFS:
        return "read-only file system";
    case EMFILE:
    case ENFILE:
        return "too many open files (" + text + ")";
    case ENOMEM:
        return "out of memory";
    default:
        return text;
    }
}

void throw_xapian(const Xapian::Error& error, const fs::path& database, std::string_view doing,
                  std::string_view locked_by, int errno_then) {
    const std::string head =
        "cannot " + std::string(doing) + " index '" + database.string() + "': ";
    const std::string& msg = error.get_msg();
    // Xapian::Error has no virtual functions to cast with: its classes are told by name.
    const std::string type = error.get_type();
    int code = xapian_errno(error);
    // Some of glass's errors drop the system error ("Failed to create iamglass file" after a
    // failed write of its revision file): the errno the failed call left still says why.
    const bool may_hide_errno =
        type == "DatabaseCreateError" || type == "DatabaseOpeningError" || type == "DatabaseError";
    if (code == 0 && may_hide_errno &&
        std::find(wrapped_errnos.begin(), wrapped_errnos.end(), errno_then) !=
            wrapped_errnos.end()) {
        code = errno_then;
    }
    if (type == "DatabaseLockError") {
        if (code != 0) {
            // The lock file could not be made: the folder's permissions or filesystem, no writer.
            throw IndexError(head + "cannot take the write lock: " + describe_errno(code));
        }
        if (msg.find("already locked") == std::string::npos) {
            throw IndexError(head + "cannot take the write lock: " + msg);
        }
        throw LockError(head + "locked by " + std::string(locked_by) +
                        "; use --wait to wait for it");
    }
    if (type == "DatabaseModifiedError") {
        // Not damage: a writer committed past the reader's snapshot more often than it retried.
        throw IndexError(head + "a leo-index kept changing it while it was read; try again");
    }
    if (type == "DatabaseVersionError") {
        throw IndexError(head + "written by another Xapian version; run leo-index to rebuild it");
    }
    if (code != 0 && code != ENOENT) {
        // A full disk, a failing one, permissions: the index may be whole, so no "damaged", and
        // no advice to rebuild what the next run may read again once the cause is gone.
        throw IndexError(head + describe_errno(code));
    }
    if (type == "DatabaseNotFoundError") {
        if (int found = probe(database); found != 0 && found != ENOENT) {
            throw IndexError(head + describe_errno(found));
        }
        throw IndexError(head + "no index there; run leo-index to build it");
    }
    if (type == "DatabaseCorruptError") {
        throw IndexError(head + "damaged (" + msg + "); run leo-index to rebuild it");
    }
    if (type == "DatabaseError") {
        // No system error, yet the files are not what Xapian wrote: short reads, bad blocks.
        throw IndexError(head + "damaged (" + msg + "); run leo-index to rebuild it");
    }
    if (type == "DatabaseCreateError" || type == "DatabaseOpeningError" ||
        type == "FeatureUnavailableError") {
        // Glass drops the errno of some failed calls (its revision file, a table it opens late
        // and then takes for an absent one): say so, and where to look.
        throw IndexError(head + msg + " (" + std::string(unknown_system_error) + ")");
    }
    if (type.rfind("Database", 0) == 0) {
        // Opening, creating, a closed database: Xapian's words, and no claim of damage.
        throw IndexError(head + msg);
    }
    if (const char* text = error.get_error_string()) {
        throw IndexError(head + msg + " (" + text + ")");
    }
    throw IndexError(head + type + ": " + msg);
}

void rethrow_xapian(const fs::path& database, std::string_view doing, std::string_view locked_by) {
    const int errno_then = errno;
    try {
        throw;
    } catch (const Xapian::Error& e) {
        throw_xapian(e, database, doing, locked_by, errno_then);
    }
}

std::string current_reason() {
    try {
        throw;
    } catch (const Xapian::Error& e) {
        if (int code = xapian_errno(e)) {
            return describe_errno(code);
        }
        return e.get_description();
    } catch (const std::bad_alloc&) {
        return "out of memory";
    } catch (const fs::filesystem_error& e) {
        std::string reason =
            is_system_category(e.code()) ? describe_errno(e.code().value()) : e.code().message();
        if (!e.path1().empty()) {
            reason += " on '" + e.path1().string() + "'";
        }
        return reason;
    } catch (const std::system_error& e) {
        return is_system_category(e.code()) ? describe_errno(e.code().value()) : e.what();
    } catch (const std::invalid_argument& e) {
        return std::string("invalid value (") + e.what() + ")";
    } catch (const std::out_of_range& e) {
        return std::string("value out of range (") + e.what() + ")";
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

void rethrow_as_leo(Failure kind, const fs::path& subject, std::string_view doing) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const Xapian::Error& e) {
        throw_xapian(e, subject, doing);
    } catch (...) {
        const std::string what = kind == Failure::index ? " index '" : " '";
        const std::string message =
            "cannot " + std::string(doing) + what + subject.string() + "': " + current_reason();
        switch (kind) {
        case Failure::index:
            throw IndexError(message);
        case Failure::query:
            throw QueryError(message);
        case Failure::other:
            break;
        }
        throw Error(message);
    }
}

} // namespace leo::detail
