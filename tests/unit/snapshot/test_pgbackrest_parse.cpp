// Reading pgBackRest's output: `info --output=json` and the text of `verify`. The texts are
// what pgBackRest 2.45 printed on a real repository (tests/db/snapshot/test_pgbackrest.cpp
// makes the same findings for real).
#include "snapshot/physical/pgbackrest.hpp"

#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using migsafe::Error;
using migsafe::snapshot::Mismatch;
namespace pgbackrest = migsafe::snapshot::detail::pgbackrest;

// Failures print the mismatches.
template <>
struct doctest::StringMaker<Mismatch> {
    static doctest::String convert(const Mismatch& m)
    {
        return fmt::format("{{{}, {}, {}, {}}}", m.kind, m.file, m.expected, m.actual).c_str();
    }
};

namespace {

// Two stanzas; `main` has a full and an incremental backup and a system id above 2^53
// (a double would read 7716319869419626328 as 7716319869419626496).
constexpr const char* k_info = R"([
{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000004","min":"000000010000000000000001"},
            {"database":{"id":2,"repo-key":1},"id":"15-2","max":"000000010000000000000009","min":"000000010000000000000007"}],
 "backup":[
  {"archive":{"start":"000000010000000000000007","stop":"000000010000000000000007"},
   "backrest":{"format":5,"version":"2.45"},"database":{"id":2,"repo-key":1},"error":false,
   "info":{"delta":22992568,"repository":{"delta":3043469,"size":3043469},"size":22992568},
   "label":"20261206-222841F","lsn":{"start":"0/7000028","stop":"0/7000050"},
   "prior":null,"reference":null,"timestamp":{"start":1796596121,"stop":1796596128},"type":"full"},
  {"archive":{"start":"000000010000000000000009","stop":"000000010000000000000009"},
   "backrest":{"format":5,"version":"2.45"},"database":{"id":2,"repo-key":1},"error":true,
   "info":{"delta":5062922,"repository":{"delta":578466,"size":3460177},"size":26646200},
   "label":"20261206-222841F_20261206-222849I","lsn":{"start":"0/9000028","stop":"0/9000100"},
   "prior":"20261206-222841F","reference":["20261206-222841F"],
   "timestamp":{"start":1796596129,"stop":1796596132},"type":"incr"}],
 "cipher":"none",
 "db":[{"id":1,"repo-key":1,"system-id":6000000000000000001,"version":"14"},
       {"id":2,"repo-key":1,"system-id":7716319869419626328,"version":"15"}],
 "name":"main","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],
 "status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}},
{"archive":[],"backup":[],"cipher":"none","db":[],"name":"other",
 "repo":[{"cipher":"none","key":1,"status":{"code":2,"message":"no valid backups"}}],
 "status":{"code":2,"lock":{"backup":{"held":false}},"message":"no valid backups"}}
])";

std::string info_error(std::string_view text, std::string_view stanza)
{
    try {
        pgbackrest::parse_info(text, stanza);
    } catch (const Error& e) {
        return e.code() + ": " + e.message();
    }
    return "no error";
}

// Lines as `pgbackrest verify --log-level-console=detail` prints them.
constexpr const char* k_begin = "2026-12-06 22:29:15.025 P00   INFO: verify command begin 2.45: "
                                "--config=/tmp/x/pgbackrest.conf "
                                "--log-level-console=detail --stanza=main\n";
constexpr const char* k_end =
    "2026-12-06 22:29:16.006 P00   INFO: verify command end: completed successfully (1007ms)\n";
constexpr const char* k_range = "2026-12-06 22:29:16.005 P00 DETAIL: archiveId: 15-1, wal start: "
                                "000000010000000000000001, wal stop: 000000010000000000000005\n";

constexpr const char* k_full = "20261206-222841F";
constexpr const char* k_incr = "20261206-222841F_20261206-222849I";

