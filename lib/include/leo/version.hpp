#pragma once
/// @file version.hpp
/// leo's version.

namespace leo {
/// The library's version, `major.minor.patch`.
inline constexpr const char* version = "0.1.0";
} // namespace leo
