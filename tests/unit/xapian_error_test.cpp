#include "store/shards.hpp"
#include "store/xapian_error.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <leo/searcher.hpp>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <xapian.h>

using leo::test::TempDir;

namespace {

// What leo says about `error` when it happens while `doing` something to the index `db`.
std::string message_for(const Xapian::Error& error, std::string_view doing = "write") {
    try {
        leo::detail::throw_xapian(error, "site/.leo", doing);
    } catch (const leo::Error& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("a system error behind a Xapian error is named, never called damage", "[xapian_error]") {
    struct Case {
        int code;
        const char* says;
    };
    const Case cases[] = {
        {ENOSPC, "disk full (No space left on device)"},
        {EDQUOT, "disk quota exceeded"},
        {EIO, "I/O error (Input/output error)"},
        {EACCES, "permission denied"},
        {EPERM, "permission denied (Operation not permitted)"},
        {EROFS, "read-only file system"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.code);
        for (const auto& text :
             {message_for(Xapian::DatabaseError("Error writing block 7", c.code)),
              message_for(Xapian::DatabaseCorruptError("Error reading block 7", c.code)),
              message_for(Xapian::DatabaseOpeningError("Couldn't open postlist.glass", c.code)),
              message_for(Xapian::DatabaseNotFoundError("Couldn't stat 'x'", c.code))}) {
            CHECK(text == std::string("cannot write index 'site/.leo': ") + c.says);
            CHECK_THAT(text, !Catch::Contains("damaged") && !Catch::Contains("rebuild"));
        }
    }
}

TEST_CASE("a failed commit that wraps a full disk reads as a full disk", "[xapian_error]") {
    // What glass threw when a no-op leo-index ran on a full disk.
    Xapian::DatabaseCorruptError wrapped(
        "Modifications failed (DatabaseError: Error writing block 2 (No space left on device)), "
        "and couldn't open at the old revision: Error writing to file");
    CHECK(message_for(wrapped) == "cannot write index 'site/.leo': disk full (No space left on "
                                  "device)");
}

TEST_CASE("only real damage reads as damaged, with the fix", "[xapian_error]") {
    CHECK(message_for(Xapian::DatabaseCorruptError("Bad block at level 3"), "open") ==
          "cannot open index 'site/.leo': damaged (Bad block at level 3); run leo-index to "
          "rebuild it");
    CHECK_THAT(message_for(Xapian::DatabaseError("Couldn't read enough (EOF)")),
               Catch::Contains("damaged (Couldn't read enough (EOF))"));
    CHECK_THAT(message_for(Xapian::DatabaseVersionError("Unsupported version")),
               Catch::Contains("another Xapian version"));
    CHECK(message_for(Xapian::DatabaseClosedError("Database has been closed")) ==
          "cannot write index 'site/.leo': Database has been closed");
}

TEST_CASE("only a lock another writer holds is a lock error", "[xapian_error]") {
    Xapian::DatabaseLockError held("Unable to get write lock on site/.leo: already locked");
    CHECK_THROWS_AS(leo::detail::throw_xapian(held, "site/.leo", "open"), leo::LockError);
    CHECK_THROWS_WITH(leo::detail::throw_xapian(held, "site/.leo", "open", "another program"),
                      "cannot open index 'site/.leo': locked by another program; use --wait to "
                      "wait for it");
    Xapian::DatabaseLockError refused(
        "Unable to get write lock on site/.leo: Couldn't open lockfile: Permission denied");
    try {
        leo::detail::throw_xapian(refused, "site/.leo", "open");
        FAIL("no error");
    } catch (const leo::LockError&) {
        FAIL("a permission problem read as a lock held by another writer");
    } catch (const leo::IndexError& e) {
        CHECK(std::string(e.what()) ==
              "cannot open index 'site/.leo': cannot take the write lock: permission denied");
    }
}

TEST_CASE("a missing index is told from one that cannot be looked into", "[xapian_error]") {
    TempDir dir;
    CHECK(message_for(Xapian::DatabaseNotFoundError("Couldn't detect type"), "open") ==
          "cannot open index 'site/.leo': no index there; run leo-index to build it");
    // A folder whose iamglass cannot be opened for a reason other than its absence is not
    // "no index there"; as root, chmod does not stop us, so a link loop stands in.
    std::filesystem::create_directories(dir / "index");
    std::filesystem::create_symlink("iamglass", dir / "index" / "iamglass");
    CHECK_THROWS_WITH(leo::detail::throw_xapian(Xapian::DatabaseNotFoundError("Couldn't detect"),
                                                dir / "index", "open"),
                      "cannot open index '" + (dir / "index").string() +
                          "': Too many levels of symbolic links");
}

TEST_CASE("any exception at the border becomes a leo error with its cause", "[xapian_error]") {
    auto as_leo = [](auto thrower) -> std::string {
        try {
            try {
                thrower();
            } catch (...) {
                leo::detail::rethrow_as_leo(leo::detail::Failure::index, "site/.leo", "open");
            }
        } catch (const leo::IndexError& e) {
            return e.what();
        } catch (...) {
            return "not an IndexError";
        }
        return "nothing thrown";
    };
    CHECK(as_leo([] { throw std::bad_alloc(); }) == "cannot open index 'site/.leo': out of memory");
    CHECK(as_leo([] { (void)std::stoul("notaport"); }) ==
          "cannot open index 'site/.leo': invalid value (stoul)");
    CHECK(as_leo([] {
              throw std::filesystem::filesystem_error(
                  "rename", "site/.leo/x", std::make_error_code(std::errc::no_space_on_device));
          }) == "cannot open index 'site/.leo': disk full (No space left on device) on "
                "'site/.leo/x'");
    CHECK(as_leo([] { throw Xapian::DatabaseError("Error writing block", EIO); }) ==
          "cannot open index 'site/.leo': I/O error (Input/output error)");
    CHECK(as_leo([] { throw 42; }) == "cannot open index 'site/.leo': unknown error");
    CHECK(as_leo([] { throw leo::IndexError("leo's own"); }) == "leo's own");
}

TEST_CASE("a stub line with a port that is not a number is a leo error", "[xapian_error][shards]") {
    TempDir dir;
    leo::test::write_file(dir / "index" / "XAPIANDB", "remote host:notaport\n");
    auto config = leo::test::config_in(dir);
    CHECK_THROWS_AS(leo::Searcher(config), leo::IndexError);
    CHECK_THROWS_WITH(leo::Searcher(config),
                      "cannot open shard 'remote host:notaport': 'notaport' is not a port number "
                      "(expected remote HOST:PORT)");
    for (const char* bad : {"remote host:", "remote host:99999", "remote host:12abc",
                            "remote host:-1", "remote nocolon"}) {
        leo::test::write_file(dir / "index" / "XAPIANDB", std::string(bad) + "\n");
        CAPTURE(bad);
        CHECK_THROWS_AS(leo::Searcher(config), leo::IndexError);
    }
}

TEST_CASE("a lexicon line that names no folder is a leo error", "[shards]") {
    // Found by fuzz_stub: the marker alone once read past the end of the line.
    TempDir dir;
    std::optional<std::filesystem::path> lexicon;
    const auto stub = dir / "XAPIANDB";
    for (const char* bad : {"# leo-lexicon\n", "# leo-lexicon \n"}) {
        leo::test::write_file(stub, bad);
        CAPTURE(bad);
        CHECK_THROWS_AS(leo::detail::read_stub(stub, lexicon), leo::IndexError);
    }
    leo::test::write_file(stub, "# leo-lexiconic musings\nauto part0\n");
    CHECK(leo::detail::read_stub(stub, lexicon).size() == 1);
    CHECK_FALSE(lexicon.has_value()); // a comment that only starts like the marker
    leo::test::write_file(stub, "# leo-lexicon lex\nauto part0\n");
    CHECK(leo::detail::read_stub(stub, lexicon).size() == 1);
    CHECK(lexicon == dir / "lex");
}
