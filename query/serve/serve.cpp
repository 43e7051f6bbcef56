// The HTTP side of leo-serve: routes, limits, one Searcher per worker thread, the access log.

#include "serve.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <ctime>
#include <deque>
#include <fmt/format.h>
#include <fstream>
#include <httplib.h>
#include <iostream>
#include <leo/error.hpp>
#include <leo/json.hpp>
#include <leo/safe_text.hpp>
#include <leo/version.hpp>
#include <leo_tool/exit_codes.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <pthread.h>
#include <thread>

namespace leo::serve {
namespace {

using Clock = std::chrono::steady_clock;

// How old a worker's snapshot may get before it looks for a newer commit: the longest a commit
// goes unanswered. A reopen reads the stub and Xapian's version file, too much for every request.
constexpr auto fresh_for = std::chrono::milliseconds(200);
constexpr std::size_t max_query_bytes = 1024;
constexpr std::size_t max_header_count = 64;
constexpr std::size_t max_header_bytes = std::size_t{16} * 1024;

// Connections go to a fixed set of workers. When every worker is busy and `max_waiting` more
// wait, enqueue() blocks the accept loop, so further clients wait in the kernel's backlog and
// not in leo-serve's memory.
class WorkerPool final : public httplib::TaskQueue {
public:
    WorkerPool(unsigned threads, std::size_t max_waiting) : max_waiting_(max_waiting) {
        for (unsigned i = 0; i < threads; ++i) {
            threads_.emplace_back([this] { work(); });
        }
    }

    void enqueue(std::function<void()> fn) override {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return jobs_.size() < max_waiting_ || stopping_; });
        jobs_.push_back(std::move(fn));
        lock.unlock();
        ready_.notify_one();
    }

    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_all();
        room_.notify_all();
        for (auto& t : threads_) {
            t.join();
        }
    }

private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] { return !jobs_.empty() || stopping_; });
                if (jobs_.empty()) {
                    return;
                }
                fn = std::move(jobs_.front());
                jobs_.pop_front();
            }
            room_.notify_one();
            fn();
        }
    }

    std::size_t max_waiting_;
    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::mutex mutex_;
    std::condition_variable ready_, room_;
};

// Xapian's database handles are not thread-safe: each worker thread opens its own Searcher, and
// moves it to the newest commit once its snapshot is older than fresh_for.
Searcher& worker_searcher(const Config& config) {
    thread_local std::optional<Searcher> searcher;
    thread_local Clock::time_point checked;
    const auto now = Clock::now();
    if (!searcher) {
        searcher.emplace(config);
        checked = now;
    } else if (now - checked >= fresh_for) {
        searcher->reopen();
        checked = now;
    }
    return *searcher;
}

// An HTTP error as a JSON body.
struct HttpError {
    int status;
    std::string message;
};

std::string_view reason(int status) {
    switch (status) {
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Server Error" : "Client Error";
    }
}

std::string json_text(const nlohmann::json& j) {
    return escape_json_controls(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void set_error(httplib::Response& res, int status, std::string_view message) {
    res.status = status;
    res.set_content(
        json_text({{"status", status}, {"error", message.empty() ? reason(status) : message}}),
        "application/json; charset=utf-8");
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80         ? 0
                              : (c >> 5) == 6  ? 1
                              : (c >> 4) == 14 ? 2
                              : (c >> 3) == 30 ? 3
                                               : 4;
        if (n == 4 || i + n >= s.size()) {
            return false; // a stray byte, or a sequence cut short
        }
        char32_t cp = n == 0 ? c : c & (0x3F >> n);
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (d & 0x3F);
        }
        constexpr char32_t least[] = {0, 0x80, 0x800, 0x10000};
        if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false; // overlong, out of range or a surrogate
        }
        i += n + 1;
    }
    return true;
}

// Every `%` in the raw target starts two hex digits; httplib would pass `%zz` on as it is.
bool valid_percent_encoding(std::string_view target) {
    auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (target[i] == '%' &&
            (i + 2 >= target.size() || !hex(target[i + 1]) || !hex(target[i + 2]))) {
            return false;
        }
    }
    return true;
}

std::size_t count_param(const httplib::Request& req, const char* name, std::size_t low,
                        std::size_t high, std::size_t fallback) {
    if (!req.has_param(name)) {
        return fallback;
    }
    auto text = req.get_param_value(name);
    std::size_t n = 0;
    auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || error != std::errc() || stop != text.data() + text.size() || n < low ||
        n > high) {
        throw HttpError{400,
                        fmt::format("'{}' must be a whole number from {} to {}", name, low, high)};
    }
    return n;
}

