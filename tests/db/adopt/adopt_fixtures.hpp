#pragma once
// The adopt tests' shared pieces: each tool's history table created with the exact DDL the
// tool runs (cited per tool), a migration folder written file by file, and Python's
// hashlib/zlib as the independent implementation of the tools' checksums.

#include <migsafe/platform/session.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <stdlib.h>

namespace migsafe::test::adopt_fixtures {

// Prisma 5/6 (prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/
// postgres.rs, create_migrations_table), in the connection's schema.
inline constexpr const char* k_prisma_ddl = R"(CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
))";

// Flyway 9/10 (flyway-core src/main/resources/org/flywaydb/core/internal/database/
// postgresql/createMetaDataTable.sql, ${schema} = public, ${table} = flyway_schema_history).
inline constexpr const char* k_flyway_ddl = R"(CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");)";

// golang-migrate v4 (database/postgres/postgres.go, ensureVersionTable).
inline constexpr const char* k_golang_migrate_ddl =
    R"(CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null))";

// dbmate 2.36.0 (pkg/driver/postgres/postgres.go, CreateMigrationsTable), as the server log
// of a real `dbmate up` shows it (docs/adopt.md, "Peers"): `varchar` without a length.
inline constexpr const char* k_dbmate_ddl =
    R"(create table if not exists public.schema_migrations (version varchar primary key))";

// Rails 7.1 (activerecord lib/active_record/schema_migration.rb and internal_metadata.rb,
// as create_table renders them on PostgreSQL), with the environment row Rails writes.
inline constexpr const char* k_rails_ddl =
    R"(CREATE TABLE "schema_migrations" ("version" character varying NOT NULL PRIMARY KEY);
CREATE TABLE "ar_internal_metadata" ("key" character varying NOT NULL PRIMARY KEY, "value" character varying, "created_at" timestamp(6) NOT NULL, "updated_at" timestamp(6) NOT NULL);
INSERT INTO "ar_internal_metadata" ("key", "value", "created_at", "updated_at") VALUES ('environment', 'production', now(), now());)";

// diesel 2 (diesel_migrations/src/setup_migration_table.sql).
inline constexpr const char* k_diesel_ddl =
    R"(CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
       version VARCHAR(50) PRIMARY KEY NOT NULL,
       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
))";

/// A temporary folder of migration files (sub-folders created as needed).
class Folder {
public:
    Folder()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "migsafe-adopt-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~Folder()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    Folder(const Folder&) = delete;
    Folder& operator=(const Folder&) = delete;

    void write(const std::string& relative, const std::string& bytes) const
    {
        auto path = m_path / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    }
    const std::filesystem::path& path() const { return m_path; }
    std::string str() const { return m_path.string(); }

private:
    std::filesystem::path m_path;
};

/// Runs `python3 -c code` with `argument` and returns its stdout without the final newline.
inline std::string python(const std::string& code, const std::string& argument)
{
    std::string command = "/usr/bin/python3 -c '" + code + "' '" + argument + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 256> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
        out += buffer.data();
    }
    REQUIRE(::pclose(pipe) == 0);
    while (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

/// hashlib.sha256 of the file at `path`, hex.
inline std::string python_sha256(const std::filesystem::path& path)
{
    return python("import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], \"rb\").read())"
                  ".hexdigest())",
                  path.string());
}

/// Flyway's checksum by zlib: CRC32 of the lines (split as Java's readLine splits, BOM
/// dropped), as a signed 32-bit int.
inline std::string python_flyway_crc(const std::filesystem::path& path)
{
    return python("import re, sys, zlib\n"
                  "data = open(sys.argv[1], \"rb\").read()\n"
                  "data = data[3:] if data.startswith(b\"\\xef\\xbb\\xbf\") else data\n"
                  "crc = 0\n"
                  "for line in re.split(b\"\\r\\n|\\r|\\n\", data): crc = zlib.crc32(line, crc)\n"
                  "print(crc - (1 << 32) if crc >= (1 << 31) else crc)",
                  path.string());
}

} // namespace migsafe::test::adopt_fixtures
