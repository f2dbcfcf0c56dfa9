// Running pgBackRest's commands for a stanza. Every command goes through run_process (no
// shell), as the repository's owner when root: pgBackRest run as root writes root-owned
// lock and repository files that the server's archive-push (run as postgres) then cannot
// write. pgBackRest writes its ERROR lines (with their HINT continuation) to stderr and the
// log to stdout; its exit status is its error code ([040] exits 40), 0 for verify whatever
// it found.
#include "snapshot/physical/pgbackrest.hpp"

#include "platform/logging.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace migsafe::snapshot::detail::pgbackrest {
namespace {

constexpr std::size_t k_quoted_lines = 6;

/// The lines of `text` from each `ERROR:` line through its indented continuation lines.
std::vector<std::string> error_lines(std::string_view text)
{
    std::vector<std::string> lines;
    bool in_error = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        auto line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.find("ERROR:") != std::string_view::npos) {
            in_error = true;
        } else if (!in_error || !line.starts_with(" ")) {
            in_error = false;
            continue;
        }
        auto first = line.find_first_not_of(' ');
        lines.emplace_back(first == std::string_view::npos ? line : line.substr(first));
    }
    return lines;
}

/// The last `count` non-empty lines of `text`.
std::vector<std::string> last_lines(std::string_view text, std::size_t count)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (end > pos) {
            lines.emplace_back(text.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    if (lines.size() > count) {
        lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
    }
    return lines;
}

/// `pgbackrest <options> <command>` for the stanza; throws `process-failed` quoting
/// pgBackRest's ERROR lines on a non-zero exit.
platform::ProcessResult run(const PgBackRestSettings& settings, const std::string& command,
                            std::vector<std::string> options)
{
    if (settings.stanza.empty()) {
        throw Error("usage-invalid-option", "no pgBackRest stanza is set", {.object = "--stanza"},
                    "name the stanza of pgBackRest's configuration to back up");
    }
    std::vector<std::string> args;
    if (!settings.config_file.empty()) {
        args.push_back("--config=" + settings.config_file.string());
    }
    args.push_back("--stanza=" + settings.stanza);
    // ERROR and WARN lines on stderr whatever the configuration file says about logging.
    args.emplace_back("--log-level-stderr=warn");
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(command);
    auto result = platform::run_process({
        .program = settings.program.empty() ? std::string("pgbackrest") : settings.program.string(),
        .args = args,
        .timeout = settings.timeout,
        .run_as_user = settings.run_as_user,
        .debian_package = "pgbackrest",
        .on_failure = platform::OnFailure::return_result,
    });
    if (result.exit_code == 0) {
        // Its warnings (on stderr) do not fail the command; they go to migsafe's log.
        for (const auto& line : last_lines(result.err, k_quoted_lines)) {
            migsafe::detail::log_warn("pgbackrest {}: {}", command, line);
        }
        return result;
    }
    auto quoted = error_lines(result.err);
    if (quoted.empty()) {
        quoted = error_lines(result.out);
    }
    if (quoted.empty()) {
        quoted = last_lines(result.err.empty() ? result.out : result.err, k_quoted_lines);
    }
    if (quoted.size() > k_quoted_lines) {
        quoted.resize(k_quoted_lines);
    }
    throw Error("process-failed",
                fmt::format("pgbackrest {} for stanza {} exited with status {}: {}", command,
                            settings.stanza, result.exit_code, fmt::join(quoted, " / ")),
                {.object = settings.stanza},
                "read pgBackRest's error above; `pgbackrest check` for the stanza tests its "
                "configuration and archiving");
}

std::vector<std::string> process_max(const PgBackRestSettings& settings)
{
    if (settings.process_max > 0) {
        return {fmt::format("--process-max={}", settings.process_max)};
    }
    return {};
}

const Backup* find_backup(const Stanza& stanza, std::string_view label)
{
    auto it = std::find_if(stanza.backups.begin(), stanza.backups.end(),
                           [&](const Backup& backup) { return backup.label == label; });
    return it == stanza.backups.end() ? nullptr : &*it;
}

} // namespace

std::string version(const PgBackRestSettings& settings)
{
    // `version` takes no stanza or configuration: run it bare.
    auto result = platform::run_process({
        .program = settings.program.empty() ? std::string("pgbackrest") : settings.program.string(),
        .args = {"version"},
        .timeout = settings.timeout,
        .run_as_user = settings.run_as_user,
        .debian_package = "pgbackrest",
    });
    auto text = result.out.substr(0, result.out.find('\n'));
    auto space = text.rfind(' ');
    return space == std::string::npos ? text : text.substr(space + 1);
}

