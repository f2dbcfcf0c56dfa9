// The rehearsal report: its names, its verdict, its text form and its JSON form
// (docs/json.md, "rehearse"). The JUnit XML form is rehearse_junit.cpp.
#include "model/version_format.hpp"
#include "platform/enum_names.hpp"
#include "workflow/rehearse_verdict.hpp"

#include <migsafe/plan/report.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace migsafe::workflow {

constexpr platform::EnumNames<StepStatus, 7> k_step_status_names{
    {{{StepStatus::ok, "ok"},
      {StepStatus::failed, "failed"},
      {StepStatus::lossy, "lossy"},
      {StepStatus::missing, "missing"},
      {StepStatus::manual, "manual"},
      {StepStatus::skipped, "skipped"},
      {StepStatus::not_applicable, "not-applicable"}}}};
static_assert(k_step_status_names.unique());

std::string_view to_string(StepStatus status) noexcept
{
    return k_step_status_names.name(status);
}

std::string DataLoss::describe() const
{
    const char* where = column.empty() ? "table" : "column";
    const std::string what = column.empty() ? table : table + "." + column;
    std::string kept = archive.empty() ? "not archived" : "archived in " + archive;
    if (declared) {
        kept += ", declared";
    }
    if (changed) {
        // The rows are still there, holding other values than before the migration.
        return fmt::format("{} {}: {} {} changed, not put back ({})", where, what, rows,
                           rows == 1 ? "row" : "rows", kept);
    }
    const char* unit = column.empty() ? (rows == 1 ? "row" : "rows")
                                      : (rows == 1 ? "non-null value" : "non-null values");
    return fmt::format("{} {}: {} {} lost ({})", where, what, rows, unit, kept);
}

namespace detail {

constexpr platform::EnumNames<StepRole, 6> k_step_role_names{
    {{{StepRole::up, "up"},
      {StepRole::down, "down"},
      {StepRole::compensation, "compensation"},
      {StepRole::redo, "redo"},
      {StepRole::resume, "resume"},
      {StepRole::rollback, "rollback"}}}};
static_assert(k_step_role_names.unique());

std::string_view to_string(StepRole role) noexcept
{
    return k_step_role_names.name(role);
}

bool step_fails(const StepResult& step, StepRole role, FailOn fail_on) noexcept
{
    if (step.status == StepStatus::failed) {
        return true;
    }
    if (step.status != StepStatus::lossy) {
        return false;
    }
    if (fail_on == FailOn::lossy) {
        return true;
    }
    // A down file says what it destroys only through an `-- migsafe:allow` (declared): a
    // loss neither declared nor kept anywhere is the silent one the verdict exists for. The
    // compensation names each loss in its own report, and an interruption's rollback is
    // judged by its status only.
    return role == StepRole::down &&
           std::any_of(step.losses.begin(), step.losses.end(),
                       [](const DataLoss& loss) { return !loss.declared && loss.archive.empty(); });
}

bool interrupt_fails(const MigrationRehearsal& migration, FailOn fail_on) noexcept
{
    if (migration.interrupt == StepStatus::failed) {
        return true;
    }
    return std::any_of(migration.interruptions.begin(), migration.interruptions.end(),
                       [&](const Interruption& cut) {
                           return step_fails(cut.resume, StepRole::resume, fail_on) ||
                                  step_fails(cut.rollback, StepRole::rollback, fail_on);
                       });
}

MigrationOutcome outcome(const MigrationRehearsal& migration, FailOn fail_on) noexcept
{
    const std::array<std::pair<const StepResult*, StepRole>, 4> steps = {{
        {&migration.up, StepRole::up},
        {&migration.down, StepRole::down},
        {&migration.compensation, StepRole::compensation},
        {&migration.redo, StepRole::redo},
    }};
    bool lossy = false;
    for (const auto& [step, role] : steps) {
        if (step_fails(*step, role, fail_on)) {
            return MigrationOutcome::failed;
        }
        lossy = lossy || step->status == StepStatus::lossy;
    }
    if (interrupt_fails(migration, fail_on)) {
        return MigrationOutcome::failed;
    }
    for (const auto& cut : migration.interruptions) {
        lossy = lossy || cut.rollback.status == StepStatus::lossy;
    }
    return lossy ? MigrationOutcome::lossy : MigrationOutcome::passed;
}

constexpr platform::EnumNames<MigrationOutcome, 3> k_migration_outcome_names{
    {{{MigrationOutcome::passed, "passed"},
      {MigrationOutcome::failed, "failed"},
      {MigrationOutcome::lossy, "lossy"}}}};
static_assert(k_migration_outcome_names.unique());

std::string_view to_string(MigrationOutcome outcome) noexcept
{
    return k_migration_outcome_names.name(outcome);
}

std::string suite_name(const MigrationRehearsal& migration)
{
    return fmt::format("{:04}_{}", migration.version, migration.name);
}

} // namespace detail

