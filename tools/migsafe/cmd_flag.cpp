// migsafe flag create|list|show|on|off|rollout|target|constrain|eval|history|archive|serve:
// cut-over flags in the database's flag store (docs/flags.md).
#include "command.hpp"

#include <migsafe/flags/json.hpp>
#include <migsafe/flags/snapshot.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/gate.hpp>

#include <fmt/format.h>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace migsafe::cli {
namespace {

struct FlagArgs {
    std::string db;
    std::string key;
    std::string env = "production";
    std::string reason;
    std::string actor;
    std::int64_t if_version = -1;
    // create
    std::string owner, criteria, description, group;
    std::string kind = "release";
    std::string expiry = "30d";
    // rollout, targets, constraints, eval
    int percentage = -1;
    std::vector<std::string> ids;
    bool off_list = false;
    std::vector<std::string> constraints;
    std::string user;
    std::vector<std::string> attributes;
    // list, history, archive
    bool env_given = false; ///< history: --env given
    bool stale = false;
    bool archived = false;
    int limit = 20;
    std::string dir = "migrations";
    bool json = false;
};

/// Who makes the change: --actor, else MIGSAFE_ACTOR, else the login name.
std::string actor_of(const FlagArgs& args)
{
    if (!args.actor.empty()) {
        return args.actor;
    }
    if (const char* actor = std::getenv("MIGSAFE_ACTOR"); actor != nullptr && *actor != '\0') {
        return actor;
    }
    if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr) {
        return entry->pw_name;
    }
    return "uid " + std::to_string(::getuid());
}

flags::Change change_of(const FlagArgs& args)
{
    return flags::Change{.actor = actor_of(args),
                         .reason = args.reason,
                         .expected_version = args.if_version >= 0
                                                 ? std::optional<std::int64_t>(args.if_version)
                                                 : std::nullopt};
}

platform::Session connect(const FlagArgs& args)
{
    return platform::Session::connect(resolve_conninfo(args.db),
                                      {.application_name = "migsafe flag"});
}

std::string since(const std::optional<flags::TimePoint>& time)
{
    if (!time) {
        return "";
    }
    const auto age =
        std::chrono::duration_cast<std::chrono::milliseconds>(flags::Clock::now() - *time);
    return fmt::format("{} ({} ago)", flags::format_time(*time), format_duration(age));
}

/// `on 100 %`, `on 25 % +2 on -1 off`, `off`, `never set`.
std::string state_text(const flags::EnvironmentState* state)
{
    if (state == nullptr) {
        return "off (never set)";
    }
    std::string text = state->enabled ? fmt::format("on {} %", state->rollout)
                                      : fmt::format("off (rollout {} % when on)", state->rollout);
    if (state->enabled && !state->on_list.empty()) {
        text += fmt::format(" +{} listed on", state->on_list.size());
    }
    if (state->enabled && !state->off_list.empty()) {
        text += fmt::format(" -{} listed off", state->off_list.size());
    }
    if (state->enabled && !state->constraints.empty()) {
        text += fmt::format(", {} constraint(s)", state->constraints.size());
    }
    return text;
}

std::string steady_text(const flags::EnvironmentState* state, const flags::Flag& flag)
{
    if (state == nullptr) {
        return "off since " + since(flag.created_at);
    }
    if (!state->steady_since) {
        return "partly on";
    }
    return (state->fully_on() ? "fully on since " : "off since ") + since(state->steady_since);
}

Outcome flag_outcome(const flags::Flag& flag, const std::string& env, const std::string& verb)
{
    Outcome outcome;
    outcome.report_json = flags::to_json(flag);
    const flags::EnvironmentState* state = flag.environment(env);
    outcome.text = fmt::format("{} flag {} in {}: {} (version {})\n", verb, flag.key, env,
                               state_text(state), state != nullptr ? state->version : 0);
    return outcome;
}

