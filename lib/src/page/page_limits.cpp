#include "page/page_limits.hpp"

#include <string>

namespace leo::detail {
namespace {

constexpr auto npos = std::string_view::npos;

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

// Characters from which cmark makes inline nodes or delimiters.
bool is_markup(char c) {
    return std::string_view("[]!<>*_`&\\~|").find(c) != npos;
}

// Length of a list marker at `i` (`-`, `+`, `*`, `1.`, `1)` and a blank), or 0.
std::size_t list_marker(std::string_view line, std::size_t i) {
    if (i < line.size() && (line[i] == '-' || line[i] == '+' || line[i] == '*')) {
        return i + 1 < line.size() && is_blank(line[i + 1]) ? 1 : 0;
    }
    std::size_t j = i;
    while (j < line.size() && j - i < 9 && line[j] >= '0' && line[j] <= '9') {
        ++j;
    }
    if (j > i && j + 1 < line.size() && (line[j] == '.' || line[j] == ')') &&
        is_blank(line[j + 1])) {
        return j + 1 - i;
    }
    return 0;
}

// The blockquote and list markers a line opens with.
struct ContainerPrefix {
    std::size_t depth = 0;
    std::size_t end = 0;    // just past the last marker
    std::size_t cut = npos; // just past the max_nesting_depth-th marker, when deeper
};

ContainerPrefix container_prefix(std::string_view line) {
    ContainerPrefix prefix;
    std::size_t i = 0;
    while (true) {
        auto j = i;
        while (j < line.size() && is_blank(line[j])) {
            ++j;
        }
        const std::size_t length = j < line.size() && line[j] == '>' ? 1 : list_marker(line, j);
        if (length == 0) {
            break;
        }
        i = j + length;
        if (++prefix.depth == max_nesting_depth + 1) {
            prefix.cut = j;
        }
    }
    prefix.end = i;
    return prefix;
}

bool is_fence(std::string_view line) {
    auto start = line.find_first_not_of(' ');
    return start != npos && start < 4 &&
           (line.compare(start, 3, "```") == 0 || line.compare(start, 3, "~~~") == 0);
}

// A line that may make a question: an ATX heading, a setext underline, a definition. Counted
// generously (a `---` rule counts too): the cap is far above any real page.
bool may_make_question(std::string_view line) {
    auto start = line.find_first_not_of(' ');
    if (start == npos || start >= 4) {
        return false;
    }
    const char c = line[start];
    if (c == '#') {
        return true;
    }
    if (c == ':') {
        return start + 1 < line.size() && is_blank(line[start + 1]);
    }
    if (c == '=' || c == '-') {
        auto after = line.find_first_not_of(c, start);
        return after == npos || line.find_first_not_of(" \t", after) == npos;
    }
    return false;
}

// Copies `text` with each run of one markup character cut to max_inline_run; returns the
// number of runs, and sets `cut` when one was longer.
std::size_t append_runs(std::string& out, std::string_view text, bool& cut) {
    std::size_t runs = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (!is_markup(text[i])) {
            out += text[i++];
            continue;
        }
        auto end = text.find_first_not_of(text[i], i);
        if (end == npos) {
            end = text.size();
        }
        const std::size_t length = end - i;
        cut = cut || length > max_inline_run;
        out.append(std::min(length, max_inline_run), text[i]);
        ++runs;
        i = end;
    }
    return runs;
}

} // namespace

BoundedMarkdown bound_markdown(std::string_view body, std::size_t first_line) {
    BoundedMarkdown out;
    out.text.reserve(body.size());
    std::size_t questions = 0;
    std::size_t markup = 0;
    bool in_fence = false;
    bool depth_warned = false;
    bool run_warned = false;
    std::size_t number = first_line;
    auto warn = [&](bool& once, std::string reason) {
        if (!once) {
            once = true;
            out.warnings.push_back({number, std::move(reason)});
        }
    };
    for (std::size_t pos = 0; pos < body.size(); ++number) {
        auto end = body.find('\n', pos);
        if (end == npos) {
            end = body.size();
        }
        const auto line = body.substr(pos, end - pos);
        const std::size_t line_start = out.text.size();
        if (is_fence(line)) {
            in_fence = !in_fence;
        } else if (!in_fence && may_make_question(line) && ++questions > max_pairs_per_page) {
            out.warnings.push_back({number, "more than " + std::to_string(max_pairs_per_page) +
                                                " questions: the page is indexed up to here"});
            break;
        }
        auto rest = line;
        markup += 1;
        if (!in_fence) {
            const auto prefix = container_prefix(line);
            markup += std::min(prefix.depth, max_nesting_depth);
            if (prefix.cut != npos) {
                warn(depth_warned, "quotes and lists nested deeper than " +
                                       std::to_string(max_nesting_depth) + " levels: cut to " +
                                       std::to_string(max_nesting_depth));
                // What follows the last marker starts with its blank, if it needs one.
                out.text.append(line.substr(0, prefix.cut));
                rest = line.substr(prefix.end);
            }
        }
        bool run_cut = false;
        markup += append_runs(out.text, rest, run_cut);
        if (run_cut) {
            warn(run_warned, "a run of one markup character longer than " +
                                 std::to_string(max_inline_run) + ": cut to " +
                                 std::to_string(max_inline_run));
        }
        if (markup > max_markup_per_page) {
            out.text.resize(line_start);
            out.warnings.push_back({number, "more than " + std::to_string(max_markup_per_page) +
                                                " lines and markup marks: the page is indexed "
                                                "up to here"});
            break;
        }
        if (end < body.size()) {
            out.text += '\n';
        }
        pos = end + 1;
    }
    return out;
}

} // namespace leo::detail
