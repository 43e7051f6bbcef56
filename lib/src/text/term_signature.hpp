#pragma once
// A pair's terms as a small Bloom filter stored in a value slot: the second stage asks "does
// this pair hold term t?" for its candidates without reading posting or term lists, which
// on a remote shard would cost a round trip each.

#include "format/schema.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace leo::detail {

class TermSignature {
public:
    /// `bytes` of filter; 3 probes per term.
    explicit TermSignature(std::size_t bytes) : bits_(bytes, '\0') {}

    /// About 10 bits a term (words repeat, so `words` overstates the terms): a false positive
    /// for roughly one probe in a hundred.
    [[nodiscard]] static std::size_t bytes_for(std::size_t words) {
        return std::max<std::size_t>(8, (words * 10 + 7) / 8);
    }

    void add(std::string_view term) {
        for_each_probe(term, [&](std::size_t bit) {
            bits_[bit / 8] = static_cast<char>(bits_[bit / 8] | (1 << (bit % 8)));
        });
    }
    [[nodiscard]] const std::string& bytes() const { return bits_; }

    /// False: `term` is certainly not in the pair; true: it is, or (rarely) a false positive.
    [[nodiscard]] static bool may_contain(std::string_view signature, std::string_view term) {
        if (signature.empty()) {
            return false;
        }
        bool all = true;
        for_each_probe(term, signature.size() * 8, [&](std::size_t bit) {
            all = all && (static_cast<unsigned char>(signature[bit / 8]) >> (bit % 8) & 1);
        });
        return all;
    }

private:
    template <class F> void for_each_probe(std::string_view term, F&& f) const {
        for_each_probe(term, bits_.size() * 8, f);
    }
    template <class F> static void for_each_probe(std::string_view term, std::size_t nbits, F&& f) {
        std::uint64_t h = schema::fnv1a(term);
        std::uint64_t h1 = h & 0xFFFFFFFF;
        std::uint64_t h2 = (h >> 32) | 1;
        for (std::uint64_t i = 0; i < 3; ++i) {
            f(static_cast<std::size_t>((h1 + i * h2) % nbits));
        }
    }

    std::string bits_;
};

} // namespace leo::detail