Outcome run_create(const FlagArgs& args)
{
    const auto kind = flags::parse_kind(args.kind);
    if (!kind) {
        throw Error("usage-invalid-option",
                    fmt::format("--kind {} is not a kind of flag", args.kind), {.object = "--kind"},
                    "use release, ops or cut-over");
    }
    auto session = connect(args);
    const flags::Flag flag = flags::create_flag(
        session,
        flags::NewFlag{.key = args.key,
                       .description = args.description,
                       .owner = args.owner,
                       .kind = *kind,
                       .criteria = args.criteria,
                       .expiry = std::chrono::duration_cast<std::chrono::seconds>(
                           duration_option(args.expiry, "--expiry")),
                       .group = args.group},
        change_of(args));
    Outcome outcome;
    outcome.report_json = flags::to_json(flag);
    outcome.text = fmt::format("created flag {} ({}, owner {}), off in every environment\n",
                               flag.key, flags::to_string(flag.kind), flag.owner);
    return outcome;
}

Outcome run_list(const FlagArgs& args)
{
    auto session = connect(args);
    std::vector<flags::Flag> listed = flags::list_flags(session, args.archived);
    const auto now = flags::Clock::now();
    if (args.stale) {
        std::erase_if(listed,
                      [&](const flags::Flag& flag) { return !flag.stale_in(args.env, now); });
    }
    Outcome outcome;
    outcome.report_json = flags::to_json(listed);
    if (listed.empty()) {
        outcome.text = args.stale
                           ? fmt::format("no stale flag in {}\n", args.env)
                           : std::string("no flag yet: create one with `migsafe flag create`\n");
        return outcome;
    }
    outcome.text = fmt::format("{:<32} {:<9} {:<16} {:<24} {}\n", "flag (" + args.env + ")", "kind",
                               "owner", "state", "since");
    for (const auto& flag : listed) {
        const flags::EnvironmentState* state = flag.environment(args.env);
        outcome.text += fmt::format(
            "{:<32} {:<9} {:<16} {:<24} {}{}{}\n", flag.key, flags::to_string(flag.kind),
            flag.owner, state_text(state), steady_text(state, flag),
            flag.stale_in(args.env, now)
                ? fmt::format(" STALE (expiry {})", format_duration(flag.expiry))
                : "",
            flag.archived_at ? " archived" : "");
    }
    return outcome;
}

Outcome run_show(const FlagArgs& args)
{
    auto session = connect(args);
    const flags::Flag flag = flags::get_flag(session, args.key);
    Outcome outcome;
    outcome.report_json = flags::to_json(flag);
    outcome.text = fmt::format("flag {} ({}), owner {}, version {}\n", flag.key,
                               flags::to_string(flag.kind), flag.owner, flag.version);
    if (!flag.description.empty()) {
        outcome.text += "  " + flag.description + "\n";
    }
    outcome.text += fmt::format("  rollout criteria: {}\n  expiry: {}; rollout group: {}\n",
                                flag.criteria, format_duration(flag.expiry), flag.rollout_group());
    if (flag.archived_at) {
        outcome.text += "  archived " + since(flag.archived_at) + "\n";
    }
    if (flag.environments.empty()) {
        outcome.text += "  off in every environment (never set)\n";
    }
    for (const auto& state : flag.environments) {
        outcome.text += fmt::format("  {}: {}, {}, version {}\n", state.env, state_text(&state),
                                    steady_text(&state, flag), state.version);
        if (!state.on_list.empty()) {
            outcome.text += fmt::format("    on list: {}\n", fmt::join(state.on_list, ", "));
        }
        if (!state.off_list.empty()) {
            outcome.text += fmt::format("    off list: {}\n", fmt::join(state.off_list, ", "));
        }
        for (const auto& constraint : state.constraints) {
            outcome.text += "    constraint: " + flags::to_string(constraint) + "\n";
        }
    }
    return outcome;
}

Outcome run_switch(const FlagArgs& args, bool enabled)
{
    auto session = connect(args);
    return flag_outcome(flags::set_enabled(session, args.key, args.env, enabled, change_of(args)),
                        args.env, enabled ? "switched on" : "switched off");
}

