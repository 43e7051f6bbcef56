#pragma once
// guarded(): the one place above the store's own files where Xapian's exceptions are caught.
// Everything that reads an index through Xapian runs inside it and sees leo::Error only, with
// what was being done and to which index.

#include "store/xapian_error.hpp"

#include <filesystem>
#include <leo/error.hpp>
#include <string_view>
#include <type_traits>
#include <xapian.h>

namespace leo::detail {

/// Glass keeps the last two revisions readable, so a reader overtaken by a writer that commits
/// batch after batch can be overtaken again right after reopening; each retry starts from the
/// newest revision, and a handful is plenty for any real commit rate.
inline constexpr int max_reopens = 8;

/// A remote shard stopped answering mid-read: the caller may reopen without it.
class ShardError : public IndexError {
public:
    using IndexError::IndexError;
};

/// Rethrows the Xapian::Error in flight as leo's: ShardError for a shard that stopped answering
/// (`cannot <doing> index '<path>': a shard stopped answering (…)`), else throw_xapian's.
/// Call only inside a catch block.
[[noreturn]] void rethrow_guarded(const std::filesystem::path& path, std::string_view doing);

/// Runs `fn` on the index `path`; a Xapian error becomes the leo::Error that says what failed
/// (`doing`: open, read, search) and where.
template <class Fn>
std::invoke_result_t<Fn&> guarded(const std::filesystem::path& path, std::string_view doing,
                                  Fn&& fn) {
    try {
        return fn();
    } catch (const Xapian::Error&) {
        rethrow_guarded(path, doing);
    }
}

/// The same, for a reader a writer may overtake: after DatabaseModifiedError (a commit past the
/// snapshot) or glass's DatabaseCorruptError (a block reused under the reader; real damage stays
/// and is reported) calls `reopen` and runs `fn` again, up to max_reopens times.
template <class Fn, class Reopen>
std::invoke_result_t<Fn&> guarded(const std::filesystem::path& path, std::string_view doing,
                                  Fn&& fn, Reopen&& reopen) {
    for (int reopens = 0;; ++reopens) {
        try {
            return fn();
        } catch (const Xapian::DatabaseModifiedError&) {
            if (reopens >= max_reopens) {
                rethrow_guarded(path, doing);
            }
        } catch (const Xapian::DatabaseCorruptError&) {
            if (reopens >= max_reopens) {
                rethrow_guarded(path, doing);
            }
        } catch (const Xapian::Error&) {
            rethrow_guarded(path, doing);
        }
        reopen();
    }
}

/// Runs `fn`; when Xapian refuses with a `Refusal` (a stemmer it lists yet cannot make, a query
/// its parser cannot read), runs `fallback` instead: for what leo can do without.
template <class Refusal = Xapian::Error, class Fn, class Fallback>
std::invoke_result_t<Fn&> or_else(Fn&& fn, Fallback&& fallback) {
    try {
        return fn();
    } catch (const Refusal&) {
        return fallback();
    }
}

} // namespace leo::detail
