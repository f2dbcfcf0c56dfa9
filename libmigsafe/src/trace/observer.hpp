#pragma once
// Private: per-statement observation inside the traced transaction. Snapshot before the
// statement (relations, own locks, scan counters), compare after.

#include "platform/catalog/trace_queries.hpp"

#include <migsafe/platform/session.hpp>
#include <migsafe/trace/trace.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace migsafe::trace::detail {

/// Watches one transaction: `start()` once when it begins, then `before()` and
/// `after()` around each statement.
class Observer {
public:
    explicit Observer(platform::Session& session)
        : m_session(session)
    {
    }

    /// Records the relations that exist when the migration starts: only they are reported.
    void start();
    /// Snapshots relations, own locks and scan counters before a statement.
    void before();
    /// Fills `out`'s locks, held_before, rewrites and scans from what changed since
    /// `before()`.
    void after(StatementTrace& out);

private:
    struct Snapshot {
        std::map<std::int64_t, platform::catalog::RelationRow> relations{};
        std::set<std::pair<std::int64_t, std::string>> locks{};
        std::map<std::int64_t, std::int64_t> seq_scans{};
    };
    Snapshot take();

    platform::Session& m_session;
    std::set<std::int64_t> m_existing{};
    Snapshot m_before{};
};

/// pg_class.relkind as a RelationKind.
RelationKind relation_kind(char relkind) noexcept;

} // namespace migsafe::trace::detail
