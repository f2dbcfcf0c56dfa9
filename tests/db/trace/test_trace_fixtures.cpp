// The oracle: every sql-fixtures/plan example is traced on PostgreSQL and compared with
// its static plan. The world it runs in is sql-fixtures/trace/world.sql (plus
// sql-fixtures/trace/setup/<RULE>[-fail|-pass].sql). The disagreements are kept in
// sql-fixtures/trace/disagreements.txt (MIGSAFE_UPDATE_GOLDEN=1 rewrites it): a new line
// there is a planner bug or a fixture the trace cannot run. The static plan is the one
// `migsafe plan --db` makes: with the catalog facts of the database it is traced in (the
// table of a DROP INDEX, the tables using a domain or in a schema, a materialized view's
// sources are only known there); tests/unit/plan covers the plan without them.
#include "db/trace/trace_helpers.hpp"
#include "support/golden.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/trace/trace.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace trace = migsafe::trace;
namespace plan = migsafe::plan;
using migsafe::platform::quote_ident;
using migsafe::platform::Session;

namespace {

const fs::path k_fixtures = MIGSAFE_FIXTURES_DIR;

// `-- key: value` from a fixture's header.
std::string header(const std::string& sql, const std::string& key)
{
    const std::string prefix = "-- " + key + ":";
    const auto at = sql.find(prefix);
    if (at == std::string::npos) {
        return {};
    }
    const auto end = sql.find('\n', at);
    auto value = sql.substr(at + prefix.size(), end - at - prefix.size());
    return value.substr(value.find_first_not_of(' '));
}

// A database cloned from the world template, dropped at the end.
class Scratch {
public:
    Scratch(Session& admin, const std::string& world, const std::string& name)
        : m_admin(admin)
        , m_name(name)
    {
        m_admin.exec(fmt::format("DROP DATABASE IF EXISTS {}", quote_ident(m_name)));
        m_admin.exec(
            fmt::format("CREATE DATABASE {} TEMPLATE {}", quote_ident(m_name), quote_ident(world)));
    }
    ~Scratch() { m_admin.exec(fmt::format("DROP DATABASE IF EXISTS {}", quote_ident(m_name))); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    std::string conninfo() const { return migsafe::test::server_conninfo(m_name); }

private:
    Session& m_admin;
    std::string m_name;
};

struct Tally {
    int files = 0;
    int compared = 0;
    int agreed = 0;
    std::vector<std::string> lines{};
};

// The setup files of one example; none for most.
std::vector<fs::path> setups(const std::string& rule, const std::string& which)
{
    std::vector<fs::path> found;
    for (const auto& name : {rule + ".sql", rule + "-" + which + ".sql"}) {
        if (auto path = k_fixtures / "trace" / "setup" / name; fs::exists(path)) {
            found.push_back(path);
        }
    }
    return found;
}

void trace_fixture(const std::string& conninfo, const fs::path& dir, const std::string& which,
                   Tally& tally)
{
    const auto facts = migsafe::model::load_catalog_facts(conninfo);
    const std::string rule = dir.filename().string();
    const std::string relative = "sql-fixtures/plan/" + rule + "/" + which + ".sql";
    const std::string sql = migsafe::test::read_text(dir / (which + ".sql"));
    plan::PlanOptions options; // the server's version (15), whatever the fixture targets
    options.catalog = &facts;
    if (header(sql, "design-lints") == "on") {
        options.design_lints = plan::DesignLints::on;
    }
    const std::vector inputs{migsafe::test::plan_input_of(sql, relative)};
    const auto report = trace::trace(inputs, {.conninfo = conninfo, .plan = options});
    ++tally.files;
    tally.compared += report.compared;
    tally.agreed += report.agreed;
    for (const auto& statement : report.statements) {
        if (!statement.traced) {
            tally.lines.push_back(fmt::format("{}:{}: not traced: {}", statement.file,
                                              statement.line, statement.reason));
        }
    }
    for (const auto& line : report.disagreements) {
        tally.lines.push_back(line);
    }
}

} // namespace

TEST_CASE("trace::trace agrees with the static plan on the sql-fixtures/plan examples")
{
    migsafe::test::TestDatabase world;
    {
        auto session = world.connect();
        session.exec(migsafe::test::read_text(k_fixtures / "trace" / "world.sql"));
        // The trace of an empty file commits the generated rows into the world.
        const auto filled = trace::trace(std::vector{plan::PlanInput{.file = "empty.sql"}},
                                         {.conninfo = world.conninfo()});
        CHECK(filled.statements.empty());
    }
    auto admin = Session::connect(migsafe::test::server_conninfo());
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(k_fixtures / "plan")) {
        if (entry.is_directory()) {
            dirs.push_back(entry.path());
        }
    }
    std::sort(dirs.begin(), dirs.end());
    // A trace rolls back, so the examples without setup share one database; the others
    // get a clone each.
    const std::string name = fmt::format("migsafe_trace_{}", getpid());
    Scratch shared(admin, world.name(), name + "_shared");
    Tally tally;
    for (const auto& dir : dirs) {
        for (const std::string which : {"fail", "pass"}) {
            CAPTURE(dir.filename().string());
            CAPTURE(which);
            const auto files = setups(dir.filename().string(), which);
            if (files.empty()) {
                trace_fixture(shared.conninfo(), dir, which, tally);
                continue;
            }
            Scratch own(admin, world.name(), name);
            {
                auto session = Session::connect(own.conninfo());
                for (const auto& file : files) {
                    session.exec(migsafe::test::read_text(file));
                }
            }
            trace_fixture(own.conninfo(), dir, which, tally);
        }
    }
    std::string text = fmt::format("# {} files, {} statements traced, {} agree with the static "
                                   "plan\n",
                                   tally.files, tally.compared, tally.agreed);
    for (const auto& line : tally.lines) {
        text += line + "\n";
    }
    MESSAGE(text);
    const fs::path expected = k_fixtures / "trace" / "disagreements.txt";
    CHECK_MESSAGE(migsafe::test::golden(expected, text) == text,
                  "changed: MIGSAFE_UPDATE_GOLDEN=1, then review sql-fixtures/trace/"
                  "disagreements.txt");
}
