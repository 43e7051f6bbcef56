/* fault_shim.so: make the N-th file-system call of one kind fail, for leo's fault-injection
 * tests (tests/faults/fault_test.py, docs/failures.md "Fault injection").
 *
 * How it works. Loaded with LD_PRELOAD, this library defines the libc functions below under
 * their own names, so the dynamic linker binds every call that leo, Xapian and libstdc++ make
 * through the PLT to these wrappers instead of to libc. Each wrapper finds the real function
 * with dlsym(RTLD_NEXT, name), decides whether this call is one that counts, bumps the count
 * of its kind (an atomic, so the parallel build's threads count exactly), and either makes the
 * real call or returns -1 with the chosen errno without making it. Calls that glibc makes to
 * itself internally (fwrite's write, opendir's open) do not go through the PLT and are not
 * seen; libstdc++'s file streams call fopen, write and writev through it, and are.
 *
 * Which calls count. Only calls on files inside the directory LEO_FAULT_UNDER: for calls that
 * take a path (open, rename, mkdir), the path made absolute (relative paths against the current
 * directory or the *at directory fd) and cleaned of "." and ".." lexically; for calls that take
 * an fd (write, fsync), fds that an interposed open returned for a path inside it. So the
 * tools' stdout and stderr, the pages being read and everything else are never faulted, and
 * the counts do not depend on the terminal. Without LEO_FAULT_UNDER every call counts.
 *
 * Kinds (LEO_FAULT_OP):
 *   write      write, pwrite, pwrite64, writev, pwritev, pwritev64
 *   fsync      fsync, fdatasync
 *   rename     rename, renameat, renameat2 (either path inside)
 *   open       open, open64, openat, openat64, creat, fopen, fopen64 (and the _FORTIFY_SOURCE
 *              __open_2 family) when they create or open for writing (O_WRONLY, O_RDWR or
 *              O_CREAT; fopen modes with w, a or +)
 *   open-read  the same calls when they open read-only
 *   mkdir      mkdir, mkdirat
 *   read       read, pread, pread64, readv (not in the brief's list: Xapian reading a block)
 *
 * Environment:
 *   LEO_FAULT_OP          the kind to fail (unset: count only)
 *   LEO_FAULT_AT          N, 1-based: the N-th call of that kind fails; 0 (default): never
 *   LEO_FAULT_ERRNO       ENOSPC (default), EIO, EACCES, EROFS, EPERM, EDQUOT, or a number
 *   LEO_FAULT_STICKY      1: every call of the kind from the N-th on fails (a disk that stays
 *                         full); otherwise only the N-th (a transient error)
 *   LEO_FAULT_UNDER       only calls on files inside this directory count (see above)
 *   LEO_FAULT_COUNT_FILE  at exit, append "<kind> <count>" per kind, "injected <k>" (how many
 *                         calls were failed) to this file, so a driver learns how many fault
 *                         points a run has; "first <function> <path>" (the first failed call)
 *                         is appended when it happens, so even a run that aborts tells where
 *                         its fault landed
 *   LEO_FAULT_OFF_FILE    while this file exists, calls are neither counted nor failed: the
 *                         fault is gone, and a process that keeps running (--watch) is
 *                         checked to recover
 *
 * fds are followed through dup, dup2, dup3 and fcntl(F_DUPFD), and forgotten at close and
 * fclose, so a number that comes back for another file starts untracked.
 *
 * Care taken: no wrapper calls another interposed function (the helpers use only syscalls
 * that are not wrapped: getcwd, readlink); a thread-local flag passes any call made while the
 * shim itself runs straight to libc; the variadic mode of open is read only when O_CREAT or
 * O_TMPFILE says it is there; errno is preserved across the bookkeeping.
 */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE /* its inline open() and read() wrappers would clash with ours */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* glibc's _FORTIFY_SOURCE entry points: declared only by the fortified headers. */
int __open_2(const char* path, int flags);
int __open64_2(const char* path, int flags);
int __openat_2(int dirfd, const char* path, int flags);
int __openat64_2(int dirfd, const char* path, int flags);

