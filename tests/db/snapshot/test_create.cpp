// snapshot::create, list, restore and prune with real pg_dump and pg_restore.
#include "db/snapshot/snapshot_fixtures.hpp"
#include "snapshot/layout.hpp"
#include "support/scoped_env.hpp"

#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/prune.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

using namespace migsafe::snapshot;
using migsafe::Error;
using migsafe::test::ScopedEnv;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::EmptyDatabase;
using migsafe::test::snapshot::entries;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;

namespace {

unsigned mode_of(const std::filesystem::path& path)
{
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777U;
}

} // namespace

TEST_CASE("snapshot::create then restore gives a database with an equal integrity report")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session);
    TempDir dir;
    auto store = dir.path() / "store";

    auto created = create(source.conninfo(), store, {.jobs = 2});
    CHECK_FALSE(created.reused);
    const auto& manifest = created.manifest;
    CHECK(created.path == store / manifest.id);
    CHECK(manifest.source.database == source.name());
    CHECK(manifest.source.server_version.starts_with("1"));
    CHECK_FALSE(manifest.source.system_identifier.empty());
    CHECK(manifest.pg_dump_version.starts_with("pg_dump (PostgreSQL)"));
    CHECK(manifest.files.size() >= 5); // toc.dat and one file per table with data
    CHECK(manifest.files.front().name.ends_with(".dat"));
    CHECK(manifest.integrity.find_table("public.items")->checksum.rows == 3000);
    CHECK(manifest.integrity.find_table("public.events")->checksum.rows == 400);
    CHECK(manifest.total_stored_size() < manifest.total_size());
    CHECK(Manifest::from_json(manifest.to_json()) == manifest);
    // Private to the owner.
    CHECK(mode_of(store) == 0700);
    CHECK(mode_of(created.path) == 0700);
    CHECK(mode_of(created.path / "manifest.json") == 0600);
    CHECK(mode_of(created.path / manifest.files.front().stored_name) == 0600);
    CHECK(entries(store) == std::vector<std::string>{manifest.id});
    CHECK(entries(created.path) ==
          std::vector<std::string>{"data", "manifest.copy.json", "manifest.json"});

    auto report = verify(store, "latest", {.level = 2});
    CHECK(report.mismatches.empty());
    CHECK(report.level_reached == 2);
    CHECK(report.passed());

    EmptyDatabase target;
    auto restored = restore(store, manifest.id, target.conninfo(), {.jobs = 2});
    CHECK(restored.id == manifest.id);
    auto after = migsafe::integrity::scan(target.conninfo());
    CHECK(migsafe::integrity::diff(manifest.integrity, after).empty());

    auto listed = list(store);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].id == manifest.id);
    CHECK(listed[0].verified_level == 2);
    CHECK(listed[0].size == manifest.total_size());
    CHECK(listed[0].age < std::chrono::minutes(10));
    CHECK_FALSE(listed[0].last_drill);
    auto json = nlohmann::json::parse(list_to_json(listed));
    CHECK(json[0]["id"] == manifest.id);
    CHECK(json[0]["verified_level"] == 2);
    CHECK(json[0]["last_drill"].is_null());
}

TEST_CASE("snapshot::restore refuses a non-empty target unless clean")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 100);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    EmptyDatabase target;
    restore(dir.path(), "latest", target.conninfo());
    try {
        restore(dir.path(), "latest", target.conninfo());
        FAIL("expected restore-target-not-empty");
    } catch (const Error& e) {
        CHECK(e.code() == "restore-target-not-empty");
        CHECK(e.message().starts_with("restore target "));
        CHECK(e.message().find("is not empty (") != std::string::npos);
        CHECK(e.hint() == "restore into an empty database, or pass --clean to replace the "
                          "snapshot's objects");
    }
    restore(dir.path(), "latest", target.conninfo(), {.clean = Clean::yes});
    auto after = migsafe::integrity::scan(target.conninfo());
    CHECK(migsafe::integrity::diff(created.manifest.integrity, after).empty());
}

