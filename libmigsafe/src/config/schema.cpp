// migsafe.toml's keys and the types of their values (docs/config.md): every key is known,
// every value checked, so a typo fails the run instead of being ignored.
#include "config/tree.hpp"
#include "model/did_you_mean.hpp"

#include <migsafe/config/keys.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>
#include <vector>

namespace migsafe::config::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array k_sections = {"migrations"sv, "plan"sv,  "apply"sv,
                                   "snapshot"sv,   "check"sv, "environments"sv};
constexpr std::array k_plan_lists = {"disabled_rules"sv, "severity"sv, "allow"sv};
constexpr std::array k_allow_keys = {"rule"sv, "path"sv, "reason"sv};
constexpr std::array k_environment_keys = {"database_url_env"sv, "store"sv};
constexpr std::array k_severities = {"info"sv, "warning"sv, "error"sv};

ErrorContext context_of(const Location& where)
{
    return {.file = where.file, .line = where.line, .column = where.column};
}

[[noreturn]] void unknown_key(const Node& node, std::string_view table,
                              std::span<const std::string_view> known)
{
    const auto name = table.empty() ? node.key : fmt::format("{}.{}", table, node.key);
    std::string hint = model::detail::did_you_mean(node.key, known);
    if (hint.empty() && table.empty()) {
        // A key written above every table: name the table it belongs in.
        for (const auto& spec : config_keys()) {
            const auto dot = spec.key.find('.');
            if (spec.key.substr(dot + 1) == node.key) {
                hint = fmt::format("did you mean `{}` under [{}]? ", node.key,
                                   spec.key.substr(0, dot));
                break;
            }
        }
    }
    throw Error("config-unknown-key", fmt::format("unknown key `{}`", name),
                context_of(node.key_at), hint + "the keys are listed in docs/config.md");
}

[[noreturn]] void wrong_type(const Node& node, std::string_view name, std::string_view expected)
{
    throw Error("config-invalid",
                fmt::format("{} must be {}, not {}", name, expected, describe(node.kind)),
                context_of(node.value_at), "see docs/config.md for each key's type");
}

void expect(const Node& node, Node::Kind kind, std::string_view name)
{
    if (node.kind != kind) {
        wrong_type(node, name, describe(kind));
    }
}

FileValue scalar(const Node& node, const KeySpec& spec)
{
    const bool wants_integer = spec.kind == ValueKind::integer;
    expect(node, wants_integer ? Node::Kind::integer : Node::Kind::string, spec.key);
    try {
        return {.text = check_value(spec, node.text, {}), .where = node.value_at};
    } catch (const Error& e) {
        throw Error(e.code(), e.message(), context_of(node.value_at), e.hint());
    }
}

std::string rule_id(const Node& node, std::string_view name)
{
    expect(node, Node::Kind::string, name);
    if (auto rule = plan::find_rule(node.text)) {
        return std::string(rule->id);
    }
    std::vector<std::string_view> ids;
    for (const auto& rule : plan::rule_catalog()) {
        ids.push_back(rule.id);
    }
    throw Error("config-invalid", fmt::format("{}: unknown rule '{}'", name, node.text),
                context_of(node.value_at),
                model::detail::did_you_mean(node.text, ids) +
                    "the rules are listed in docs/rules/");
}

