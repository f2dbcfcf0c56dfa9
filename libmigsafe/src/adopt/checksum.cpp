// Flyway's CRC32 (Boost.CRC, header-only) and Prisma's SHA-256 (the server's sha256()).
#include "platform/catalog/runner_history_queries.hpp"

#include <migsafe/adopt/checksum.hpp>

#include <boost/crc.hpp>

#include <algorithm>
#include <vector>

namespace migsafe::adopt {
namespace {

std::string replace_all(std::string_view text, std::string_view from, std::string_view to)
{
    std::string out;
    out.reserve(text.size());
    std::size_t start = 0;
    while (true) {
        auto at = text.find(from, start);
        if (at == std::string_view::npos) {
            out.append(text.substr(start));
            return out;
        }
        out.append(text.substr(start, at - start));
        out.append(to);
        start = at + from.size();
    }
}

/// prisma-engines' format_checksum_old: each byte as `{:x}`, so without its leading zero.
std::string unpadded(std::string_view hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        if (hex[i] != '0') {
            out.push_back(hex[i]);
        }
        out.push_back(hex[i + 1]);
    }
    return out;
}

} // namespace

std::int32_t flyway_checksum(std::string_view script) noexcept
{
    boost::crc_32_type crc;
    std::string_view rest = script;
    if (rest.starts_with("\xEF\xBB\xBF")) {
        rest.remove_prefix(3); // BomFilter on the first line
    }
    // readLine splits on \n, \r\n and \r; the terminators never reach the CRC. A line
    // break on its own adds nothing either, so only the bytes between them count.
    std::size_t start = 0;
    while (start < rest.size()) {
        auto end = rest.find_first_of("\r\n", start);
        if (end == std::string_view::npos) {
            end = rest.size();
        }
        crc.process_bytes(rest.data() + start, end - start);
        start = end + 1;
    }
    return static_cast<std::int32_t>(crc.checksum());
}

std::string prisma_checksum(platform::Session& session, std::string_view script)
{
    return platform::catalog::sha256_hex(session, {std::string(script)}).front();
}

bool prisma_checksum_matches(platform::Session& session, std::string_view script,
                             std::string_view checksum)
{
    std::vector<std::string> variants{std::string(script), replace_all(script, "\r\n", "\n"),
                                      replace_all(script, "\n", "\r\n")};
    const auto digests = platform::catalog::sha256_hex(session, variants);
    return std::any_of(digests.begin(), digests.end(), [&](const std::string& digest) {
        return checksum.size() != digest.size() && !checksum.empty() ? unpadded(digest) == checksum
                                                                     : digest == checksum;
    });
}

} // namespace migsafe::adopt
