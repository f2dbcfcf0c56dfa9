#pragma once

/// The checksums other runners keep, computed exactly as each tool computes them, so that
/// migsafe can check the files against the tool's rows and write rows the tool accepts.

#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace migsafe::adopt {

/// Flyway's checksum of a SQL script (flyway-core ChecksumCalculator): CRC32 (IEEE) of the
/// UTF-8 bytes of each line without its terminator (`\n`, `\r\n` or a lone `\r`, as
/// Java's BufferedReader.readLine splits), a UTF-8 BOM dropped from the first line, cast to
/// a signed 32-bit int. So line endings never change it. Pure; cost: one pass.
MIGSAFE_API std::int32_t flyway_checksum(std::string_view script) noexcept;

/// Prisma's checksum of `migration.sql`: the lowercase hex SHA-256 of its bytes, computed
/// by the server's sha256() (no crypto library in migsafe). Cost: one round trip.
MIGSAFE_API std::string prisma_checksum(platform::Session& session, std::string_view script);

/// Whether `script` matches Prisma's stored `checksum` the way prisma-engines accepts it
/// (schema-engine/connectors/schema-connector/src/checksum.rs, script_matches_checksum): the
/// script as is, with CRLF turned into LF, or with LF turned into CRLF; and a checksum of
/// another length than 64 compared with the old unpadded rendering (prisma-engines#1887).
/// Cost: one round trip.
MIGSAFE_API bool prisma_checksum_matches(platform::Session& session, std::string_view script,
                                         std::string_view checksum);

} // namespace migsafe::adopt
