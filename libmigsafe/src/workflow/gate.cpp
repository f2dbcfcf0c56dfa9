// The cut-over gate against a database: what its migsafe.history has not applied is
// judged against its flag store.
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/gate.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/status.hpp>

namespace migsafe::workflow {

std::vector<flags::GateVerdict> gate_pending(const std::string& conninfo,
                                             const model::MigrationSet& set,
                                             std::optional<flags::TimePoint> now)
{
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe gate"});
    const auto pending = still_to_run(set, compare_with_history(set, read_history(session)));
    std::vector<const model::Migration*> migrations;
    for (const auto& migration : pending.migrations) {
        migrations.push_back(&migration);
    }
    return flags::check_gates(session, migrations, now.value_or(flags::Clock::now()));
}

std::vector<std::string> archive_blockers(platform::Session& session,
                                          const model::MigrationSet& set, std::string_view key)
{
    std::vector<std::string> applied;
    for (const auto& entry : read_history(session)) {
        if (entry.is_applied()) {
            applied.push_back(entry.version.text());
        }
    }
    return flags::archive_blockers(set, applied, key);
}

} // namespace migsafe::workflow
