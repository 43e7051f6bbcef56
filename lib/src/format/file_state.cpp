#include "format/file_state.hpp"

#include "format/schema.hpp"

#include <sstream>

namespace leo::detail {

std::string FileState::encode() const {
    return std::to_string(mtime_ns) + " " + std::to_string(size) + " " + content_hash + " " + path;
}

// The path is the rest of the record, byte for byte: a name may hold spaces, newlines or any
// other byte but NUL.
std::optional<FileState> FileState::decode(const std::string& text) {
    std::istringstream in(text);
    FileState state;
    in >> state.mtime_ns >> state.size >> state.content_hash;
    if (!in || in.get() != ' ') {
        return std::nullopt;
    }
    auto start = static_cast<std::size_t>(in.tellg());
    state.path = text.substr(start);
    return state;
}

std::string file_key(const std::string& relative) {
    return schema::bounded_term(schema::file_key_prefix, relative);
}

} // namespace leo::detail
