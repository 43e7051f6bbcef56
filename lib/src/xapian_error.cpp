#include "xapian_error.hpp"

#include <leo/error.hpp>
#include <string>
#include <xapian.h>

namespace leo::detail {

void rethrow_xapian(const std::filesystem::path& database, std::string_view doing) {
    const std::string subject = "'" + database.string() + "'";
    try {
        throw;
    } catch (const Xapian::DatabaseLockError& e) {
        throw LockError("cannot " + std::string(doing) + " index " + subject +
                        ": locked by another leo-index (use --wait to wait for it)");
    } catch (const Xapian::DatabaseNotFoundError& e) {
        throw IndexError("cannot " + std::string(doing) + " index " + subject +
                         ": no index there; run leo-index to build it");
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw IndexError("cannot " + std::string(doing) + " index " + subject + ": damaged (" +
                         e.get_msg() + "); run leo-index to rebuild it");
    } catch (const Xapian::DatabaseVersionError& e) {
        throw IndexError("cannot " + std::string(doing) + " index " + subject +
                         ": written by another Xapian version; run leo-index to rebuild it");
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw IndexError("cannot " + std::string(doing) + " index " + subject + ": " + e.get_msg() +
                         "; run leo-index to rebuild it");
    } catch (const Xapian::DatabaseModifiedError& e) {
        // Not damage: a writer committed past the reader's snapshot more often than it retried.
        throw IndexError("cannot " + std::string(doing) + " index " + subject +
                         ": a leo-index kept changing it while it was read; try again");
    } catch (const Xapian::DatabaseError& e) {
        // Short reads, bad blocks: the files are not what Xapian wrote.
        throw IndexError("cannot " + std::string(doing) + " index " + subject + ": damaged (" +
                         e.get_msg() + "); run leo-index to rebuild it");
    } catch (const Xapian::Error& e) {
        throw IndexError("cannot " + std::string(doing) + " index " + subject + ": " +
                         e.get_type() + ": " + e.get_msg());
    }
}

} // namespace leo::detail
