#pragma once
/// @file safe_text.hpp
/// Text made safe for where it is shown. A page, a file name or a query can hold characters a
/// reader never sees but a terminal obeys (`ESC ] 52` sets the clipboard, `ESC [ 2K` erases a
/// line, U+202E reverses what follows) or that Markdown and HTML give meaning to. The parser
/// drops the invisible ones from what it reads (strip_control_characters); the tools escape
/// whatever they print with the rest, for names from disk and indexes written by older versions.

#include <leo/export.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace leo {

/// True for the characters leo never lets through: C0 controls except tab and line feed, DEL,
/// the C1 controls U+0080–U+009F, and the bidirectional embeddings, overrides and isolates
/// U+202A–U+202E and U+2066–U+2069.
[[nodiscard]] LEO_EXPORT bool is_hidden_control(char32_t c) noexcept;

/// `text` without hidden controls (see is_hidden_control). A terminal escape sequence (CSI such
/// as `ESC [ 31 m`, OSC such as `ESC ] 0 ; title BEL`, DCS, and their C1 forms) goes whole, so
/// no `[31m` is left behind. Invalid UTF-8 becomes U+FFFD.
[[nodiscard]] LEO_EXPORT std::string strip_control_characters(std::string_view text);

/// `text` for a terminal or a text file: hidden controls are shown as escapes (`\x1b`, `\x7f`,
/// `\u009b`, `\u202e`), bytes that are not UTF-8 as `\xff`. Tab and line feed are kept.
[[nodiscard]] LEO_EXPORT std::string printable_text(std::string_view text);

/// As printable_text, and tab, line feed and carriage return escaped too (`\t`, `\n`, `\r`): for
/// a name printed on one line, such as a file name in `path:line: why`.
[[nodiscard]] LEO_EXPORT std::string printable_name(std::string_view text);

/// `text` as Markdown that renders as these characters and nothing more: `<`, `>`, `&` and `"`
/// become entities (no tag, no entity can form), the characters Markdown gives meaning to are
/// backslash-escaped, line breaks become spaces, hidden controls are shown as escapes.
[[nodiscard]] LEO_EXPORT std::string markdown_text(std::string_view text);

/// `url` as a Markdown link destination, or nullopt when it must not be a link. Allowed: `http:`
/// and `https:` URLs, paths and fragments (`/a/b/`, `a/b`, `#x`); refused: any other scheme
/// (`javascript:`, `data:`…) and `//host` references. What would end the destination or break
/// out of it (white space, controls, `()<>"'\` and more, non-ASCII bytes) is percent-encoded.
[[nodiscard]] LEO_EXPORT std::optional<std::string> markdown_link_url(std::string_view url);

/// `id` as one TREC field: `%`, white space (ASCII and Unicode), hidden controls and bytes that
/// are not UTF-8 are percent-encoded (`a b#1` → `a%20b#1`), so ids stay whole and distinct.
[[nodiscard]] LEO_EXPORT std::string trec_id(std::string_view id);

/// JSON text (valid UTF-8, as nlohmann::json dumps it) with DEL, the C1 controls and the bidi
/// controls written as `\u` escapes, which JSON allows but does not require.
[[nodiscard]] LEO_EXPORT std::string escape_json_controls(std::string_view json);

} // namespace leo