// The query a request asks for: q, n, offset and tag, each checked.
Query read_query(const httplib::Request& req, bool need_q) {
    if (!valid_percent_encoding(req.target)) {
        throw HttpError{400, "bad percent-encoding in the request target"};
    }
    if (need_q && !req.has_param("q")) {
        throw HttpError{400, "missing parameter 'q'"};
    }
    if (req.has_param("lang")) {
        throw HttpError{400, "the 'lang' filter is not supported yet; use 'lang:xx' in q"};
    }
    Query query;
    query.text = req.get_param_value("q");
    if (query.text.size() > max_query_bytes) {
        throw HttpError{400, fmt::format("'q' is longer than {} bytes", max_query_bytes)};
    }
    query.limit = count_param(req, "n", 1, max_limit, 10);
    query.offset = count_param(req, "offset", 0, max_offset, 0);
    for (std::size_t i = 0; i < req.get_param_value_count("tag"); ++i) {
        query.tags.push_back(req.get_param_value("tag", i));
    }
    for (std::size_t i = 0; i < req.get_param_value_count("section"); ++i) {
        query.sections.push_back(req.get_param_value("section", i));
    }
    auto bad = [](const std::string& s) { return !valid_utf8(s); };
    if (bad(query.text) || std::any_of(query.tags.begin(), query.tags.end(), bad) ||
        std::any_of(query.sections.begin(), query.sections.end(), bad)) {
        throw HttpError{400, "parameters must be UTF-8"};
    }
    return query;
}

// Runs a handler, turning what it throws into a JSON error with its status.
template <class Handler> void answer(httplib::Response& res, Handler&& handler) {
    try {
        handler();
    } catch (const HttpError& e) {
        set_error(res, e.status, e.message);
    } catch (const QueryError& e) {
        set_error(res, 400, e.what());
    } catch (const IndexError& e) {
        set_error(res, 503, e.what());
    } catch (const std::exception& e) {
        set_error(res, 500, e.what());
    } catch (...) {
        set_error(res, 500, "unexpected error");
    }
}

class AccessLog {
public:
    explicit AccessLog(const std::string& where) {
        if (where.empty() || where == "-") {
            return;
        }
        file_.open(where, std::ios::app);
        if (!file_) {
            throw Error("cannot open access log '" + where + "'");
        }
    }

    void write(const httplib::Request& req, const httplib::Response& res) {
        char when[64];
        std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        std::strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
        auto line = fmt::format("{} - - [{}] \"{} {} {}\" {} {}\n", req.remote_addr, when,
                                printable_name(req.method), printable_name(req.target),
                                printable_name(req.version), res.status, res.body.size());
        std::lock_guard lock(mutex_);
        (file_.is_open() ? static_cast<std::ostream&>(file_) : std::cerr) << line << std::flush;
    }

private:
    std::ofstream file_;
    std::mutex mutex_;
};

} // namespace

