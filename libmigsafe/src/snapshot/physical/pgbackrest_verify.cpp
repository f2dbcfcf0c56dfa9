// Reading what `pgbackrest verify` prints. pgBackRest 2.45 exits 0 whatever it finds and
// has no JSON output, so its log lines are the result. What it prints on a real repository
// (tests/unit/snapshot/test_pgbackrest_parse.cpp holds whole texts):
//
//   P02   INFO: invalid checksum '20261206-222841F/pg_data/base/5/2602.gz'
//   P01   INFO: file missing '20261206-222841F_20261206-222849I/pg_data/base/5/1247.gz'
//   P02   INFO: invalid result 15-1/0000000100000000/0000000100...03-e446...gz: [29] raised
//                from local-2 protocol: zlib threw error: [-3] data error
//   P00 DETAIL: manifest missing for '20261206-222841F_20261206-222849I' - backup may ...
//   P00 DETAIL: archiveId: 15-1, wal start: 000000010000000000000001, wal stop: ...04
//   P00   INFO: stanza: main
//                status: error
//                  backup: 20261206-222841F, status: invalid, total files checked: 964, ...
//                    checksum invalid: 1
//
// A file is verified once, under the label of the backup that stored it: an incremental
// backup that references it is listed `invalid` in the summary but its file line names the
// full backup's path. A missing WAL segment is no error at all (status ok): only the
// DETAIL ranges show the gap. A missing manifest is only a DETAIL line.
#include "snapshot/physical/pgbackrest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <regex>

namespace migsafe::snapshot::detail::pgbackrest {
namespace {

/// `2026-12-06 22:29:15.757 P02   INFO: message` (the timestamp is optional).
const std::regex k_log_line(R"(^(?:\S+ \S+ )?P\d+ +(?:TRACE|DEBUG|DETAIL|INFO|WARN|ERROR): (.*)$)");
/// `invalid checksum '<path>'`: pgBackRest's `%s '%s'` for a file that failed.
const std::regex k_file_line(R"(^(file missing|invalid checksum|invalid size) '([^']+)'$)");
/// `invalid result <path>: <error>`: reading the file raised an error.
const std::regex k_invalid_result(R"(^invalid result (\S+): (.*)$)");
const std::regex k_manifest_missing(R"(^manifest missing for '([^']+)')");
const std::regex k_wal_range(R"(^archiveId: (\S+), wal start: (\S+), wal stop: (\S+)$)");
const std::regex k_summary_backup(R"(^backup: ([^,]+), status: ([^,]+)(,.*)?$)");
const std::regex k_backup_label(R"(^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$)");

struct WalRange {
    std::string archive_id{};
    std::string start{};
    std::string stop{};
};

/// One invalid file line: the repository path (relative to the stanza's backup or archive
/// folder) and pgBackRest's reason.
struct InvalidFile {
    std::string path{};
    std::string reason{};
};

/// Everything read from one verify output.
struct Parsed {
    std::vector<InvalidFile> files{};
    std::vector<std::string> missing_manifests{};
    std::vector<WalRange> ranges{};
    std::vector<std::string> summary{};      ///< every line of the summary, trimmed
    std::string stanza_status{};             ///< `ok`, `error` (empty: no summary)
    std::vector<std::string> backup_lines{}; ///< the summary's lines about one backup
    std::string backup_status{};             ///< that backup's status in the summary
};

std::string trim(std::string_view text)
{
    auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) {
        return {};
    }
    auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

Parsed parse(std::string_view text, std::string_view label)
{
    Parsed parsed;
    bool in_summary = false;
    bool in_backup = false;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string raw(text.substr(pos, end - pos));
        pos = end + 1;
        std::smatch match;
        std::string line;
        if (std::regex_match(raw, match, k_log_line)) {
            // A new log message ends the summary (a multi-line message of its own).
            line = trim(match[1].str());
            in_summary = false;
            in_backup = false;
        } else {
            line = trim(raw);
        }
        if (line.empty()) {
            continue;
        }
        if (line.starts_with("stanza: ")) {
            in_summary = true;
        }
        if (in_summary) {
            parsed.summary.push_back(line);
            if (line.starts_with("status: ") && parsed.stanza_status.empty()) {
                parsed.stanza_status = line.substr(8);
            } else if (std::regex_match(line, match, k_summary_backup)) {
                in_backup = match[1].str() == label;
                if (in_backup) {
                    parsed.backup_status = match[2].str();
                    parsed.backup_lines.push_back(line);
                }
            } else if (line.starts_with("archiveId: ")) {
                in_backup = false;
            } else if (in_backup) {
                parsed.backup_lines.push_back(line);
            }
            continue;
        }
        if (std::regex_match(line, match, k_file_line)) {
            parsed.files.push_back({.path = match[2].str(), .reason = match[1].str()});
        } else if (std::regex_match(line, match, k_invalid_result)) {
            parsed.files.push_back(
                {.path = match[1].str(), .reason = "invalid result: " + match[2].str()});
        } else if (std::regex_search(line, match, k_manifest_missing)) {
            parsed.missing_manifests.push_back(match[1].str());
        } else if (std::regex_match(line, match, k_wal_range)) {
            parsed.ranges.push_back(
                {.archive_id = match[1].str(), .start = match[2].str(), .stop = match[3].str()});
        }
    }
    return parsed;
}

/// The labels whose files `backup` uses: its own, its references, and (for an incremental
/// or differential label) the full backup its label starts with.
std::vector<std::string> labels_of(const Backup& backup)
{
    std::vector<std::string> labels{backup.label};
    labels.insert(labels.end(), backup.reference.begin(), backup.reference.end());
    if (auto cut = backup.label.find('_'); cut != std::string::npos) {
        labels.push_back(backup.label.substr(0, cut));
    }
    return labels;
}

bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

/// Whether an invalid file concerns `backup`: a file of a backup it uses, or a WAL segment
/// it needs (from its start on: recovery to its end or any later point replays it; all WAL
/// when its start is unknown).
bool concerns(const InvalidFile& file, const Backup& backup, const std::vector<std::string>& labels)
{
    auto slash = file.path.find('/');
    auto head = file.path.substr(0, slash);
    if (std::regex_match(head, k_backup_label)) {
        return contains(labels, head);
    }
    if (backup.wal_start.empty()) {
        return true;
    }
    auto name = file.path.substr(file.path.rfind('/') + 1);
    return name.substr(0, backup.wal_start.size()) >= backup.wal_start;
}

/// The timeline of a WAL segment name (its first 8 hex digits).
std::string_view timeline(std::string_view segment)
{
    return segment.substr(0, 8);
}

/// A mismatch when the archive's ranges (printed at detail level) leave a gap in the WAL
/// `backup` needs to be consistent, or a gap later on its timeline (recovery from it to the
/// end of the archive would stop there, quietly, with the later commits lost); nullopt when
/// there is none or the ranges were not printed. A new timeline starts a new range too:
/// only a gap within one timeline counts.
std::optional<Mismatch> wal_gap(const Parsed& parsed, const Backup& backup)
{
    if (parsed.ranges.empty() || backup.wal_start.empty() || backup.wal_stop.empty()) {
        return std::nullopt;
    }
    std::vector<std::string> held;
    for (std::size_t i = 0; i < parsed.ranges.size(); ++i) {
        const auto& range = parsed.ranges[i];
        held.push_back(fmt::format("{}-{}", range.start, range.stop));
        if (range.start > backup.wal_start || backup.wal_stop > range.stop) {
            continue;
        }
        for (std::size_t j = i + 1; j < parsed.ranges.size(); ++j) {
            const auto& next = parsed.ranges[j];
            if (next.archive_id == range.archive_id &&
                timeline(next.start) == timeline(range.stop)) {
                return Mismatch{
                    .kind = "backup-invalid",
                    .file = range.archive_id,
                    .expected = fmt::format("WAL from {} on without a gap", backup.wal_stop),
                    .actual = fmt::format("WAL after {} is missing up to {}: recovery from this "
                                          "backup stops at {}",
                                          range.stop, next.start, range.stop)};
            }
        }
        return std::nullopt;
    }
    return Mismatch{
        .kind = "backup-invalid",
        .file = parsed.ranges.front().archive_id,
        .expected = fmt::format("WAL {} to {}", backup.wal_start, backup.wal_stop),
        .actual = fmt::format("missing from the archive, which holds {}", fmt::join(held, ", "))};
}

} // namespace