namespace {

using detail::MigrationOutcome;
using detail::StepRole;

struct Counts {
    int passed = 0;
    int failed = 0;
    int lossy = 0;
    int without_down = 0;
};

Counts count(const RehearseReport& report)
{
    Counts counts;
    for (const auto& m : report.migrations) {
        switch (detail::outcome(m, report.fail_on)) {
        case MigrationOutcome::passed:
            ++counts.passed;
            break;
        case MigrationOutcome::failed:
            ++counts.failed;
            break;
        case MigrationOutcome::lossy:
            ++counts.lossy;
            break;
        }
        if (m.down.status == StepStatus::missing) {
            ++counts.without_down;
        }
    }
    return counts;
}

// ---- text ------------------------------------------------------------------------------

/// `12ms` under ten seconds, `12.3s` from there: a CI log reader compares orders of size.
std::string duration_text(std::int64_t ms)
{
    if (ms < 10000) {
        return fmt::format("{}ms", ms);
    }
    return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
}

/// A status in a column of the table: `not-applicable` is `n/a` there, to keep it narrow.
std::string_view cell_status(StepStatus status)
{
    return status == StepStatus::not_applicable ? "n/a" : to_string(status);
}

/// `reviews` for `public.reviews`: the table is read by people, most tables are public.
std::string short_table(const std::string& table)
{
    constexpr std::string_view k_public = "public.";
    return table.starts_with(k_public) ? table.substr(k_public.size()) : table;
}

/// The strongest lock of the migration and the tables it held: `AccessExclusiveLock
/// reviews, visits`; `(planned)` when none of them was observed; `no locks` when empty.
std::string strongest_lock(const std::vector<TableLock>& locks)
{
    if (locks.empty()) {
        return "no locks";
    }
    // A mode pg_locks does not name (there is none today) ranks below every known one.
    const auto rank = [](const TableLock& lock) {
        auto mode = plan::parse_lock_mode(lock.mode);
        return mode ? static_cast<int>(*mode) : -1;
    };
    const auto strongest =
        std::max_element(locks.begin(), locks.end(),
                         [&](const TableLock& a, const TableLock& b) { return rank(a) < rank(b); });
    constexpr std::size_t k_max_tables = 3;
    std::vector<std::string> tables;
    bool observed = false;
    for (const auto& lock : locks) {
        if (lock.mode != strongest->mode) {
            continue;
        }
        observed = observed || lock.source != "planned";
        tables.push_back(short_table(lock.table));
    }
    std::string out = strongest->mode;
    const std::size_t shown = std::min(tables.size(), k_max_tables);
    for (std::size_t i = 0; i < shown; ++i) {
        out += (i == 0 ? " " : ", ") + tables[i];
    }
    if (tables.size() > shown) {
        out += fmt::format(" +{} more", tables.size() - shown);
    }
    if (!observed) {
        out += " (planned)";
    }
    return out;
}

/// Lines of `text`, without a trailing empty one.
std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

/// Whether a step gets a paragraph in the details: what did not simply pass or not run.
bool has_details(const StepResult& step)
{
    return step.status != StepStatus::ok && step.status != StepStatus::not_applicable &&
           step.status != StepStatus::skipped;
}

/// `down failed (0005_x.down.sql:3): column "c" does not exist`, then the error's other
/// lines, the differences, notes and losses, each on its own line indented by `indent`.
void append_step_details(std::string& out, const std::string& head, const StepResult& step,
                         StepRole role, FailOn fail_on, const std::string& indent)
{
    std::string line = fmt::format("{} {}", head, to_string(step.status));
    if (!step.file.empty()) {
        line += step.error_line > 0 ? fmt::format(" ({}:{})", step.file, step.error_line)
                                    : fmt::format(" ({})", step.file);
    }
    const auto error = lines_of(step.error);
    if (!error.empty()) {
        line += ": " + error.front();
    } else if (!step.reason.empty()) {
        line += ": " + step.reason;
    }
    if (step.status == StepStatus::lossy && detail::step_fails(step, role, fail_on)) {
        line += fail_on == FailOn::lossy ? " [fails: --fail-on lossy]"
                                         : " [fails: a loss the down file neither declares nor "
                                           "archives]";
    }
    out += line + "\n";
    for (std::size_t i = 1; i < error.size(); ++i) {
        out += indent + error[i] + "\n";
    }
    if (!error.empty() && !step.reason.empty()) {
        out += indent + step.reason + "\n";
    }
    for (const auto& difference : step.differences) {
        out += indent + difference + "\n";
    }
    for (const auto& note : step.notes) {
        out += fmt::format("{}note: {}\n", indent, note);
    }
    for (const auto& loss : step.losses) {
        out += indent + loss.describe() + "\n";
    }
}

/// The details of one migration (empty when every step passed).
std::string migration_details(const MigrationRehearsal& m, FailOn fail_on)
{
    const std::string who = fmt::format("{:04} {}:", m.version, m.name);
    const std::string indent = "    ";
    std::string out;
    const std::array<std::pair<const StepResult*, StepRole>, 4> steps = {{
        {&m.up, StepRole::up},
        {&m.down, StepRole::down},
        {&m.compensation, StepRole::compensation},
        {&m.redo, StepRole::redo},
    }};
    for (const auto& [step, role] : steps) {
        if (has_details(*step)) {
            append_step_details(out, fmt::format("{} {}", who, detail::to_string(role)), *step,
                                role, fail_on, indent);
        }
    }
    const bool cut_details =
        std::any_of(m.interruptions.begin(), m.interruptions.end(), [](const Interruption& cut) {
            return has_details(cut.resume) || has_details(cut.rollback);
        });
    if (m.interrupt == StepStatus::failed || cut_details) {
        out += fmt::format("{} interrupt {}\n", who, to_string(m.interrupt));
        for (const auto& cut : m.interruptions) {
            const std::string at = cut.after.empty()
                                       ? fmt::format("{}after boundary {}", indent, cut.boundary)
                                       : fmt::format("{}after {}", indent, cut.after);
            if (has_details(cut.resume)) {
                append_step_details(out, at + ": resume", cut.resume, StepRole::resume, fail_on,
                                    indent + indent);
            }
            if (has_details(cut.rollback)) {
                append_step_details(out, at + ": rollback", cut.rollback, StepRole::rollback,
                                    fail_on, indent + indent);
            }
        }
    }
    return out;
}

// ---- JSON ------------------------------------------------------------------------------

nlohmann::json step_json(const StepResult& step, StepRole role, FailOn fail_on)
{
    nlohmann::json losses = nlohmann::json::array();
    for (const auto& loss : step.losses) {
        losses.push_back({{"table", loss.table},
                          {"column", loss.column},
                          {"rows", loss.rows},
                          {"archive", loss.archive},
                          {"declared", loss.declared},
                          {"changed", loss.changed},
                          {"description", loss.describe()}});
    }
    return {{"status", to_string(step.status)},
            {"fails", detail::step_fails(step, role, fail_on)},
            {"duration_ms", step.duration_ms},
            {"file", step.file},
            {"error_line", step.error_line},
            {"error", step.error},
            {"differences", step.differences},
            {"notes", step.notes},
            {"losses", losses},
            {"reason", step.reason}};
}

std::string_view fail_on_text(FailOn fail_on)
{
    return fail_on == FailOn::lossy ? "lossy" : "failure";
}

} // namespace

