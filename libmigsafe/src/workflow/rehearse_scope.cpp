// Which tables' data a migration's steps can change: the data scans of a rehearsal read
// only those, unless a statement can reach further.
#include "workflow/rehearse_context.hpp"

#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>

#include <algorithm>

namespace migsafe::workflow::detail {
namespace {

/// Whether `statement` may change data beyond the tables the plan says it locks.
bool reaches_further(const model::Statement& statement, bool triggers)
{
    using Kind = model::StatementKind;
    switch (statement.kind) {
    case Kind::drop_other:
    case Kind::do_block:
    case Kind::select:
    case Kind::other:
    case Kind::unparsed:
    case Kind::truncate:    // CASCADE empties the tables that reference it
    case Kind::delete_rows: // ON DELETE CASCADE reaches the tables that reference it
        return true;
    case Kind::insert:
    case Kind::update:
        return triggers;
    default:
        return false;
    }
}

} // namespace

/// The tables whose data the up, the down file and the compensation of `migration` can
/// change (DataScope): those the plans lock, unless a statement reaches further.
DataScope data_scope(const Context& context, const model::Migration& migration,
                     const std::optional<model::MigrationFile>& down,
                     const integrity::SchemaFingerprint& schema)
{
    const bool triggers = std::any_of(schema.objects.begin(), schema.objects.end(),
                                      [](const auto& object) { return object.kind == "trigger"; });
    std::set<std::string> tables;
    auto add = [&tables](const plan::PlanReport& report, const std::string& file) {
        for (const auto& statement : report.statements) {
            if (statement.file == file) {
                for (const auto& lock : statement.locks) {
                    tables.insert(lock.relation);
                }
            }
        }
    };
    for (const auto& statement : migration.up.statements) {
        if (reaches_further(statement, triggers)) {
            return std::nullopt;
        }
    }
    add(context.plan, migration.up.relative_path);
    if (down) {
        for (const auto& statement : down->statements) {
            if (reaches_further(statement, triggers)) {
                return std::nullopt;
            }
        }
        try {
            add(plan::analyze_sql(down->text, down->relative_path), down->relative_path);
        } catch (const Error&) {
            return std::nullopt;
        }
    }
    // Scan patterns are `schema.name` as stored: a name that needs quotes or holds a
    // wildcard is scanned with the rest.
    for (const auto& table : tables) {
        if (table.find_first_of("\"*?") != std::string::npos) {
            return std::nullopt;
        }
    }
    return tables;
}

} // namespace migsafe::workflow::detail
