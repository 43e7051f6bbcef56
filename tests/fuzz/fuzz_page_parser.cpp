// libFuzzer target: any bytes given to parse_page either parse or throw leo::Error.
#include <cstddef>
#include <cstdint>
#include <leo/error.hpp>
#include <leo/page.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto page = leo::parse_page(text, "fuzz.md");
        for (const auto& pair : page.pairs) {
            (void)page.pair_id(pair);
        }
        (void)page.url();
    } catch (const leo::Error&) {
        // a clear error is the promised outcome for a bad page
    }
    leo::ParseOptions deep;
    deep.min_question_level = 1;
    deep.max_question_level = 6;
    try {
        (void)leo::parse_page(text, "fuzz.md", deep);
    } catch (const leo::Error&) {
    }
    return 0;
}
