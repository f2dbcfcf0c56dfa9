// workflow::check, the pre-deploy gate, on a real server: each item passes, warns or fails
// for the reason it names, and the gate fails only on a failed item.
#include "support/cut_over_flag.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/check.hpp>
#include <migsafe/workflow/drill.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <stdlib.h>

using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe::workflow;

namespace {

const CheckItem& item(const CheckReport& report, const std::string& name)
{
    for (const auto& i : report.items) {
        if (i.name == name) {
            return i;
        }
    }
    FAIL("no item " << name);
    return report.items.front();
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

/// A temporary folder for a snapshot store, removed after.
struct TempStore {
    std::filesystem::path path;
    TempStore()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "migsafe-check-store-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempStore() { std::filesystem::remove_all(path); }
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;
};

} // namespace

TEST_CASE("check: a fresh database and the podiatry set pass; snapshot and drill warn "
          "without a store")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("podiatry");
    migsafe::test::turn_on_flag(db); // 0012 requires it a week: judged a week later
    auto report = check(db.conninfo(), dir.path(), {.now = migsafe::test::after_a_week()});
    CHECK(report.passed());
    CHECK(report.database == db.name());
    REQUIRE(report.items.size() == 7);
    CHECK(item(report, "migrations").status == CheckStatus::pass);
    CHECK(item(report, "apply").status == CheckStatus::pass);
    CHECK(item(report, "apply").summary.find("0001, 0002") != std::string::npos);
    // Planned as one release, as apply runs them: tables created earlier are new.
    CHECK(item(report, "plan").status != CheckStatus::fail);
    CHECK(item(report, "snapshot").status == CheckStatus::warn);
    CHECK(item(report, "drill").status == CheckStatus::warn);
    CHECK(item(report, "runner").status == CheckStatus::pass);
    CHECK(item(report, "database").status == CheckStatus::pass);
    const auto json = nlohmann::json::parse(report.to_json());
    CHECK(json["verdict"] == "pass");
    CHECK(json["items"].size() == 7);
}

TEST_CASE("check: risky pending migrations need a fresh snapshot, then a drill")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("podiatry");
    ApplyOptions first;
    first.to = 4;
    first.snapshot = SnapshotPolicy::skip;
    apply(db.conninfo(), migsafe::model::load_migration_set(dir.path()), first);
    TempStore store;
    const CheckOptions options{.store = store.path};

    auto before = check(db.conninfo(), dir.path(), options);
    CHECK_FALSE(before.passed());
    CHECK(item(before, "apply").status == CheckStatus::fail);
    CHECK(joined(item(before, "apply").details).find("needs a verified snapshot") !=
          std::string::npos);
    CHECK(item(before, "plan").status == CheckStatus::fail);
    CHECK(joined(item(before, "plan").details)
              .find("0007_index_reviews_professional.sql:3: MS-IDX-01") != std::string::npos);
    CHECK(item(before, "snapshot").status == CheckStatus::fail);
    CHECK(item(before, "drill").status == CheckStatus::warn);

    const auto created = migsafe::snapshot::create(db.conninfo(), store.path);
    auto snapped = check(db.conninfo(), dir.path(), options);
    CHECK(item(snapped, "apply").status == CheckStatus::pass);
    CHECK(item(snapped, "snapshot").status == CheckStatus::pass);
    CHECK(item(snapped, "snapshot").summary.find(created.manifest.id) != std::string::npos);
    CHECK(item(snapped, "drill").status == CheckStatus::warn);
    CHECK(item(snapped, "drill").summary.find("was ever restored") != std::string::npos);

    drill(store.path, "latest", {.cluster = migsafe::test::cluster_options()});
    auto drilled = check(db.conninfo(), dir.path(), options);
    CHECK(item(drilled, "drill").status == CheckStatus::pass);
    CHECK(item(drilled, "drill").summary.find(created.manifest.id) != std::string::npos);
    // A drill older than the limit is a warning.
    auto stale = check(db.conninfo(), dir.path(),
                       {.store = store.path, .max_drill_age = std::chrono::milliseconds(1)});
    CHECK(item(stale, "drill").status == CheckStatus::warn);
}

TEST_CASE("check: a broken set, an edited applied file and a running apply fail their items")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\n");
    dir.write("0002_u.sql", "CREATE TABLE u (id int);\n");
    dir.seal();
    ApplyOptions options;
    options.snapshot = SnapshotPolicy::skip;
    options.to = 1;
    apply(db.conninfo(), migsafe::model::load_migration_set(dir.path()), options);

    SUBCASE("the sum file disagrees: the set fails, what needs it is skipped")
    {
        dir.write("0002_u.sql", "CREATE TABLE u (id bigint);\n");
        auto report = check(db.conninfo(), dir.path());
        CHECK(item(report, "migrations").status == CheckStatus::fail);
        CHECK(joined(item(report, "migrations").details).find("0002_u.sql") != std::string::npos);
        CHECK(item(report, "apply").status == CheckStatus::skip);
        CHECK(item(report, "plan").status == CheckStatus::skip);
        CHECK_FALSE(report.passed());
    }
    SUBCASE("an applied file was edited and sealed again: apply would refuse")
    {
        dir.write("0001_t.sql", "CREATE TABLE t (id bigint);\n");
        dir.seal();
        auto report = check(db.conninfo(), dir.path());
        CHECK(item(report, "migrations").status == CheckStatus::pass);
        CHECK(item(report, "apply").status == CheckStatus::fail);
        CHECK(joined(item(report, "apply").details).find("0001") != std::string::npos);
    }
    SUBCASE("another session holds the runner lock")
    {
        auto other = db.connect();
        other.query("SELECT pg_advisory_lock(7883946367941764353)");
        auto report = check(db.conninfo(), dir.path());
        CHECK(item(report, "runner").status == CheckStatus::fail);
        CHECK(item(report, "runner").summary.find("pid " + std::to_string(other.backend_pid())) !=
              std::string::npos);
        CHECK_FALSE(report.passed());
    }
}

TEST_CASE("check: no directory is bad input; an unreachable server stops the gate")
{
    TestDatabase db;
    CHECK_THROWS_WITH_AS(check(db.conninfo(), "/nonexistent/migrations"),
                         doctest::Contains("does not exist"), migsafe::Error);
    MigrationDir dir;
    try {
        check("host=/nonexistent port=1 dbname=x connect_timeout=2", dir.path());
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-connect-failed");
    }
}