TEST_CASE("snapshot::create with if_older_than reuses a fresh verified snapshot")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 50);
    TempDir dir;
    std::vector<CreateProgress> seen;
    auto first = create(source.conninfo(), dir.path(),
                        {.progress = [&seen](const CreateProgress& p) { seen.push_back(p); }});
    REQUIRE(seen.size() >= 2);
    CHECK(seen.front().step == "dump");
    CHECK(seen.back().step == "compress");
    CHECK(seen.back().bytes_done == seen.back().bytes_total);
    CHECK(seen.back().bytes_done == first.manifest.total_size());
    auto second = create(source.conninfo(), dir.path(), {.if_older_than = std::chrono::hours(24)});
    CHECK(second.reused);
    CHECK(second.manifest.id == first.manifest.id);
    auto third = create(source.conninfo(), dir.path());
    CHECK_FALSE(third.reused);
    CHECK(list(dir.path()).size() == 2);
}

TEST_CASE("snapshot::create without pg_dump is binary-not-found (exit 3) and stores nothing")
{
    TestDatabase source;
    TempDir dir;
    TempDir empty_bin;
    ScopedEnv bindir("MIGSAFE_PG_BINDIR", empty_bin.path().string());
    try {
        create(source.conninfo(), dir.path() / "store");
        FAIL("expected binary-not-found");
    } catch (const Error& e) {
        CHECK(e.code() == "binary-not-found");
        CHECK(migsafe::exit_code_for(e.category()) == 3);
        CHECK(e.message() ==
              "pg_dump was not found in MIGSAFE_PG_BINDIR (" + empty_bin.path().string() + ")");
        CHECK(e.hint() == "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR");
    }
    CHECK(list(dir.path() / "store").empty());
}

TEST_CASE("snapshot::create whose pg_dump is killed leaves no complete snapshot")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 20000);
    TempDir dir;
    try {
        create(source.conninfo(), dir.path(), {.dump_timeout = std::chrono::milliseconds(1)});
        FAIL("expected process-timeout");
    } catch (const Error& e) {
        CHECK(e.code() == "process-timeout");
        CHECK(e.message().starts_with("pg_dump was killed after "));
    }
    CHECK(list(dir.path()).empty());
    CHECK(entries(dir.path()).empty()); // the partial folder is gone
}

TEST_CASE("snapshot::create on a full disk fails cleanly and lists nothing")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 20000);
    TempDir dir;
    auto conninfo = source.conninfo();
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The child and the pg_dump it starts may write at most 256 kB per file; an ignored
        // SIGXFSZ (inherited through exec) turns the overflow into EFBIG write errors.
        ::close(pipe_fds[0]);
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{256 * 1024, 256 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        std::string outcome = "created";
        try {
            create(conninfo, dir.path());
        } catch (const Error& e) {
            outcome = e.code() + "\n" + e.message();
        } catch (const std::exception& e) {
            outcome = std::string("other\n") + e.what();
        }
        auto written = ::write(pipe_fds[1], outcome.data(), outcome.size());
        ::_exit(written > 0 ? 0 : 1);
    }
    ::close(pipe_fds[1]);
    std::string outcome;
    char buffer[4096];
    for (ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer); n > 0;
         n = ::read(pipe_fds[0], buffer, sizeof buffer)) {
        outcome.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    INFO(outcome);
    CHECK(outcome.starts_with("process-failed\npg_dump exited with status 1"));
    CHECK(outcome.find("File too large") != std::string::npos);
    CHECK(list(dir.path()).empty());
    CHECK(entries(dir.path()).empty());
}

TEST_CASE("snapshot::prune keeps the newest verified snapshot")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 10);
    TempDir dir;
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(create(source.conninfo(), dir.path()).manifest.id);
    }
    verify(dir.path(), ids[0]); // only the oldest is verified
    auto dry = prune(dir.path(), {.keep = 1, .dry_run = DryRun::yes});
    CHECK(dry.removed == std::vector<std::string>{ids[1]});
    CHECK(dry.kept == std::vector<std::string>{ids[0], ids[2]});
    CHECK(list(dir.path()).size() == 3);
    auto done = prune(dir.path(), {.keep = 1});
    CHECK(done.removed == dry.removed);
    CHECK(list(dir.path()).size() == 2);
    auto by_age = prune(dir.path(), {.max_age = std::chrono::milliseconds(1)});
    CHECK(by_age.kept == std::vector<std::string>{ids[0]});
    CHECK(list(dir.path()).size() == 1);
    CHECK(by_age.to_json(-1) ==
          "{\"abandoned\":[],\"kept\":[\"" + ids[0] + "\"],\"removed\":[\"" + ids[2] + "\"]}");
}

