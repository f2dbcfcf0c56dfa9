#pragma once
// Private: the column layout of the snapshot store (docs/snapshot.md, "Compression"). pg_dump
// writes a table's data as COPY text, one row per line and tabs between fields; zstd and
// gzip then see the columns interleaved. Stored column by column (every field of column 1,
// then of column 2, ...), numbers sit beside numbers and timestamps beside timestamps, and
// the same zstd level stores a third to a half less. The layout is a reversible
// transformation of any byte string: lines that do not form runs of equal field counts
// (the table of contents, a partial last line, binary bytes) are kept as they are.
//
// The transformed stream is a sequence of segments:
//   'R' <varint n> <n bytes>                          bytes as they were
//   'C' <varint fields> <varint rows> <varint length>*fields <column bytes>*fields
// where column j holds field j of each row followed by '\n'; a row is its fields joined by
// '\t' and ended by '\n'. Fields hold neither, so the rows come back byte for byte.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::platform {

using ByteSink = std::function<void(std::string_view)>;

/// Turns bytes into the column layout, a block of lines at a time.
class ColumnEncoder {
public:
    /// `block`: bytes of whole lines transformed together (the run a column stays contiguous).
    explicit ColumnEncoder(std::size_t block = std::size_t{4} << 20U);
    /// Takes more input; hands transformed bytes to `out` whenever a block is complete.
    void add(std::string_view input, const ByteSink& out);
    /// Transforms what is left (a partial last line stays as it is).
    void finish(const ByteSink& out);

private:
    void encode(std::string_view lines, const ByteSink& out);

    std::size_t m_block;
    std::string m_pending;
};

/// Turns the column layout back into the original bytes. Never throws on bad input: a
/// malformed stream is reported by `error()` and the rest ignored.
class ColumnDecoder {
public:
    /// Takes more transformed bytes; hands original bytes to `out` as segments complete.
    void add(std::string_view input, const ByteSink& out);
    /// Checks that the stream ended at a segment boundary.
    void finish();
    /// Why the stream is not a valid column layout, if it is not.
    [[nodiscard]] const std::optional<std::string>& error() const { return m_error; }

private:
    /// Decodes one complete segment at the front of the buffer; false if more bytes are needed.
    bool decode_one(const ByteSink& out);

    std::string m_buffer;
    std::size_t m_offset = 0; ///< bytes of m_buffer already decoded
    std::optional<std::string> m_error;
};

} // namespace migsafe::platform
