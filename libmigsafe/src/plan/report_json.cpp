// PlanReport <-> JSON (docs/plan.md documents the keys).
#include <migsafe/plan/report.hpp>
#include <migsafe/platform/error.hpp>

#include <nlohmann/json.hpp>

namespace migsafe::plan {
namespace {

using Json = nlohmann::ordered_json;

Json finding_json(const Finding& finding)
{
    Json out = {{"rule", finding.rule},
                {"severity", to_string(finding.severity)},
                {"message", finding.message},
                {"fix", finding.fix},
                {"allowed", finding.allowed}};
    if (finding.allowed) {
        out["allowed_reason"] = finding.allowed_reason;
    }
    return out;
}

Json statement_json(const StatementPlan& statement)
{
    Json locks = Json::array();
    for (const auto& lock : statement.locks) {
        locks.push_back({{"relation", lock.relation}, {"mode", to_string(lock.mode)}});
    }
    Json findings = Json::array();
    for (const auto& finding : statement.findings) {
        findings.push_back(finding_json(finding));
    }
    return {{"file", statement.file},
            {"line", statement.line},
            {"column", statement.column},
            {"kind", statement.kind},
            {"sql", statement.sql},
            {"phase", to_string(statement.phase)},
            {"locks", locks},
            {"rewrites", statement.rewrites},
            {"scans", statement.scans},
            {"findings", findings}};
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

std::string PlanReport::to_json() const
{
    Json statements_json = Json::array();
    for (const auto& statement : statements) {
        statements_json.push_back(statement_json(statement));
    }
    Json out = {{"schema_version", k_schema_version},
                {"pg_version", pg_version},
                {"fail_on", to_string(fail_on)},
                {"verdict", to_string(verdict)},
                {"counts",
                 {{"statements", counts.statements},
                  {"errors", counts.errors},
                  {"warnings", counts.warnings},
                  {"infos", counts.infos},
                  {"allowed", counts.allowed}}},
                {"statements", nullptr}};
    out["statements"] = std::move(statements_json); // an initializer list would copy it
    return out.dump(2) + "\n";
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