bool RehearseReport::failed() const
{
    // A rehearsal that stopped early proved nothing about the migrations after the stop.
    if (!stopped.empty()) {
        return true;
    }
    return std::any_of(migrations.begin(), migrations.end(), [&](const MigrationRehearsal& m) {
        return detail::outcome(m, fail_on) == MigrationOutcome::failed;
    });
}

std::string RehearseReport::to_text() const
{
    std::string out = fmt::format(
        "rehearse on {}, from {}; start: {}\n", server.empty() ? "an unnamed server" : server,
        from.empty() ? "the first migration" : from, start.empty() ? "empty" : start);
    // One row per migration, its cells padded to the widest of their column.
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : migrations) {
        rows.push_back({
            fmt::format("{:04}", m.version),
            m.name,
            fmt::format("up {} {}", cell_status(m.up.status), duration_text(m.up.duration_ms)),
            fmt::format("down {}", cell_status(m.down.status)),
            fmt::format("comp {}", cell_status(m.compensation.status)),
            fmt::format("redo {}", cell_status(m.redo.status)),
            fmt::format("interrupt {}", cell_status(m.interrupt)),
            strongest_lock(m.locks),
        });
    }
    if (!rows.empty()) {
        out += "\n";
        std::vector<std::size_t> widths(rows.front().size(), 0);
        for (const auto& row : rows) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                widths[i] = std::max(widths[i], row[i].size());
            }
        }
        for (const auto& row : rows) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                line += row[i];
                if (i + 1 < row.size()) {
                    line += std::string(widths[i] - row[i].size() + 2, ' ');
                }
            }
            out += line + "\n";
        }
    }
    std::string details;
    for (const auto& m : migrations) {
        details += migration_details(m, fail_on);
    }
    if (!details.empty()) {
        out += "\nDetails:\n" + details;
    }
    std::string switch_off;
    for (const auto& m : migrations) {
        for (const auto& flag : m.switch_off_first) {
            switch_off += fmt::format("  {:04} {}: switch off first: flag {} in {}\n", m.version,
                                      m.name, flag.key, flag.env);
        }
    }
    if (!switch_off.empty()) {
        out += "\nBefore rolling back in earnest (cut-over flags):\n" + switch_off;
    }
    out += "\n";
    if (!stopped.empty()) {
        out += "stopped: " + stopped + "\n";
    }
    const Counts counts = count(*this);
    out +=
        fmt::format("rehearsed {} migration{}: {} passed, {} failed, {} lossy, {} without a "
                    "down file; verdict {}\n",
                    migrations.size(), migrations.size() == 1 ? "" : "s", counts.passed,
                    counts.failed, counts.lossy, counts.without_down, failed() ? "fail" : "pass");
    return out;
}

