// The tools' own advisory locks (keys as each tool computes them; see tool_lock.hpp).
#include "platform/catalog/advisory_lock_queries.hpp"
#include "platform/catalog/runner_history_queries.hpp"
#include "platform/logging.hpp"

#include <migsafe/adopt/tool_lock.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/identifier.hpp>
#include <migsafe/platform/interrupt.hpp>

#include <boost/crc.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace migsafe::adopt {
namespace {

namespace catalog = platform::catalog;
using Clock = std::chrono::steady_clock;

/// prisma-engines: "72707369 is a unique number we chose to identify Migrate".
constexpr std::int64_t k_prisma_key = 72707369;
/// Flyway's LOCK_MAGIC_NUM: "Flyway" in ASCII, (0x46L << 40) + ... + 0x79.
constexpr std::int64_t k_flyway_magic =
    (0x46LL << 40) + (0x6CLL << 32) + (0x79LL << 24) + (0x77LL << 16) + (0x61LL << 8) + 0x79LL;
/// golang-migrate's advisoryLockIDSalt and Rails' MIGRATOR_SALT.
constexpr std::uint32_t k_golang_migrate_salt = 1486364155U;
constexpr std::int64_t k_rails_salt = 2053462845;

std::uint32_t crc32_of(std::string_view text)
{
    boost::crc_32_type crc;
    crc.process_bytes(text.data(), text.size());
    return crc.checksum();
}

std::int64_t golang_migrate_key(std::string_view database, std::string_view schema,
                                std::string_view table)
{
    std::string joined = fmt::format("{}{}{}{}{}", schema, '\0', table, '\0', database);
    // A product of two uint32 values, wrapping at 32 bits as golang-migrate's does.
    const std::uint32_t key = crc32_of(joined) * k_golang_migrate_salt;
    return static_cast<std::int64_t>(key);
}

/// Flyway's Table.toString() on PostgreSQL: each part in double quotes, quotes doubled.
std::string flyway_quoted(std::string_view part)
{
    return platform::always_quoted_ident(part);
}

} // namespace

std::int32_t java_string_hash(std::string_view text) noexcept
{
    // Decode UTF-8 to code points, then hash UTF-16 code units: h = 31 * h + unit.
    std::uint32_t hash = 0;
    auto add = [&hash](std::uint32_t unit) { hash = hash * 31U + unit; };
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::uint32_t cp = c;
        std::size_t length = 1;
        if (c >= 0xF0 && i + 3 < text.size()) {
            cp = ((c & 0x07U) << 18) | ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 12) |
                 ((static_cast<unsigned char>(text[i + 2]) & 0x3FU) << 6) |
                 (static_cast<unsigned char>(text[i + 3]) & 0x3FU);
            length = 4;
        } else if (c >= 0xE0 && i + 2 < text.size()) {
            cp = ((c & 0x0FU) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6) |
                 (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
            length = 3;
        } else if (c >= 0xC0 && i + 1 < text.size()) {
            cp = ((c & 0x1FU) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3FU);
            length = 2;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            add(0xD800U + (cp >> 10));
            add(0xDC00U + (cp & 0x3FFU));
        } else {
            add(cp);
        }
        i += length;
    }
    return static_cast<std::int32_t>(hash);
}

std::vector<std::int64_t> tool_lock_keys(Tool tool, std::string_view database,
                                         std::string_view schema, std::string_view table)
{
    switch (tool) {
    case Tool::prisma:
        return {k_prisma_key};
    case Tool::flyway:
        return {k_flyway_magic +
                java_string_hash(flyway_quoted(schema) + "." + flyway_quoted(table))};
    case Tool::golang_migrate:
        return {golang_migrate_key("/" + std::string(database), schema, table),
                golang_migrate_key(database, schema, table)};
    case Tool::rails:
        return {k_rails_salt * static_cast<std::int64_t>(crc32_of(database))};
    case Tool::dbmate:
    case Tool::diesel:
        break;
    }
    return {};
}

ToolLock::ToolLock(platform::Session& session, const HistoryTable& table,
                   std::chrono::milliseconds wait)
    : m_session(session)
{
    const auto keys = tool_lock_keys(table.tool, catalog::current_database_name(session),
                                     table.schema, table.table);
    const auto start = Clock::now();
    auto pause = std::chrono::milliseconds(50);
    for (auto key : keys) {
        while (!catalog::try_advisory_lock(session, key)) {
            const auto elapsed = Clock::now() - start;
            if (elapsed >= wait || interrupt::requested()) {
                std::string holder;
                if (auto h = catalog::advisory_lock_holder(session, key)) {
                    holder =
                        fmt::format(": pid {} (user {}, application '{}', from {}, "
                                    "connected since {})",
                                    h->pid, h->user, h->application, h->client, h->connected_since);
                }
                for (auto held : m_held) {
                    catalog::advisory_unlock(session, held);
                }
                throw Error(
                    "adopt-tool-lock-busy",
                    fmt::format(
                        "{} holds its lock on {}{}; waited {} ms", to_string(table.tool),
                        table.qualified(), holder,
                        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
                    {.object = fmt::format("pg_advisory_lock({})", key)},
                    fmt::format("wait for the running {} to finish, then run migsafe "
                                "again",
                                to_string(table.tool)));
            }
            std::this_thread::sleep_for(std::min(
                pause, std::chrono::duration_cast<std::chrono::milliseconds>(wait - elapsed) +
                           std::chrono::milliseconds(1)));
            pause = std::min(pause * 2, std::chrono::milliseconds(500));
        }
        m_held.push_back(key);
    }
    migsafe::detail::log_debug("{} lock taken ({} keys)", to_string(table.tool), m_held.size());
}

ToolLock::~ToolLock()
{
    for (auto key : m_held) {
        try {
            catalog::advisory_unlock(m_session, key);
        } catch (const std::exception& error) {
            migsafe::detail::log_warn("could not release a tool lock: {}", error.what());
        }
    }
}

} // namespace migsafe::adopt