namespace {

// Workers, timeouts and size limits (docs/serve.md says why each).
void configure_limits(httplib::Server& server, const Options& options) {
    server.new_task_queue = [&options] {
        return new WorkerPool(options.threads,
                              std::max(options.max_connections, options.threads) - options.threads);
    };
    // Headers and body go out in two writes: without TCP_NODELAY the second waits for the
    // client's delayed ACK, 40 ms a request on Linux.
    server.set_tcp_nodelay(true);
    server.set_read_timeout(static_cast<time_t>(options.read_timeout), 0);
    server.set_write_timeout(5, 0);
    server.set_keep_alive_timeout(2);
    server.set_keep_alive_max_count(100);
    server.set_payload_max_length(4096);
}

// Before any route: header limits, allowed methods, CORS and preflight.
void guard_requests(httplib::Server& server, const Options& options) {
    server.set_pre_routing_handler([&options](const httplib::Request& req, httplib::Response& res) {
        std::size_t bytes = 0;
        for (const auto& [name, value] : req.headers) {
            bytes += name.size() + value.size() + 4;
        }
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Cache-Control", "no-store");
        if (req.headers.size() > max_header_count || bytes > max_header_bytes) {
            set_error(res, 431, "");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS") {
            res.set_header("Allow", "GET, HEAD, OPTIONS");
            set_error(res, 405, "");
            return httplib::Server::HandlerResponse::Handled;
        }
        const auto origin = req.get_header_value("Origin");
        const auto& allowed = options.cors_origins;
        if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) {
            res.set_header("Access-Control-Allow-Origin", "*");
        } else if (!origin.empty() &&
                   std::find(allowed.begin(), allowed.end(), origin) != allowed.end()) {
            res.set_header("Access-Control-Allow-Origin", origin);
            res.set_header("Vary", "Origin");
        }
        if (req.method == "OPTIONS") {
            res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            res.status = 204;
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
}

void send_json(httplib::Response& res, const std::string& body) {
    res.set_content(body, "application/json; charset=utf-8");
}

// The routes hold `config` and `options` by reference: serve() keeps both alive while it runs.
void add_routes(httplib::Server& server, const Config& config, const Options& options) {
    server.Get("/search", [&](const httplib::Request& req, httplib::Response& res) {
        answer(res, [&] {
            auto query = read_query(req, true);
            send_json(res, results_json(worker_searcher(config).search(query)));
        });
    });
    server.Get("/suggest", [&](const httplib::Request& req, httplib::Response& res) {
        answer(res, [&] {
            auto query = read_query(req, true);
            send_json(res, suggestions_json(worker_searcher(config).suggest(query)));
        });
    });
    server.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
        answer(res, [&] {
            auto& searcher = worker_searcher(config);
            send_json(res, json_text({{"status", "ok"},
                                      {"pairs", searcher.pair_count()},
                                      {"revision", searcher.revision()},
                                      {"version", leo::version}}));
        });
    });
    server.Get("/", [&](const httplib::Request& req, httplib::Response& res) {
        answer(res, [&] {
            std::optional<Results> results;
            auto query = read_query(req, false);
            if (!query.text.empty()) {
                results = worker_searcher(config).search(query);
            }
            res.set_header("Content-Security-Policy",
                           "default-src 'none'; script-src 'self'; style-src 'self'; "
                           "connect-src 'self'; img-src 'self'; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'");
            res.set_content(
                search_page(query.text, results ? &*results : nullptr, options.base_url),
                "text/html; charset=utf-8");
        });
    });
    server.Get("/leo.js", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(page_script()), "text/javascript; charset=utf-8");
    });
    server.Get("/leo.css", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(page_style()), "text/css; charset=utf-8");
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) {
            set_error(res, res.status, "");
        }
    });
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
            set_error(res, 500, "unexpected error");
        });
}

// Binds, serves until SIGINT or SIGTERM, and says why it stopped.
int listen_until_signal(httplib::Server& server, const Options& options) {
    int port = options.port;
    const bool bound = port == 0 ? (port = server.bind_to_any_port(options.host)) > 0
                                 : server.bind_to_port(options.host, port);
    if (!bound) {
        std::fprintf(stderr, "leo-serve: cannot listen on '%s:%d': %s\n",
                     printable_name(options.host).c_str(), options.port, std::strerror(errno));
        return exit_code::listen;
    }
    // SIGINT and SIGTERM stop the server from a thread of their own: stop() is not safe in a
    // signal handler. Blocked here, before any worker starts, so every thread inherits it.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1); // sent by the server itself when listen ends on its own
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::atomic<bool> listening = true;
    std::thread stopper([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        if (listening.exchange(false)) {
            server.stop();
        }
    });
    auto host = printable_name(options.host);
    if (host.find(':') != std::string::npos) {
        host = "[" + host + "]";
    }
    std::fprintf(stderr, "leo-serve: listening on http://%s:%d/\n", host.c_str(), port);
    std::fflush(stderr);
    const bool clean = server.listen_after_bind();
    if (listening.exchange(false)) {
        pthread_kill(stopper.native_handle(), SIGUSR1); // listen ended by itself: wake the waiter
    }
    stopper.join();
    if (!clean) {
        std::fprintf(stderr, "leo-serve: stopped listening on %s:%d: %s\n", host.c_str(), port,
                     std::strerror(errno));
        return exit_code::listen;
    }
    return exit_code::ok;
}

} // namespace

int serve(const Config& config, const Options& options) {
    {
        Searcher check(config); // a missing or foreign index fails here, not on the first request
        (void)check.pair_count();
    }
    httplib::Server server;
    configure_limits(server, options);
    guard_requests(server, options);
    add_routes(server, config, options);
    AccessLog log(options.access_log);
    if (!options.access_log.empty()) {
        server.set_logger([&log](const httplib::Request& req, const httplib::Response& res) {
            log.write(req, res);
        });
    }

    return listen_until_signal(server, options);
}

} // namespace leo::serve
