// Recording effects: one lock per relation (the strongest), no duplicates.
#include "plan/effects.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& relation)
{
    if (std::find(list.begin(), list.end(), relation) == list.end()) {
        list.push_back(relation);
    }
}

} // namespace

void Effects::lock(const Context& context, const std::string& relation, LockMode mode)
{
    if (context.created_in_file(relation)) {
        return;
    }
    auto it = std::find_if(locks.begin(), locks.end(),
                           [&](const Lock& l) { return l.relation == relation; });
    if (it == locks.end()) {
        locks.push_back({relation, mode});
    } else {
        it->mode = std::max(it->mode, mode);
    }
}

void Effects::rewrite(const Context& context, const std::string& relation)
{
    if (!context.created_in_file(relation)) {
        add_unique(rewrites, relation);
    }
}

void Effects::scan(const Context& context, const std::string& relation)
{
    if (!context.created_in_file(relation)) {
        add_unique(scans, relation);
    }
}

void Effects::find(std::string_view rule_id, std::string message, std::string fix)
{
    findings.push_back({.rule = std::string(rule_id),
                        .severity = rule(rule_id).severity,
                        .message = std::move(message),
                        .fix = std::move(fix)});
}

void Effects::at_least(Phase next)
{
    auto rank = [](Phase p) { return p == Phase::none ? -1 : static_cast<int>(p); };
    if (rank(next) > rank(phase)) {
        phase = next;
    }
}

std::string blocking(std::string_view what, const std::string& relation, LockMode mode)
{
    return fmt::format("{} takes {} on {}: blocks {}", what, to_string(mode), relation,
                       blocked_traffic(mode));
}

std::string short_name(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).name;
}

void touch_column_foreign_keys(const std::string& table, const std::string& column, bool rebuilt,
                               const Context& context, Effects& effects)
{
    const model::CatalogFacts* catalog = context.options().catalog;
    if (context.is_new(table)) {
        return;
    }
    auto has = [&](const std::vector<std::string>& columns) {
        return std::find(columns.begin(), columns.end(), column) != columns.end();
    };
    if (catalog == nullptr) {
        // Without --db: the foreign keys the migration set defined, the same way.
        for (const auto& key : context.release.known_foreign_keys) {
            std::string other;
            const auto primary = context.release.primary_key.find(table);
            const bool to_column =
                key.referenced == table &&
                (has(key.referenced_columns) ||
                 (key.referenced_columns.empty() && primary != context.release.primary_key.end() &&
                  has(primary->second)));
            if (key.table == table && has(key.columns)) {
                other = key.referenced;
            } else if (to_column) {
                other = key.table;
            }
            if (other.empty() || other == table) {
                continue;
            }
            effects.lock(context, other, LockMode::access_exclusive);
            if (rebuilt && key.validated) {
                effects.scan(context, other);
            }
        }
        return;
    }
    for (const auto& key : catalog->foreign_keys_of(table)) {
        std::string other;
        if (key.table == table && has(key.columns)) {
            other = key.referenced;
        } else if (key.referenced == table && has(key.referenced_columns)) {
            other = key.table;
        }
        if (other.empty() || other == table) {
            continue;
        }
        effects.lock(context, other, LockMode::access_exclusive);
        if (rebuilt && key.validated) {
            effects.scan(context, other);
        }
    }
}

bool lock_keys_into(const std::string& parent, LockMode mode, bool scan, const Context& context,
                    Effects& effects)
{
    const model::CatalogFacts* catalog = context.options().catalog;
    if (catalog == nullptr || context.is_new(parent)) {
        return false;
    }
    bool found = false;
    for (const auto& key : catalog->foreign_keys_of(parent)) {
        if (key.referenced == parent && key.table != parent) {
            found = true;
            effects.lock(context, key.table, mode);
            if (scan) {
                effects.scan(context, key.table);
            }
        }
    }
    return found;
}

} // namespace migsafe::plan::detail