Stanza info(const PgBackRestSettings& settings)
{
    // Console logging off: stdout is the JSON alone, even when the configuration file
    // raises log-level-console.
    auto result = run(settings, "info", {"--output=json", "--log-level-console=off"});
    return parse_info(result.out, settings.stanza);
}

Backup backup(const PgBackRestSettings& settings)
{
    auto before = info(settings);
    auto options = process_max(settings);
    options.push_back("--type=" + settings.backup_type);
    options.emplace_back("--log-level-console=off");
    auto result = run(settings, "backup", options);
    auto after = info(settings);
    // The newest backup that was not there before (an expire may have removed old ones).
    auto created = std::find_if(after.backups.rbegin(), after.backups.rend(), [&](const Backup& b) {
        return find_backup(before, b.label) == nullptr;
    });
    if (created != after.backups.rend()) {
        migsafe::detail::log_info("pgbackrest: {} backup {} of stanza {} in {} ms", created->type,
                                  created->label, settings.stanza, result.elapsed.count());
        return *created;
    }
    throw Error("process-failed",
                fmt::format("pgbackrest backup for stanza {} exited with status 0 but info lists "
                            "no new backup",
                            settings.stanza),
                {.object = settings.stanza},
                "run `pgbackrest info` for the stanza and read pgBackRest's log");
}

std::vector<Mismatch> verify(const PgBackRestSettings& settings, const std::string& label)
{
    auto stanza = info(settings);
    const auto* backup = find_backup(stanza, label);
    if (backup == nullptr) {
        std::vector<std::string> labels;
        for (const auto& listed : stanza.backups) {
            labels.push_back(listed.label);
        }
        return {{.kind = "backup-missing",
                 .file = label,
                 .expected = fmt::format("a backup {} in stanza {}", label, settings.stanza),
                 .actual = labels.empty()
                               ? std::string("the repository has no backups")
                               : fmt::format("the repository has {}", fmt::join(labels, ", "))}};
    }
    // Detail level: the archive's WAL ranges and missing manifests are DETAIL lines.
    auto options = process_max(settings);
    options.emplace_back("--log-level-console=detail");
    auto result = run(settings, "verify", options);
    // It exits 0 whatever it finds: without its closing line, its findings cannot be trusted
    // to be complete.
    if (result.out.find("verify command end: completed successfully") == std::string::npos) {
        throw Error("process-failed",
                    fmt::format("pgbackrest verify for stanza {} exited with status 0 but did not "
                                "print that it completed: {}",
                                settings.stanza, fmt::join(last_lines(result.out, 3), " / ")),
                    {.object = settings.stanza},
                    "run `pgbackrest verify --log-level-console=detail` for the stanza by hand");
    }
    auto mismatches = parse_verify(result.out + "\n" + result.err, *backup);
    migsafe::detail::log_info(
        "pgbackrest: verify of {} in stanza {}: {} in {} ms", label, settings.stanza,
        mismatches.empty() ? std::string("valid") : fmt::format("{} mismatches", mismatches.size()),
        result.elapsed.count());
    return mismatches;
}

void restore(const PgBackRestSettings& settings, const std::string& label,
             const std::filesystem::path& data_dir, const RecoveryTarget& target)
{
    if (!target.time.empty() && !target.lsn.empty()) {
        throw Error("usage-invalid-option",
                    fmt::format("a recovery target has both a time ({}) and an LSN ({})",
                                target.time, target.lsn),
                    {.object = "--target-time"}, "give either --target-time or --target-lsn");
    }
    auto options = process_max(settings);
    options.insert(options.end(), {"--set=" + label, "--pg1-path=" + data_dir.string(),
                                   "--archive-mode=off", "--log-level-console=off"});
    if (!target.latest()) {
        // pgBackRest refuses --target-action without a target type.
        options.emplace_back("--target-action=promote");
        options.emplace_back(target.time.empty() ? "--type=lsn" : "--type=time");
        options.push_back("--target=" + (target.time.empty() ? target.lsn : target.time));
    } else {
        options.emplace_back("--type=default");
    }
    auto result = run(settings, "restore", options);
    migsafe::detail::log_info("pgbackrest: restored {} of stanza {} into {} in {} ms", label,
                              settings.stanza, data_dir.string(), result.elapsed.count());
}

} // namespace migsafe::snapshot::detail::pgbackrest
