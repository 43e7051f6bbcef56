#include <cstdio>
#include <leo/safe_text.hpp>
#include <leo_tool/exit_codes.hpp>
#include <leo_tool/tool.hpp>
#include <sstream>

namespace leo::tool {

int report_failure(const char* tool) noexcept {
    auto failure = exit_code::current_failure();
    try {
        failure.message = printable_name(failure.message);
    } catch (...) { // the message as it is: nothing more can be done with no memory
    }
    std::fprintf(stderr, "%s: %s\n", tool, failure.message.c_str());
    return failure.code;
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& error) {
    // CLI11 echoes what it refused (`-\x1b]0;x`): a query from a script is not trusted.
    std::ostringstream refused;
    int code = app.exit(error, std::cout, refused);
    std::fputs(printable_text(refused.str()).c_str(), stderr);
    return code == 0 ? exit_code::ok : exit_code::usage;
}

void set_terminate_subject(const std::filesystem::path& database) {
    exit_code::terminate_subject() = printable_name(database.string());
}

int main_of(const char* tool, int (*run)(int, char**), int argc, char** argv) noexcept {
    exit_code::end_on_terminate(tool);
    try {
        return run(argc, argv);
    } catch (...) {
        return report_failure(tool);
    }
}

} // namespace leo::tool