enum kind { K_WRITE, K_FSYNC, K_RENAME, K_OPEN, K_OPEN_READ, K_MKDIR, K_READ, K_COUNT };
static const char* const kind_names[K_COUNT] = {"write", "fsync", "rename",   "open",
                                                "open-read", "mkdir", "read"};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int target_kind = -1;
static unsigned long fail_at = 0;
static int fail_errno = ENOSPC;
static int sticky = 0;
static char under[PATH_MAX];
static size_t under_len = 0;
static int have_under = 0;
static char count_file[PATH_MAX];
static char off_file[PATH_MAX];

static atomic_ulong counts[K_COUNT];
static atomic_ulong injected;
static atomic_int first_taken;
static char first_call[32];
static char first_path[PATH_MAX];

/* fds that an interposed open returned for a path inside LEO_FAULT_UNDER */
#define MAX_FDS 65536
static atomic_uchar tracked[MAX_FDS];

/* Set while the shim or a real call it made runs: calls made meanwhile go straight to libc. */
static __thread int busy;

/* The real function `name`, looked up once. Two threads may both look it up: same result. */
#define REAL(name)                                                                           \
    ({                                                                                       \
        static __typeof__(&name) real_;                                                      \
        __typeof__(&name) f_ = __atomic_load_n(&real_, __ATOMIC_ACQUIRE);                    \
        if (!f_) {                                                                           \
            f_ = (__typeof__(&name))real_symbol(#name);                                      \
            __atomic_store_n(&real_, f_, __ATOMIC_RELEASE);                                  \
        }                                                                                    \
        f_;                                                                                  \
    })

static void* real_symbol(const char* name) {
    void* f = dlsym(RTLD_NEXT, name);
    if (!f) {
        static const char msg[] = "fault_shim: dlsym(RTLD_NEXT) found no libc function\n";
        ssize_t ignored = ((ssize_t(*)(int, const void*, size_t))dlsym(RTLD_DEFAULT, "write"))(
            2, msg, sizeof msg - 1);
        (void)ignored;
        abort();
    }
    return f;
}

static void die(const char* what, const char* value) {
    char msg[512];
    int n = snprintf(msg, sizeof msg, "fault_shim: %s: '%s'\n", what, value ? value : "");
    ssize_t ignored = REAL(write)(2, msg, n > 0 ? (size_t)n : 0);
    (void)ignored;
    abort();
}

/* `path` made absolute (against `dirfd`, or the current directory) and cleaned of "", "." and
 * ".." components, into out[PATH_MAX]; 0 if it does not fit. Only syscalls, no allocation. */
static int absolute_path(int dirfd, const char* path, char* out) {
    char raw[2 * PATH_MAX];
    size_t len = 0;
    if (path[0] != '/') {
        if (dirfd == AT_FDCWD) {
            if (!getcwd(raw, PATH_MAX)) {
                return 0;
            }
            len = strlen(raw);
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, raw, PATH_MAX - 1);
            if (n <= 0) {
                return 0;
            }
            len = (size_t)n;
        }
    }
    size_t plen = strlen(path);
    if (len + 1 + plen + 1 > sizeof raw) {
        return 0;
    }
    raw[len++] = '/';
    memcpy(raw + len, path, plen + 1);

    size_t o = 0; /* out holds "/a/b" without a trailing slash; "" is the root */
    const char* p = raw;
    while (*p) {
        while (*p == '/') {
            ++p;
        }
        const char* start = p;
        while (*p && *p != '/') {
            ++p;
        }
        size_t n = (size_t)(p - start);
        if (n == 0 || (n == 1 && start[0] == '.')) {
            continue;
        }
        if (n == 2 && start[0] == '.' && start[1] == '.') {
            while (o > 0 && out[o - 1] != '/') {
                --o;
            }
            if (o > 0) {
                --o;
            }
            continue;
        }
        if (o + 1 + n + 1 > PATH_MAX) {
            return 0;
        }
        out[o++] = '/';
        memcpy(out + o, start, n);
        o += n;
    }
    if (o == 0) {
        out[o++] = '/';
    }
    out[o] = '\0';
    return 1;
}

