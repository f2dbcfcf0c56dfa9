// Statements PostgreSQL 15's parser rejects. A form migsafe knows from a newer version is
// planned as its PostgreSQL 15 equivalent; anything else as the worst case: every relation
// it names locked ACCESS EXCLUSIVE, a rewrite or full read possible. Either way MS-OPS-11
// says the statement was not parsed, at a severity that says how sure the plan is.
#include "plan/effects.hpp"
#include "plan/newer_syntax.hpp"

#include <migsafe/model/parser.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

std::string rejected_at(const model::Unparsed& unparsed)
{
    return fmt::format("PostgreSQL 15's parser rejects it at {}:{} ({})", unparsed.error_line,
                       unparsed.error_column, unparsed.parser_message);
}

/// Plans a recognised form that the version planned for accepts.
void plan_known_form(const model::Statement& statement, const NewerForm& form, Context& context,
                     Effects& effects)
{
    if (!form.equivalent.empty()) {
        auto equivalents = model::parse_sql(form.equivalent, statement.file);
        model::Statement& equivalent = equivalents.front();
        equivalent.line = statement.line;
        equivalent.column = statement.column;
        plan_alter_table(equivalent, context, effects);
    } else {
        effects.lock(context, form.table, LockMode::access_exclusive);
        effects.at_least(Phase::expand);
        if (form.rewrites && !context.is_new(form.table)) {
            effects.rewrite(context, form.table);
            effects.find("MS-COL-05",
                         blocking(form.name, form.table, LockMode::access_exclusive) +
                             " while every row's stored value is computed again (a rewrite)",
                         "add a new column with the new expression, switch readers to it, "
                         "and drop the old one in a later release");
        }
    }
    effects.find(
        "MS-OPS-11",
        fmt::format("read from its words as PostgreSQL {}'s {}{} ({})", form.since, form.name,
                    form.equivalent.empty() ? "" : ", planned as `" + form.equivalent + "`",
                    rejected_at(statement.as<model::Unparsed>())));
    effects.findings.back().severity = Severity::info;
}

/// The relations the worst case locks: those the words name where only a relation can
/// stand, and with a catalog (`--db`) every name that is one of its tables.
std::vector<std::string> named_relations(const model::Unparsed& unparsed, const Context& context)
{
    std::vector<std::string> out;
    const auto add = [&](const std::string& relation) {
        if (std::find(out.begin(), out.end(), relation) == out.end()) {
            out.push_back(relation);
        }
    };
    for (const auto& relation : unparsed.relations) {
        add(relation.qualified());
    }
    if (context.options().catalog != nullptr) {
        for (const auto& name : unparsed.names) {
            if (context.existing(name.qualified()) != nullptr) {
                add(name.qualified());
            }
        }
    }
    return out;
}

Phase guessed_phase(const model::Unparsed& unparsed)
{
    const auto first = unparsed.words.empty() ? std::string() : unparsed.words.front().text;
    if (first == "drop" || first == "alter" || first == "truncate") {
        return Phase::contract; // the worst an ALTER can be
    }
    if (first == "update" || first == "delete" || first == "insert" || first == "merge") {
        return Phase::backfill;
    }
    return first == "create" ? Phase::expand : Phase::none;
}

} // namespace

void plan_unparsed(const model::Statement& statement, Context& context, Effects& effects)
{
    const auto& unparsed = statement.as<model::Unparsed>();
    const int version = context.options().pg_version;
    const auto form = recognise_newer_form(unparsed);
    if (form && version >= form->since) {
        plan_known_form(statement, *form, context, effects);
        return;
    }
    const auto relations = named_relations(unparsed, context);
    for (const auto& relation : relations) {
        effects.lock(context, relation, LockMode::access_exclusive);
    }
    effects.at_least(guessed_phase(unparsed));
    const std::string worst =
        relations.empty()
            ? "planned as the worst case: it may lock, rewrite or read any table"
            : fmt::format("planned as the worst case: AccessExclusiveLock on {}, and a rewrite "
                          "or full read possible",
                          fmt::join(relations, ", "));
    std::string message;
    Severity severity = Severity::warning;
    if (form) {
        message = fmt::format("{} is PostgreSQL {} syntax, but the plan is for PostgreSQL {}, "
                              "whose server rejects it; {}",
                              form->name, form->since, version, worst);
        severity = Severity::error;
    } else if (unparsed.accepted_by_server > 0) {
        message = fmt::format("{}, but the server (PostgreSQL {}) accepts it: not analysed, {}",
                              rejected_at(unparsed), unparsed.accepted_by_server / 10000, worst);
    } else if (version <= 15) {
        message = fmt::format("{}: a typo, or syntax of a newer PostgreSQL (pass --db to let your "
                              "server judge, or --pg-version with its version); not analysed, {}",
                              rejected_at(unparsed), worst);
        severity = Severity::error;
    } else {
        message = fmt::format("needs a newer parser than PostgreSQL 15's ({}; or it is a typo, "
                              "which --db would tell): not analysed, {}",
                              rejected_at(unparsed), worst);
    }
    effects.find("MS-OPS-11", std::move(message));
    effects.findings.back().severity = severity;
}

} // namespace migsafe::plan::detail
