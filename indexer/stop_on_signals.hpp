#pragma once
// SIGINT and SIGTERM end leo-index within a second, whatever it is doing. The library stops at
// its next page when asked (IndexOptions::should_stop) and commits what it did; a phase that
// does not ask (a commit Xapian is stuck in, a walk, `--wait` on a lock, a merge) is ended by
// the process exiting, which releases the folder's flock and leaves the last commit as it was:
// the state a SIGKILL leaves, which docs/failures.md promises is safe.

#include <atomic>

namespace leo_index {

/// Blocks SIGINT and SIGTERM in every thread and starts a thread that waits for them: the first
/// sets `stop`; if the process is still running 0.9 s later, or at a second signal, it prints
/// one line and exits with 130. Call before any other thread starts; `stop` must outlive main.
void stop_on_signals(std::atomic<bool>& stop);

} // namespace leo_index
