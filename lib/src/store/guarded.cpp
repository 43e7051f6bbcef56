#include "store/guarded.hpp"

namespace leo::detail {

void rethrow_guarded(const std::filesystem::path& path, std::string_view doing) {
    try {
        throw;
    } catch (const Xapian::NetworkError& e) {
        throw ShardError("cannot " + std::string(doing) + " index '" + path.string() +
                         "': a shard stopped answering (" + e.get_msg() + ")");
    } catch (const Xapian::Error&) {
        rethrow_xapian(path, doing);
    }
}

} // namespace leo::detail
