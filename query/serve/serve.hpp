#pragma once
// leo-serve's parts: the HTTP server (serve.cpp) and the search page (page.cpp).

#include <leo/config.hpp>
#include <leo/searcher.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace leo::serve {

/// What the command line sets.
struct Options {
    std::string host = "127.0.0.1";
    int port = 7700;
    std::string access_log;                ///< file to append to, "-" for stderr, "" for none
    std::vector<std::string> cors_origins; ///< origins allowed to call the API; "*" for any
    std::string base_url;                  ///< prefix of answer links on the page
    unsigned threads = 8;                  ///< worker threads, one Searcher each
    unsigned max_connections = 256;        ///< connections being served or waiting
    unsigned read_timeout = 5;             ///< seconds to read a request
};

/// Serves `config`'s index until SIGINT or SIGTERM; returns the exit code. Throws leo::Error
/// when the index cannot be opened.
[[nodiscard]] int serve(const Config& config, const Options& options);

/// `text` safe inside HTML text and attribute values: hidden controls removed, invalid UTF-8
/// replaced, `& < > " '` as entities.
[[nodiscard]] std::string html_escape(std::string_view text);

/// The search page, with `query`'s answers rendered on the server when `results` is given (the
/// form works without JavaScript).
[[nodiscard]] std::string search_page(std::string_view query, const Results* results,
                                      std::string_view base_url);

/// The page's script and style sheet.
[[nodiscard]] std::string_view page_script();
[[nodiscard]] std::string_view page_style();

} // namespace leo::serve
