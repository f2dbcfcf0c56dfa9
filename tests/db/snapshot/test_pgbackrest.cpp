// Driving real pgBackRest (2.45) on a stanza of an ephemeral cluster: backup, info, verify
// and restore (snapshot/physical/pgbackrest.hpp). The restored server is not started here:
// the physical drill's tests do that.
#include "snapshot/physical/pgbackrest.hpp"
#include "support/pgbackrest_stanza.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/platform/session.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <fstream>

using migsafe::Error;
using migsafe::snapshot::Mismatch;
using migsafe::snapshot::RecoveryTarget;
using migsafe::test::PgBackRestStanza;
namespace pgbackrest = migsafe::snapshot::detail::pgbackrest;
namespace platform = migsafe::platform;

// Failures print the mismatches.
template <>
struct doctest::StringMaker<Mismatch> {
    static doctest::String convert(const Mismatch& m)
    {
        return fmt::format("{{{}, {}, {}, {}}}", m.kind, m.file, m.expected, m.actual).c_str();
    }
};

namespace {

std::string query_text(const PgBackRestStanza& stanza, const std::string& sql)
{
    auto session = platform::Session::connect(
        const_cast<PgBackRestStanza&>(stanza).cluster().conninfo("postgres"));
    return session.query_value(sql).value_or("");
}

void exec(PgBackRestStanza& stanza, const std::string& sql)
{
    auto session = platform::Session::connect(stanza.cluster().conninfo("postgres"));
    session.exec(sql);
}

template <typename F>
std::string error_of(F&& call)
{
    try {
        call();
    } catch (const Error& e) {
        return e.code() + ": " + e.message();
    }
    return "no error";
}

long long ms_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

} // namespace

