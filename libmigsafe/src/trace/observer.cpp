// What one statement did: new locks on pre-existing relations, new relfilenodes, and
// sequential scans started.
#include "trace/observer.hpp"

#include <algorithm>
#include <vector>

namespace migsafe::trace::detail {

namespace catalog = platform::catalog;

RelationKind relation_kind(char relkind) noexcept
{
    switch (relkind) {
    case 'r':
        return RelationKind::table;
    case 'p':
        return RelationKind::partitioned_table;
    case 'i':
    case 'I':
        return RelationKind::index;
    case 'S':
        return RelationKind::sequence;
    case 'v':
        return RelationKind::view;
    case 'm':
        return RelationKind::materialized_view;
    default:
        return RelationKind::other;
    }
}

Observer::Snapshot Observer::take()
{
    Snapshot snapshot;
    for (auto& relation : catalog::user_relations(m_session)) {
        const auto oid = relation.oid;
        snapshot.relations.emplace(oid, std::move(relation));
    }
    for (auto& lock : catalog::own_relation_locks(m_session)) {
        snapshot.locks.emplace(lock.relation, std::move(lock.mode));
    }
    for (const auto& counter : catalog::transaction_seq_scans(m_session)) {
        snapshot.seq_scans[counter.relation] = counter.seq_scans;
    }
    return snapshot;
}

void Observer::start()
{
    m_existing.clear();
    for (const auto& relation : catalog::user_relations(m_session)) {
        m_existing.insert(relation.oid);
    }
}

void Observer::before()
{
    m_before = take();
}

namespace {

bool by_relation_then_mode(const ObservedLock& a, const ObservedLock& b)
{
    return a.relation != b.relation ? a.relation < b.relation : a.mode < b.mode;
}

} // namespace

void Observer::after(StatementTrace& out)
{
    const Snapshot now = take();
    // Names and kinds as they were before the statement (it may rename or drop them).
    auto lock_of =
        [&](const std::pair<std::int64_t, std::string>& lock) -> std::optional<ObservedLock> {
        const auto relation = m_before.relations.find(lock.first);
        const auto mode = plan::parse_lock_mode(lock.second);
        if (!m_existing.contains(lock.first) || relation == m_before.relations.end() || !mode) {
            return std::nullopt;
        }
        return ObservedLock{.relation = relation->second.qualified,
                            .mode = *mode,
                            .kind = relation_kind(relation->second.kind)};
    };
    for (const auto& lock : now.locks) {
        if (!m_before.locks.contains(lock)) {
            if (auto observed = lock_of(lock)) {
                out.locks.push_back(std::move(*observed));
            }
        }
    }
    for (const auto& lock : m_before.locks) {
        if (auto observed = lock_of(lock)) {
            out.held_before.push_back(std::move(*observed));
        }
    }
    std::sort(out.locks.begin(), out.locks.end(), by_relation_then_mode);
    std::sort(out.held_before.begin(), out.held_before.end(), by_relation_then_mode);

    std::vector<std::int64_t> scanned;
    for (const auto& [oid, relation] : m_before.relations) {
        if (!m_existing.contains(oid)) {
            continue;
        }
        const auto kind = relation_kind(relation.kind);
        const auto after = now.relations.find(oid);
        const bool heap = kind == RelationKind::table || kind == RelationKind::materialized_view;
        const bool renewed = after != now.relations.end() && relation.filenode != 0 &&
                             after->second.filenode != relation.filenode;
        if (heap && renewed) {
            out.rewrites.push_back(relation.qualified);
        } else if (kind == RelationKind::index && renewed) {
            out.rebuilt_indexes.push_back(relation.qualified);
        }
        const auto scans_before = m_before.seq_scans.find(oid);
        const auto scans_after = now.seq_scans.find(oid);
        const std::int64_t was =
            scans_before == m_before.seq_scans.end() ? 0 : scans_before->second;
        if (scans_after != now.seq_scans.end() && scans_after->second > was) {
            scanned.push_back(oid);
        }
    }
    for (const auto oid : scanned) {
        const auto& relation = m_before.relations.at(oid);
        // After TRUNCATE the indexes are rebuilt over the new, empty heap: that counts as
        // a sequential scan but reads nothing.
        const bool rewritten = std::find(out.rewrites.begin(), out.rewrites.end(),
                                         relation.qualified) != out.rewrites.end();
        if (!rewritten || !catalog::relation_is_empty(m_session, oid)) {
            out.scans.push_back(relation.qualified);
        }
    }
    std::sort(out.rewrites.begin(), out.rewrites.end());
    std::sort(out.rebuilt_indexes.begin(), out.rebuilt_indexes.end());
    std::sort(out.scans.begin(), out.scans.end());
}

} // namespace migsafe::trace::detail
