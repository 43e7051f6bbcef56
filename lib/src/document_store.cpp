#include "document_store.hpp"

#include <leo/error.hpp>

namespace leo::detail {
namespace {

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
    return out;
}

StoredPair decode(std::string_view data) {
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
