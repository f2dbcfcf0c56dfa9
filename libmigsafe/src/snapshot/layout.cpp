#include "snapshot/layout.hpp"

#include "platform/private_file.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>
#include <migsafe/platform/hash.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>

namespace migsafe::snapshot::detail {

void check_store(const std::filesystem::path& store)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(store, ec)) {
        throw Error("store-invalid",
                    fmt::format("snapshot store {} is not a folder", store.string()),
                    {.object = "--store"});
    }
}

std::vector<std::string> snapshot_ids(const std::filesystem::path& store)
{
    check_store(store);
    std::vector<std::string> ids;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(store, ec)) {
        auto name = entry.path().filename().string();
        if (name.starts_with('.') || !entry.is_directory()) {
            continue;
        }
        if (std::filesystem::exists(entry.path() / k_manifest) ||
            std::filesystem::exists(entry.path() / k_manifest_copy)) {
            ids.push_back(name);
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string rfc3339(Clock::time_point when)
{
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch());
    std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(ms).count();
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                       ms.count() % 1000);
}

std::optional<Clock::time_point> parse_rfc3339(std::string_view text)
{
    std::tm tm{};
    int millis = 0;
    std::string copy(text);
    int year = 0;
    int month = 0;
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &year, &month, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) < 6) {
        return std::nullopt;
    }
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    return Clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
}

std::string new_id(Clock::time_point when, std::string_view seed)
{
    std::time_t seconds = Clock::to_time_t(when);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count() %
        1000;
    auto hash = xxh3_128(fmt::format("{}|{}|{}", seed, when.time_since_epoch().count(), getpid()));
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z-{}", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis,
                       hash.to_hex().substr(0, 8));
}

namespace {

void each_line(const std::filesystem::path& path,
               const std::function<void(const nlohmann::json&, const std::string&)>& on_line)
{
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.is_object()) { // a torn last line is skipped
            on_line(j, line);
        }
    }
}

void raise(Records& records, const std::string& id, int level)
{
    for (auto& [known, best] : records.verified) {
        if (known == id) {
            best = std::max(best, level);
            return;
        }
    }
    records.verified.emplace_back(id, level);
}

} // namespace

Records read_records(const std::filesystem::path& store)
{
    Records records;
    each_line(store / k_verifications, [&](const nlohmann::json& j, const std::string&) {
        if (j.value("passed", false)) {
            raise(records, j.value("id", ""), j.value("level_reached", 0));
        }
    });
    each_line(store / k_drills, [&](const nlohmann::json& j, const std::string& line) {
        auto id = j.value("snapshot_id", "");
        if (j.value("passed", false)) {
            raise(records, id, 3);
        }
        records.drills.emplace_back(id, line);
    });
    return records;
}

int verified_level(const Records& records, const std::string& id)
{
    for (const auto& [known, best] : records.verified) {
        if (known == id) {
            return best;
        }
    }
    return 0;
}

void write_owner(const std::filesystem::path& temp)
{
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    platform::write_file_durably(temp / k_owner_file, fmt::format("{} {}\n", host, getpid()));
}

namespace {

std::string this_host()
{
    char here[256] = {};
    gethostname(here, sizeof here - 1);
    return here;
}

std::string host_hash(const std::string& host)
{
    return xxh3_128(host).to_hex().substr(0, 8);
}

bool process_gone(long pid)
{
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

std::string temp_name(std::string_view id)
{
    return fmt::format("{}{}.{}.{}", k_temp_prefix, id, getpid(), host_hash(this_host()));
}

bool abandoned(const std::filesystem::path& temp, std::chrono::hours stale_after)
{
    std::error_code ec;
    std::ifstream owner(temp / k_owner_file);
    std::string host;
    long pid = 0;
    if (owner >> host >> pid) {
        if (host == this_host() && pid > 0) {
            return process_gone(pid);
        }
    } else {
        // No owner file (killed before writing it, or after removing it): the name says
        // who made the folder (`temp_name`).
        const std::string name = temp.filename().string();
        const auto last = name.rfind('.');
        const auto before =
            last == std::string::npos || last == 0 ? std::string::npos : name.rfind('.', last - 1);
        if (before != std::string::npos && name.substr(last + 1) == host_hash(this_host())) {
            const auto digits = name.substr(before + 1, last - before - 1);
            if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) {
                return process_gone(std::stol(digits));
            }
        }
    }
    // Another host's, or no owner: left over when nothing in it changed for a long time.
    auto newest = std::filesystem::last_write_time(temp, ec);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(temp, ec)) {
        newest = std::max(newest, entry.last_write_time(ec));
    }
    return !ec && std::filesystem::file_time_type::clock::now() - newest > stale_after;
}

} // namespace migsafe::snapshot::detail
