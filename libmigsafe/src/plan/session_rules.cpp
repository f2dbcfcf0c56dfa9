// Rules over the file's session state: timeouts, transactions, the lock held so far.
#include "plan/effects.hpp"

#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace migsafe::plan::detail {
namespace {

using model::StatementKind;
using Verb = model::TransactionControl::Verb;

constexpr std::string_view k_set_lock_timeout = "SET lock_timeout = '2s';";

// A timeout setting in milliseconds; nullopt when off (0, DEFAULT, RESET). PostgreSQL reads
// a bare number as milliseconds.
std::optional<int> timeout_ms(const std::string& value)
{
    if (value.empty() || value == "0" || value == "default" || value == "DEFAULT") {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return std::stoi(value);
    }
    std::string text = value;
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    if (text.ends_with("min")) {
        text.erase(text.size() - 2);
    }
    try {
        const auto ms = parse_duration(text).count();
        return ms == 0 ? std::nullopt : std::optional<int>(static_cast<int>(ms));
    } catch (const Error&) {
        return 1; // set to something migsafe cannot read: assume it bounds the wait
    }
}

void end_transaction(FileContext& file)
{
    ++file.transaction_id;
    file.holding_access_exclusive.clear();
    file.new_enum_values.clear();
}

void transaction_control(const model::Statement& statement, Context& context, Effects& effects)
{
    const auto verb = statement.as<model::TransactionControl>().verb;
    auto& file = context.file;
    const bool wrapped = file.transaction == Transaction::wrapped;
    if (verb == Verb::begin) {
        if (wrapped || file.explicit_block) {
            effects.find("MS-OPS-07",
                         wrapped ? "BEGIN inside a migration that migsafe already runs in a "
                                   "transaction: a later COMMIT ends migsafe's transaction early"
                                 : "BEGIN inside an open transaction block (nested BEGIN is "
                                   "ignored by PostgreSQL)",
                         "-- remove BEGIN/COMMIT; use -- migsafe:no-transaction where a "
                         "statement cannot run in a transaction");
        }
        file.explicit_block = true;
    } else if (verb == Verb::commit || verb == Verb::rollback) {
        if (wrapped || !file.explicit_block) {
            effects.find("MS-OPS-07",
                         wrapped ? "COMMIT/ROLLBACK inside a migration that migsafe runs in a "
                                   "transaction"
                                 : "COMMIT/ROLLBACK without a BEGIN",
                         "-- remove BEGIN/COMMIT; migsafe runs each migration in a transaction");
        }
        file.explicit_block = false;
        end_transaction(file);
    }
}

} // namespace

void plan_session(const model::Statement& statement, Context& context, Effects& effects)
{
    if (statement.kind == StatementKind::transaction) {
        transaction_control(statement, context, effects);
        return;
    }
    const auto& set = statement.as<model::SetVariable>();
    std::string name = set.name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "lock_timeout") {
        context.file.lock_timeout_ms = timeout_ms(set.value);
    } else if (name == "statement_timeout") {
        context.file.statement_timeout_ms = timeout_ms(set.value);
    } else if (name == "timezone") {
        std::string value = set.value;
        std::transform(value.begin(), value.end(), value.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        context.file.timezone_utc = value == "UTC" || value == "ETC/UTC" || value == "GMT";
    } else if (name.empty()) {
        context.file.lock_timeout_ms.reset();
        context.file.statement_timeout_ms.reset();
    }
}