void read_section(const Node& section, ConfigFile& config)
{
    std::vector<std::string_view> known;
    for (const auto& spec : config_keys()) {
        if (spec.key.starts_with(section.key + ".")) {
            known.push_back(spec.key.substr(section.key.size() + 1));
        }
    }
    if (section.key == "plan") {
        known.insert(known.end(), k_plan_lists.begin(), k_plan_lists.end());
    }
    for (const auto& item : section.items) {
        const auto name = fmt::format("{}.{}", section.key, item.key);
        if (const auto* spec = find_key(name)) {
            config.values[name] = scalar(item, *spec);
        } else if (name == "plan.disabled_rules") {
            expect(item, Node::Kind::array, name);
            for (const auto& rule : item.items) {
                config.disabled_rules.push_back(
                    {.rule = rule_id(rule, name), .where = rule.value_at});
            }
        } else if (name == "plan.severity") {
            expect(item, Node::Kind::table, name);
            for (const auto& entry : item.items) {
                Node id = entry;
                id.kind = Node::Kind::string;
                id.text = entry.key;
                id.value_at = entry.key_at;
                const auto rule = rule_id(id, name);
                expect(entry, Node::Kind::string, fmt::format("{}.{}", name, entry.key));
                const auto severity = plan::parse_severity(entry.text);
                if (!severity) {
                    throw Error(
                        "config-invalid",
                        fmt::format("{}.{}: '{}' is not a severity", name, entry.key, entry.text),
                        context_of(entry.value_at),
                        model::detail::did_you_mean(entry.text, k_severities) +
                            "write info, warning or error");
                }
                config.severity.push_back(
                    {.rule = rule, .severity = *severity, .where = entry.key_at});
            }
        } else if (name == "plan.allow") {
            expect(item, Node::Kind::array, name + " ([[plan.allow]] tables)");
            for (const auto& table : item.items) {
                expect(table, Node::Kind::table, name);
                // Without a path, the allowance holds for every file.
                RuleAllowance allow{.path = "*", .where = table.value_at};
                bool has_rule = false;
                for (const auto& field : table.items) {
                    if (field.key == "rule") {
                        allow.rule = rule_id(field, "plan.allow.rule");
                        has_rule = true;
                    } else if (field.key == "path" || field.key == "reason") {
                        expect(field, Node::Kind::string, "plan.allow." + field.key);
                        (field.key == "path" ? allow.path : allow.reason) = field.text;
                    } else {
                        unknown_key(field, "plan.allow", k_allow_keys);
                    }
                }
                if (!has_rule || allow.reason.empty()) {
                    throw Error("config-invalid",
                                fmt::format("a [[plan.allow]] needs a rule and a reason{}",
                                            has_rule ? fmt::format(" (rule {})", allow.rule)
                                                     : std::string()),
                                context_of(table.value_at),
                                "write rule = \"MS-...\", path = \"glob\" and reason = \"why "
                                "it is safe here\"");
                }
                config.allowances.push_back(std::move(allow));
            }
        } else {
            unknown_key(item, section.key, known);
        }
    }
}

void read_environments(const Node& section, ConfigFile& config)
{
    static const std::regex variable("[A-Za-z_][A-Za-z0-9_]*");
    const KeySpec& store = *find_key("snapshot.store");
    for (const auto& env : section.items) {
        expect(env, Node::Kind::table, "environments." + env.key);
        Environment environment{.name = env.key, .where = env.key_at};
        bool has_variable = false;
        for (const auto& field : env.items) {
            const auto name = fmt::format("environments.{}.{}", env.key, field.key);
            if (field.key == "database_url_env") {
                expect(field, Node::Kind::string, name);
                if (!std::regex_match(field.text, variable)) {
                    throw Error("config-invalid",
                                fmt::format("{}: '{}' is not the name of an environment variable",
                                            name, field.text),
                                context_of(field.value_at),
                                "write the variable's name, e.g. database_url_env = "
                                "\"PROD_DATABASE_URL\"");
                }
                environment.database_url_env = {.text = field.text, .where = field.value_at};
                has_variable = true;
            } else if (field.key == "store") {
                KeySpec spec = store;
                spec.key = name;
                environment.values["store"] = scalar(field, spec);
            } else {
                unknown_key(field, "environments." + env.key, k_environment_keys);
            }
        }
        if (!has_variable) {
            throw Error("config-invalid",
                        fmt::format("environments.{} has no database_url_env", env.key),
                        context_of(env.key_at),
                        "name the environment variable that holds its connection string");
        }
        config.environments[env.key] = std::move(environment);
    }
}

} // namespace

std::string_view describe(Node::Kind kind)
{
    switch (kind) {
    case Node::Kind::string:
        return "a string";
    case Node::Kind::integer:
        return "an integer";
    case Node::Kind::floating:
        return "a floating-point number";
    case Node::Kind::boolean:
        return "a boolean";
    case Node::Kind::date_time:
        return "a date or time";
    case Node::Kind::array:
        return "an array";
    case Node::Kind::table:
        return "a table";
    }
    return "a value";
}

ConfigFile read_settings(const Node& root, const std::filesystem::path& path)
{
    ConfigFile config{.path = path};
    for (const auto& section : root.items) {
        if (std::find(k_sections.begin(), k_sections.end(), section.key) == k_sections.end()) {
            unknown_key(section, {}, k_sections);
        }
        expect(section, Node::Kind::table, section.key + " ([" + section.key + "])");
        if (section.key == "environments") {
            read_environments(section, config);
        } else {
            read_section(section, config);
        }
    }
    return config;
}

} // namespace migsafe::config::detail
