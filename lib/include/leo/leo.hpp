#pragma once
/// @file leo.hpp
/// Everything leo offers, in one include.

#include <leo/config.hpp>
#include <leo/error.hpp>
#include <leo/indexer.hpp>
#include <leo/json.hpp>
#include <leo/page.hpp>
#include <leo/safe_text.hpp>
#include <leo/searcher.hpp>
#include <leo/version.hpp>
