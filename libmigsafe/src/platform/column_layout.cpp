// The column layout: runs of lines with the same number of tabs are stored field by field.
#include "platform/column_layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace migsafe::platform {
namespace {

/// Runs shorter than this stay as they are: a header per segment costs more than it saves.
constexpr std::size_t k_min_rows = 8;
/// Limits a decoder trusts (a damaged stream must not make it allocate without bound).
constexpr std::uint64_t k_max_segment = std::uint64_t{1} << 30U;
constexpr std::uint64_t k_max_fields = std::uint64_t{1} << 16U;
/// Decoded rows are handed on in pieces of about this size.
constexpr std::size_t k_out_piece = std::size_t{256} << 10U;

void put_varint(std::string& out, std::uint64_t value)
{
    while (value >= 0x80U) {
        out.push_back(static_cast<char>((value & 0x7FU) | 0x80U));
        value >>= 7U;
    }
    out.push_back(static_cast<char>(value));
}

enum class Varint { ok, more, bad };

/// Reads a varint at `pos` of `in`, advancing `pos` past it when complete.
Varint get_varint(std::string_view in, std::size_t& pos, std::uint64_t& value)
{
    value = 0;
    for (unsigned shift = 0, at = 0; shift < 64; shift += 7, ++at) {
        if (pos + at >= in.size()) {
            return Varint::more;
        }
        auto byte = static_cast<unsigned char>(in[pos + at]);
        value |= static_cast<std::uint64_t>(byte & 0x7FU) << shift;
        if ((byte & 0x80U) == 0) {
            pos += at + 1;
            return Varint::ok;
        }
    }
    return Varint::bad;
}

std::size_t tabs_in(std::string_view line)
{
    return static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t'));
}

/// One 'C' segment: `rows` lines of `fields` fields each (every line ends with '\n').
void emit_columns(std::string_view lines, std::size_t fields, std::size_t rows, const ByteSink& out)
{
    std::vector<std::string> columns(fields);
    for (auto& column : columns) {
        column.reserve(lines.size() / fields + rows);
    }
    const char* at = lines.data();
    const char* end = lines.data() + lines.size();
    while (at < end) {
        const char* line_end =
            static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)));
        for (std::size_t j = 0; j < fields; ++j) {
            const char* field_end =
                j + 1 < fields ? static_cast<const char*>(
                                     std::memchr(at, '\t', static_cast<std::size_t>(line_end - at)))
                               : line_end;
            columns[j].append(at, static_cast<std::size_t>(field_end - at));
            columns[j].push_back('\n');
            at = field_end + 1;
        }
    }
    std::string header(1, 'C');
    put_varint(header, fields);
    put_varint(header, rows);
    for (const auto& column : columns) {
        put_varint(header, column.size());
    }
    out(header);
    for (const auto& column : columns) {
        out(column);
    }
}

} // namespace

ColumnEncoder::ColumnEncoder(std::size_t block)
    : m_block(std::max<std::size_t>(block, 1))
{
}

void ColumnEncoder::add(std::string_view input, const ByteSink& out)
{
    // Blocks are cut by content alone (the last line end within each `m_block` bytes), not
    // by how the input arrives: a file read while it grows is stored as when read whole.
    m_pending.append(input);
    std::size_t start = 0;
    while (m_pending.size() - start >= m_block) {
        std::string_view window(m_pending.data() + start, m_block);
        auto cut = window.rfind('\n');
        // No line end in a whole block: those bytes as they are.
        std::size_t take = cut == std::string_view::npos ? m_block : cut + 1;
        encode(window.substr(0, take), out);
        start += take;
    }
    m_pending.erase(0, start);
}

void ColumnEncoder::finish(const ByteSink& out)
{
    encode(m_pending, out);
    m_pending.clear();
}

void ColumnEncoder::encode(std::string_view lines, const ByteSink& out)
{
    std::string raw;
    auto flush_raw = [&] {
        if (raw.empty()) {
            return;
        }
        std::string header(1, 'R');
        put_varint(header, raw.size());
        out(header);
        out(raw);
        raw.clear();
    };
    std::size_t pos = 0;
    while (pos < lines.size()) {
        auto line_end = lines.find('\n', pos);
        if (line_end == std::string_view::npos) { // a partial last line
            raw.append(lines.substr(pos));
            break;
        }
        auto tabs = tabs_in(lines.substr(pos, line_end - pos));
        auto run_end = line_end + 1;
        std::size_t rows = 1;
        while (tabs > 0 && run_end < lines.size()) {
            auto next_end = lines.find('\n', run_end);
            if (next_end == std::string_view::npos ||
                tabs_in(lines.substr(run_end, next_end - run_end)) != tabs) {
                break;
            }
            run_end = next_end + 1;
            ++rows;
        }
        if (tabs == 0 || rows < k_min_rows) {
            raw.append(lines.substr(pos, run_end - pos));
        } else {
            flush_raw();
            emit_columns(lines.substr(pos, run_end - pos), tabs + 1, rows, out);
        }
        pos = run_end;
    }
    flush_raw();
}