const std::string k_checksum_text =
    std::string(k_begin) +
    "2026-12-06 22:29:15.757 P02   INFO: invalid checksum "
    "'20261206-222841F/pg_data/base/5/2602.gz'\n" +
    k_range +
    "2026-12-06 22:29:16.006 P00   INFO: stanza: main\n"
    "                                    status: error\n"
    "                                      backup: 20261206-222841F, status: invalid, total files "
    "checked: 964, total valid files: 963\n"
    "                                        checksum invalid: 1\n"
    "                                      backup: 20261206-222841F_20261206-222849I, status: "
    "invalid, total files checked: 966, total valid files: 965\n"
    "                                        checksum invalid: 1\n" +
    k_end;

} // namespace

TEST_CASE("pgbackrest parse_info reads a stanza's backups and its 64-bit system id exactly")
{
    auto stanza = pgbackrest::parse_info(k_info, "main");
    CHECK(stanza.name == "main");
    CHECK(stanza.status_code == 0);
    CHECK(stanza.status_message == "ok");
    // The archive of the current database (id 2), not of the one before a stanza-upgrade.
    CHECK(stanza.archive_min == "000000010000000000000007");
    CHECK(stanza.archive_max == "000000010000000000000009");
    REQUIRE(stanza.backups.size() == 2);
    const auto& full = stanza.backups[0];
    CHECK(full.label == k_full);
    CHECK(full.type == "full");
    CHECK(full.prior.empty());
    CHECK(full.reference.empty());
    CHECK(full.system_id == "7716319869419626328");
    CHECK(full.pg_version == "15");
    CHECK(full.backrest_version == "2.45");
    CHECK(full.lsn_start == "0/7000028");
    CHECK(full.lsn_stop == "0/7000050");
    CHECK(full.wal_start == "000000010000000000000007");
    CHECK(full.wal_stop == "000000010000000000000007");
    CHECK(full.time_start == 1796596121);
    CHECK(full.time_stop == 1796596128);
    CHECK(full.size == 22992568);
    CHECK(full.repo_size == 3043469);
    CHECK_FALSE(full.error);
    const auto& incr = stanza.backups[1];
    CHECK(incr.label == k_incr);
    CHECK(incr.type == "incr");
    CHECK(incr.prior == k_full);
    CHECK(incr.reference == std::vector<std::string>{k_full});
    CHECK(incr.size == 26646200);
    CHECK(incr.repo_size == 3460177);
    CHECK(incr.error);
}

TEST_CASE("pgbackrest parse_info picks the named stanza of several")
{
    auto other = pgbackrest::parse_info(k_info, "other");
    CHECK(other.name == "other");
    CHECK(other.status_code == 2);
    CHECK(other.status_message == "no valid backups");
    CHECK(other.backups.empty());
    CHECK(other.archive_min.empty());
}

TEST_CASE("pgbackrest parse_info refuses a missing stanza, an absent one and malformed JSON")
{
    // What `pgbackrest info --stanza=nope --output=json` prints for a stanza never created.
    constexpr const char* k_missing =
        R"([{"archive":[],"backup":[],"cipher":"none","db":[],"name":"nope","repo":[{"cipher":)"
        R"("none","key":1,"status":{"code":1,"message":"missing stanza path"}}],"status":{"code")"
        R"(:1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}])";
    CHECK(info_error(k_missing, "nope") ==
          "process-failed: pgbackrest has no stanza nope in its repository: missing stanza path");
    CHECK(info_error(k_info, "absent") ==
          "process-failed: pgbackrest info lists no stanza absent (it lists: main, other)");
    CHECK(info_error("[{\"name\": \"main\", ", "main") ==
          "process-failed: pgbackrest info --output=json for stanza main: the output is not a "
          "JSON array: [{\"name\": \"main\", ");
    CHECK(info_error(R"([{"name":"main","db":[{"id":1,"system-id":1.5e30}]}])", "main") ==
          "process-failed: pgbackrest info --output=json for stanza main: field system-id is not "
          "a non-negative integer: 1.5e+30");
}

TEST_CASE("pgbackrest parse_verify: a valid repository gives no mismatch")
{
    auto text = std::string(k_begin) + k_range + k_end;
    CHECK(pgbackrest::parse_verify(text, k_full).empty());
    CHECK(pgbackrest::parse_verify(text, k_incr).empty());
}