Outcome run_rollout(const FlagArgs& args)
{
    auto session = connect(args);
    return flag_outcome(
        flags::set_rollout(session, args.key, args.env, args.percentage, change_of(args)), args.env,
        "rolled out");
}

Outcome run_targets(const FlagArgs& args, bool add)
{
    auto session = connect(args);
    const auto list = args.off_list ? flags::TargetList::off : flags::TargetList::on;
    const flags::Flag flag =
        add ? flags::add_targets(session, args.key, args.env, list, args.ids, change_of(args))
            : flags::remove_targets(session, args.key, args.env, list, args.ids, change_of(args));
    return flag_outcome(flag, args.env, add ? "targeted" : "untargeted");
}

Outcome run_constrain(const FlagArgs& args)
{
    std::vector<flags::Constraint> constraints;
    for (const auto& text : args.constraints) {
        constraints.push_back(flags::parse_constraint(text));
    }
    auto session = connect(args);
    return flag_outcome(
        flags::set_constraints(session, args.key, args.env, constraints, change_of(args)), args.env,
        "constrained");
}

Outcome run_eval(const FlagArgs& args)
{
    auto session = connect(args);
    flags::get_flag(session, args.key); // flag-unknown, with "did you mean"
    const flags::Snapshot snapshot(flags::list_flags(session, true), args.env);
    flags::Context context{.user_id = args.user, .env = args.env};
    std::vector<std::pair<std::string, std::string>> attributes;
    for (const auto& pair : args.attributes) {
        const auto equals = pair.find('=');
        if (equals == std::string::npos || equals == 0) {
            throw Error("usage-invalid-option", fmt::format("--attr {} is not NAME=VALUE", pair),
                        {.object = "--attr"}, "pass context attributes as --attr country=NO");
        }
        attributes.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
    }
    for (const auto& [name, value] : attributes) {
        context.attributes.emplace_back(name, value);
    }
    const flags::Explanation why = snapshot.explain(args.key, context);
    Outcome outcome;
    outcome.report = {{"key", args.key},        {"env", why.env},       {"user", args.user},
                      {"enabled", why.enabled}, {"reason", why.reason}, {"bucket", nullptr}};
    if (why.bucket) {
        outcome.report["bucket"] = *why.bucket;
    }
    outcome.text = fmt::format("{} for {} in {}: {}\n", args.key,
                               args.user.empty() ? "no user" : "user " + args.user, why.env,
                               why.enabled ? "ON" : "OFF");
    outcome.text += fmt::format("  why: {}\n", why.reason);
    return outcome;
}

Outcome run_history(const FlagArgs& args)
{
    auto session = connect(args);
    const auto events =
        flags::flag_history(session, args.key, args.env_given ? args.env : "", args.limit);
    Outcome outcome;
    outcome.report_json = flags::to_json(events);
    for (const auto& event : events) {
        outcome.text += fmt::format("{}  {:<12} {:<14} {:<20} {}\n", flags::format_time(event.at),
                                    event.env.empty() ? "(flag)" : event.env, event.action,
                                    event.actor, event.reason);
    }
    if (events.empty()) {
        outcome.text = "no change recorded\n";
    }
    return outcome;
}

Outcome run_archive(const FlagArgs& args)
{
    if (!std::filesystem::is_directory(args.dir)) {
        throw Error("usage-invalid-option",
                    fmt::format("--dir {} is not a folder of migrations", args.dir),
                    {.object = "--dir"},
                    "pass the project's migrations with --dir: a flag is archived only once every "
                    "migration that requires it is applied");
    }
    const auto set =
        model::load_migration_set(args.dir, {.parse_statements = model::ParseStatements::no});
    auto session = connect(args);
    const auto blockers = workflow::archive_blockers(session, set, args.key);
    if (!blockers.empty()) {
        throw Error("flag-archive-blocked",
                    fmt::format("flag {} is required by {}, not applied yet", args.key,
                                fmt::join(blockers, ", ")),
                    {.file = blockers.front(), .object = args.key});
    }
    const flags::Flag flag = flags::archive_flag(session, args.key, change_of(args));
    Outcome outcome;
    outcome.report_json = flags::to_json(flag);
    outcome.text = fmt::format("archived flag {}: it evaluates as off everywhere\n", flag.key);
    return outcome;
}

