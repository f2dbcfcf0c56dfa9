// adopt::ToolLock and adopt::tool_lock_keys: the tools' own advisory locks, with keys
// checked against an independent computation (Python) of each tool's formula.
#include "db/adopt/adopt_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/adopt/tool_lock.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <chrono>

using namespace migsafe::adopt;
using namespace migsafe::test::adopt_fixtures;
using migsafe::test::TestDatabase;
using namespace std::chrono_literals;

namespace {

bool try_lock(migsafe::platform::Session& session, std::int64_t key)
{
    return session.query_value("SELECT pg_try_advisory_lock($1::bigint)", {std::to_string(key)})
               .value_or("f") == "t";
}

} // namespace

TEST_CASE("adopt::tool_lock_keys: each tool's formula, checked by Python")
{
    // Prisma: the fixed key of prisma-engines flavour/postgres.rs.
    CHECK(tool_lock_keys(Tool::prisma, "app", "public", "_prisma_migrations") ==
          std::vector<std::int64_t>{72707369});
    // Flyway: LOCK_MAGIC_NUM + "\"public\".\"flyway_schema_history\"".hashCode().
    const auto flyway = python(
        "import sys\n"
        "h = 0\n"
        "for c in sys.argv[1]: h = (31 * h + ord(c)) & 0xffffffff\n"
        "h = h - (1 << 32) if h >= (1 << 31) else h\n"
        "print((0x46 << 40) + (0x6C << 32) + (0x79 << 24) + (0x77 << 16) + (0x61 << 8) + 0x79 + h)",
        "\"public\".\"flyway_schema_history\"");
    CHECK(tool_lock_keys(Tool::flyway, "app", "public", "flyway_schema_history") ==
          std::vector<std::int64_t>{std::stoll(flyway)});
    // golang-migrate: crc32(schema \0 table \0 dbname) * 1486364155 mod 2^32, with the URL's
    // path ("/app") as its CLI passes it, and current_database() as WithInstance does.
    const auto golang = [](const std::string& database) {
        return std::stoll(python("import sys, zlib\n"
                                 "s = \"public\\0schema_migrations\\0\" + sys.argv[1]\n"
                                 "print((zlib.crc32(s.encode()) * 1486364155) & 0xffffffff)",
                                 database));
    };
    CHECK(tool_lock_keys(Tool::golang_migrate, "app", "public", "schema_migrations") ==
          std::vector<std::int64_t>{golang("/app"), golang("app")});
    // Rails: MIGRATOR_SALT * crc32(current_database).
    CHECK(tool_lock_keys(Tool::rails, "app", "public", "schema_migrations") ==
          std::vector<std::int64_t>{std::stoll(python(
              "import sys, zlib; print(2053462845 * zlib.crc32(sys.argv[1].encode()))", "app"))});
    CHECK(tool_lock_keys(Tool::dbmate, "app", "public", "schema_migrations").empty());
    CHECK(tool_lock_keys(Tool::diesel, "app", "public", "__diesel_schema_migrations").empty());
    CHECK(java_string_hash("hello") == 99162322);
    CHECK(java_string_hash("caf\xC3\xA9") == 3045921);
}

TEST_CASE("adopt::ToolLock: blocks while the tool holds its lock, and blocks the tool")
{
    TestDatabase db;
    auto tool_session = db.connect(); // plays prisma migrate deploy
    auto ours = db.connect();
    HistoryTable prisma{
        .tool = Tool::prisma, .schema = "public", .table = "_prisma_migrations", .is_tools = true};
    REQUIRE(try_lock(tool_session, 72707369));
    try {
        ToolLock lock(ours, prisma, 200ms);
        FAIL("the lock was taken while prisma held it");
    } catch (const migsafe::Error& error) {
        CHECK(error.code() == "adopt-tool-lock-busy");
        CHECK(error.category() == migsafe::Category::environment);
        CHECK(error.message().starts_with(
            "prisma holds its lock on public._prisma_migrations: pid "));
        CHECK(error.context().object == "pg_advisory_lock(72707369)");
    }
    tool_session.exec("SELECT pg_advisory_unlock(72707369)");
    {
        ToolLock lock(ours, prisma, 200ms);
        CHECK(lock.keys() == std::vector<std::int64_t>{72707369});
        CHECK_FALSE(try_lock(tool_session, 72707369)); // prisma would wait now
    }
    CHECK(try_lock(tool_session, 72707369)); // released
}

TEST_CASE("adopt::ToolLock: a tool without a lock takes nothing")
{
    TestDatabase db;
    auto session = db.connect();
    HistoryTable dbmate{
        .tool = Tool::dbmate, .schema = "public", .table = "schema_migrations", .is_tools = true};
    ToolLock lock(session, dbmate, 10ms);
    CHECK(lock.keys().empty());
}