static void init(void) {
    const char* op = getenv("LEO_FAULT_OP");
    if (op && *op) {
        for (int k = 0; k < K_COUNT; ++k) {
            if (strcmp(op, kind_names[k]) == 0) {
                target_kind = k;
            }
        }
        if (target_kind < 0) {
            die("LEO_FAULT_OP is not write, fsync, rename, open, open-read, mkdir or read", op);
        }
    }
    const char* at = getenv("LEO_FAULT_AT");
    if (at && *at) {
        char* end = NULL;
        fail_at = strtoul(at, &end, 10);
        if (*end) {
            die("LEO_FAULT_AT is not a number", at);
        }
    }
    const char* e = getenv("LEO_FAULT_ERRNO");
    if (e && *e) {
        static const struct {
            const char* name;
            int value;
        } names[] = {{"ENOSPC", ENOSPC}, {"EIO", EIO},       {"EACCES", EACCES}, {"EROFS", EROFS},
                     {"EPERM", EPERM},   {"EDQUOT", EDQUOT}, {"ENOENT", ENOENT}, {"EFBIG", EFBIG}};
        fail_errno = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
            if (strcmp(e, names[i].name) == 0) {
                fail_errno = names[i].value;
            }
        }
        if (!fail_errno) {
            char* end = NULL;
            fail_errno = (int)strtol(e, &end, 10);
            if (*end || fail_errno <= 0) {
                die("LEO_FAULT_ERRNO is not a known errno name or a number", e);
            }
        }
    }
    const char* s = getenv("LEO_FAULT_STICKY");
    sticky = s && strcmp(s, "1") == 0;
    const char* u = getenv("LEO_FAULT_UNDER");
    if (u && *u) {
        if (!absolute_path(AT_FDCWD, u, under)) {
            die("LEO_FAULT_UNDER is too long", u);
        }
        under_len = strlen(under);
        if (under_len == 1) { /* "/": everything is inside */
            under_len = 0;
        }
        have_under = 1;
    }
    const char* off = getenv("LEO_FAULT_OFF_FILE");
    if (off && *off) {
        if (strlen(off) >= sizeof off_file) {
            die("LEO_FAULT_OFF_FILE is too long", off);
        }
        strcpy(off_file, off);
    }
    const char* c = getenv("LEO_FAULT_COUNT_FILE");
    if (c && *c) {
        if (strlen(c) >= sizeof count_file) {
            die("LEO_FAULT_COUNT_FILE is too long", c);
        }
        strcpy(count_file, c);
    }
}

static int inside_path(int dirfd, const char* path) {
    if (!have_under) {
        return 1;
    }
    if (!path) {
        return 0;
    }
    char full[PATH_MAX];
    if (!absolute_path(dirfd, path, full)) {
        return 0;
    }
    return strncmp(full, under, under_len) == 0 &&
           (full[under_len] == '\0' || full[under_len] == '/');
}

static int inside_fd(int fd) {
    if (!have_under) {
        return 1;
    }
    return fd >= 0 && fd < MAX_FDS && atomic_load(&tracked[fd]);
}

static void track(int fd, int inside) {
    if (fd >= 0 && fd < MAX_FDS) {
        atomic_store(&tracked[fd], (unsigned char)(inside ? 1 : 0));
    }
}

static void append_to_count_file(const char* format, ...) {
    if (!count_file[0]) {
        return;
    }
    char text[PATH_MAX + 512];
    va_list ap;
    va_start(ap, format);
    int len = vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    if (len < 0) {
        return;
    }
    if ((size_t)len >= sizeof text) {
        len = (int)sizeof text - 1;
    }
    int fd = REAL(open)(count_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t ignored = REAL(write)(fd, text, (size_t)len);
        (void)ignored;
        REAL(close)(fd);
    }
}