void ColumnDecoder::add(std::string_view input, const ByteSink& out)
{
    if (m_error) {
        return;
    }
    m_buffer.append(input);
    while (!m_error && decode_one(out)) {
    }
    if (m_offset > 0) {
        m_buffer.erase(0, m_offset);
        m_offset = 0;
    }
}

void ColumnDecoder::finish()
{
    if (!m_error && m_offset < m_buffer.size()) {
        m_error = fmt::format("the column layout ends inside a segment ({} bytes left over)",
                              m_buffer.size() - m_offset);
    }
}

bool ColumnDecoder::decode_one(const ByteSink& out)
{
    std::string_view in(m_buffer);
    in.remove_prefix(m_offset);
    if (in.empty()) {
        return false;
    }
    std::size_t pos = 1;
    auto read = [&](std::uint64_t& value, std::uint64_t limit, const char* what) {
        auto got = get_varint(in, pos, value);
        if (got == Varint::bad || (got == Varint::ok && value > limit)) {
            m_error = fmt::format("the column layout has a bad {} at byte {}", what, m_offset);
            return Varint::bad;
        }
        return got;
    };
    if (in.front() == 'R') {
        std::uint64_t size = 0;
        if (read(size, k_max_segment, "segment size") != Varint::ok || in.size() - pos < size) {
            return false;
        }
        out(in.substr(pos, size));
        m_offset += pos + size;
        return true;
    }
    if (in.front() != 'C') {
        m_error = fmt::format("the column layout has an unknown segment at byte {}", m_offset);
        return false;
    }
    std::uint64_t fields = 0;
    std::uint64_t rows = 0;
    if (read(fields, k_max_fields, "field count") != Varint::ok ||
        read(rows, k_max_segment, "row count") != Varint::ok) {
        return false;
    }
    if (fields < 2 || rows == 0) {
        m_error = fmt::format("the column layout has a bad segment header at byte {}", m_offset);
        return false;
    }
    std::vector<std::uint64_t> lengths(fields);
    std::uint64_t total = 0;
    for (auto& length : lengths) {
        if (read(length, k_max_segment, "column length") != Varint::ok) {
            return false;
        }
        total += length;
    }
    if (total > k_max_segment) {
        m_error = fmt::format("the column layout has a bad segment size at byte {}", m_offset);
        return false;
    }
    if (in.size() - pos < total) {
        return false;
    }
    std::vector<const char*> at(fields);
    std::vector<const char*> end(fields);
    const char* next = in.data() + pos;
    for (std::size_t j = 0; j < fields; ++j) {
        at[j] = next;
        next += lengths[j];
        end[j] = next;
    }
    std::string piece;
    piece.reserve(k_out_piece + 4096);
    for (std::uint64_t row = 0; row < rows; ++row) {
        for (std::size_t j = 0; j < fields; ++j) {
            const auto* field_end = static_cast<const char*>(
                std::memchr(at[j], '\n', static_cast<std::size_t>(end[j] - at[j])));
            if (field_end == nullptr) {
                m_error = fmt::format("the column layout's column {} of the segment at byte {} "
                                      "ends before row {} of {}",
                                      j + 1, m_offset, row + 1, rows);
                return false;
            }
            piece.append(at[j], static_cast<std::size_t>(field_end - at[j]));
            piece.push_back(j + 1 < fields ? '\t' : '\n');
            at[j] = field_end + 1;
        }
        if (piece.size() >= k_out_piece) {
            out(piece);
            piece.clear();
        }
    }
    for (std::size_t j = 0; j < fields; ++j) {
        if (at[j] != end[j]) {
            m_error = fmt::format("the column layout's column {} of the segment at byte {} holds "
                                  "more than {} rows",
                                  j + 1, m_offset, rows);
            return false;
        }
    }
    if (!piece.empty()) {
        out(piece);
    }
    m_offset += pos + total;
    return true;
}

} // namespace migsafe::platform