std::string RehearseReport::to_json(int indent) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : migrations) {
        nlohmann::json locks = nlohmann::json::array();
        for (const auto& lock : m.locks) {
            locks.push_back({{"table", lock.table}, {"mode", lock.mode}, {"source", lock.source}});
        }
        nlohmann::json switch_off = nlohmann::json::array();
        for (const auto& flag : m.switch_off_first) {
            switch_off.push_back({{"flag", flag.key}, {"env", flag.env}});
        }
        nlohmann::json cuts = nlohmann::json::array();
        for (const auto& cut : m.interruptions) {
            cuts.push_back({{"boundary", cut.boundary},
                            {"after", cut.after},
                            {"resume", step_json(cut.resume, StepRole::resume, fail_on)},
                            {"rollback", step_json(cut.rollback, StepRole::rollback, fail_on)}});
        }
        list.push_back(
            {{"version", m.version},
             {"name", m.name},
             {"file", m.file},
             {"transactional", m.transactional},
             {"backfill", m.backfill},
             {"result", detail::to_string(detail::outcome(m, fail_on))},
             {"up", step_json(m.up, StepRole::up, fail_on)},
             {"down", step_json(m.down, StepRole::down, fail_on)},
             {"compensation", step_json(m.compensation, StepRole::compensation, fail_on)},
             {"redo", step_json(m.redo, StepRole::redo, fail_on)},
             {"locks", locks},
             {"interrupt", to_string(m.interrupt)},
             {"interruptions", cuts},
             {"switch_off_first", switch_off}});
    }
    const Counts counts = count(*this);
    nlohmann::json out = {{"schema_version", k_schema_version},
                          {"verdict", failed() ? "fail" : "pass"},
                          {"server", server},
                          {"from", from},
                          {"start", start},
                          {"stopped", stopped},
                          {"fail_on", fail_on_text(fail_on)},
                          {"duration_ms", duration_ms},
                          {"counts",
                           {{"migrations", migrations.size()},
                            {"passed", counts.passed},
                            {"failed", counts.failed},
                            {"lossy", counts.lossy},
                            {"without_down", counts.without_down}}},
                          {"migrations", list}};
    // A PostgreSQL message is not always valid UTF-8 (a server in another encoding): such
    // bytes become U+FFFD instead of failing the whole document.
    return out.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace migsafe::workflow
