#pragma once
// Private: where things live in a snapshot store (docs/snapshot.md, "Store layout").

#include <migsafe/snapshot/manifest.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::snapshot::detail {

inline constexpr std::string_view k_manifest = "manifest.json";
inline constexpr std::string_view k_manifest_copy = "manifest.copy.json";
inline constexpr std::string_view k_data_dir = "data";
inline constexpr std::string_view k_temp_prefix = ".tmp-";
inline constexpr std::string_view k_trash_prefix = ".trash-";
/// In an unfinished snapshot folder: `<host> <pid>` of the process building it.
inline constexpr std::string_view k_owner_file = ".owner";
inline constexpr std::string_view k_drills = "drills.jsonl";
inline constexpr std::string_view k_verifications = "verifications.jsonl";

using Clock = std::chrono::system_clock;

/// Throws `store-invalid` unless `store` is an existing folder.
void check_store(const std::filesystem::path& store);

/// The ids of the complete snapshots (folders holding `manifest.json` or its copy),
/// oldest first (ids sort by time).
std::vector<std::string> snapshot_ids(const std::filesystem::path& store);

/// `now` as RFC 3339 UTC with milliseconds.
std::string rfc3339(Clock::time_point when);
/// Parses what `rfc3339` writes (milliseconds optional); nullopt otherwise.
std::optional<Clock::time_point> parse_rfc3339(std::string_view text);

/// A new id: `YYYYMMDDTHHMMSS.mmmZ-` and 8 hex digits of a hash of `seed`, the time and
/// pid. Ids of one store sort in the order they were taken.
std::string new_id(Clock::time_point when, std::string_view seed);

/// The best level recorded per snapshot id (verifications.jsonl and passing drills).
struct Records {
    std::vector<std::pair<std::string, int>> verified{};       ///< id, best level
    std::vector<std::pair<std::string, std::string>> drills{}; ///< id, JSON line (last wins)
};
Records read_records(const std::filesystem::path& store);
int verified_level(const Records& records, const std::string& id);

/// Writes `k_owner_file` into the unfinished snapshot folder `temp` (this host and pid).
void write_owner(const std::filesystem::path& temp);

/// The unfinished folder of snapshot `id`: `.tmp-<id>.<pid>.<host hash>`. Its name says
/// who makes it from the moment it exists, so a create killed before it wrote `.owner`
/// leaves nothing prune cannot judge.
std::string temp_name(std::string_view id);

/// Whether the unfinished folder `temp` (`.tmp-*`) is left over: its owner process on this
/// host is gone, or (another host, no owner file) nothing in it changed for `stale_after`.
bool abandoned(const std::filesystem::path& temp, std::chrono::hours stale_after);

} // namespace migsafe::snapshot::detail
