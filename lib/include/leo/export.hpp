#pragma once
/// @file export.hpp
/// LEO_EXPORT marks the public API: a shared leo (BUILD_SHARED_LIBS) is built with hidden
/// visibility and exports only what carries it. A static leo ignores it.

#if defined(_WIN32) && defined(LEO_SHARED)
#if defined(LEO_BUILDING)
#define LEO_EXPORT __declspec(dllexport)
#else
#define LEO_EXPORT __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define LEO_EXPORT __attribute__((visibility("default")))
#else
#define LEO_EXPORT
#endif
