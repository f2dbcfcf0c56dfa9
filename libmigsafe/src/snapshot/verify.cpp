// Verifying a snapshot without restoring it. Level 1 trusts nothing but the manifest's
// self-hash: both copies, then every stored file read once (stored bytes hashed and
// decompressed, content hashed). Level 2 asks pg_restore to read the table of contents.
#include "platform/logging.hpp"
#include "platform/private_file.hpp"
#include "platform/zstd_file.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/physical/physical.hpp"
#include "snapshot/physical/scratch.hpp"
#include "snapshot/work_dir.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <set>
#include <sstream>

namespace migsafe::snapshot {
namespace {

namespace fs = std::filesystem;

/// A manifest lists each file in about 400 bytes: 64 MiB is far above any real one.
constexpr std::uint64_t k_max_manifest_size = std::uint64_t{64} << 20;

struct ManifestCheck {
    std::optional<Manifest> manifest{};
    std::vector<Mismatch> mismatches{};
};

ManifestCheck check_manifests(const fs::path& dir)
{
    ManifestCheck check;
    std::array<std::optional<std::string>, 2> texts;
    std::array<std::optional<Manifest>, 2> parsed;
    const std::array<std::string_view, 2> names = {detail::k_manifest, detail::k_manifest_copy};
    for (std::size_t i = 0; i < 2; ++i) {
        auto path = dir / names[i];
        if (!fs::exists(path)) {
            check.mismatches.push_back({.kind = "missing-file", .file = std::string(names[i])});
            continue;
        }
        try {
            // A damaged store may hold anything under a manifest's name (a folder, a FIFO, a
            // huge file): that is a verdict on the snapshot, like a damaged text.
            texts[i] = platform::read_file(path, k_max_manifest_size);
            parsed[i] = Manifest::from_json(*texts[i]);
        } catch (const Error& e) {
            if (e.category() == Category::environment) {
                throw;
            }
            check.mismatches.push_back({.kind = "manifest-unreadable",
                                        .file = std::string(names[i]),
                                        .actual = e.message()});
        }
    }
    if (parsed[0] && parsed[1] && texts[0] && texts[1] && *texts[0] != *texts[1]) {
        check.mismatches.push_back({.kind = "manifest-copies-differ",
                                    .file = std::string(detail::k_manifest_copy),
                                    .expected = xxh3_128(*texts[0]).to_hex(),
                                    .actual = xxh3_128(*texts[1]).to_hex()});
    }
    check.manifest = parsed[0] ? parsed[0] : parsed[1];
    return check;
}

void check_files(const fs::path& dir, const Manifest& manifest, std::vector<Mismatch>& out)
{
    std::set<std::string> expected{std::string(detail::k_manifest),
                                   std::string(detail::k_manifest_copy)};
    for (const auto& file : manifest.files) {
        expected.insert(file.stored_name);
        auto path = dir / file.stored_name;
        if (!fs::is_regular_file(path)) {
            out.push_back({.kind = "missing-file", .file = file.stored_name});
            continue;
        }
        auto read = platform::read_stored_file(path, std::nullopt);
        const auto& got = read.digest;
        if (got.stored_size != file.stored_size) {
            out.push_back({.kind = "size",
                           .file = file.stored_name,
                           .expected = std::to_string(file.stored_size),
                           .actual = std::to_string(got.stored_size)});
        } else if (got.stored_hash != file.stored_hash) {
            out.push_back({.kind = "hash",
                           .file = file.stored_name,
                           .expected = file.stored_hash.to_hex(),
                           .actual = got.stored_hash.to_hex()});
        } else if (read.error) {
            out.push_back({.kind = "content", .file = file.stored_name, .actual = *read.error});
        } else if (got.size != file.size || got.content_hash != file.content_hash) {
            out.push_back({.kind = "content",
                           .file = file.stored_name,
                           .expected = file.content_hash.to_hex(),
                           .actual = got.content_hash.to_hex()});
        }
    }
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_directory()) {
            continue;
        }
        auto relative = fs::relative(entry.path(), dir).generic_string();
        if (!expected.contains(relative)) {
            out.push_back({.kind = "extra-file", .file = relative});
        }
    }
}