TEST_CASE("pgbackrest: a full then an incremental backup, listed by info, valid for verify, "
          "restored with recovery settings")
{
    migsafe::test::require_local_postgres();
    if (!PgBackRestStanza::available()) {
        return;
    }
    PgBackRestStanza stanza;
    auto settings = stanza.settings();
    auto system_id = query_text(stanza, "SELECT system_identifier::text FROM pg_control_system()");
    REQUIRE(system_id.size() > 15);

    settings.backup_type = "full";
    auto start = std::chrono::steady_clock::now();
    auto full = pgbackrest::backup(settings);
    MESSAGE("pgbackrest full backup of the fixture's cluster: " << ms_since(start) << " ms");
    CHECK(full.type == "full");
    CHECK(full.label.ends_with("F"));
    CHECK(full.prior.empty());
    CHECK(full.system_id == system_id);
    CHECK(full.pg_version == std::to_string(stanza.cluster().major_version()));
    CHECK(full.backrest_version == pgbackrest::version(settings));
    CHECK_FALSE(full.lsn_start.empty());
    CHECK_FALSE(full.lsn_stop.empty());
    CHECK(full.wal_start.size() == 24);
    CHECK(full.wal_stop.size() == 24);
    CHECK(full.time_start > 0);
    CHECK(full.time_stop >= full.time_start);
    CHECK(full.size > 0);
    CHECK(full.repo_size > 0);
    CHECK_FALSE(full.error);

    exec(stanza, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 50000) AS g");
    settings.backup_type = "incr";
    start = std::chrono::steady_clock::now();
    auto incr = pgbackrest::backup(settings);
    MESSAGE("pgbackrest incremental backup: " << ms_since(start) << " ms");
    CHECK(incr.type == "incr");
    CHECK(incr.label.starts_with(full.label + "_"));
    CHECK(incr.prior == full.label);
    CHECK(incr.reference == std::vector<std::string>{full.label});
    CHECK(incr.system_id == system_id);
    CHECK(incr.wal_start > full.wal_stop);
    CHECK(incr.lsn_start != full.lsn_start);

    auto info = pgbackrest::info(settings);
    CHECK(info.name == "main");
    CHECK(info.status_code == 0);
    CHECK(info.status_message == "ok");
    REQUIRE(info.backups.size() == 2);
    CHECK(info.backups[0].label == full.label);
    CHECK(info.backups[1].label == incr.label);
    CHECK(info.archive_min <= full.wal_start);
    CHECK(info.archive_max >= incr.wal_stop);

    start = std::chrono::steady_clock::now();
    CHECK(pgbackrest::verify(settings, incr.label).empty());
    MESSAGE("pgbackrest verify of the repository: " << ms_since(start) << " ms");
    CHECK(pgbackrest::verify(settings, full.label).empty());

    // Restores: the settings pgBackRest writes into postgresql.auto.conf, per target.
    auto target_time = query_text(
        stanza, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'");
    struct Case {
        std::string name;
        RecoveryTarget target;
        std::vector<std::string> lines;
    };
    std::vector<Case> cases{
        {"time",
         {.time = target_time},
         {fmt::format("recovery_target_time = '{}'", target_time),
          "recovery_target_action = 'promote'"}},
        {"lsn",
         {.lsn = incr.lsn_stop},
         {fmt::format("recovery_target_lsn = '{}'", incr.lsn_stop),
          "recovery_target_action = 'promote'"}},
        {"latest", {}, {}},
    };
    auto program = platform::find_in_path("pgbackrest").value_or("").string();
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto data_dir = stanza.new_directory("restore-" + c.name);
        start = std::chrono::steady_clock::now();
        pgbackrest::restore(settings, incr.label, data_dir, c.target);
        MESSAGE("pgbackrest restore (" << c.name << "): " << ms_since(start) << " ms");
        auto conf = stanza.run_as_owner("cat", {(data_dir / "postgresql.auto.conf").string()});
        CAPTURE(conf);
        // --archive-mode=off: the restored server must never archive into the repository.
        CHECK(conf.find("archive_mode = 'off'") != std::string::npos);
        // pgBackRest names itself by the path it was run from (run_process resolves PATH).
        CHECK(conf.find(fmt::format("restore_command = '{} --config={} --pg1-path={} "
                                    "--stanza=main archive-get %f \"%p\"'",
                                    program, stanza.config_file().string(), data_dir.string())) !=
              std::string::npos);
        for (const auto& line : c.lines) {
            CHECK(conf.find(line) != std::string::npos);
        }
        if (c.target.latest()) {
            CHECK(conf.find("recovery_target") == std::string::npos);
        }
        CHECK_NOTHROW(stanza.run_as_owner("test", {"-f", (data_dir / "recovery.signal").string()}));
        CHECK_NOTHROW(stanza.run_as_owner("test", {"-f", (data_dir / "PG_VERSION").string()}));
    }

    // pgBackRest's own errors, quoted: an unknown backup type, a stanza never created.
    auto bogus = settings;
    bogus.backup_type = "bogus";
    CHECK(error_of([&] { pgbackrest::backup(bogus); }) ==
          "process-failed: pgbackrest backup for stanza main exited with status 32: ERROR: [032]: "
          "'bogus' is not allowed for 'type' option");
    auto nope = settings;
    nope.stanza = "nope";
    CHECK(error_of([&] { pgbackrest::info(nope); }) ==
          "process-failed: pgbackrest has no stanza nope in its repository: missing stanza path");
    auto hasty = settings;
    hasty.timeout = std::chrono::milliseconds(1);
    CHECK(
        error_of([&] { pgbackrest::verify(hasty, full.label); }).starts_with("process-timeout: "));

    // A WAL segment between the two backups deleted: the incremental backup is still whole,
    // but recovery from the full one would stop before it (pgBackRest 2.45 says ok).
    auto listing = stanza.run_as_owner(
        "find", {(stanza.repository() / "archive" / "main").string(), "-name", "0*.gz"});
    std::string between;
    for (std::size_t pos = 0; pos < listing.size();) {
        auto end = listing.find('\n', pos);
        auto name = std::filesystem::path(listing.substr(pos, end - pos)).filename().string();
        pos = end == std::string::npos ? listing.size() : end + 1;
        if (name.substr(0, 24) > full.wal_stop && name.substr(0, 24) < incr.wal_start) {
            between = name.substr(0, 24);
        }
    }
    REQUIRE_FALSE(between.empty());
    stanza.run_as_owner("find", {(stanza.repository() / "archive" / "main").string(), "-name",
                                 between + "-*", "-delete"});
    auto gap = pgbackrest::verify(settings, full.label);
    REQUIRE(gap.size() == 1);
    CHECK(gap[0].expected == fmt::format("WAL from {} on without a gap", full.wal_stop));
    CHECK(gap[0].actual.starts_with(fmt::format("WAL after {} is missing up to ", full.wal_stop)));
    CHECK(pgbackrest::verify(settings, incr.label).empty());

    // A second restore into a folder that is no longer empty: pgBackRest's error, quoted.
    auto used = stanza.folder() / "restore-latest";
    try {
        pgbackrest::restore(settings, incr.label, used, {});
        FAIL("restore into a non-empty folder did not throw");
    } catch (const Error& e) {
        CHECK(e.code() == "process-failed");
        CHECK(e.message() ==
              fmt::format("pgbackrest restore for stanza main exited with status 40: ERROR: "
                          "[040]: unable to restore to path '{}' because it contains files / "
                          "HINT: try using --delta if this is what you intended.",
                          used.string()));
    }
}

