// Relations made from a query (CREATE VIEW / MATERIALIZED VIEW / TABLE ... AS): parse
// analysis takes AccessShareLock on every relation the query names, and running the query
// (not for a plain view, nor WITH NO DATA) reads them.
#include "plan/effects.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <algorithm>

namespace migsafe::plan::detail {

void plan_create_view(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::expand);
    const auto& view = statement.as<model::CreateView>();
    const bool runs = view.kind != model::CreateView::Kind::view && view.with_data;
    std::vector<std::string> reads;
    for (const auto& relation : view.reads) {
        const std::string name = relation.qualified();
        reads.push_back(name);
        effects.lock(context, name, LockMode::access_share);
        if (runs) {
            effects.scan(context, name);
        }
    }
    const std::string name = view.name.qualified();
    if (view.or_replace && view.kind == model::CreateView::Kind::view) {
        // Replacing an existing view takes AccessExclusiveLock on it.
        effects.lock(context, name, LockMode::access_exclusive);
    }
    context.release.created.emplace(name, context.file.file);
    if (view.kind == model::CreateView::Kind::materialized_view) {
        context.release.view_reads[name] = std::move(reads);
    }
}

std::vector<std::string> view_reads(const Context& context, const std::string& view)
{
    if (auto known = context.release.view_reads.find(view);
        known != context.release.view_reads.end()) {
        return known->second;
    }
    const model::TableFacts* facts = context.existing(view);
    return facts == nullptr ? std::vector<std::string>{} : facts->reads;
}

bool has_index(const Context& context, const std::string& relation)
{
    const auto& indexes = context.release.index_table;
    if (std::any_of(indexes.begin(), indexes.end(),
                    [&](const auto& index) { return index.second == relation; })) {
        return true;
    }
    const model::TableFacts* facts = context.existing(relation);
    return facts != nullptr && !facts->indexes.empty();
}

std::vector<ForeignKeyNeighbour> foreign_key_neighbours(const Context& context,
                                                        const std::string& table)
{
    std::vector<ForeignKeyNeighbour> found;
    auto add = [&](const std::string& other, const std::string& constraint, bool referencing) {
        if (other == table ||
            std::any_of(found.begin(), found.end(),
                        [&](const ForeignKeyNeighbour& n) { return n.table == other; })) {
            return;
        }
        found.push_back({other, constraint, referencing});
    };
    if (const model::CatalogFacts* catalog = context.options().catalog;
        catalog != nullptr && !context.is_new(table)) {
        for (const auto& key : catalog->foreign_keys_of(table)) {
            if (key.referenced == table) {
                add(key.table, key.name, true);
            } else {
                add(key.referenced, key.name, false);
            }
        }
    }
    for (const auto& [child, constraints] : context.release.constraints) {
        for (const auto& [name, constraint] : constraints) {
            if (constraint.kind != model::Constraint::Kind::foreign_key) {
                continue;
            }
            if (constraint.referenced == table) {
                add(child, name, true);
            } else if (child == table && !constraint.referenced.empty()) {
                add(constraint.referenced, name, false);
            }
        }
    }
    return found;
}

} // namespace migsafe::plan::detail