std::vector<Mismatch> parse_verify(std::string_view text, const Backup& backup)
{
    auto parsed = parse(text, backup.label);
    auto labels = labels_of(backup);
    std::vector<Mismatch> mismatches;
    for (const auto& file : parsed.files) {
        if (concerns(file, backup, labels)) {
            mismatches.push_back(
                {.kind = "backup-invalid", .file = file.path, .actual = file.reason});
        }
    }
    for (const auto& missing : parsed.missing_manifests) {
        if (contains(labels, missing)) {
            mismatches.push_back({.kind = "backup-invalid",
                                  .file = missing + "/backup.manifest",
                                  .actual = "manifest missing"});
        }
    }
    if (auto gap = wal_gap(parsed, backup)) {
        mismatches.push_back(*gap);
    }
    if (!mismatches.empty()) {
        return mismatches;
    }
    // Nothing named for this backup: its own summary line, else an error that names no file
    // at all (no usable backup.info, ...), is quoted as it stands.
    if (!parsed.backup_status.empty() && parsed.backup_status != "valid") {
        mismatches.push_back({.kind = "backup-invalid",
                              .file = backup.label,
                              .actual = fmt::format("{}", fmt::join(parsed.backup_lines, " / "))});
    } else if (parsed.stanza_status == "error" && parsed.files.empty() &&
               parsed.missing_manifests.empty()) {
        mismatches.push_back({.kind = "backup-invalid",
                              .file = backup.label,
                              .actual = fmt::format("{}", fmt::join(parsed.summary, " / "))});
    }
    return mismatches;
}

std::vector<Mismatch> parse_verify(std::string_view text, std::string_view label)
{
    return parse_verify(text, Backup{.label = std::string(label)});
}

} // namespace migsafe::snapshot::detail::pgbackrest
