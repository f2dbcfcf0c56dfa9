// How the planner treats statements PostgreSQL 15's parser rejects (MS-OPS-11): the worst
// case unless it knows the form, and a severity that depends on the version planned for.
#include <migsafe/plan/analyze.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

namespace plan = migsafe::plan;

namespace {

const plan::Finding* finding(const plan::StatementPlan& statement, const std::string& rule)
{
    auto it = std::find_if(statement.findings.begin(), statement.findings.end(),
                           [&](const plan::Finding& f) { return f.rule == rule; });
    return it == statement.findings.end() ? nullptr : &*it;
}

const std::string k_prefix = "SET lock_timeout = '2s';\n";

} // namespace

TEST_CASE("plan: an unknown newer statement is the worst case, an error when planning for 15")
{
    const std::string sql = k_prefix + "ALTER TABLE orders FROBNICATE total REFERENCES ledger;";
    auto at15 = plan::analyze_sql(sql, "0005.sql");
    REQUIRE(at15.statements.size() == 2);
    const auto& s = at15.statements[1];
    CHECK(s.kind == "unparsed");
    CHECK(s.locks == std::vector<plan::Lock>{{"public.orders", plan::LockMode::access_exclusive},
                                             {"public.ledger", plan::LockMode::access_exclusive}});
    CHECK(s.phase == plan::Phase::contract);
    const auto* f15 = finding(s, "MS-OPS-11");
    REQUIRE(f15 != nullptr);
    CHECK(f15->severity == plan::Severity::error);
    CHECK(f15->message.find("rejects it at 2:20 (syntax error at or near \"FROBNICATE\")") !=
          std::string::npos);
    CHECK(f15->message.find("a typo, or syntax of a newer PostgreSQL") != std::string::npos);
    CHECK(f15->message.find("AccessExclusiveLock on public.orders, public.ledger") !=
          std::string::npos);
    CHECK(at15.verdict == plan::Verdict::fail);

    // Planning for 17: still not analysed, a warning (never called safe).
    auto at17 = plan::analyze_sql(sql, "0005.sql", {.pg_version = 17});
    const auto* f17 = finding(at17.statements[1], "MS-OPS-11");
    REQUIRE(f17 != nullptr);
    CHECK(f17->severity == plan::Severity::warning);
    CHECK(f17->message.find("needs a newer parser than PostgreSQL 15's") != std::string::npos);
    CHECK(at17.counts.warnings == 1);
}

TEST_CASE("plan: PostgreSQL 18's NOT NULL constraint is planned as SET NOT NULL from 18 on")
{
    const std::string sql =
        k_prefix + "ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;";
    auto at18 = plan::analyze_sql(sql, "0007.sql", {.pg_version = 18});
    const auto& s = at18.statements[1];
    CHECK(s.locks == std::vector<plan::Lock>{{"public.users", plan::LockMode::access_exclusive}});
    CHECK(s.scans == std::vector<std::string>{"public.users"});
    CHECK(finding(s, "MS-COL-01") != nullptr);
    const auto* note = finding(s, "MS-OPS-11");
    REQUIRE(note != nullptr);
    CHECK(note->severity == plan::Severity::info);
    CHECK(note->message.find("PostgreSQL 18's ADD CONSTRAINT ... NOT NULL, planned as `ALTER "
                             "TABLE public.users ALTER COLUMN email SET NOT NULL`") !=
          std::string::npos);

    // NOT VALID skips the scan, like a CHECK added NOT VALID.
    auto not_valid = plan::analyze_sql(
        k_prefix + "ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;",
        "0007.sql", {.pg_version = 18});
    CHECK(not_valid.statements[1].scans.empty());
    CHECK(finding(not_valid.statements[1], "MS-COL-01") == nullptr);

    // Planned for 15, the form is named and the statement is an error: 15 rejects it.
    auto at15 = plan::analyze_sql(sql, "0007.sql", {.pg_version = 15});
    const auto* f = finding(at15.statements[1], "MS-OPS-11");
    REQUIRE(f != nullptr);
    CHECK(f->severity == plan::Severity::error);
    CHECK(f->message.starts_with("ADD CONSTRAINT ... NOT NULL is PostgreSQL 18 syntax, but the "
                                 "plan is for PostgreSQL 15"));
}

TEST_CASE("plan: virtual generated columns (18) change only the catalog, SET EXPRESSION (17) "
          "rewrites")
{
    auto virtual_column =
        plan::analyze_sql(k_prefix + "ALTER TABLE users ADD COLUMN email_lower text GENERATED "
                                     "ALWAYS AS (lower(email)) VIRTUAL;",
                          "0008.sql", {.pg_version = 18});
    const auto& v = virtual_column.statements[1];
    CHECK(v.rewrites.empty());
    CHECK(v.scans.empty());
    CHECK(v.phase == plan::Phase::expand);
    CHECK(finding(v, "MS-OPS-11")->severity == plan::Severity::info);

    auto expression = plan::analyze_sql(
        k_prefix + "ALTER TABLE users ALTER COLUMN email_lower SET EXPRESSION AS (upper(email));",
        "0009.sql", {.pg_version = 17});
    const auto& e = expression.statements[1];
    CHECK(e.rewrites == std::vector<std::string>{"public.users"});
    CHECK(finding(e, "MS-COL-05") != nullptr);
    CHECK(expression.verdict == plan::Verdict::fail);
}
