// `migsafe config`: the effective settings and where each came from, as text and JSON.
#include <migsafe/config/effective.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::config {
namespace {

constexpr int k_schema_version = 1;

std::string where(const Setting& s)
{
    switch (s.source) {
    case Source::option:
        return "option " + s.origin;
    case Source::environment_variable:
        return "env " + s.origin;
    case Source::file:
        return s.origin;
    case Source::default_value:
        return s.origin.empty() ? std::string("default") : s.origin;
    }
    return "default";
}

nlohmann::json to_json(const Setting& s)
{
    return {{"key", s.key},
            {"value", s.value},
            {"source", std::string(to_string(s.source))},
            {"origin", s.origin}};
}

std::string row(std::string_view key, std::string_view value, std::string_view from)
{
    return fmt::format("{:<27} {:<28} {}\n", key, value.empty() ? "-" : value, from);
}

} // namespace

std::string Effective::to_json() const
{
    nlohmann::json settings_json = nlohmann::json::array();
    for (const auto& s : settings) {
        settings_json.push_back(config::to_json(s));
    }
    nlohmann::json disabled = nlohmann::json::array();
    nlohmann::json severity = nlohmann::json::array();
    nlohmann::json allow = nlohmann::json::array();
    nlohmann::json environments = nlohmann::json::array();
    if (config) {
        for (const auto& d : config->disabled_rules) {
            disabled.push_back({{"rule", d.rule}, {"origin", d.where.text()}});
        }
        for (const auto& o : config->severity) {
            severity.push_back({{"rule", o.rule},
                                {"severity", std::string(plan::to_string(o.severity))},
                                {"origin", o.where.text()}});
        }
        for (const auto& a : config->allowances) {
            allow.push_back({{"rule", a.rule},
                             {"path", a.path},
                             {"reason", a.reason},
                             {"origin", a.where.text()}});
        }
        for (const auto& [name, env] : config->environments) {
            environments.push_back({{"name", name},
                                    {"database_url_env", env.database_url_env.text},
                                    {"origin", env.where.text()}});
        }
    }
    nlohmann::json doc{
        {"schema_version", k_schema_version},
        {"config", config::to_json(file)},
        {"environment", config::to_json(environment)},
        {"database", config::to_json(database)},
        {"settings", settings_json},
        {"plan", {{"disabled_rules", disabled}, {"severity", severity}, {"allow", allow}}},
        {"environments", environments}};
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Effective::to_text() const
{
    std::string out;
    out += row("config", file.value, where(file));
    out +=
        row("environment", environment.value, environment.value.empty() ? "" : where(environment));
    out += row("database", database.value,
               database.value.empty() ? "--db, else DATABASE_URL, else PG* variables"
                                      : where(database));
    out += "\n";
    for (const auto& s : settings) {
        out += row(s.key, s.value, where(s));
    }
    if (config) {
        for (const auto& d : config->disabled_rules) {
            out += row("plan.disabled_rules", d.rule, d.where.text());
        }
        for (const auto& o : config->severity) {
            out += row("plan.severity", fmt::format("{} = {}", o.rule, plan::to_string(o.severity)),
                       o.where.text());
        }
        for (const auto& a : config->allowances) {
            out += row("plan.allow", fmt::format("{} in {}", a.rule, a.path),
                       fmt::format("{} ({})", a.where.text(), a.reason));
        }
        for (const auto& [name, env] : config->environments) {
            out += row("environments." + name, "$" + env.database_url_env.text, env.where.text());
        }
    }
    return out;
}

} // namespace migsafe::config
