// The basebackup engine: pg_basebackup -Fp -X stream with a backup manifest, checked by
// pg_verifybackup.
#include "snapshot/physical/basebackup.hpp"

#include "platform/catalog/physical_queries.hpp"
#include "platform/program_version.hpp"
#include "snapshot/layout.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace migsafe::snapshot::detail::basebackup {
namespace {

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The value after `key` on its line of backup_label (`START WAL LOCATION: 0/2000028 ...`).
std::string label_field(const std::string& label, std::string_view key)
{
    auto at = label.find(key);
    if (at == std::string::npos) {
        return {};
    }
    auto start = at + key.size();
    auto end = label.find('\n', start);
    return label.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::uint64_t folder_size(const std::filesystem::path& dir)
{
    std::uint64_t total = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) {
            total += entry.file_size();
        }
    }
    return total;
}

} // namespace

std::string wal_segment(int timeline, std::uint64_t lsn)
{
    constexpr std::uint64_t k_segment = 16ULL * 1024 * 1024;
    return fmt::format("{:08X}{:08X}{:08X}", timeline, lsn >> 32,
                       (lsn & 0xffffffffULL) / k_segment);
}

void take(const platform::ConnInfo& conninfo, const std::filesystem::path& data_dir,
          const platform::PgBinaries& binaries, const std::string& label,
          std::chrono::milliseconds timeout, Manifest& manifest)
{
    manifest.engine_version = platform::program_version(binaries.program("pg_basebackup"));
    auto connection = conninfo.for_program();
    auto started = Clock::now();
    platform::run_process(
        {.program = binaries.program("pg_basebackup").string(),
         .args = {"--dbname=" + connection.conninfo, "--pgdata=" + data_dir.string(),
                  "--format=plain", "--wal-method=stream", "--checkpoint=fast",
                  "--manifest-checksums=CRC32C", "--label=" + label, "--no-password"},
         .env = connection.env,
         .timeout = timeout});
    auto backup_label = read_text(data_dir / "backup_label");
    auto backup_manifest = nlohmann::json::parse(read_text(data_dir / "backup_manifest"));
    const auto& range = backup_manifest.at("WAL-Ranges").at(0);
    PhysicalInfo physical{.label = label,
                          .backup_type = "full",
                          .timeline = range.at("Timeline").get<int>(),
                          .start_lsn = range.at("Start-LSN").get<std::string>(),
                          .stop_lsn = range.at("End-LSN").get<std::string>(),
                          .start_time = rfc3339(started),
                          .stop_time = rfc3339(Clock::now())};
    auto start = platform::catalog::parse_lsn(physical.start_lsn);
    auto stop = platform::catalog::parse_lsn(physical.stop_lsn);
    if (!start || !stop || label_field(backup_label, "START WAL LOCATION: ").empty()) {
        throw Error("process-failed",
                    fmt::format("pg_basebackup wrote a backup in {} whose backup_label or "
                                "backup_manifest cannot be read",
                                data_dir.string()),
                    {.file = (data_dir / "backup_manifest").string()});
    }
    physical.wal_start = wal_segment(physical.timeline, *start);
    physical.wal_stop = wal_segment(physical.timeline, *stop);
    physical.size = folder_size(data_dir);
    physical.stored_size = physical.size;
    auto report = manifest.physical;
    if (report) { // keep the report point recorded before the backup
        physical.report_lsn = report->report_lsn;
        physical.report_xmin = report->report_xmin;
        physical.catalog = report->catalog;
        physical.catalog_hash = report->catalog_hash;
    }
    manifest.physical = physical;
}

std::vector<Mismatch> verify(const std::filesystem::path& data_dir,
                             const platform::PgBinaries& binaries)
{
    auto result = platform::run_process({.program = binaries.program("pg_verifybackup").string(),
                                         .args = {data_dir.string()},
                                         .on_failure = platform::OnFailure::return_result});
    std::vector<Mismatch> out;
    if (result.exit_code == 0) {
        return out;
    }
    std::istringstream lines(result.err);
    for (std::string line; std::getline(lines, line);) {
        constexpr std::string_view k_prefix = "pg_verifybackup: error: ";
        if (line.starts_with(k_prefix)) {
            line = line.substr(k_prefix.size());
        } else if (line.starts_with("pg_verifybackup: hint:") || line.empty()) {
            continue;
        }
        // `"base/5/2602" has size 8193 on disk but size 8192 in the manifest`,
        // `checksum mismatch for file "base/5/6113"`: the first quoted path is the file.
        std::string file;
        if (auto open = line.find('"'); open != std::string::npos) {
            auto close = line.find('"', open + 1);
            if (close != std::string::npos) {
                file = "data/" + line.substr(open + 1, close - open - 1);
            }
        }
        out.push_back({.kind = "backup-invalid", .file = file, .actual = line});
    }
    if (out.empty()) {
        out.push_back({.kind = "backup-invalid",
                       .file = "data",
                       .actual = fmt::format("pg_verifybackup exited {}: {}", result.exit_code,
                                             platform::without_trailing_newlines(result.err))});
    }
    return out;
}

} // namespace migsafe::snapshot::detail::basebackup
