// The start state of a rehearsal: the scratch database checked, the migrations before
// --from applied (or a live schema copied), rows generated or loaded.
#include "platform/catalog/rehearse_queries.hpp"
#include "platform/catalog/row_generator.hpp"
#include "snapshot/layout.hpp"
#include "trace/schema_copy.hpp"
#include "workflow/history_store.hpp"
#include "workflow/rehearse_context.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/libpq_environment.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/version.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

namespace migsafe::workflow::detail {
namespace {

/// `migrations before `from` are applied` as read from another database's schema: their
/// history rows say adopted.
void adopt_earlier(platform::Session& session, const model::MigrationSet& set, std::size_t first)
{
    ensure_history(session);
    for (std::size_t i = 0; i < first; ++i) {
        const auto& m = set.migrations[i];
        HistoryEntry entry;
        entry.version = m.version;
        entry.name = m.name;
        entry.file = m.up.relative_path;
        entry.checksum = file_checksum(m.up.text);
        entry.phase = m.up.directives.phase ? std::string(model::to_string(*m.up.directives.phase))
                                            : std::string("expand");
        entry.transactional = m.up.directives.transactional == model::Transactional::yes;
        entry.status = HistoryStatus::adopted;
        entry.statements_total = static_cast<int>(m.up.statements.size());
        entry.statements_applied = entry.statements_total;
        entry.started_at = snapshot::detail::rfc3339(std::chrono::system_clock::now());
        entry.finished_at = entry.started_at;
        entry.migsafe_version = MIGSAFE_VERSION_STRING;
        entry.run_id = "rehearse";
        entry.provenance = R"({"tool": "rehearse", "why": "schema read from --schema-from"})";
        record(session, entry, true);
    }
}

/// Runs `file` with psql on `conninfo`, stopping at the first error, in one transaction.
void load_data(const std::string& conninfo, const std::filesystem::path& file)
{
    auto binaries = platform::find_pg_binaries({.required = {"psql"}});
    auto result = platform::run_process(
        {.program = binaries.program("psql").string(),
         .args = {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", file.string()},
         .env = platform::libpq_environment(conninfo),
         .on_failure = platform::OnFailure::return_result});
    if (result.exit_code != 0) {
        throw Error("rehearse-data-failed",
                    fmt::format("{} did not load: {}", file.string(), result.err),
                    {.file = file.string()});
    }
}

} // namespace

/// Refuses a database that another history says is deployed, or one left dirty.
void check_scratch(const std::string& conninfo, bool confirmed)
{
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe rehearse"});
    const auto history = read_history(session);
    for (const auto& entry : history) {
        if (entry.status == HistoryStatus::failed || entry.status == HistoryStatus::partial) {
            throw Error("rehearse-dirty",
                        fmt::format("{} holds migration {} ({}) in status {}: the scratch "
                                    "database is not in a known state",
                                    session.redacted_conninfo(), entry.version.text(), entry.file,
                                    to_string(entry.status)),
                        {.object = "--db"});
        }
    }
    const auto tables = platform::catalog::user_table_count(session);
    if (!confirmed && (!history.empty() || tables > 0)) {
        throw Error("rehearse-not-scratch",
                    fmt::format("{} is not an empty scratch database: its migsafe.history "
                                "holds {} applied migration(s) and it has {} table(s); "
                                "rehearse copies it and runs every migration and rollback on "
                                "its server",
                                session.redacted_conninfo(), history.size(), tables),
                    {.object = "--db"});
    }
}

/// Builds the start state in `work`: the migrations before `first` (applied, or adopted
/// after copying a live schema), then rows.
std::string build_start(const Context& context, RehearsalDatabase& work, std::size_t first)
{
    const auto& options = context.options;
    const auto& set = context.set;
    const auto conninfo = work.conninfo();
    std::string start;
    if (!options.schema_from.empty()) {
        trace::detail::copy_schema(options.schema_from, work.session());
        adopt_earlier(work.session(), set, first);
        start = fmt::format("the schema of {}", migsafe::redact_conninfo(options.schema_from));
    } else if (first > 0) {
        // Those the scratch database already holds are not run again.
        const auto& last = set.migrations[first - 1];
        const auto failed = [&](const std::string& file, int line, const std::string& message) {
            return Error("rehearse-start-failed",
                         fmt::format("the migrations before {} do not apply: {}{}: {}",
                                     set.migrations[first].version.text(), file,
                                     line > 0 ? fmt::format(":{}", line) : "", message),
                         {.file = file, .line = line});
        };
        try {
            const auto report =
                apply(work.session(), conninfo, set, context.apply_options(last.version));
            if (!report.problems.empty()) {
                throw failed(last.up.relative_path, 0, report.problems.front());
            }
        } catch (const Error& error) {
            if (error.code() == "rehearse-start-failed") {
                throw;
            }
            throw failed(error.context().file, error.context().line, error.message());
        }
        start = fmt::format("{} migration(s) before {} applied", first,
                            set.migrations[first].version.text());
    } else {
        start = "an empty database";
    }
    if (!options.data_file.empty()) {
        load_data(conninfo, options.data_file);
        start += fmt::format(", then {}", options.data_file.string());
    } else if (options.rows > 0) {
        const auto filled = platform::catalog::fill_empty_tables(work.session(), options.rows);
        start += filled.filled.empty()
                     ? fmt::format("; each table a migration creates gets {} generated rows",
                                   options.rows)
                     : fmt::format(", then {} generated rows in each of {} table(s) (and in "
                                   "each table a migration creates)",
                                   options.rows, filled.filled.size());
    }
    return start;
}

} // namespace migsafe::workflow::detail
