// The state of a rehearsal database and the verdicts of the steps that lead to one.
#include "workflow/rehearse_state.hpp"

#include "platform/catalog/rehearse_queries.hpp"

#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/session.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::workflow::detail {
namespace {

bool allows(const model::Directives* directives, std::string_view rule)
{
    if (directives == nullptr) {
        return false;
    }
    return std::any_of(directives->allowed.begin(), directives->allowed.end(),
                       [&](const model::AllowedFinding& a) { return a.rule_id == rule; });
}

/// The bare name of `qualified` (`public.t` -> `t`), unquoted.
std::string bare(const std::string& qualified)
{
    auto name = qualified.substr(qualified.rfind('.') + 1);
    name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
    return name;
}

/// Fills `loss.archive` and `loss.declared` from what the rollback says about the table
/// `table` (and `column`): an archive named after them (`t__c__0007`, or `t__0007` for a
/// table), an allow directive of `rule` or `other_rule`, or a compensation.
void claim(DataLoss& loss, const RollbackClaims& claims, std::string_view rule,
           std::string_view other_rule = {})
{
    const std::string stem =
        bare(loss.table) + (loss.column.empty() ? std::string() : "__" + loss.column) + "__";
    for (const auto& archive : claims.archives) {
        if (bare(archive).rfind(stem, 0) == 0) {
            loss.archive = archive;
        }
    }
    loss.declared = claims.declares_all || allows(claims.directives, rule) ||
                    (!other_rule.empty() && allows(claims.directives, other_rule));
}

} // namespace

integrity::IntegrityReport read_data(platform::Session& session, const DataScope& scope)
{
    integrity::ScanOptions options{.exclude = {"migsafe.*", "migsafe_archive.*"}};
    if (scope) {
        if (scope->empty()) {
            return {}; // nothing the steps can change
        }
        options.tables.assign(scope->begin(), scope->end());
    }
    return integrity::scan(session, options);
}

DatabaseState read_state(platform::Session& session, const DataScope& scope)
{
    DatabaseState state;
    state.schema = integrity::read_schema(session);
    state.data = read_data(session, scope);
    return state;
}

ColumnValues count_values(platform::Session& session, const DatabaseState& state,
                          const DataScope& scope)
{
    ColumnValues values;
    for (const auto& table : state.data.tables) {
        const auto name = table.qualified_name();
        if ((scope && scope->count(name) == 0) || table.kind == integrity::TableKind::partitioned ||
            table.checksum.rows == 0) {
            continue;
        }
        const auto counts =
            platform::catalog::non_null_counts(session, table.schema, table.name, table.columns);
        for (std::size_t i = 0; i < counts.size() && i < table.columns.size(); ++i) {
            values[name][table.columns[i]] = counts[i];
        }
    }
    return values;
}

void collect_moved(const std::vector<model::Statement>& statements, std::set<std::string>& moved)
{
    using Kind = model::AlterTableAction::Kind;
    for (const auto& statement : statements) {
        const auto* alter = statement.get_if<model::AlterTable>();
        if (alter == nullptr) {
            continue;
        }
        const auto table = alter->table.qualified();
        for (const auto& action : alter->actions) {
            if (action.kind == Kind::rename_column) {
                moved.insert(table + "." + action.column);
            } else if (action.kind == Kind::rename_table) {
                moved.insert(table);
            }
        }
    }
}

void fail_step(StepResult& step, const std::string& file, int line, const std::string& message)
{
    step.status = StepStatus::failed;
    if (!file.empty()) {
        step.file = file; // where the failure is, which may be another file than the step's
    }
    step.error_line = line;
    step.error = message;
}

void judge_schema(StepResult& step, const integrity::SchemaFingerprint& expected,
                  const integrity::SchemaFingerprint& now)
{
    for (const auto& difference : integrity::diff_schema(expected, now)) {
        // A constraint left validated where it was NOT VALID is stricter, not broken:
        // PostgreSQL cannot take a validation back short of dropping the constraint.
        const bool stricter = difference.change == integrity::SchemaChange::changed &&
                              difference.attribute == "validated" && difference.expected == "no" &&
                              difference.actual == "yes";
        if (difference.note_only || stricter) {
            step.notes.push_back(difference.describe() +
                                 (stricter ? " (validated: stricter than before)" : ""));
        } else {
            step.differences.push_back(difference.describe());
        }
    }
    step.status = step.differences.empty() ? StepStatus::ok : StepStatus::failed;
}

void judge_rollback(StepResult& step, const DatabaseState& before, const DatabaseState& after_up,
                    const DatabaseState& now, const ColumnValues& values,
                    const RollbackClaims& claims)
{
    judge_schema(step, before.schema, now.schema);

    // Data the migration's result held that the rollback destroyed.
    for (const auto& table : after_up.data.tables) {
        const auto name = table.qualified_name();
        const auto* kept = now.data.find_table(name);
        if (kept == nullptr) {
            if (table.checksum.rows > 0 && table.kind != integrity::TableKind::partitioned &&
                claims.moved.count(name) == 0) {
                DataLoss loss{.table = name, .rows = table.checksum.rows};
                claim(loss, claims, "MS-BRK-04", "MS-BRK-06");
                step.losses.push_back(std::move(loss));
            }
            continue;
        }
        if (table.kind == integrity::TableKind::partitioned) {
            continue; // its leaves are compared one by one
        }
        for (const auto& column : table.columns) {
            if (std::find(kept->columns.begin(), kept->columns.end(), column) !=
                    kept->columns.end() ||
                claims.moved.count(name + "." + column) > 0) {
                continue;
            }
            std::uint64_t lost = table.checksum.rows; // not counted: at most every row
            if (auto t = values.find(name); t != values.end()) {
                if (auto c = t->second.find(column); c != t->second.end()) {
                    lost = c->second;
                }
            }
            if (lost > 0) {
                DataLoss loss{.table = name, .column = column, .rows = lost};
                claim(loss, claims, "MS-BRK-01");
                step.losses.push_back(std::move(loss));
            }
        }
    }
    // Rows of tables that were there before the migration, not put back as they were.
    for (const auto& table : before.data.tables) {
        const auto name = table.qualified_name();
        const auto* kept = now.data.find_table(name);
        if (kept == nullptr || kept->columns != table.columns ||
            table.kind == integrity::TableKind::partitioned || kept->checksum == table.checksum) {
            continue;
        }
        const auto was = table.checksum.rows;
        const auto is = kept->checksum.rows;
        step.notes.push_back(fmt::format("data of {} is not as before the migration: {} rows, "
                                         "was {}{}",
                                         name, is, was, is == was ? " (values differ)" : ""));
        if (is <= was) {
            DataLoss loss{.table = name, .rows = is < was ? was - is : is, .changed = is == was};
            claim(loss, claims, "MS-BRK-06");
            step.losses.push_back(std::move(loss));
        }
    }
    if (step.status == StepStatus::failed && step.error.empty() && !claims.needs_snapshot.empty()) {
        // The compensation said it cannot put these back without a snapshot.
        for (auto& difference : step.differences) {
            step.notes.push_back("without a snapshot: " + difference);
        }
        step.differences.clear();
        step.reason = "needs a snapshot for " + claims.needs_snapshot.front() +
                      (claims.needs_snapshot.size() > 1
                           ? fmt::format(" and {} more step(s)", claims.needs_snapshot.size() - 1)
                           : std::string());
        step.status = StepStatus::lossy;
    }
    if (step.status == StepStatus::ok && !step.losses.empty()) {
        step.status = StepStatus::lossy;
    }
}

} // namespace migsafe::workflow::detail