TEST_CASE("pgbackrest parse_verify: an invalid checksum names the file, also for an incremental "
          "backup that references it")
{
    Mismatch expected{.kind = "backup-invalid",
                      .file = "20261206-222841F/pg_data/base/5/2602.gz",
                      .actual = "invalid checksum"};
    CHECK(pgbackrest::parse_verify(k_checksum_text, k_full) == std::vector{expected});
    // pgBackRest verifies the file once, under the full backup's label; the incremental is
    // listed invalid in the summary.
    CHECK(pgbackrest::parse_verify(k_checksum_text, k_incr) == std::vector{expected});
    pgbackrest::Backup incr{.label = k_incr, .reference = {k_full}};
    CHECK(pgbackrest::parse_verify(k_checksum_text, incr) == std::vector{expected});
}

TEST_CASE("pgbackrest parse_verify: a missing file of another backup is ignored")
{
    auto text = std::string(k_begin) +
                "2026-12-06 22:29:32.029 P01   INFO: file missing "
                "'20261206-222841F_20261206-222849I/pg_data/base/5/1247.gz'\n"
                "2026-12-06 22:29:32.136 P00   INFO: stanza: main\n"
                "                                    status: error\n"
                "                                      backup: 20261206-222841F_20261206-222849I, "
                "status: invalid, total files checked: 966, total valid files: 965\n"
                "                                        missing: 1\n" +
                k_end;
    CHECK(pgbackrest::parse_verify(text, k_incr) ==
          std::vector<Mismatch>{{.kind = "backup-invalid",
                                 .file = "20261206-222841F_20261206-222849I/pg_data/base/5/1247.gz",
                                 .actual = "file missing"}});
    CHECK(pgbackrest::parse_verify(text, k_full).empty());
}

TEST_CASE("pgbackrest parse_verify: an error summary that names no file is quoted")
{
    // Both backup.info files gone.
    auto text = std::string(k_begin) +
                "2026-12-06 22:31:31.843 P00   INFO: stanza: main\n"
                "                                    status: error\n"
                "                                      No usable backup.info file\n" +
                k_end;
    CHECK(pgbackrest::parse_verify(text, k_full) ==
          std::vector<Mismatch>{
              {.kind = "backup-invalid",
               .file = k_full,
               .actual = "stanza: main / status: error / No usable backup.info file"}});
    // The summary says this backup is invalid but no file line was printed for it.
    auto summary_only = std::string(k_begin) +
                        "P00   INFO: stanza: main\n"
                        "              status: error\n"
                        "                backup: 20261206-222841F, status: invalid, total files "
                        "checked: 964, total valid files: 963\n"
                        "                  checksum invalid: 1\n" +
                        k_end;
    CHECK(pgbackrest::parse_verify(summary_only, k_full) ==
          std::vector<Mismatch>{{.kind = "backup-invalid",
                                 .file = k_full,
                                 .actual = "backup: 20261206-222841F, status: invalid, total files "
                                           "checked: 964, total valid files: 963 / checksum "
                                           "invalid: 1"}});
}

