// libFuzzer target: any bytes as an index's stub file (XAPIANDB) are read and vetted by leo
// before Xapian sees them: a list of shards or a leo::Error, never a crash. Nothing is opened,
// so a `remote :PROGRAM` line the vetting missed runs nothing here.
#include "scratch_file.hpp"
#include "store/shards.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <leo/error.hpp>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& database = leo_fuzz::scratch_folder("stub");
    const auto stub = leo_fuzz::write_scratch(database, "XAPIANDB", data, size);
    try {
        std::optional<std::filesystem::path> lexicon;
        (void)leo::detail::read_stub(stub, lexicon);
        leo::detail::vet_stub(stub, database, /*allow_programs=*/false);
    } catch (const leo::Error&) {
        // refused with a message: the promised outcome for a bad stub
    }
    return 0;
}
