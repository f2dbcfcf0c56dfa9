// Running a down file or a compensation in a rehearsal database.
#include "workflow/rehearse_rollback.hpp"

#include "platform/catalog/timeouts.hpp"
#include "platform/elapsed.hpp"
#include "workflow/history_store.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/platform/transaction.hpp>
#include <migsafe/workflow/compensate.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::workflow::detail {
namespace {

using Clock = std::chrono::steady_clock;

using platform::ms_since;

/// Bounds lock waits for the session's next statements (the rollback's).
void set_lock_timeout(platform::Session& session, std::chrono::milliseconds lock_timeout)
{
    platform::catalog::set_timeouts(session, platform::catalog::SettingScope::session, lock_timeout,
                                    std::nullopt);
}

/// Runs `statements` of `file` one after the other (in the caller's transaction, if any);
/// returns false and fills the step's error at the first that fails.
bool run_statements(StepResult& step, platform::Session& session,
                    const std::vector<model::Statement>& statements, const std::string& file)
{
    for (const auto& statement : statements) {
        try {
            session.exec(statement.sql);
        } catch (const Error& error) {
            fail_step(step, file, statement.line, error.message());
            return false;
        }
    }
    return true;
}

} // namespace

void run_down(StepResult& step, platform::Session& session, const model::Migration& migration,
              const model::MigrationFile& down, std::chrono::milliseconds lock_timeout)
{
    const auto start = Clock::now();
    step.file = down.relative_path;
    set_lock_timeout(session, lock_timeout);
    if (down.directives.transactional == model::Transactional::no) {
        if (run_statements(step, session, down.statements, down.relative_path)) {
            forget(session, migration.version);
        }
    } else {
        platform::Transaction transaction(session);
        if (run_statements(step, session, down.statements, down.relative_path)) {
            forget(session, migration.version);
            transaction.commit();
        }
    }
    step.duration_ms = ms_since(start);
}

void run_compensation(StepResult& step, RollbackClaims& claims, platform::Session& session,
                      const model::MigrationSet& set, const model::Migration& migration,
                      std::chrono::milliseconds lock_timeout)
{
    const auto start = Clock::now();
    compensate::Report report;
    try {
        report =
            workflow::compensate(session, set, migration.version, {.lock_timeout = lock_timeout});
    } catch (const Error& error) {
        fail_step(step, migration.up.relative_path, 0,
                  "the compensation could not be computed: " + error.message());
        step.duration_ms = ms_since(start);
        return;
    }
    step.file = fmt::format("compensation of {}", migration.up.relative_path);
    for (const auto& s : report.steps) {
        if (s.safety == compensate::DataSafety::manual) {
            step.status = StepStatus::manual;
            step.reason += fmt::format("{}{} ({}): {}", step.reason.empty() ? "" : "; ", s.undoes,
                                       s.original, s.note);
        }
        if (s.safety == compensate::DataSafety::needs_snapshot) {
            claims.needs_snapshot.push_back(fmt::format("{} ({})", s.undoes, s.original));
        }
        if (!s.archive.empty() && std::find(claims.archives.begin(), claims.archives.end(),
                                            s.archive) == claims.archives.end()) {
            claims.archives.push_back(s.archive);
        }
    }
    claims.declares_all = true;
    if (step.status == StepStatus::manual) {
        step.duration_ms = ms_since(start);
        return;
    }
    set_lock_timeout(session, lock_timeout);
    claims.archive_schema = report.archive_schema;
    claims.ran = true;
    const auto transactional = report.transactional_sql();
    if (!transactional.empty()) {
        platform::Transaction transaction(session);
        const auto statements = model::parse_sql(transactional, step.file);
        collect_moved(statements, claims.moved);
        if (!run_statements(step, session, statements, step.file)) {
            step.duration_ms = ms_since(start);
            return;
        }
        forget(session, migration.version);
        transaction.commit();
    } else {
        forget(session, migration.version);
    }
    const auto outside = report.no_transaction_sql();
    if (!outside.empty()) {
        if (!run_statements(step, session, model::parse_sql(outside, step.file + " (concurrently)"),
                            step.file + " (concurrently)")) {
            step.duration_ms = ms_since(start);
            return;
        }
    }
    step.status = StepStatus::ok;
    step.duration_ms = ms_since(start);
}

} // namespace migsafe::workflow::detail