/// Level 2: pg_restore --list reads the table of contents; its tables are the manifest's.
void check_archive(const fs::path& dir, const Manifest& manifest, const VerifyOptions& options,
                   std::vector<Mismatch>& out)
{
    auto binaries = options.binaries
                        ? *options.binaries
                        : platform::find_pg_binaries({.required = {"pg_dump", "pg_restore"}});
    detail::WorkDir work(options.work_dir, "verify");
    std::set<std::string> data_files;
    for (const auto& file : manifest.files) {
        if (file.name == "toc.dat") {
            platform::read_stored_file(dir / file.stored_name, work.path() / file.name);
        }
        data_files.insert(file.name);
    }
    auto result = platform::run_process({.program = binaries.program("pg_restore").string(),
                                         .args = {"--list", work.path().string()},
                                         .timeout = std::chrono::minutes(5),
                                         .on_failure = platform::OnFailure::return_result});
    if (result.exit_code != 0) {
        auto err = result.err;
        while (!err.empty() && err.back() == '\n') {
            err.pop_back();
        }
        out.push_back({.kind = "archive-unreadable", .file = "data/toc.dat.zst", .actual = err});
        return;
    }
    std::map<std::string, bool> tables; // "schema name " -> seen in the archive
    for (const auto& table : manifest.integrity.tables) {
        tables[table.schema + " " + table.name + " "] = false;
    }
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.starts_with(';')) {
            continue;
        }
        // `<dump id>; <catalog oid> <oid> <kind> <schema> <name> <owner>`
        auto semicolon = line.find("; ");
        if (semicolon == std::string::npos) {
            continue;
        }
        std::istringstream fields(line.substr(semicolon + 2));
        std::string table_oid;
        std::string oid;
        fields >> table_oid >> oid;
        std::string rest;
        std::getline(fields, rest);
        rest = rest.substr(rest.find_first_not_of(' '));
        if (rest.starts_with("TABLE DATA ")) {
            auto file = line.substr(0, semicolon) + ".dat";
            if (!data_files.contains(file)) {
                out.push_back({.kind = "missing-file", .file = "data/" + file + ".zst"});
            }
        } else if (rest.starts_with("TABLE ") && !rest.starts_with("TABLE ATTACH ")) {
            auto entry = rest.substr(6);
            std::string best;
            for (const auto& [key, seen] : tables) {
                if (entry.starts_with(key) && key.size() > best.size()) {
                    best = key;
                }
            }
            if (best.empty()) {
                out.push_back({.kind = "table-missing-from-manifest", .file = entry});
            } else {
                tables[best] = true;
            }
        }
    }
    for (const auto& table : manifest.integrity.tables) {
        if (!tables[table.schema + " " + table.name + " "]) {
            out.push_back({.kind = "table-missing-from-archive", .file = table.qualified_name()});
        }
    }
}

/// Levels 1 and 2 of a physical snapshot (the engine's check; a restore that starts).
void verify_physical(const fs::path& dir, const Manifest& manifest, const VerifyOptions& options,
                     VerifyReport& report)
{
    report.mismatches = detail::verify_physical(dir, manifest, options.pgbackrest);
    if (!report.mismatches.empty()) {
        return;
    }
    report.level_reached = 1;
    if (options.level < 2) {
        return;
    }
    try {
        auto scratch = detail::start_scratch(dir, manifest, {.pgbackrest = options.pgbackrest});
        report.level_reached = 2;
    } catch (const Error& e) {
        if (e.code() != "cluster-start-failed") {
            throw;
        }
        report.mismatches.push_back(
            {.kind = "start-failed", .file = manifest.engine, .actual = e.message()});
    }
}

