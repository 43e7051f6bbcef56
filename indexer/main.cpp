// leo-index: options → Config → Indexer → report. No indexing logic here.

#include "stop_on_signals.hpp"

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <leo/leo.hpp>
#include <leo_tool/exit_codes.hpp>
#include <leo_tool/settings.hpp>
#include <leo_tool/tool.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace {

std::atomic<bool> stop_requested{false};

std::string plural(std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Erases the progress line, when one is drawn, so that a message starts on a clean line.
void clear_progress(bool show_progress) {
    if (show_progress) {
        std::fputs("\r\033[K", stderr);
    }
}

// The run's summary: JSON on stdout (--json), else one line on stderr unless --quiet.
void print_report(const leo::IndexReport& report, const leo::Config& config, bool json, bool quiet,
                  std::chrono::steady_clock::time_point started) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (json) {
        nlohmann::json out{{"indexed", report.indexed},
                           {"unchanged", report.unchanged},
                           {"removed", report.removed},
                           {"failed", report.failed},
                           {"skipped", report.skipped},
                           {"pairs_written", report.pairs},
                           {"total_pairs", report.total_pairs},
                           {"interrupted", report.interrupted},
                           {"seconds", seconds},
                           {"database", config.database.string()},
                           {"reweighted", report.reweighted}};
        // A database path that is not UTF-8 is shown with U+FFFD rather than failing the run.
        fmt::print("{}\n", leo::escape_json_controls(
                               out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    } else if (!quiet) {
        if (report.indexed == 0 && report.removed == 0 && report.failed == 0 &&
            !report.interrupted) {
            fmt::print(stderr, "leo-index: nothing changed ({} unchanged, {} in the index)\n",
                       plural(report.unchanged, "page", "pages"),
                       plural(report.total_pairs, "pair", "pairs"));
        } else {
            fmt::print(
                stderr,
                "leo-index: {} indexed ({}), {} unchanged, {} removed, {} failed, {} skipped; "
                "{} in the index; {:.2f} s\n",
                plural(report.indexed, "page", "pages"), plural(report.pairs, "pair", "pairs"),
                report.unchanged, report.removed, report.failed, report.skipped,
                plural(report.total_pairs, "pair", "pairs"), seconds);
        }
    }
    if (report.reweighted && !quiet && !json) {
        fmt::print(stderr,
                   "leo-index: the pages' lengths moved since the index was made: every page "
                   "was re-read with the new length normalisation, as a clean build would\n");
    }
}

// What the command line asked for.
struct Args {
    std::filesystem::path folder;
    std::optional<std::filesystem::path> db;
    std::optional<std::filesystem::path> config_file;
    std::optional<std::string> environment;
    std::optional<std::filesystem::path> config_dir;
    bool strict = false, wait = false, quiet = false, compact = false, json = false;
    bool watch = false;
    std::size_t batch_pairs = 20'000;
    unsigned shards = 0;
    std::string shard;
};

void define_options(CLI::App& app, Args& args) {
    app.set_version_flag("--version", std::string("leo-index ") + leo::version);
    app.add_option("FOLDER", args.folder, "Folder of Markdown pages to index")->required();
    app.add_option("--db", args.db,
                   "Index directory (default: $LEO_DB, leo.toml's database, or .leo)");
    app.add_option("--config", args.config_file, "Settings file (default: nearest leo.toml)")
        ->check(CLI::ExistingFile);
    app.add_option("-e,--environment", args.environment,
                   "Hugo environment whose config/ENV folder is read (default: "
                   "$HUGO_ENVIRONMENT, else production)");
    app.add_option("--config-dir", args.config_dir,
                   "Hugo site's config folder, relative to its root (hugo's --configDir; "
                   "default: config)");
    app.add_flag("--strict", args.strict, "Stop at the first bad page and commit nothing");
    app.add_flag("--wait", args.wait, "Wait for another leo-index to finish instead of failing");
    app.add_flag("-q,--quiet", args.quiet, "Print errors only");
    app.add_flag("--compact", args.compact, "Compact the index after indexing (smaller, faster)");
    app.add_flag("--json", args.json, "Print the run's report as JSON on stdout");
    app.footer(
        "Exit status: 0 done, 1 some pages failed (the others were indexed), 2 usage error, "
        "3 bad leo.toml, 4 index cannot be opened or written, 5 locked by another leo-index, "
        "70 unexpected error (a bug), 130 interrupted (what was done is committed).\n"
        "Environment: LEO_DB (index location), HUGO_ENVIRONMENT (a Hugo site's environment).\n");
    app.add_option("--batch-size", args.batch_pairs, "Pairs written per atomic commit")
        ->check(CLI::PositiveNumber)
        ->default_val(20'000);
    app.add_flag("--watch", args.watch, "Keep indexing as pages change (until Ctrl-C)");
    app.add_option("--shards", args.shards,
                   "Split the index into N shards plus a stub file listing them")
        ->check(CLI::Range(1u, 1024u));
    app.add_option("--shard", args.shard, "Build only shard I of N (I/N, 0-based) into --db")
        ->check([](const std::string& v) {
            unsigned i = 0, n = 0;
            char slash = 0;
            std::istringstream in(v);
            in >> i >> slash >> n;
            return in && slash == '/' && in.peek() == EOF && n > 0 && i < n
                       ? std::string()
                       : std::string("expected I/N with 0 <= I < N");
        });
}

// Problems as they happen, and a progress line redrawn at most ten times a second on a terminal.
void report_as_it_goes(leo::IndexOptions& options, bool show_progress,
                       std::chrono::steady_clock::time_point started) {
    options.on_problem = [show_progress](const leo::PageProblem& problem) {
        clear_progress(show_progress);
        // The path is a file name from disk: it may hold ESC, a line feed or U+202E.
        fmt::print(stderr, "{}\n", leo::printable_name(problem.message()));
    };
    options.on_warning = [show_progress](const leo::PageProblem& warning) {
        clear_progress(show_progress);
        fmt::print(stderr, "leo-index: warning: {}\n", leo::printable_name(warning.message()));
    };
    if (!show_progress) {
        return;
    }
    options.on_progress = [started, last_draw = std::chrono::steady_clock::time_point{}](
                              const leo::IndexProgress& p) mutable {
        auto now = std::chrono::steady_clock::now();
        if (now - last_draw < std::chrono::milliseconds(100) && p.pages_done != p.pages_total) {
            return;
        }
        last_draw = now;
        double seconds = std::chrono::duration<double>(now - started).count();
        double rate = seconds > 0 ? static_cast<double>(p.pages_done) / seconds : 0;
        double eta = rate > 0 ? static_cast<double>(p.pages_total - p.pages_done) / rate : 0;
        fmt::print(stderr, "\r\033[K{}/{} pages, {} pairs, {:.0f} pages/s, ETA {:.0f} s",
                   p.pages_done, p.pages_total, p.pairs, rate, eta);
    };
}

int index_in_shards(const Args& args, const leo::Config& config, const leo::IndexOptions& options,
                    bool show_progress) {
    auto report = leo::index_sharded(config, args.folder, args.shards, options, args.wait);
    clear_progress(show_progress);
    if (!args.quiet) {
        fmt::print(stderr,
                   "leo-index: {} shards in '{}': {} indexed ({}), {} unchanged, {} "
                   "removed, {} failed\n",
                   args.shards, leo::printable_name(config.database.string()),
                   plural(report.indexed, "page", "pages"), plural(report.pairs, "pair", "pairs"),
                   report.unchanged, report.removed, report.failed);
    }
    return report.failed > 0 ? leo::exit_code::pages_failed : leo::exit_code::ok;
}

// Takes the writer lock; with --wait, says once that another leo-index holds it, then waits.
leo::Indexer open_indexer(const leo::Config& config, bool wait, bool quiet) {
    try {
        return leo::Indexer(config, false);
    } catch (const leo::LockError& e) {
        if (!wait) {
            throw;
        }
        if (!quiet) {
            std::string why = e.what();
            why = why.substr(0, why.find("; use --wait"));
            fmt::print(stderr, "leo-index: {}; waiting for it to finish (--wait)\n",
                       leo::printable_name(why));
        }
    }
    return leo::Indexer(config, true);
}

int watch_folder(leo::Indexer& indexer, const Args& args, const leo::IndexOptions& options,
                 bool show_progress) {
    leo::WatchOptions watching;
    watching.on_run = [&](const leo::IndexReport& r) {
        if (args.quiet || (r.indexed == 0 && r.removed == 0 && r.failed == 0)) {
            return;
        }
        clear_progress(show_progress);
        fmt::print(stderr, "leo-index: {} indexed, {} removed, {} failed; {} in the index\n",
                   plural(r.indexed, "page", "pages"), r.removed, r.failed,
                   plural(r.total_pairs, "pair", "pairs"));
    };
    // A failed round (a full disk, say) costs that round only: the index is as its last commit
    // left it, and the next change runs again.
    watching.on_error = [](const leo::Error& e) {
        fmt::print(stderr, "leo-index: {}; still watching, the next change tries again\n",
                   leo::printable_name(e.what()));
    };
    watching.on_warning = [](const std::string& warning) {
        fmt::print(stderr, "leo-index: warning: {}\n", leo::printable_name(warning));
    };
    if (!args.quiet) {
        fmt::print(stderr, "leo-index: watching '{}' for changes (Ctrl-C to stop)\n",
                   leo::printable_name(args.folder.string()));
    }
    leo::watch_directory(indexer, args.folder, options, watching);
    return leo::exit_code::ok;
}

int index_once(leo::Indexer& indexer, const Args& args, const leo::Config& config,
               leo::IndexOptions options, bool show_progress,
               std::chrono::steady_clock::time_point started) {
    options.reweight = args.compact;
    auto report = indexer.index_directory(args.folder, options);
    if (args.compact && !report.interrupted) {
        indexer.compact();
    }
    clear_progress(show_progress);
    print_report(report, config, args.json, args.quiet, started);
    if (report.interrupted && stop_requested) {
        fmt::print(stderr, "leo-index: interrupted; {} indexed before stopping were committed\n",
                   plural(report.indexed, "page", "pages"));
        return leo::exit_code::interrupted;
    }
    if (report.interrupted && args.strict) {
        fmt::print(stderr,
                   "leo-index: stopped at the first bad page (--strict); nothing committed\n");
    }
    return report.failed > 0 ? leo::exit_code::pages_failed : leo::exit_code::ok;
}

int run(int argc, char** argv) {
    CLI::App app{"Index a folder of question-and-answer pages for leo-ask.", "leo-index"};
    Args args;
    define_options(app, args);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return leo::tool::report_parse_error(app, e);
    }

    leo_index::stop_on_signals(stop_requested);
    const bool show_progress = !args.quiet && !args.json && isatty(STDERR_FILENO);
    auto started = std::chrono::steady_clock::now();
    try {
        auto config = leo::tool::resolve_config(args.config_file, args.db);
        // A Hugo site root: its content folder is indexed, with the site's settings.
        args.folder = leo::read_hugo_site(
            args.folder, config,
            leo::tool::resolve_hugo_environment(args.environment, args.config_dir));
        leo::tool::set_terminate_subject(config.database);
        if (!args.quiet && config.language != "none" &&
            !leo::language_is_stemmed(config.language)) {
            fmt::print(
                stderr,
                "leo-index: warning: no stemmer for language '{}'; words are indexed unstemmed\n",
                config.language);
        }
        leo::IndexOptions options;
        options.strict = args.strict;
        options.batch_pairs = args.batch_pairs;
        options.should_stop = [] { return stop_requested.load(); };
        report_as_it_goes(options, show_progress, started);
        if (!args.shard.empty()) {
            std::istringstream in(args.shard);
            char slash = 0;
            in >> options.shard_index >> slash >> options.shard_count;
        }
        if (args.shards > 0) {
            return index_in_shards(args, config, options, show_progress);
        }
        auto indexer = open_indexer(config, args.wait, args.quiet);
        if (args.watch) {
            return watch_folder(indexer, args, options, show_progress);
        }
        return index_once(indexer, args, config, options, show_progress, started);
    } catch (...) {
        return leo::tool::report_failure("leo-index");
    }
}

} // namespace

int main(int argc, char** argv) {
    return leo::tool::main_of("leo-index", run, argc, argv);
}