using Runner = std::function<Outcome(const FlagArgs&)>;

void select_on_callback(CLI::App* sub, Selected& selected, const std::shared_ptr<FlagArgs>& args,
                        const std::string& name, Runner runner)
{
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->callback([&selected, args, name, runner] {
        selected = {.name = "flag " + name,
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args, runner] { return runner(*args); }};
    });
}

void add_key(CLI::App* sub, FlagArgs& args)
{
    sub->add_option("KEY", args.key, "The flag's key")->required();
}

void add_env(CLI::App* sub, FlagArgs& args)
{
    sub->add_option("--env", args.env, "The environment (default: production)");
}

void add_change(CLI::App* sub, FlagArgs& args)
{
    sub->add_option("--reason", args.reason, "Why: recorded in the flag's event log (required)")
        ->required();
    sub->add_option("--actor", args.actor,
                    "Who makes the change (default: MIGSAFE_ACTOR, else your login name)");
}

void add_if_version(CLI::App* sub, FlagArgs& args)
{
    sub->add_option("--if-version", args.if_version,
                    "Refuse (flag-conflict) unless the environment is still at this version, as "
                    "read with `flag show`");
}

} // namespace

void register_flag(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<FlagArgs>();
    auto* flag = app.add_subcommand(
        "flag", "Cut-over flags in the database beside the migration history: create, roll "
                "out, target, evaluate, audit, archive, and a panel (docs/flags.md)");
    flag->require_subcommand(1);

    auto* create = flag->add_subcommand("create", "Create a flag, off in every environment");
    add_key(create, *args);
    create->add_option("--owner", args->owner, "Who answers for the flag (required)")->required();
    create->add_option("--criteria", args->criteria, "When it may be fully rolled out (required)")
        ->required();
    create->add_option("--kind", args->kind, "release (default), ops or cut-over");
    create->add_option("--description", args->description, "What the flag switches");
    create->add_option("--expiry", args->expiry,
                       "Stale once fully on or fully off this long (default: 30d)");
    create->add_option("--group", args->group,
                       "Rollout group seeding the buckets (default: the key; Unleash's groupId)");
    add_change(create, *args);
    create->footer("Examples:\n"
                   "  migsafe flag create new-contact --kind cut-over --owner clinic-team \\\n"
                   "    --criteria 'no reads of the old column for 7 days' --reason 'ticket 42'");
    select_on_callback(create, selected, args, "create", run_create);

    auto* list = flag->add_subcommand("list", "List the flags with their state in one environment");
    add_env(list, *args);
    list->add_flag("--stale", args->stale,
                   "Only flags fully on or fully off for longer than their expiry");
    list->add_flag("--archived", args->archived, "Include archived flags");
    list->footer("Examples:\n  migsafe flag list --env staging\n  migsafe flag list --stale");
    select_on_callback(list, selected, args, "list", run_list);

    auto* show = flag->add_subcommand("show", "Show a flag: owner, criteria, every environment");
    add_key(show, *args);
    show->footer("Examples:\n  migsafe flag show new-contact --json");
    select_on_callback(show, selected, args, "show", run_show);

    auto* on = flag->add_subcommand("on", "Switch a flag on in an environment (at its rollout %)");
    add_key(on, *args);
    add_env(on, *args);
    add_change(on, *args);
    add_if_version(on, *args);
    on->footer("Examples:\n  migsafe flag on new-contact --env staging --reason 'QA sign-off'");
    select_on_callback(on, selected, args, "on",
                       [](const FlagArgs& a) { return run_switch(a, true); });

    auto* off =
        flag->add_subcommand("off", "Switch a flag off in an environment (the kill switch)");
    add_key(off, *args);
    add_env(off, *args);
    add_change(off, *args);
    add_if_version(off, *args);
    off->footer("Examples:\n  migsafe flag off new-contact --reason 'error rate up, rolling back'");
    select_on_callback(off, selected, args, "off",
                       [](const FlagArgs& a) { return run_switch(a, false); });

    auto* rollout = flag->add_subcommand("rollout", "Set the percentage of users a flag is on for");
    add_key(rollout, *args);
    rollout->add_option("PCT", args->percentage, "0 to 100; a user's bucket never moves")
        ->required();
    add_env(rollout, *args);
    add_change(rollout, *args);
    add_if_version(rollout, *args);
    rollout->footer("Examples:\n  migsafe flag rollout new-contact 10 --reason 'canary'");
    select_on_callback(rollout, selected, args, "rollout", run_rollout);

    auto* target = flag->add_subcommand("target", "Turn a flag on or off for given user ids");
    target->require_subcommand(1);
    for (const bool add : {true, false}) {
        auto* sub = target->add_subcommand(
            add ? "add" : "remove", add ? "Add user ids to the on list (or --off list)"
                                        : "Remove user ids from the on list (or --off list)");
        add_key(sub, *args);
        sub->add_option("ID", args->ids, "User ids")->required();
        sub->add_flag("--off", args->off_list, "The off list instead of the on list");
        add_env(sub, *args);
        add_change(sub, *args);
        add_if_version(sub, *args);
        sub->footer(add ? "Examples:\n  migsafe flag target add new-contact 42 117 --reason 'beta "
                          "testers'\n"
                          "  migsafe flag target add new-contact 99 --off --reason 'broken account'"
                        : "Examples:\n  migsafe flag target remove new-contact 42 --reason 'left "
                          "the beta'");
        select_on_callback(sub, selected, args, add ? "target add" : "target remove",
                           [add](const FlagArgs& a) { return run_targets(a, add); });
    }

    auto* constrain = flag->add_subcommand(
        "constrain", "Set the context constraints that must all hold (none: remove them)");
    add_key(constrain, *args);
    constrain->add_option("CONSTRAINT", args->constraints,
                          "`ATTRIBUTE in A,B` or `ATTRIBUTE not-in A,B`, one per argument");
    add_env(constrain, *args);
    add_change(constrain, *args);
    add_if_version(constrain, *args);
    constrain->footer("Examples:\n  migsafe flag constrain new-contact 'country in NO,SE' --reason "
                      "'Nordics first'");
    select_on_callback(constrain, selected, args, "constrain", run_constrain);

    auto* eval = flag->add_subcommand("eval", "Evaluate a flag for a user: on or off, and why");
    add_key(eval, *args);
    eval->add_option("--user", args->user, "The user id (stickiness id)");
    eval->add_option("--attr", args->attributes, "A context attribute NAME=VALUE (repeatable)");
    add_env(eval, *args);
    eval->footer("Examples:\n  migsafe flag eval new-contact --user 42 --env production");
    select_on_callback(eval, selected, args, "eval", run_eval);

    auto* history = flag->add_subcommand("history", "The flag's changes: who, when, what, why");
    add_key(history, *args);
    history->add_option("--env", args->env, "Only this environment's changes (default: all)")
        ->each([args](const std::string&) { args->env_given = true; });
    history->add_option("--limit", args->limit, "At most this many, newest first (default: 20)")
        ->check(CLI::Range(1, 100000));
    history->footer("Examples:\n  migsafe flag history new-contact --env production --limit 50");
    select_on_callback(history, selected, args, "history", run_history);

    auto* archive = flag->add_subcommand(
        "archive", "Archive a flag (off everywhere), once no pending migration requires it");
    add_key(archive, *args);
    archive->add_option("--dir", args->dir,
                        "The migrations whose requires-flag directives are checked (default: "
                        "migrations)");
    add_change(archive, *args);
    archive->footer("Examples:\n  migsafe flag archive new-contact --dir db/migrations --reason "
                    "'contract applied'");
    select_on_callback(archive, selected, args, "archive", run_archive);

    register_flag_serve(*flag, selected);
}

} // namespace migsafe::cli
