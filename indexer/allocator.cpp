// jemalloc's settings for leo-index, read by jemalloc when the process starts (MALLOC_CONF in
// the environment still overrides them). Only linked when leo-index links jemalloc.
//
// Xapian's writer frees its buffered postings at every commit; with jemalloc's defaults the
// freed pages stay resident for ten seconds, so a run of large pages peaked at the sum of
// several batches. Twelve pages of 7.4 MB of distinct words (docs/failures.md) peaked at
// 355 MiB by default, 272 MiB with freed pages returned after a second by a background
// thread, 261 MiB returned at once (which doubled the system time of a 10k-page build).

extern "C" {
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
