#include "page/page_file.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <sys/stat.h>

using leo::detail::read_page_file;
using leo::detail::read_page_start;
using leo::test::TempDir;
using leo::test::write_file;

TEST_CASE("a page file is read whole when it fits the limit", "[page_file]") {
    TempDir dir;
    write_file(dir / "a.md", "## Q?\n\nA.\n");
    auto page = read_page_file(dir / "a.md", 100);
    CHECK_FALSE(page.problem);
    CHECK(page.text == "## Q?\n\nA.\n");
    CHECK(read_page_start(dir / "a.md", 4) == "## Q");
    auto exact = read_page_file(dir / "a.md", 10);
    CHECK_FALSE(exact.problem);
    CHECK(exact.text.size() == 10);
}

TEST_CASE("a page over the limit is reported, not read", "[page_file]") {
    TempDir dir;
    write_file(dir / "big.md", std::string(3 << 20, 'x'));
    auto page = read_page_file(dir / "big.md", 1 << 20);
    REQUIRE(page.problem);
    CHECK(*page.problem == "page is 3.0 MB, over the limit of 1.0 MB (max_page_mb in leo.toml)");
    CHECK(page.text.empty());
}

TEST_CASE("a FIFO in a page's place returns at once as not a regular file", "[page_file]") {
    TempDir dir;
    REQUIRE(::mkfifo((dir / "fifo.md").c_str(), 0600) == 0);
    const auto start = std::chrono::steady_clock::now();
    auto page = read_page_file(dir / "fifo.md", 1 << 20); // a blocking open never returns
    CHECK(read_page_start(dir / "fifo.md", 8).empty());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    REQUIRE(page.problem);
    CHECK(*page.problem == "not a regular file");
}

TEST_CASE("a link to a device is not a regular file and is never read", "[page_file]") {
    TempDir dir;
    std::filesystem::create_symlink("/dev/zero", dir / "zero.md");
    auto page = read_page_file(dir / "zero.md", 1 << 20);
    REQUIRE(page.problem);
    CHECK(*page.problem == "not a regular file");
    CHECK(page.text.empty());
}

TEST_CASE("a file longer than its size says is read to one byte past the limit only",
          "[page_file]") {
    // /proc files have size 0 and any length: like a page that grows after the fstat.
    auto page = read_page_file("/proc/self/status", 16);
    REQUIRE(page.problem);
    CHECK(page.problem->rfind("page grew past the limit of", 0) == 0);
    CHECK(page.text.empty());
}

TEST_CASE("a missing page says why it cannot be read", "[page_file]") {
    TempDir dir;
    auto page = read_page_file(dir / "gone.md", 100);
    REQUIRE(page.problem);
    CHECK(*page.problem == "cannot read: No such file or directory");
}