TEST_CASE("pgbackrest verify: a corrupted repository file is a backup-invalid mismatch naming "
          "it, an unknown label is backup-missing")
{
    migsafe::test::require_local_postgres();
    if (!PgBackRestStanza::available()) {
        return;
    }
    PgBackRestStanza stanza;
    auto settings = stanza.settings();
    exec(stanza, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS h "
                 "FROM generate_series(1, 50000) AS g");
    auto relation = query_text(stanza, "SELECT pg_relation_filepath('t')");
    REQUIRE(relation.starts_with("base/"));
    auto backup = pgbackrest::backup(settings);
    REQUIRE(backup.type == "full");
    // An incremental backup that leaves t's file in the full backup (t did not change).
    exec(stanza, "CREATE TABLE u AS SELECT 1 AS id");
    auto incr = pgbackrest::backup(settings);
    REQUIRE(incr.type == "incr");

    auto missing = pgbackrest::verify(settings, "20000101-000000F");
    CHECK(missing == std::vector<Mismatch>{{.kind = "backup-missing",
                                            .file = "20000101-000000F",
                                            .expected = "a backup 20000101-000000F in stanza main",
                                            .actual = fmt::format("the repository has {}, {}",
                                                                  backup.label, incr.label)}});

    // Overwrite 16 bytes inside the table's compressed copy in the repository.
    auto relative = fmt::format("{}/pg_data/{}.gz", backup.label, relation);
    auto file = stanza.repository() / "backup" / "main" / relative;
    auto garbage =
        stanza.folder().parent_path() / fmt::format("migsafe-pgbackrest-garbage-{}", ::getpid());
    std::ofstream(garbage) << "XXXXXXXXXXXXXXXX";
    stanza.run_as_owner("dd", {"if=" + garbage.string(), "of=" + file.string(), "bs=1", "seek=200",
                               "conv=notrunc"});
    std::filesystem::remove(garbage);

    auto start = std::chrono::steady_clock::now();
    auto found = pgbackrest::verify(settings, backup.label);
    MESSAGE("pgbackrest verify of a corrupted repository: " << ms_since(start) << " ms");
    REQUIRE(found.size() == 1);
    CHECK(found[0].kind == "backup-invalid");
    CHECK(found[0].file == relative);
    // A checksum mismatch, or a zlib error when the bytes break the deflate stream.
    CHECK((found[0].actual == "invalid checksum" || found[0].actual.starts_with("invalid result")));
    // pgBackRest names the file under the full backup's label only; the incremental backup
    // that references it is invalid too.
    CHECK(pgbackrest::verify(settings, incr.label) == found);

    // A WAL segment the full backup needs, deleted: pgBackRest 2.45 calls that ok and only
    // prints the archive's ranges (at detail level), which show the gap.
    stanza.run_as_owner("find", {(stanza.repository() / "archive" / "main").string(), "-name",
                                 backup.wal_stop + "-*", "-delete"});
    auto gap = pgbackrest::verify(settings, backup.label);
    REQUIRE(gap.size() == 2);
    CHECK(gap[1].kind == "backup-invalid");
    CHECK(gap[1].expected == fmt::format("WAL {} to {}", backup.wal_start, backup.wal_stop));
    CHECK(gap[1].actual.starts_with("missing from the archive, which holds "));
    CHECK(pgbackrest::verify(settings, incr.label) == found);
}

TEST_CASE("pgbackrest: a missing program is binary-not-found (exit 3) with the apt-get hint")
{
    auto settings = migsafe::snapshot::PgBackRestSettings{.stanza = "main",
                                                          .program = "/nonexistent/bin/pgbackrest"};
    for (int command = 0; command < 3; ++command) {
        CAPTURE(command);
        try {
            if (command == 0) {
                pgbackrest::version(settings);
            } else if (command == 1) {
                pgbackrest::info(settings);
            } else {
                pgbackrest::backup(settings);
            }
            FAIL("no error");
        } catch (const Error& e) {
            CHECK(e.code() == "binary-not-found");
            CHECK(e.message() ==
                  "program /nonexistent/bin/pgbackrest does not exist or is not executable");
            CHECK(e.hint().find("apt-get install pgbackrest") != std::string::npos);
            CHECK(migsafe::exit_code_for(e.category()) == 3);
        }
    }
}