void record(const fs::path& store, const VerifyReport& report)
{
    nlohmann::json line = {{"id", report.id},
                           {"at", detail::rfc3339(detail::Clock::now())},
                           {"level_requested", report.level_requested},
                           {"level_reached", report.level_reached},
                           {"passed", report.passed()},
                           {"mismatches", report.mismatches.size()}};
    platform::append_line(store / detail::k_verifications,
                          line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

std::string Mismatch::describe() const
{
    std::string text = file + ": " + kind;
    if (!expected.empty() || !actual.empty()) {
        text += " " + (actual.empty() ? std::string("(none)") : actual);
    }
    if (!expected.empty()) {
        text += ", expected " + expected;
    }
    return text;
}

std::string VerifyReport::to_json(int indent) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : mismatches) {
        list.push_back({{"kind", m.kind},
                        {"file", m.file},
                        {"expected", m.expected},
                        {"actual", m.actual},
                        {"message", m.describe()}});
    }
    nlohmann::json j = {{"id", id},
                        {"level_requested", level_requested},
                        {"level_reached", level_reached},
                        {"passed", passed()},
                        {"mismatches", list}};
    // A mismatch quotes what was found, and a damaged file may hold any byte: invalid
    // UTF-8 is written as U+FFFD instead of making the report unwritable.
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

VerifyReport verify(const fs::path& store, const std::string& id_or_latest,
                    const VerifyOptions& options)
{
    if (options.level < 1 || options.level > 2) {
        throw Error(
            "usage-invalid-option",
            fmt::format("verify level must be 1 or 2 (3 is a drill), got {}", options.level),
            {.object = "--level"});
    }
    VerifyReport report{.id = resolve_id(store, id_or_latest), .level_requested = options.level};
    auto dir = store / report.id;
    try {
        auto check = check_manifests(dir);
        report.mismatches = std::move(check.mismatches);
        if (check.manifest && check.manifest->physical && report.mismatches.empty()) {
            verify_physical(dir, *check.manifest, options, report);
        } else if (check.manifest) {
            check_files(dir, *check.manifest, report.mismatches);
            if (report.mismatches.empty()) {
                report.level_reached = 1;
                if (options.level >= 2) {
                    check_archive(dir, *check.manifest, options, report.mismatches);
                    report.level_reached = report.mismatches.empty() ? 2 : 1;
                }
            }
        }
    } catch (const fs::filesystem_error& e) {
        throw Error(
            "io-read-failed",
            fmt::format("snapshot {}: {}: {}", report.id, e.path1().string(), e.code().message()),
            {.file = e.path1().string()});
    }
    for (const auto& m : report.mismatches) {
        migsafe::detail::log_warn("snapshot {}: {}", report.id, m.describe());
    }
    record(store, report);
    return report;
}

std::optional<std::string> fresh_verified(const std::filesystem::path& store,
                                          const std::string& database,
                                          const std::string& system_identifier,
                                          std::chrono::milliseconds max_age)
{
    if (!std::filesystem::is_directory(store)) {
        return std::nullopt;
    }
    auto snapshots = list(store);
    // Newest first. (An index loop: clang-tidy 14 cannot parse GCC 12's std::views.)
    for (std::size_t i = snapshots.size(); i-- > 0;) {
        const auto& info = snapshots[i];
        // The same database of the same server: a database of the same name elsewhere
        // (a staging copy, a rebuilt server) is not a backup of this one.
        const bool other_server = !system_identifier.empty() && !info.system_identifier.empty() &&
                                  info.system_identifier != system_identifier;
        if (!info.readable || info.database != database || other_server || info.age > max_age) {
            continue;
        }
        if (verify(store, info.id, {.level = 1}).passed()) {
            return info.id;
        }
        migsafe::detail::log_warn("snapshot: {} is fresh but fails verification; skipped", info.id);
    }
    return std::nullopt;
}

} // namespace migsafe::snapshot