TEST_CASE("snapshot::prune removes what killed runs left, never a create still running")
{
    TestDatabase source;
    TempDir dir;
    auto id = create(source.conninfo(), dir.path()).manifest.id;
    CHECK_FALSE(std::filesystem::exists(dir.path() / id / ".owner"));
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    auto unfinished = [&](const std::string& name, long pid) {
        std::filesystem::create_directories(dir.path() / name / "data");
        std::ofstream(dir.path() / name / "data" / "3001.dat") << "partial";
        std::ofstream(dir.path() / name / ".owner") << host << " " << pid << "\n";
    };
    pid_t dead = fork();
    if (dead == 0) {
        _exit(0);
    }
    waitpid(dead, nullptr, 0); // a pid that no longer runs: a SIGKILLed create
    unfinished(".tmp-killed", dead);
    unfinished(".tmp-running", getpid());
    std::filesystem::create_directories(dir.path() / ".trash-interrupted");

    auto dry = prune(dir.path(), {.keep = 1, .dry_run = DryRun::yes});
    CHECK(dry.abandoned == std::vector<std::string>{".tmp-killed", ".trash-interrupted"});
    CHECK(std::filesystem::exists(dir.path() / ".tmp-killed"));
    auto done = prune(dir.path(), {.keep = 1});
    CHECK(done.abandoned == dry.abandoned);
    CHECK_FALSE(std::filesystem::exists(dir.path() / ".tmp-killed"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / ".trash-interrupted"));
    CHECK(std::filesystem::exists(dir.path() / ".tmp-running"));
    CHECK(done.kept == std::vector<std::string>{id});
}

TEST_CASE("snapshot::prune judges a folder killed before its owner file by its name")
{
    // A create SIGKILLed between making its folder and writing `.owner` (or after removing
    // it, before the final rename) leaves no owner file; the folder's name says who made it.
    TempDir dir;
    pid_t dead = fork();
    if (dead == 0) {
        _exit(0);
    }
    waitpid(dead, nullptr, 0);
    const std::string mine = migsafe::snapshot::detail::temp_name("20260101T000000.000Z-aaaa");
    const std::string own_pid = "." + std::to_string(getpid()) + ".";
    std::string killed = migsafe::snapshot::detail::temp_name("20260101T000001.000Z-bbbb");
    killed.replace(killed.find(own_pid), own_pid.size(), "." + std::to_string(dead) + ".");
    std::filesystem::create_directories(dir.path() / mine);
    std::filesystem::create_directories(dir.path() / killed);
    auto done = prune(dir.path(), {.keep = 1});
    CHECK(done.abandoned == std::vector<std::string>{killed});
    CHECK_FALSE(std::filesystem::exists(dir.path() / killed));
    CHECK(std::filesystem::exists(dir.path() / mine)); // this process is alive
}

TEST_CASE("snapshot::resolve_id names a missing snapshot with a did-you-mean hint")
{
    TestDatabase source;
    TempDir dir;
    auto id = create(source.conninfo(), dir.path()).manifest.id;
    auto typo = id.substr(0, id.size() - 1) + (id.back() == '0' ? "1" : "0");
    try {
        resolve_id(dir.path(), typo);
        FAIL("expected snapshot-not-found");
    } catch (const Error& e) {
        CHECK(e.code() == "snapshot-not-found");
        CHECK(e.message() == "snapshot " + typo + " is not in store " + dir.path().string());
        CHECK(e.hint().starts_with("did you mean `" + id + "`?"));
    }
    try {
        list(dir.path() / "nope");
        FAIL("expected store-invalid");
    } catch (const Error& e) {
        CHECK(e.code() == "store-invalid");
    }
}

