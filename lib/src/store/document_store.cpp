#include "store/document_store.hpp"

#include <leo/error.hpp>
#include <lz4.h>

namespace leo::detail {
namespace {

[[noreturn]] void damaged() {
    throw IndexError("a stored pair is damaged: run leo-index to rebuild the index");
}

// Stored pairs are LZ4 blocks: a query decodes one per hit, and zlib spent 8 µs inflating
// (and 27 µs deflating) each record of a few hundred bytes, where LZ4 takes 0.4 µs (and 2.4 µs)
// for three quarters of the size (measured on the speed bench's pairs).
constexpr char raw_marker = 'r';
constexpr char lz4_marker = 'l';

void put(std::string& out, std::string_view field) {
    auto size = field.size();
    do {
        auto byte = static_cast<unsigned char>(size & 0x7F);
        size >>= 7;
        out.push_back(static_cast<char>(size ? byte | 0x80 : byte));
    } while (size);
    out.append(field);
}

// The next length-prefixed field of `in`, which moves past it.
std::string_view take_view(std::string_view& in) {
    std::size_t size = 0;
    int shift = 0;
    while (true) {
        if (in.empty() || shift > 56) {
            damaged();
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
        damaged();
    }
    auto field = in.substr(0, size);
    in.remove_prefix(size);
    return field;
}

std::string take(std::string_view& in) {
    return std::string(take_view(in));
}

// `marker`, then for a compressed record its raw size and the LZ4 block. Records that would
// not shrink stay raw.
std::string pack(const std::string& raw) {
    const auto bound = LZ4_compressBound(static_cast<int>(raw.size()));
    std::string out(1, lz4_marker);
    put(out, std::to_string(raw.size()));
    const auto header = out.size();
    out.resize(header + static_cast<std::size_t>(bound));
    const int size =
        LZ4_compress_default(raw.data(), out.data() + header, static_cast<int>(raw.size()), bound);
    if (size <= 0 || header + static_cast<std::size_t>(size) >= raw.size() + 1) {
        return raw_marker + raw;
    }
    out.resize(header + static_cast<std::size_t>(size));
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
    if (marker != lz4_marker) {
        damaged();
    }
    const auto size_text = take(data);
    std::size_t size = 0;
    for (char c : size_text) {
        if (c < '0' || c > '9' || size > (std::size_t{1} << 30)) {
            damaged();
        }
        size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    std::string raw(size, '\0');
    const int got = LZ4_decompress_safe(data.data(), raw.data(), static_cast<int>(data.size()),
                                        static_cast<int>(size));
    if (got < 0 || static_cast<std::size_t>(got) != size) {
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
    put(out, pair.question_word_hashes);
    put(out, pair.answer_word_hashes);
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
    pair.question_word_hashes = take(data);
    pair.answer_word_hashes = take(data);
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

RankView view_rank_record(std::string_view data) {
    RankView view;
    for (auto* field :
         {&view.id, &view.page, &view.answer_hash, &view.intent, &view.evidence, &view.terms,
          &view.heading_terms, &view.question_terms, &view.title_terms, &view.length}) {
        *field = take_view(data);
    }
    return view;
}

RankRecord decode_rank_record(std::string_view data) {
    const auto view = view_rank_record(data);
    return {std::string(view.id),
            std::string(view.page),
            std::string(view.answer_hash),
            std::string(view.intent),
            std::string(view.evidence),
            std::string(view.terms),
            std::string(view.heading_terms),
            std::string(view.question_terms),
            std::string(view.title_terms),
            std::string(view.length)};
}

std::string encode(const RankRecord& record, const StoredPair& pair) {
    std::string out;
    put(out, encode(record));
    out += encode(pair);
    return out;
}

PairRecord split_record(std::string_view value) {
    auto rank = take_view(value);
    return {rank, value};
}

} // namespace leo::detail
