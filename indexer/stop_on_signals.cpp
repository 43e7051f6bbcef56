#include "stop_on_signals.hpp"

#include <cerrno>
#include <csignal>
#include <ctime>
#include <leo_tool/exit_codes.hpp>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace leo_index {
namespace {

// Under the 1 s promised, with room for the exit itself.
constexpr long grace_ns = 900'000'000;

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

// Only system calls once the first signal came: main may be returning meanwhile, destroying
// whatever a library call here would need.
[[noreturn]] void watch(std::atomic<bool>& stop) {
    const auto set = stop_signals();
    int first = 0;
    while (sigwait(&set, &first) != 0) {
    }
    stop = true;
    const timespec grace{0, grace_ns};
    while (sigtimedwait(&set, nullptr, &grace) < 0 && errno == EINTR) {
    }
    const char message[] = "leo-index: interrupted; the step in progress did not end within a "
                           "second and was dropped; what was committed before stands\n";
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(leo::exit_code::interrupted);
}

} // namespace

void stop_on_signals(std::atomic<bool>& stop) {
    const auto set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread(watch, std::ref(stop)).detach();
}

} // namespace leo_index
