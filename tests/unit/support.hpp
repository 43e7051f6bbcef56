#pragma once
// Helpers the unit tests share: a temporary folder that cleans up after itself, and files.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <leo/config.hpp>
#include <string>
#include <string_view>
#include <unistd.h>

namespace leo::test {

class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("leo-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(std::string_view name) const {
        return path_ / name;
    }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, std::string_view text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// The glass database an index folder's stub names (`auto g3` → `folder/g3`).
inline std::filesystem::path live_generation(const std::filesystem::path& folder) {
    std::ifstream stub(folder / "XAPIANDB");
    std::string line;
    while (std::getline(stub, line)) {
        if (line.rfind("auto ", 0) == 0) {
            return folder / line.substr(5);
        }
    }
    return {};
}

/// A config whose index lives in `dir/index`.
inline Config config_in(const TempDir& dir) {
    Config config;
    config.database = dir / "index";
    return config;
}

/// A page in the seed's shape: TOML front matter and setext questions.
inline const char* leopard_page = R"(+++
title = "Saving leopards"
date = 2019-05-01T00:00:00
tags = ["Questions", "Big Cats"]
slug = "saving-leopards"
+++
How many Amur leopards are left in the wild?
--------------------------------------------

Field surveys count roughly 100 adults in the forests of the Russian Far East and north-east China.

Why are snow leopards killed?
-----------------------------

Herders kill them after losses of livestock, and poachers sell their pelts &amp; bones.

What will be done next year?
----------------------------

How do zoos help leopards?
--------------------------

Zoos keep a studbook so breeding keeps the captive population genetically healthy.

<iframe src="https://example.org/video" width="560"></iframe>
)";

} // namespace leo::test