TEST_CASE("snapshot::restore of a damaged snapshot is snapshot-corrupt and restores nothing")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 200);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    const auto& file = created.manifest.files.back();
    auto path = created.path / file.stored_name;
    std::filesystem::resize_file(path, file.stored_size - 1);
    EmptyDatabase target;
    try {
        restore(dir.path(), "latest", target.conninfo());
        FAIL("expected snapshot-corrupt");
    } catch (const Error& e) {
        CHECK(e.code() == "snapshot-corrupt");
        CHECK(e.message().starts_with("snapshot " + created.manifest.id + ": " + file.stored_name +
                                      " hash "));
        CHECK(e.message().find(", expected " + file.stored_hash.to_hex()) != std::string::npos);
        CHECK(e.context().file == path.string());
    }
    auto check = migsafe::platform::Session::connect(target.conninfo());
    CHECK(check.query_value("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                            "c.relnamespace WHERE n.nspname = 'public'") == "0");
}

TEST_CASE("snapshot::restore whose pg_restore fails part-way is restore-failed (exit 5)")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 20);
    TempDir dir;
    create(source.conninfo(), dir.path());
    EmptyDatabase target;
    // --clean must drop `notes`, but a view the archive does not know depends on it.
    migsafe::platform::Session::connect(target.conninfo())
        .exec("CREATE TABLE notes (id bigint); CREATE VIEW keeps_notes AS SELECT * FROM notes");
    try {
        restore(dir.path(), "latest", target.conninfo(), {.clean = Clean::yes});
        FAIL("expected restore-failed");
    } catch (const Error& e) {
        CHECK(e.code() == "restore-failed");
        CHECK(migsafe::exit_code_for(e.category()) == 5);
        CHECK(e.message().find("pg_restore exited with status 1") != std::string::npos);
        CHECK(e.message().find("depend") != std::string::npos);
        CHECK(e.hint() == "read pg_restore's message, then restore again with --clean or into "
                          "an empty database");
    }
}

TEST_CASE("snapshot::list skips unfinished folders and flags unreadable manifests")
{
    TestDatabase source;
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    std::filesystem::create_directory(dir.path() / ".tmp-20000101T000000.000Z-00000000");
    auto broken = dir.path() / "20000101T000000.000Z-deadbeef";
    std::filesystem::copy(created.path, broken, std::filesystem::copy_options::recursive);
    for (const char* name : {"manifest.json", "manifest.copy.json"}) {
        std::filesystem::resize_file(broken / name, 10);
    }
    auto listed = list(dir.path());
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == "20000101T000000.000Z-deadbeef");
    CHECK_FALSE(listed[0].readable);
    CHECK(listed[1].id == created.manifest.id);
    CHECK(listed[1].readable);
    try {
        read_manifest(dir.path(), listed[0].id);
        FAIL("expected snapshot-corrupt");
    } catch (const Error& e) {
        CHECK(e.code() == "snapshot-corrupt");
        CHECK(e.message().starts_with("snapshot 20000101T000000.000Z-deadbeef has no intact "
                                      "manifest (manifest.json: manifest is not valid JSON"));
    }
}

TEST_CASE("snapshot::create rejects bad options and unusable stores before dumping")
{
    TestDatabase source;
    TempDir dir;
    auto file = dir.path() / "a-file";
    std::ofstream(file) << "x";
    auto code_of = [&](const std::filesystem::path& store, const CreateOptions& options) {
        try {
            create(source.conninfo(), store, options);
        } catch (const Error& e) {
            return e.code() + ": " + e.message();
        }
        return std::string("created");
    };
    CHECK(code_of(dir.path(), {.jobs = 0}) ==
          "usage-invalid-option: --jobs must be at least 1, got 0");
    CHECK(code_of(dir.path(), {.compression_level = 20}) ==
          "usage-invalid-option: compression level must be 1 to 19, got 20");
    CHECK(code_of(file, {}) ==
          "store-invalid: snapshot store " + file.string() + " is not a folder");
    CHECK(code_of(file / "store", {}) ==
          "io-write-failed: cannot write " + (file / "store").string() + ": Not a directory");
    CHECK(entries(dir.path()) == std::vector<std::string>{"a-file"});
}
