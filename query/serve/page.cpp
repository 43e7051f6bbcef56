// The search page: one HTML document, its style sheet and its script, all inside the binary.

#include "serve.hpp"

#include <leo/safe_text.hpp>

namespace leo::serve {
namespace {

#include "page_assets.inc" // page_html, page_js, page_css: query/serve/assets, embedded by CMake

// `text` with its highlighted byte ranges in <mark>, every piece escaped.
std::string marked(const Snippet& snippet) {
    std::string out;
    std::size_t at = 0;
    const std::string_view text = snippet.text;
    for (auto [begin, end] : snippet.highlights) {
        if (begin < at || begin > end || end > text.size()) {
            continue;
        }
        out += html_escape(text.substr(at, begin - at));
        out += "<mark>" + html_escape(text.substr(begin, end - begin)) + "</mark>";
        at = end;
    }
    return out + html_escape(text.substr(at));
}

// The template with each `{{name}}` replaced, in one pass over the template alone, so nothing in
// a value is ever read as a placeholder.
std::string fill(std::string_view page,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
    std::string out;
    for (std::size_t at = 0;;) {
        auto open = page.find("{{", at);
        auto close = open == std::string_view::npos ? open : page.find("}}", open);
        if (close == std::string_view::npos) {
            return out.append(page.substr(at));
        }
        out.append(page.substr(at, open - at));
        auto name = page.substr(open + 2, close - open - 2);
        for (const auto& [key, value] : values) {
            if (key == name) {
                out.append(value);
            }
        }
        at = close + 2;
    }
}

std::string rendered_results(const Results& results, std::string_view base_url) {
    if (results.hits.empty()) {
        return "";
    }
    std::string out;
    for (const auto& hit : results.hits) {
        // Only http(s) links, paths and fragments: a page cannot make a `javascript:` link.
        auto url = markdown_link_url(std::string(base_url) + hit.url);
        out += "<li class=\"hit\"><a class=\"question\"";
        if (url) {
            out += " href=\"" + html_escape(*url) + "\"";
        }
        out += ">" + html_escape(hit.question) + "</a><p class=\"snippet\">" + marked(hit.snippet) +
               "</p><p class=\"where\">" + html_escape(hit.title) + "</p></li>\n";
    }
    return out;
}

} // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    for (char c : strip_control_characters(text)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string search_page(std::string_view query, const Results* results, std::string_view base_url) {
    std::string status;
    if (results) {
        status = results->hits.empty() ? "No answers for \u201c" + html_escape(query) + "\u201d."
                                       : std::to_string(results->hits.size()) +
                                             " answers for \u201c" + html_escape(query) + "\u201d.";
    }
    const auto results_html = results ? rendered_results(*results, base_url) : std::string();
    return fill(page_html, {{"base", html_escape(base_url)},
                            {"query", html_escape(query)},
                            {"status", status},
                            {"results", results_html}});
}

std::string_view page_script() {
    return page_js;
}

std::string_view page_style() {
    return page_css;
}

} // namespace leo::serve
