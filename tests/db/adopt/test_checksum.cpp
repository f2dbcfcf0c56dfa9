// adopt::flyway_checksum and adopt::prisma_checksum(_matches) against Python's zlib and
// hashlib, run by the test on the same bytes.
#include "db/adopt/adopt_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/adopt/checksum.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace migsafe::test::adopt_fixtures;
using migsafe::test::TestDatabase;

namespace {

const std::vector<std::string> k_scripts{
    "CREATE TABLE t (id int);\n",
    "-- Flyway\r\nCREATE TABLE t (id int);\r\nINSERT INTO t VALUES (1);\r\n",
    "CREATE TABLE t (id int);\rCREATE INDEX ON t (id);\r",
    "\xEF\xBB\xBF"
    "CREATE TABLE caf\xC3\xA9 (\"na\xC3\xAFve\" text);\n\n\n",
    "no final newline",
    "",
    "\n\n",
};

} // namespace

TEST_CASE("adopt::flyway_checksum: equals Flyway's line CRC32 computed by Python's zlib")
{
    Folder folder;
    for (std::size_t i = 0; i < k_scripts.size(); ++i) {
        CAPTURE(i);
        folder.write("V1__x.sql", k_scripts[i]);
        CHECK(std::to_string(migsafe::adopt::flyway_checksum(k_scripts[i])) ==
              python_flyway_crc(folder.path() / "V1__x.sql"));
    }
    // Line endings never change it (Flyway's ChecksumCalculator reads lines); content does.
    CHECK(migsafe::adopt::flyway_checksum("a;\nb;\n") ==
          migsafe::adopt::flyway_checksum("a;\r\nb;\r\n"));
    CHECK(migsafe::adopt::flyway_checksum("a;\nb;\n") !=
          migsafe::adopt::flyway_checksum("a;\nc;\n"));
}

TEST_CASE("adopt::prisma_checksum: the server's SHA-256 equals Python's hashlib")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    for (std::size_t i = 0; i < k_scripts.size(); ++i) {
        CAPTURE(i);
        folder.write("migration.sql", k_scripts[i]);
        CHECK(migsafe::adopt::prisma_checksum(session, k_scripts[i]) ==
              python_sha256(folder.path() / "migration.sql"));
    }
    // prisma-engines' own test vector (checksum.rs, format_checksum_does_not_strip_zeros).
    CHECK(migsafe::adopt::prisma_checksum(session, "hello") ==
          "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
}

TEST_CASE("adopt::prisma_checksum_matches: accepts the line-ending variants Prisma accepts")
{
    TestDatabase db;
    auto session = db.connect();
    using migsafe::adopt::prisma_checksum;
    using migsafe::adopt::prisma_checksum_matches;
    // prisma-engines checksum.rs, script_matches_checksum_is_line_ending_agnostic.
    const std::vector<std::vector<std::string>> groups{
        {"ab\ncd\nef\ngh\rab", "ab\r\ncd\r\nef\r\ngh\rab"},
        {"ab\ncd\nef\ngh\rab\n", "ab\r\ncd\r\nef\r\ngh\rab\r\n"},
    };
    for (const auto& group : groups) {
        for (const auto& script : group) {
            for (const auto& other : group) {
                CHECK(prisma_checksum_matches(session, script, prisma_checksum(session, other)));
            }
        }
    }
    // script_matches_checksum_negative.
    CHECK_FALSE(prisma_checksum_matches(session, "abc", prisma_checksum(session, "abcd")));
    CHECK_FALSE(prisma_checksum_matches(session, "abc\n", prisma_checksum(session, "abc")));
    // The old unpadded rendering (prisma-engines#1887): each byte without its leading zero.
    const std::string full = prisma_checksum(session, "hello"); // 2c f2 4d ba 5f b0 a3 0e ...
    std::string old;
    for (std::size_t i = 0; i < full.size(); i += 2) {
        if (full[i] != '0') {
            old += full[i];
        }
        old += full[i + 1];
    }
    REQUIRE(old.size() < 64);
    CHECK(prisma_checksum_matches(session, "hello", old));
}
