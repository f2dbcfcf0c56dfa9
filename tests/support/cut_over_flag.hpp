#pragma once

// The cut-over flag podiatry's contract migration (0012) requires
// (`-- migsafe:requires-flag professionals-display-name env=production on-for=7d`): tests
// that apply the whole set create it, turn it fully on through the store, and judge the
// gate a week and a day later (ApplyOptions::now, CheckOptions::now).

#include "support/test_db.hpp"

#include <migsafe/flags/store.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <string>

namespace migsafe::test {

inline constexpr const char* k_podiatry_flag = "professionals-display-name";

/// Creates `key` (a cut-over flag) in `db` and turns it fully on in `env`.
inline void turn_on_flag(const TestDatabase& db, const std::string& key = k_podiatry_flag,
                         const std::string& env = "production")
{
    auto session = db.connect();
    flags::ensure_store(session);
    const flags::Change change{.actor = "test", .reason = "the test needs the gate open"};
    flags::create_flag(session,
                       {.key = key,
                        .owner = "test",
                        .kind = flags::Kind::cut_over,
                        .criteria = "the test says so"},
                       change);
    flags::set_enabled(session, key, env, true, change);
    flags::set_rollout(session, key, env, 100, change);
}

/// Late enough for podiatry's on-for=7d once `turn_on_flag` ran.
inline std::chrono::system_clock::time_point after_a_week()
{
    return std::chrono::system_clock::now() + std::chrono::hours(24 * 8);
}

} // namespace migsafe::test
