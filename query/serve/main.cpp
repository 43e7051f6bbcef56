// leo-serve: options → Config → one Searcher per worker thread → HTTP. No ranking logic here.

#include "serve.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <leo/leo.hpp>
#include <leo_tool/exit_codes.hpp>
#include <leo_tool/settings.hpp>
#include <leo_tool/tool.hpp>
#include <sstream>
#include <thread>

namespace {

int run(int argc, char** argv) {
    CLI::App app{"Serve a leo index over HTTP: a JSON API and a search page.", "leo-serve"};
    app.set_version_flag("--version", std::string("leo-serve ") + leo::version);
    std::optional<std::filesystem::path> db, config_file;
    leo::serve::Options options;
    std::string listen = "127.0.0.1:7700";
    app.add_option("--db", db, "Index directory (default: $LEO_DB, leo.toml's database, or .leo)");
    app.add_option("--config", config_file, "Settings file (default: nearest leo.toml)")
        ->check(CLI::ExistingFile);
    app.add_option("--listen", listen, "Address and port to listen on, HOST:PORT")
        ->default_val(listen);
    app.add_option("--access-log", options.access_log,
                   "Append one line per request to FILE ('-' for stderr)");
    app.add_option("--cors-origin", options.cors_origins,
                   "Let pages from ORIGIN call the API ('*' for any; repeatable)")
        ->allow_extra_args(false);
    app.add_option("--base-url", options.base_url,
                   "Prefix for answer links on the search page (the site's address)");
    options.threads = std::max(8U, 4 * std::max(1U, std::thread::hardware_concurrency()));
    app.add_option("--threads", options.threads,
                   "Worker threads, each with its own open index (default: 4 per core, at least 8)")
        ->check(CLI::Range(1, 1024));
    app.add_option("--max-connections", options.max_connections,
                   "Connections served or waiting at once; more wait to be accepted")
        ->default_val(options.max_connections)
        ->check(CLI::Range(1, 100000));
    app.add_option("--read-timeout", options.read_timeout,
                   "Seconds a client has to send its request")
        ->default_val(options.read_timeout)
        ->check(CLI::Range(1, 3600));
    app.footer("Endpoints: GET /search?q=&n=&offset=&tag=, GET /suggest?q=, GET /healthz, GET /.\n"
               "Exit status: 0 stopped, 2 usage error, 3 bad leo.toml, 4 index missing, "
               "unreadable or damaged, 7 cannot listen, 70 unexpected error (a bug).\n"
               "Environment: LEO_DB (index location).\n");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return leo::tool::report_parse_error(app, e);
    }
    auto colon = listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos && colon + 1 < listen.size() && colon + 6 >= listen.size()) {
        try {
            std::size_t used = 0;
            port = std::stoi(listen.substr(colon + 1), &used);
            port = used == listen.size() - colon - 1 ? port : -1;
        } catch (const std::exception&) {
        }
    }
    if (port < 0 || port > 65535 || colon == 0) {
        fmt::print(stderr, "leo-serve: --listen wants HOST:PORT, not '{}'\n",
                   leo::printable_name(listen));
        return leo::exit_code::usage;
    }
    options.host = listen.substr(0, colon);
    if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
        options.host = options.host.substr(1, options.host.size() - 2); // [::1]:7700
    }
    options.port = port;
    try {
        auto config = leo::tool::resolve_config(config_file, db);
        leo::tool::set_terminate_subject(config.database);
        return leo::serve::serve(config, options);
    } catch (...) {
        return leo::tool::report_failure("leo-serve");
    }
}

} // namespace

int main(int argc, char** argv) {
    return leo::tool::main_of("leo-serve", run, argc, argv);
}