TEST_CASE("pgbackrest parse_verify: invalid WAL the backup needs, a gap in the archive and a "
          "missing manifest")
{
    pgbackrest::Backup full{.label = k_full,
                            .wal_start = "000000010000000000000002",
                            .wal_stop = "000000010000000000000003"};
    auto wal = std::string(k_begin) +
               "2026-12-06 22:29:48.344 P02   INFO: invalid result "
               "15-1/0000000100000000/000000010000000000000003-e4467efe.gz: [29] raised from "
               "local-2 protocol: zlib threw error: [-3] data error\n"
               "                                    [FormatError] on retry after 0ms\n" +
               k_range +
               "2026-12-06 22:29:48.345 P00   INFO: stanza: main\n"
               "                                    status: error\n"
               "                                      archiveId: 15-1, total WAL checked: 5, "
               "total valid WAL: 4\n"
               "                                        other: 1\n" +
               k_end;
    CHECK(
        pgbackrest::parse_verify(wal, full) ==
        std::vector<Mismatch>{{.kind = "backup-invalid",
                               .file = "15-1/0000000100000000/000000010000000000000003-e4467efe.gz",
                               .actual = "invalid result: [29] raised from local-2 protocol: "
                                         "zlib threw error: [-3] data error"}});
    // WAL before the backup's start is not needed by it.
    pgbackrest::Backup later{.label = k_incr,
                             .wal_start = "000000010000000000000005",
                             .wal_stop = "000000010000000000000005"};
    CHECK(pgbackrest::parse_verify(wal, later).empty());

    // Segment 3 deleted: pgBackRest says ok and prints two ranges.
    auto gap = std::string(k_begin) +
               "P00 DETAIL: archiveId: 15-1, wal start: 000000010000000000000001, wal stop: "
               "000000010000000000000002\n"
               "P00 DETAIL: archiveId: 15-1, wal start: 000000010000000000000004, wal stop: "
               "000000010000000000000005\n" +
               k_end;
    CHECK(pgbackrest::parse_verify(gap, full) ==
          std::vector<Mismatch>{
              {.kind = "backup-invalid",
               .file = "15-1",
               .expected = "WAL 000000010000000000000002 to 000000010000000000000003",
               .actual = "missing from the archive, which holds "
                         "000000010000000000000001-000000010000000000000002, "
                         "000000010000000000000004-000000010000000000000005"}});
    CHECK(pgbackrest::parse_verify(gap, later).empty());
    // The first backup needs WAL 1 only, but recovery from it to the end of the archive
    // would stop at the gap.
    pgbackrest::Backup first{.label = "20261206-220000F",
                             .wal_start = "000000010000000000000001",
                             .wal_stop = "000000010000000000000001"};
    CHECK(pgbackrest::parse_verify(gap, first) ==
          std::vector<Mismatch>{{.kind = "backup-invalid",
                                 .file = "15-1",
                                 .expected = "WAL from 000000010000000000000001 on without a gap",
                                 .actual = "WAL after 000000010000000000000002 is missing up to "
                                           "000000010000000000000004: recovery from this backup "
                                           "stops at 000000010000000000000002"}});
    // A new timeline is a new range, not a gap.
    auto promoted = std::string(k_begin) +
                    "P00 DETAIL: archiveId: 15-1, wal start: 000000010000000000000001, wal stop: "
                    "000000010000000000000005\n"
                    "P00 DETAIL: archiveId: 15-1, wal start: 000000020000000000000005, wal stop: "
                    "000000020000000000000007\n" +
                    k_end;
    CHECK(pgbackrest::parse_verify(promoted, first).empty());

    auto manifest = std::string(k_begin) +
                    "P00 DETAIL: manifest missing for '20261206-222841F_20261206-222849I' - "
                    "backup may have expired\n" +
                    k_range + k_end;
    CHECK(pgbackrest::parse_verify(manifest, k_incr) ==
          std::vector<Mismatch>{{.kind = "backup-invalid",
                                 .file = "20261206-222841F_20261206-222849I/backup.manifest",
                                 .actual = "manifest missing"}});
    CHECK(pgbackrest::parse_verify(manifest, k_full).empty());
}

TEST_CASE("pgbackrest: no stanza, or a target with both a time and an LSN, is a usage error "
          "before anything runs")
{
    migsafe::snapshot::PgBackRestSettings settings{.program = "/nonexistent/bin/pgbackrest"};
    try {
        pgbackrest::info(settings);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.message() == "no pgBackRest stanza is set");
    }
    settings.stanza = "main";
    try {
        pgbackrest::restore(settings, "20261206-222841F", "/nonexistent/data",
                            {.time = "2026-12-06 10:15:00+00", .lsn = "0/3000060"});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.message() == "a recovery target has both a time (2026-12-06 10:15:00+00) and an "
                             "LSN (0/3000060)");
    }
}