/* Counts one call of `kind` and says whether it must fail; remembers the first that does. */
static int count_call(int kind, const char* fn, int dirfd, const char* path, int fd) {
    /* The fault is gone (a disk freed): a long-running process (--watch) is then checked to
     * recover. Calls from then on are neither counted nor failed. */
    if (off_file[0] && access(off_file, F_OK) == 0) {
        return 0;
    }
    unsigned long n = atomic_fetch_add(&counts[kind], 1) + 1;
    if (kind != target_kind || fail_at == 0 || (sticky ? n < fail_at : n != fail_at)) {
        return 0;
    }
    atomic_fetch_add(&injected, 1);
    if (atomic_exchange(&first_taken, 1) == 0) {
        snprintf(first_call, sizeof first_call, "%s", fn);
        if (path) {
            if (!absolute_path(dirfd, path, first_path)) {
                snprintf(first_path, sizeof first_path, "%s", path);
            }
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t len = readlink(link, first_path, sizeof first_path - 1);
            first_path[len > 0 ? len : 0] = '\0';
        }
        /* Now, not only at exit: a run that then aborts still tells where its fault landed. */
        append_to_count_file("first %s %s\n", first_call, first_path);
    }
    return 1;
}

/* The gates: 1 means "fail this call with fail_errno". Each keeps errno as it found it. */
static int gate_path(int kind, const char* fn, int dirfd, const char* path, const char* path2,
                     int* inside) {
    *inside = 0;
    if (busy) {
        return 0;
    }
    int saved = errno;
    busy = 1;
    pthread_once(&once, init);
    int fail = 0;
    int in1 = inside_path(dirfd, path);
    *inside = in1 || (path2 && inside_path(dirfd, path2));
    if (*inside) {
        fail = count_call(kind, fn, dirfd, in1 || !path2 ? path : path2, -1);
    }
    busy = 0;
    errno = saved;
    return fail;
}

static int gate_fd(int kind, const char* fn, int fd) {
    if (busy) {
        return 0;
    }
    int saved = errno;
    busy = 1;
    pthread_once(&once, init);
    int fail = inside_fd(fd) && count_call(kind, fn, AT_FDCWD, NULL, fd);
    busy = 0;
    errno = saved;
    return fail;
}

static int open_kind(int flags) {
    return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT) ? K_OPEN : K_OPEN_READ;
}

static int needs_mode(int flags) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* Runs `call` (an expression yielding an fd) under the open gate and tracks what it returns. */
#define GATED_OPEN(fn, dirfd, path, flags, call)                                               \
    do {                                                                                     \
        int inside_;                                                                         \
        if (gate_path(open_kind(flags), fn, dirfd, path, NULL, &inside_)) {                  \
            errno = fail_errno;                                                              \
            return -1;                                                                       \
        }                                                                                    \
        int was_busy_ = busy;                                                                \
        busy = 1;                                                                            \
        int fd_ = (call);                                                                    \
        busy = was_busy_;                                                                    \
        if (fd_ >= 0) {                                                                      \
            track(fd_, inside_);                                                             \
        }                                                                                    \
        return fd_;                                                                          \
    } while (0)

#define READ_MODE(flags, last)                                                               \
    mode_t mode = 0;                                                                         \
    if (needs_mode(flags)) {                                                                 \
        va_list ap;                                                                          \
        va_start(ap, last);                                                                  \
        mode = (mode_t)va_arg(ap, int);                                                      \
        va_end(ap);                                                                          \
    }

int open(const char* path, int flags, ...) {
    READ_MODE(flags, flags);
    GATED_OPEN("open", AT_FDCWD, path, flags, REAL(open)(path, flags, mode));
}

int open64(const char* path, int flags, ...) {
    READ_MODE(flags, flags);
    GATED_OPEN("open64", AT_FDCWD, path, flags, REAL(open64)(path, flags, mode));
}

int openat(int dirfd, const char* path, int flags, ...) {
    READ_MODE(flags, flags);
    GATED_OPEN("openat", dirfd, path, flags, REAL(openat)(dirfd, path, flags, mode));
}

int openat64(int dirfd, const char* path, int flags, ...) {
    READ_MODE(flags, flags);
    GATED_OPEN("openat64", dirfd, path, flags, REAL(openat64)(dirfd, path, flags, mode));
}

