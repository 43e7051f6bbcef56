#include <catch2/catch.hpp>
#include <filesystem>
#include <leo/error.hpp>
#include <leo_tool/exit_codes.hpp>
#include <new>
#include <stdexcept>
#include <system_error>

namespace {

template <class Thrower> leo::exit_code::Failure failure_of(Thrower thrower) {
    try {
        thrower();
    } catch (...) {
        return leo::exit_code::current_failure();
    }
    return {};
}

} // namespace

TEST_CASE("both tools map each error to one exit code and one line", "[exit_codes]") {
    using namespace leo::exit_code;
    CHECK(failure_of([] { throw leo::ConfigError("leo.toml", 3, 1, "bad"); }).code == config);
    CHECK(failure_of([] { throw leo::LockError("cannot open index 'x': locked"); }).code == locked);
    CHECK(failure_of([] { throw leo::IndexError("cannot open index 'x': damaged"); }).code ==
          index);
    CHECK(failure_of([] { throw leo::Error("cannot watch 'x': gone"); }).code == index);
    auto memory = failure_of([] { throw std::bad_alloc(); });
    CHECK(memory.code == index);
    CHECK(memory.message == "out of memory");
    CHECK(failure_of([] {
              throw std::filesystem::filesystem_error(
                  "cannot rename", std::make_error_code(std::errc::no_space_on_device));
          }).code == index);
    auto logic = failure_of([] { throw std::logic_error("oops"); });
    CHECK(logic.code == unexpected);
    CHECK(logic.message == "unexpected error: oops");
    CHECK(failure_of([] { throw 42; }).code == unexpected);
    CHECK(failure_of([] { throw leo::IndexError("one line"); }).message == "one line");
}