void after_statement(const model::Statement& statement, Context& context, Effects& effects)
{
    auto& file = context.file;
    const bool session = statement.kind == StatementKind::set ||
                         statement.kind == StatementKind::transaction ||
                         statement.kind == StatementKind::select;
    if (!file.holding_access_exclusive.empty() && !session && context.in_transaction()) {
        effects.find("MS-OPS-03",
                     fmt::format("runs while the AccessExclusiveLock on {} is held: it "
                                 "prolongs the time every query on it waits",
                                 fmt::join(file.holding_access_exclusive, ", ")),
                     "-- move this statement to its own migration");
    }
    if (statement.kind != StatementKind::alter_type) {
        for (const auto& value : file.new_enum_values) {
            if (statement.sql.find(value) != std::string::npos) {
                effects.find("MS-BRK-07",
                             fmt::format("uses the enum value {} added in the same transaction: "
                                         "PostgreSQL fails with \"unsafe use of new value\"",
                                         value),
                             "-- commit the ADD VALUE first: move this statement to a later "
                             "migration");
                effects.findings.back().severity = Severity::error;
            }
        }
    }
    const Lock* blocking_lock = nullptr;
    for (const auto& lock : effects.locks) {
        if (blocks_writes(lock.mode) && !context.is_new(lock.relation)) {
            if (blocking_lock == nullptr || lock.mode > blocking_lock->mode) {
                blocking_lock = &lock;
            }
        }
    }
    if (blocking_lock != nullptr && !file.lock_timeout_ms) {
        effects.find("MS-OPS-01",
                     fmt::format("{} on {} is requested without lock_timeout: while it waits, "
                                 "every later query on {} queues behind it ({} blocked)",
                                 to_string(blocking_lock->mode), blocking_lock->relation,
                                 blocking_lock->relation, blocked_traffic(blocking_lock->mode)),
                     std::string(k_set_lock_timeout));
    }
    const bool long_running = !effects.rewrites.empty() || !effects.scans.empty();
    if (blocking_lock != nullptr && long_running && !file.statement_timeout_ms) {
        effects.find("MS-OPS-02",
                     fmt::format("{} scans or rewrites {} with no statement_timeout: nothing "
                                 "bounds how long it holds {}",
                                 std::string(model::to_string(statement.kind)),
                                 blocking_lock->relation, to_string(blocking_lock->mode)),
                     "SET statement_timeout = '5min';");
    }
    const auto* alter = statement.get_if<model::AlterTable>();
    const std::string altered = alter != nullptr ? alter->table.qualified() : "";
    const bool validates =
        alter != nullptr && std::any_of(alter->actions.begin(), alter->actions.end(), [](auto& a) {
            return a.kind == model::AlterTableAction::Kind::validate_constraint;
        });
    if (!altered.empty() && altered == file.last_altered && !validates &&
        !context.is_new(altered)) {
        effects.find("MS-OPS-05",
                     fmt::format("another ALTER TABLE {} right after the previous one: each "
                                 "takes its lock separately",
                                 altered),
                     "-- combine the actions into one ALTER TABLE, separated by commas");
    }
    file.last_altered = session ? file.last_altered : altered;
    if (file.transaction == Transaction::none && !file.explicit_block) {
        const bool robust = [&] {
            if (const auto* index = statement.get_if<model::CreateIndex>()) {
                return index->if_not_exists || index->concurrently; // see MS-IDX-05
            }
            if (const auto* drop = statement.get_if<model::DropIndex>()) {
                return drop->if_exists;
            }
            if (const auto* create = statement.get_if<model::CreateTable>()) {
                return create->if_not_exists;
            }
            return true;
        }();
        if (!robust) {
            effects.find("MS-OPS-06",
                         "statement in a non-transactional migration without IF [NOT] "
                         "EXISTS: a rerun after a partial failure fails here",
                         "-- add IF NOT EXISTS / IF EXISTS");
        }
        end_transaction(file);
        return;
    }
    for (const auto& lock : effects.locks) {
        if (lock.mode == LockMode::access_exclusive && !context.is_new(lock.relation)) {
            auto& held = file.holding_access_exclusive;
            if (std::find(held.begin(), held.end(), lock.relation) == held.end()) {
                held.push_back(lock.relation);
            }
        }
    }
}

void finish_file(Context& context, PlanReport& report, std::size_t first)
{
    if (!context.file.explicit_block || report.statements.size() <= first) {
        return;
    }
    const Rule& rule = plan::rule("MS-OPS-07");
    report.statements.back().findings.push_back(
        {.rule = std::string(rule.id),
         .severity = rule.severity,
         .message = "BEGIN without COMMIT: the transaction is left open at the end of the "
                    "migration",
         .fix = "COMMIT;"});
}

} // namespace migsafe::plan::detail
