#include "platform/logging.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/platform/transaction.hpp>
#include <migsafe/workflow/demo.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <sstream>

namespace migsafe::workflow {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string summarize(const std::string& sql)
{
    constexpr std::size_t k_width = 72;
    std::string line = sql.substr(0, sql.find('\n'));
    if (line.size() > k_width) {
        line = line.substr(0, k_width - 3) + "...";
    }
    return line;
}

DemoMigration describe(const model::Migration& migration)
{
    const auto& directives = migration.up.directives;
    DemoMigration out;
    out.version = migration.version;
    out.name = migration.name;
    out.layout = std::string(model::to_string(migration.layout));
    out.transactional = directives.transactional == model::Transactional::yes;
    if (directives.phase) {
        out.phase = std::string(model::to_string(*directives.phase));
    }
    for (const auto& allowed : directives.allowed) {
        out.allowed.push_back(allowed.rule_id);
    }
    for (const auto& statement : migration.up.statements) {
        out.statements.push_back({.kind = std::string(model::to_string(statement.kind)),
                                  .file = migration.up.relative_path,
                                  .line = statement.line,
                                  .column = statement.column,
                                  .summary = summarize(statement.sql)});
    }
    return out;
}

/// Applies one migration: in one transaction, or statement by statement for a
/// no-transaction file. An error names the file and the statement's line.
void apply(platform::Session& session, const model::Migration& migration)
{
    const auto& up = migration.up;
    if (up.directives.transactional == model::Transactional::yes) {
        platform::Transaction transaction(session);
        session.exec(up.text);
        transaction.commit();
        return;
    }
    for (const auto& statement : up.statements) {
        session.exec(statement.sql);
    }
}

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("input-not-found", "cannot read the seed file " + path.string(),
                    {.file = path.string()});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

DemoReport run_demo(const DemoOptions& options)
{
    const auto started = Clock::now();
    DemoReport report;
    auto set = model::load_migration_set(options.fixtures);
    model::require_sum_file(set);
    report.sum_file_matches = true;
    report.fixtures = set.directory.string();

    auto cluster = platform::EphemeralCluster::start({.keep = options.keep});
    report.cluster_start_ms = static_cast<double>(cluster.start_duration().count());
    if (cluster.kept()) {
        report.cluster_dir = cluster.base_dir().string();
    }
    auto session = platform::Session::connect(cluster.conninfo());
    report.server_version = session.server_version();

    for (const auto& migration : set.migrations) {
        auto shown = describe(migration);
        const auto applying = Clock::now();
        try {
            apply(session, migration);
        } catch (const Error& e) {
            throw Error(
                e.code(),
                "applying " + migration.up.relative_path + " on the demo cluster: " + e.message(),
                {.file = migration.up.path.string(), .sqlstate = e.context().sqlstate}, e.hint());
        }
        shown.apply_ms = ms_since(applying);
        detail::log_info("applied {} in {:.1f} ms", migration.up.relative_path, shown.apply_ms);
        report.migrations.push_back(std::move(shown));
    }
    if (!options.seed.empty()) {
        platform::Transaction transaction(session);
        session.exec(read_text(options.seed));
        report.seed = options.seed.string();
        transaction.commit();
    }
    cluster.stop();
    report.total_ms = ms_since(started);
    return report;
}

std::string to_json(const DemoReport& report)
{
    nlohmann::json migrations = nlohmann::json::array();
    for (const auto& m : report.migrations) {
        nlohmann::json statements = nlohmann::json::array();
        for (const auto& s : m.statements) {
            statements.push_back({{"kind", s.kind},
                                  {"file", s.file},
                                  {"line", s.line},
                                  {"column", s.column},
                                  {"summary", s.summary}});
        }
        migrations.push_back({{"version", m.version},
                              {"name", m.name},
                              {"layout", m.layout},
                              {"phase", m.phase ? nlohmann::json(*m.phase) : nlohmann::json()},
                              {"transactional", m.transactional},
                              {"allowed", m.allowed},
                              {"statements", statements},
                              {"apply_ms", m.apply_ms}});
    }
    nlohmann::json doc{
        {"server_version", report.server_version},
        {"cluster_start_ms", report.cluster_start_ms},
        {"cluster_dir",
         report.cluster_dir.empty() ? nlohmann::json() : nlohmann::json(report.cluster_dir)},
        {"fixtures", report.fixtures},
        {"sum_file_matches", report.sum_file_matches},
        {"migrations", migrations},
        {"seed", report.seed.empty() ? nlohmann::json() : nlohmann::json(report.seed)},
        {"total_ms", report.total_ms}};
    return doc.dump();
}

} // namespace migsafe::workflow
