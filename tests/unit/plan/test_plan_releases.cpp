// analyze_releases: each migration of a directory is its own release, planned on the
// schema the earlier ones built (columns, validated checks), with none of it "new".
#include "support/migration_dir.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/analyze.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

namespace plan = migsafe::plan;

namespace {

bool has(const plan::StatementPlan& statement, const std::string& rule)
{
    return std::any_of(statement.findings.begin(), statement.findings.end(),
                       [&](const plan::Finding& f) { return f.rule == rule; });
}

} // namespace

TEST_CASE("plan::analyze_releases plans each migration on the schema the earlier ones built")
{
    migsafe::test::MigrationDir dir;
    dir.write("0001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, "
                                "seen timestamp);\n");
    dir.write("0002_check.sql", "SET lock_timeout = '2s';\n"
                                "ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS "
                                "NOT NULL) NOT VALID;\n");
    dir.write("0003_validate.sql",
              "SET lock_timeout = '2s';\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\n");
    dir.write("0004_not_null.sql",
              "SET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
    dir.write("0005_tz.sql", "SET lock_timeout = '2s';\nSET timezone = 'UTC';\n"
                             "ALTER TABLE users ALTER COLUMN seen TYPE timestamptz;\n");
    dir.write("0006_nick.sql",
              "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nick text;\n");
    dir.write("0007_drop_nick.sql",
              "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN nick;\n");
    const auto set = migsafe::model::load_migration_set(dir.path());
    const auto report = plan::analyze_releases(set, std::nullopt);
    REQUIRE(report.statements.size() == 14);
    // 0004: the CHECK validated by 0003 proves SET NOT NULL (PostgreSQL 12+): no scan.
    CHECK(report.statements[7].scans.empty());
    CHECK_FALSE(has(report.statements[7], "MS-COL-01"));
    // 0005: the column's type (timestamp) is known from 0001: with UTC, no rewrite.
    CHECK(report.statements[10].rewrites.empty());
    CHECK_FALSE(has(report.statements[10], "MS-COL-07"));
    // 0007 drops a column an earlier release added: a breaking change (MS-BRK-01), not the
    // "same release as its expand" contract error.
    CHECK(has(report.statements[13], "MS-BRK-01"));
    CHECK(report.statements[13].findings.front().message.find("same release") == std::string::npos);
    // The tables are not new: a blocking step on them is still found.
    CHECK(report.statements[13].locks.size() == 1);
}

TEST_CASE("plan::analyze_releases: a backfill on a table the set created, by an unindexed WHERE "
          "or by a join, is MS-OPS-04")
{
    migsafe::test::MigrationDir dir;
    dir.write("0001_tasks.sql",
              "CREATE TABLE tasks (id bigint PRIMARY KEY, done boolean, "
              "status text, project_id bigint);\n"
              "CREATE TABLE projects (id bigint PRIMARY KEY, archived boolean);\n");
    dir.write("0002_by_key.sql", "UPDATE tasks SET status = 'x' WHERE id = 42;\n");
    dir.write("0003_unindexed.sql", "UPDATE tasks SET status = 'done' WHERE done;\n");
    dir.write("0004_join.sql", "UPDATE tasks SET status = 'archived' FROM projects\n"
                               "WHERE tasks.project_id = projects.id AND projects.archived;\n");
    const auto set = migsafe::model::load_migration_set(dir.path());
    const auto report = plan::analyze_releases(set, std::nullopt);
    REQUIRE(report.statements.size() == 5);
    // By primary key: the index the set created finds the row.
    CHECK_FALSE(has(report.statements[2], "MS-OPS-04"));
    CHECK(report.statements[2].scans.empty());
    // WHERE done: no index serves it; the table is read and most rows may change.
    CHECK(has(report.statements[3], "MS-OPS-04"));
    CHECK(report.statements[3].scans == std::vector<std::string>{"public.tasks"});
    // FROM projects picks the rows: as many as the join matches.
    CHECK(has(report.statements[4], "MS-OPS-04"));
}

TEST_CASE("plan::analyze_releases: a DEFAULT partition is read when a partition is created, "
          "and makes DETACH CONCURRENTLY impossible")
{
    migsafe::test::MigrationDir dir;
    dir.write("0001_events.sql",
              "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\n"
              "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO "
              "('2025-01-01');\n");
    dir.write("0002_default.sql", "SET lock_timeout = '2s';\n"
                                  "CREATE TABLE events_default PARTITION OF events DEFAULT;\n");
    dir.write("0003_2025.sql", "SET lock_timeout = '2s';\n"
                               "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM "
                               "('2025-01-01') TO ('2026-01-01');\n");
    dir.write("0004_detach.sql", "SET lock_timeout = '2s';\n"
                                 "ALTER TABLE events DETACH PARTITION events_2024;\n");
    const auto set = migsafe::model::load_migration_set(dir.path());
    const auto report = plan::analyze_releases(set, std::nullopt);
    REQUIRE(report.statements.size() == 8);
    // 0002: creating the DEFAULT partition reads nothing.
    CHECK(report.statements[3].scans.empty());
    // 0003: a new range is checked against the rows of the DEFAULT partition.
    CHECK(report.statements[5].scans == std::vector<std::string>{"public.events_default"});
    CHECK(has(report.statements[5], "MS-PART-02"));
    // 0004: CONCURRENTLY is refused beside a DEFAULT partition: a warning, no such fix.
    const auto& detach = report.statements[7];
    REQUIRE(has(detach, "MS-PART-01"));
    CHECK(detach.findings.front().severity == plan::Severity::warning);
    CHECK(detach.findings.front().fix.find("CONCURRENTLY") == std::string::npos);
}

TEST_CASE("plan::analyze_releases: a type change of a referenced key reads the tables whose "
          "foreign keys point at it")
{
    migsafe::test::MigrationDir dir;
    dir.write("0001_projects.sql",
              "CREATE TABLE projects (id serial PRIMARY KEY);\n"
              "CREATE TABLE tasks (id int, project_id integer REFERENCES projects (id));\n"
              "CREATE TABLE notes (id int, project_id integer REFERENCES projects);\n");
    dir.write("0002_bigint.sql",
              "SET lock_timeout = '2s';\nALTER TABLE projects ALTER COLUMN id TYPE bigint;\n");
    const auto set = migsafe::model::load_migration_set(dir.path());
    const auto report = plan::analyze_releases(set, std::nullopt);
    REQUIRE(report.statements.size() == 5);
    const auto& change = report.statements[4];
    // Both foreign keys (one naming the column, one the primary key) are checked again.
    CHECK(change.scans ==
          std::vector<std::string>{"public.tasks", "public.notes", "public.projects"});
    REQUIRE(has(change, "MS-COL-07"));
    CHECK(change.findings.front().message.find(
              "; the foreign keys of public.tasks, public.notes through the column are checked "
              "again, reading them in full") != std::string::npos);
}
