// job_for: from a backfill migration file to the Job that runs it. All validation happens
// here, before any batch runs, so that a bad migration fails with nothing done.
#include "model/did_you_mean.hpp"
#include "platform/catalog/backfill_queries.hpp"
#include "platform/logging.hpp"

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace migsafe::backfill {
namespace {

namespace catalog = platform::catalog;

[[noreturn]] void invalid(const std::string& file, int line, std::string message,
                          std::string object = {}, std::string hint = {})
{
    throw Error("backfill-invalid", std::move(message),
                {.file = file, .line = line, .object = std::move(object)}, std::move(hint));
}

std::string file_name(const model::MigrationFile& file)
{
    return file.path.empty() ? file.relative_path : file.path.string();
}

// The key column: the directive's, else the single-column primary key.
std::string choose_key(const std::string& file, int line, const model::BackfillSettings* settings,
                       const std::vector<std::string>& primary_key, const std::string& table)
{
    if (settings != nullptr && !settings->key.empty()) {
        return settings->key;
    }
    if (primary_key.empty()) {
        invalid(file, line,
                fmt::format("table {} has no primary key to cut backfill batches on", table), table,
                "name a NOT NULL, indexed column with `-- migsafe:backfill key=COLUMN`");
    }
    if (primary_key.size() > 1) {
        invalid(file, line,
                fmt::format("table {} has a composite primary key ({}); backfill batches need "
                            "one key column",
                            table, fmt::join(primary_key, ", ")),
                table, "name a NOT NULL, indexed column with `-- migsafe:backfill key=COLUMN`");
    }
    return primary_key.front();
}

} // namespace

Job job_for(const model::MigrationFile& file, const model::BackfillSettings* settings,
            platform::Session& session)
{
    const auto name = file_name(file);
    const auto statements = file.statements.empty() && !file.text.empty()
                                ? model::parse_sql(file.text, file.path)
                                : file.statements;
    const model::Statement* update = nullptr;
    Job job;
    for (const auto& statement : statements) {
        const auto where = statement.file.empty() ? name : statement.file.string();
        if (statement.kind == model::StatementKind::set) {
            (update == nullptr ? job.before_sql : job.after_sql).push_back(statement.sql);
            continue;
        }
        if (const auto* unparsed = statement.get_if<model::Unparsed>()) {
            throw Error(
                "sql-syntax", unparsed->parser_message,
                {.file = where, .line = unparsed->error_line, .column = unparsed->error_column},
                "a batched backfill is rewritten by migsafe, so PostgreSQL 15's parser "
                "must read it: fix the statement at the given file:line:column");
        }
        if (statement.kind != model::StatementKind::update) {
            invalid(where, statement.line,
                    fmt::format("a backfill migration holds one UPDATE, but this statement is "
                                "a {}",
                                to_string(statement.kind)));
        }
        if (update != nullptr) {
            invalid(where, statement.line,
                    fmt::format("a backfill migration holds one UPDATE, but this is a second "
                                "one (the first is on line {})",
                                update->line),
                    {}, "split the backfill into one migration per UPDATE");
        }
        update = &statement;
    }
    if (update == nullptr) {
        invalid(name, statements.empty() ? 1 : statements.front().line,
                "a backfill migration holds one UPDATE, but this one has none");
    }
    const auto where = update->file.empty() ? name : update->file.string();
    const auto& change = update->as<model::DataChange>();
    job.table = change.table;
    job.alias = change.alias;
    job.update_sql = update->sql;
    job.file = where;
    job.line = update->line;
    if (settings != nullptr) {
        job.batch_size = settings->batch_size;
        job.pause = settings->pause;
        job.duty_cycle.adaptive =
            settings->yield == model::BackfillYield::off ? Adaptive::off : Adaptive::on;
    }
    if (job.batch_size <= 0) {
        invalid(where, settings != nullptr ? settings->line : update->line,
                fmt::format("backfill batch size {} is not positive", job.batch_size));
    }

    const auto table = change.table.qualified();
    const auto oid = catalog::table_oid(session, change.table.schema, change.table.name);
    if (!oid) {
        invalid(where, update->line, fmt::format("table {} of the backfill does not exist", table),
                table,
                "run the backfill after the migration that creates the table (or name the "
                "schema in the UPDATE)");
    }
    const auto columns = catalog::backfill_columns(session, *oid);
    const auto key_line = settings != nullptr && !settings->key.empty() && settings->line > 0
                              ? settings->line
                              : update->line;
    job.key =
        choose_key(where, key_line, settings, catalog::primary_key_columns(session, *oid), table);
    const auto column = std::find_if(columns.begin(), columns.end(),
                                     [&](const auto& c) { return c.name == job.key; });
    if (column == columns.end()) {
        std::vector<std::string_view> names;
        names.reserve(columns.size());
        for (const auto& c : columns) {
            names.emplace_back(c.name);
        }
        invalid(where, key_line,
                fmt::format("backfill key column `{}` does not exist in table {}", job.key, table),
                table + "." + job.key,
                model::detail::did_you_mean(job.key, names) +
                    "name a NOT NULL, indexed column of the table with "
                    "`-- migsafe:backfill key=COLUMN`");
    }
    if (!column->not_null) {
        invalid(where, key_line,
                fmt::format("backfill key column `{}` of table {} may be NULL, and rows with a "
                            "NULL key would never be updated",
                            job.key, table),
                table + "." + job.key, "cut batches on a NOT NULL column, such as the primary key");
    }
    if (std::find(change.set_columns.begin(), change.set_columns.end(), job.key) !=
        change.set_columns.end()) {
        invalid(where, update->line,
                fmt::format("the backfill UPDATE sets its key column `{}`: rows would move "
                            "between batches",
                            job.key),
                table + "." + job.key,
                "cut batches on a column the UPDATE does not change, such as the primary key");
    }
    if (!column->indexed) {
        migsafe::detail::log_warn(
            "{}:{}: no index starts with backfill key column {} of table {}: every "
            "batch will scan the table",
            where, key_line, job.key, table);
    }
    return job;
}

} // namespace migsafe::backfill