int __open_2(const char* path, int flags) {
    GATED_OPEN("__open_2", AT_FDCWD, path, flags, REAL(__open_2)(path, flags));
}

int __open64_2(const char* path, int flags) {
    GATED_OPEN("__open64_2", AT_FDCWD, path, flags, REAL(__open64_2)(path, flags));
}

int __openat_2(int dirfd, const char* path, int flags) {
    GATED_OPEN("__openat_2", dirfd, path, flags, REAL(__openat_2)(dirfd, path, flags));
}

int __openat64_2(int dirfd, const char* path, int flags) {
    GATED_OPEN("__openat64_2", dirfd, path, flags, REAL(__openat64_2)(dirfd, path, flags));
}

int creat(const char* path, mode_t mode) {
    GATED_OPEN("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, REAL(creat)(path, mode));
}

int creat64(const char* path, mode_t mode) {
    GATED_OPEN("creat64", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, REAL(creat64)(path, mode));
}

static FILE* gated_fopen(const char* fn, FILE* (*real)(const char*, const char*), const char* path,
                         const char* mode) {
    int writes = mode && (strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+'));
    int inside;
    if (gate_path(writes ? K_OPEN : K_OPEN_READ, fn, AT_FDCWD, path, NULL, &inside)) {
        errno = fail_errno;
        return NULL;
    }
    int was_busy = busy;
    busy = 1;
    FILE* f = real(path, mode);
    busy = was_busy;
    if (f) {
        track(fileno(f), inside);
    }
    return f;
}

FILE* fopen(const char* path, const char* mode) {
    return gated_fopen("fopen", REAL(fopen), path, mode);
}

FILE* fopen64(const char* path, const char* mode) {
    return gated_fopen("fopen64", REAL(fopen64), path, mode);
}

/* Closing (or replacing) an fd forgets it, so a later fd of the same number starts untracked. */
int close(int fd) {
    track(fd, 0);
    return REAL(close)(fd);
}

int fclose(FILE* f) {
    if (f) {
        track(fileno(f), 0);
    }
    return REAL(fclose)(f);
}

int dup(int fd) {
    int copy = REAL(dup)(fd);
    if (copy >= 0) {
        track(copy, inside_fd(fd) && have_under);
    }
    return copy;
}

int dup2(int fd, int copy) {
    int in = have_under && inside_fd(fd);
    int r = REAL(dup2)(fd, copy);
    if (r >= 0) {
        track(r, in);
    }
    return r;
}

int dup3(int fd, int copy, int flags) {
    int in = have_under && inside_fd(fd);
    int r = REAL(dup3)(fd, copy, flags);
    if (r >= 0) {
        track(r, in);
    }
    return r;
}

/* fcntl's F_DUPFD duplicates too (Python's os.dup, for one). glibc reads the optional argument
 * as a pointer whatever it is, and so does this. */
static int gated_fcntl(int (*real)(int, int, ...), int fd, int cmd, void* arg) {
    int in = have_under && inside_fd(fd);
    int r = real(fd, cmd, arg);
    if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) {
        track(r, in);
    }
    return r;
}

int fcntl(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    return gated_fcntl(REAL(fcntl), fd, cmd, arg);
}

int fcntl64(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void* arg = va_arg(ap, void*);
    va_end(ap);
    return gated_fcntl(REAL(fcntl64), fd, cmd, arg);
}

#define GATED_FD(kind, fn, fd, call)                                                           \
    do {                                                                                     \
        if (gate_fd(kind, fn, fd)) {                                                         \
            errno = fail_errno;                                                              \
            return -1;                                                                       \
        }                                                                                    \
        return (call);                                                                       \
    } while (0)

ssize_t write(int fd, const void* buf, size_t n) {
    GATED_FD(K_WRITE, "write", fd, REAL(write)(fd, buf, n));
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
    GATED_FD(K_WRITE, "pwrite", fd, REAL(pwrite)(fd, buf, n, offset));
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t offset) {
    GATED_FD(K_WRITE, "pwrite64", fd, REAL(pwrite64)(fd, buf, n, offset));
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
    GATED_FD(K_WRITE, "writev", fd, REAL(writev)(fd, iov, count));
}

ssize_t pwritev(int fd, const struct iovec* iov, int count, off_t offset) {
    GATED_FD(K_WRITE, "pwritev", fd, REAL(pwritev)(fd, iov, count, offset));
}

ssize_t pwritev64(int fd, const struct iovec* iov, int count, off64_t offset) {
    GATED_FD(K_WRITE, "pwritev64", fd, REAL(pwritev64)(fd, iov, count, offset));
}

int fsync(int fd) {
    GATED_FD(K_FSYNC, "fsync", fd, REAL(fsync)(fd));
}

int fdatasync(int fd) {
    GATED_FD(K_FSYNC, "fdatasync", fd, REAL(fdatasync)(fd));
}

ssize_t read(int fd, void* buf, size_t n) {
    GATED_FD(K_READ, "read", fd, REAL(read)(fd, buf, n));
}

ssize_t pread(int fd, void* buf, size_t n, off_t offset) {
    GATED_FD(K_READ, "pread", fd, REAL(pread)(fd, buf, n, offset));
}

ssize_t pread64(int fd, void* buf, size_t n, off64_t offset) {
    GATED_FD(K_READ, "pread64", fd, REAL(pread64)(fd, buf, n, offset));
}

ssize_t readv(int fd, const struct iovec* iov, int count) {
    GATED_FD(K_READ, "readv", fd, REAL(readv)(fd, iov, count));
}

#define GATED_PATH(kind, fn, dirfd, path, path2, call)                                         \
    do {                                                                                     \
        int inside_;                                                                         \
        if (gate_path(kind, fn, dirfd, path, path2, &inside_)) {                             \
            errno = fail_errno;                                                              \
            return -1;                                                                       \
        }                                                                                    \
        return (call);                                                                       \
    } while (0)

int rename(const char* from, const char* to) {
    GATED_PATH(K_RENAME, "rename", AT_FDCWD, from, to, REAL(rename)(from, to));
}

/* renameat's two directory fds: the gate resolves relative paths against the first; leo and
 * Xapian pass AT_FDCWD or absolute paths, so the second is only consulted for `to` if it is
 * the one that is inside. */
int renameat(int fromfd, const char* from, int tofd, const char* to) {
    int inside;
    int fail = gate_path(K_RENAME, "renameat", fromfd, from, NULL, &inside);
    if (!inside && !fail) {
        fail = gate_path(K_RENAME, "renameat", tofd, to, NULL, &inside);
    }
    if (fail) {
        errno = fail_errno;
        return -1;
    }
    return REAL(renameat)(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char* from, int tofd, const char* to, unsigned int flags) {
    int inside;
    int fail = gate_path(K_RENAME, "renameat2", fromfd, from, NULL, &inside);
    if (!inside && !fail) {
        fail = gate_path(K_RENAME, "renameat2", tofd, to, NULL, &inside);
    }
    if (fail) {
        errno = fail_errno;
        return -1;
    }
    return REAL(renameat2)(fromfd, from, tofd, to, flags);
}

int mkdir(const char* path, mode_t mode) {
    GATED_PATH(K_MKDIR, "mkdir", AT_FDCWD, path, NULL, REAL(mkdir)(path, mode));
}

int mkdirat(int dirfd, const char* path, mode_t mode) {
    GATED_PATH(K_MKDIR, "mkdirat", dirfd, path, NULL, REAL(mkdirat)(dirfd, path, mode));
}

/* At exit: the counts, for the driver. Appended, so that a process that forks adds its own. */
__attribute__((destructor)) static void write_counts(void) {
    busy = 1;
    pthread_once(&once, init);
    char text[512];
    size_t len = 0;
    for (int k = 0; k < K_COUNT; ++k) {
        len += (size_t)snprintf(text + len, sizeof text - len, "%s %lu\n", kind_names[k],
                                atomic_load(&counts[k]));
    }
    append_to_count_file("%sinjected %lu\n", text, atomic_load(&injected));
}
