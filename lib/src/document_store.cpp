#include "document_store.hpp"

#include <leo/error.hpp>
#include <zlib.h>

namespace leo::detail {
namespace {

[[noreturn]] void damaged() {
    throw IndexError("a stored pair is damaged: run leo-index to rebuild the index");
}

// Stored pairs are raw deflate streams with a 4 KiB window and small hash tables: an answer is
// a few hundred bytes, so a bigger window finds nothing more, and zlib clears its hash table on
// every reset (at the default memLevel that memset cost more than compressing). Half the size
// of the text on the speed bench's pages, which was a third of the index.
constexpr int window_bits = -12;
constexpr char raw_marker = 'r';
constexpr char deflated_marker = 'z';

struct Deflater {
    z_stream stream{};
    Deflater() {
        if (deflateInit2(&stream, 6, Z_DEFLATED, window_bits, 5, Z_DEFAULT_STRATEGY) != Z_OK) {
            throw std::bad_alloc();
        }
    }
    ~Deflater() { deflateEnd(&stream); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;
};

struct Inflater {
    z_stream stream{};
    Inflater() {
        if (inflateInit2(&stream, window_bits) != Z_OK) {
            throw std::bad_alloc();
        }
    }
    ~Inflater() { inflateEnd(&stream); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
};

void put(std::string& out, std::string_view field) {
    auto size = field.size();
    do {
        auto byte = static_cast<unsigned char>(size & 0x7F);
        size >>= 7;
        out.push_back(static_cast<char>(size ? byte | 0x80 : byte));
    } while (size);
    out.append(field);
}

std::string take(std::string_view& in) {
    std::size_t size = 0;
    int shift = 0;
    while (true) {
        if (in.empty() || shift > 56) {
            throw IndexError("a stored pair is damaged: run leo-index to rebuild the index");
        }
        auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        size |= static_cast<std::size_t>(byte & 0x7F) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            break;
        }
    }
    if (size > in.size()) {
        throw IndexError("a stored pair is damaged: run leo-index to rebuild the index");
    }
    std::string field(in.substr(0, size));
    in.remove_prefix(size);
    return field;
}

// `marker`, then for a deflated record its raw size and the stream. Records that deflate
// would not shrink stay raw.
std::string pack(const std::string& raw) {
    thread_local Deflater deflater;
    auto& z = deflater.stream;
    deflateReset(&z);
    std::string out(1, deflated_marker);
    put(out, std::to_string(raw.size()));
    const auto header = out.size();
    out.resize(header + deflateBound(&z, static_cast<uLong>(raw.size())));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.avail_in = static_cast<uInt>(raw.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data() + header);
    z.avail_out = static_cast<uInt>(out.size() - header);
    if (deflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out + header >= raw.size() + 1) {
        return raw_marker + raw;
    }
    out.resize(header + z.total_out);
    return out;
}

std::string unpack(std::string_view data) {
    if (data.empty()) {
        damaged();
    }
    const char marker = data.front();
    data.remove_prefix(1);
    if (marker == raw_marker) {
        return std::string(data);
    }
    if (marker != deflated_marker) {
        damaged();
    }
    const auto size_text = take(data);
    std::size_t size = 0;
    for (char c : size_text) {
        if (c < '0' || c > '9' || size > (std::size_t{1} << 32)) {
            damaged();
        }
        size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    thread_local Inflater inflater;
    auto& z = inflater.stream;
    inflateReset(&z);
    std::string raw(size, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(raw.data());
    z.avail_out = static_cast<uInt>(raw.size());
    if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != size) {
        damaged();
    }
    return raw;
}

} // namespace

std::string encode(const StoredPair& pair) {
    std::string out;
    out.reserve(pair.answer.size() + pair.question.size() + 128);
    for (const auto* field : {&pair.id, &pair.path, &pair.question, &pair.answer, &pair.anchor,
                              &pair.url, &pair.title, &pair.date}) {
        put(out, *field);
    }
    put(out, std::to_string(pair.tags.size()));
    for (const auto& tag : pair.tags) {
        put(out, tag);
    }
    return pack(out);
}

StoredPair decode(std::string_view packed) {
    const auto raw = unpack(packed);
    std::string_view data = raw;
    StoredPair pair;
    for (auto* field : {&pair.id, &pair.path, &pair.question, &pair.answer, &pair.anchor, &pair.url,
                        &pair.title, &pair.date}) {
        *field = take(data);
    }
    auto count = take(data);
    std::size_t tags = 0;
    for (char c : count) {
        tags = tags * 10 + static_cast<std::size_t>(c - '0');
    }
    for (std::size_t i = 0; i < tags && !data.empty(); ++i) {
        pair.tags.push_back(take(data));
    }
    return pair;
}

std::string encode(const RankRecord& record) {
    std::string out;
    for (const auto* field : {&record.id, &record.page, &record.answer_hash, &record.intent,
                              &record.evidence, &record.terms, &record.heading_terms,
                              &record.question_terms, &record.title_terms, &record.length}) {
        put(out, *field);
    }
    return out;
}

RankRecord decode_rank_record(std::string_view data) {
    RankRecord record;
    for (auto* field : {&record.id, &record.page, &record.answer_hash, &record.intent,
                        &record.evidence, &record.terms, &record.heading_terms,
                        &record.question_terms, &record.title_terms, &record.length}) {
        *field = take(data);
    }
    return record;
}

} // namespace leo::detail
