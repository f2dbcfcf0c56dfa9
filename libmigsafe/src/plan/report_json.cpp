// PlanReport <-> JSON (docs/plan.md documents the keys).
#include "platform/json_writer.hpp"

#include <migsafe/plan/report.hpp>
#include <migsafe/platform/error.hpp>

#include <nlohmann/json.hpp>

namespace migsafe::plan {
namespace {

using Json = nlohmann::ordered_json;

void write_finding(platform::JsonWriter& out, const Finding& finding)
{
    out.begin_object();
    out.member("rule", finding.rule);
    out.member("severity", to_string(finding.severity));
    out.member("message", finding.message);
    out.member("fix", finding.fix);
    out.member("allowed", finding.allowed);
    if (finding.allowed) {
        out.member("allowed_reason", finding.allowed_reason);
    }
    out.end_object();
}

void write_names(platform::JsonWriter& out, std::string_view key,
                 const std::vector<std::string>& names)
{
    out.key(key);
    out.begin_array();
    for (const auto& name : names) {
        out.value(name);
    }
    out.end_array();
}

void write_statement(platform::JsonWriter& out, const StatementPlan& statement)
{
    out.begin_object();
    out.member("file", statement.file);
    out.member("line", statement.line);
    out.member("column", statement.column);
    out.member("kind", statement.kind);
    out.member("sql", statement.sql);
    out.member("phase", to_string(statement.phase));
    out.key("locks");
    out.begin_array();
    for (const auto& lock : statement.locks) {
        out.begin_object();
        out.member("relation", lock.relation);
        out.member("mode", to_string(lock.mode));
        out.end_object();
    }
    out.end_array();
    write_names(out, "rewrites", statement.rewrites);
    write_names(out, "scans", statement.scans);
    out.key("findings");
    out.begin_array();
    for (const auto& finding : statement.findings) {
        write_finding(out, finding);
    }
    out.end_array();
    out.end_object();
}

[[noreturn]] void malformed(const std::string& why)
{
    throw Error("plan-report-malformed", "plan report: " + why);
}

Finding finding_from(const Json& in)
{
    Finding finding;
    finding.rule = in.at("rule").get<std::string>();
    auto severity = parse_severity(in.at("severity").get<std::string>());
    if (!severity) {
        malformed("unknown severity '" + in.at("severity").get<std::string>() + "'");
    }
    finding.severity = *severity;
    finding.message = in.at("message").get<std::string>();
    finding.fix = in.value("fix", std::string());
    finding.allowed = in.value("allowed", false);
    finding.allowed_reason = in.value("allowed_reason", std::string());
    return finding;
}

StatementPlan statement_from(const Json& in)
{
    StatementPlan statement;
    statement.file = in.at("file").get<std::string>();
    statement.line = in.at("line").get<int>();
    statement.column = in.at("column").get<int>();
    statement.kind = in.at("kind").get<std::string>();
    statement.sql = in.at("sql").get<std::string>();
    auto phase = parse_phase(in.at("phase").get<std::string>());
    if (!phase) {
        malformed("unknown phase '" + in.at("phase").get<std::string>() + "'");
    }
    statement.phase = *phase;
    for (const auto& lock : in.at("locks")) {
        auto mode = parse_lock_mode(lock.at("mode").get<std::string>());
        if (!mode) {
            malformed("unknown lock mode '" + lock.at("mode").get<std::string>() + "'");
        }
        statement.locks.push_back({lock.at("relation").get<std::string>(), *mode});
    }
    statement.rewrites = in.at("rewrites").get<std::vector<std::string>>();
    statement.scans = in.at("scans").get<std::vector<std::string>>();
    for (const auto& finding : in.at("findings")) {
        statement.findings.push_back(finding_from(finding));
    }
    return statement;
}

} // namespace

// Streamed, not built as a tree: a plan of thousands of statements is written about ten
// times faster (bench/plan), in the layout nlohmann's dump(2) gives.
std::string PlanReport::to_json() const
{
    std::string text;
    std::size_t expected = 512; // most of a statement's JSON is its text and its findings'
    for (const auto& statement : statements) {
        expected += 400 + statement.sql.size();
        for (const auto& finding : statement.findings) {
            expected += 200 + finding.message.size() + finding.fix.size();
        }
    }
    text.reserve(expected);
    platform::JsonWriter out(text);
    out.begin_object();
    out.member("schema_version", k_schema_version);
    out.member("pg_version", pg_version);
    out.member("fail_on", to_string(fail_on));
    out.member("verdict", to_string(verdict));
    out.key("counts");
    out.begin_object();
    out.member("statements", counts.statements);
    out.member("errors", counts.errors);
    out.member("warnings", counts.warnings);
    out.member("infos", counts.infos);
    out.member("allowed", counts.allowed);
    out.end_object();
    out.key("statements");
    out.begin_array();
    for (const auto& statement : statements) {
        write_statement(out, statement);
    }
    out.end_array();
    out.end_object();
    text += '\n';
    return text;
}

PlanReport PlanReport::from_json(std::string_view json)
{
    try {
        const Json in = Json::parse(json);
        if (in.at("schema_version").get<int>() != k_schema_version) {
            malformed("schema_version " + in.at("schema_version").dump() + " is not " +
                      std::to_string(k_schema_version));
        }
        PlanReport report;
        report.pg_version = in.at("pg_version").get<int>();
        auto fail_on = parse_severity(in.at("fail_on").get<std::string>());
        if (!fail_on) {
            malformed("unknown fail_on '" + in.at("fail_on").get<std::string>() + "'");
        }
        report.fail_on = *fail_on;
        for (const auto& statement : in.at("statements")) {
            report.statements.push_back(statement_from(statement));
        }
        settle_verdict(report);
        return report;
    } catch (const nlohmann::json::exception& e) {
        malformed(e.what());
    }
}

} // namespace migsafe::plan
