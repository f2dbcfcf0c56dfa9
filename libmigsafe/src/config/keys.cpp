// The catalog of migsafe.toml's scalar keys. docs/config.md documents the same table; the
// defaults are those of the commands' options (tools/migsafe/cmd_*.cpp).
#include "model/did_you_mean.hpp"

#include <migsafe/config/keys.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace migsafe::config {
namespace {

using namespace std::string_view_literals;
using Names = std::span<const std::string_view>;

constexpr std::array k_dir_options = {"apply --dir"sv,      "status --dir"sv, "check --dir"sv,
                                      "compensate --dir"sv, "adopt --dir"sv,  "sum DIR"sv,
                                      "plan PATH"sv};
constexpr std::array k_layout_options = {
    "apply --layout"sv, "status --layout"sv, "check --layout"sv, "compensate --layout"sv,
    "adopt --layout"sv, "sum --layout"sv,    "plan --layout"sv};
constexpr std::array k_layouts = {"auto"sv,    "migsafe"sv, "flyway"sv, "golang-migrate"sv,
                                  "folders"sv, "prisma"sv,  "dbmate"sv};
constexpr std::array k_runner_options = {"apply --keep-history"sv, "adopt --from"sv};
constexpr std::array k_runners = {"prisma"sv, "flyway"sv, "golang-migrate"sv,
                                  "dbmate"sv, "rails"sv,  "diesel"sv};
constexpr std::array k_fail_on_options = {"plan --fail-on"sv};
constexpr std::array k_fail_on = {"error"sv, "warning"sv};
constexpr std::array k_pg_version_options = {"plan --pg-version"sv};
constexpr std::array k_lock_timeout_options = {"apply --lock-timeout"sv};
constexpr std::array k_statement_timeout_options = {"apply --statement-timeout"sv};
constexpr std::array k_concurrently_timeout_options = {"apply --concurrently-timeout"sv};
constexpr std::array k_retries_options = {"apply --retries"sv};
constexpr std::array k_wait_options = {"apply --wait"sv};
constexpr std::array k_apply_store_options = {"apply --store"sv};
constexpr std::array k_apply_age_options = {"apply --max-snapshot-age"sv};
constexpr std::array k_batch_time_options = {"apply --batch-time"sv};
constexpr std::array k_snapshot_store_options = {
    "snapshot create --store"sv,  "snapshot list --store"sv,  "snapshot verify --store"sv,
    "snapshot restore --store"sv, "snapshot prune --store"sv, "drill --store"sv};
constexpr std::array k_check_store_options = {"check --store"sv};
constexpr std::array k_check_age_options = {"check --max-snapshot-age"sv};
constexpr std::array k_check_drill_options = {"check --max-drill-age"sv};

using enum ValueKind;

constexpr std::array k_keys = std::to_array<KeySpec>({
    {"migrations.dir",
     text,
     "migrations",
     "MIGSAFE_MIGRATIONS_DIR",
     k_dir_options,
     {},
     0,
     0,
     {},
     "the migration directory"},
    {"migrations.layout",
     choice,
     "auto",
     "MIGSAFE_MIGRATIONS_LAYOUT",
     k_layout_options,
     k_layouts,
     0,
     0,
     {},
     "how its files are named (auto: detected from the files)"},
    {"migrations.runner",
     choice,
     "",
     "MIGSAFE_MIGRATIONS_RUNNER",
     k_runner_options,
     k_runners,
     0,
     0,
     {},
     "the tool whose history migsafe keeps beside its own"},
    {"plan.fail_on",
     choice,
     "error",
     "MIGSAFE_PLAN_FAIL_ON",
     k_fail_on_options,
     k_fail_on,
     0,
     0,
     {},
     "lowest severity of an unallowed finding that fails the verdict"},
    {"plan.pg_version",
     integer,
     "15",
     "MIGSAFE_PLAN_PG_VERSION",
     k_pg_version_options,
     {},
     10,
     18,
     {},
     "PostgreSQL major version planned for (with --db: the server's)"},
    {"apply.lock_timeout",
     bound,
     "5s",
     "MIGSAFE_APPLY_LOCK_TIMEOUT",
     k_lock_timeout_options,
     {},
     0,
     0,
     {},
     "lock_timeout of every migration transaction"},
    {"apply.statement_timeout",
     duration,
     "",
     "MIGSAFE_APPLY_STATEMENT_TIMEOUT",
     k_statement_timeout_options,
     {},
     0,
     0,
     {},
     "statement_timeout of every statement"},
    {"apply.concurrently_timeout",
     bound,
     "30m",
     "MIGSAFE_APPLY_CONCURRENTLY_TIMEOUT",
     k_concurrently_timeout_options,
     {},
     0,
     0,
     {},
     "lock_timeout of CONCURRENTLY statements"},
    {"apply.retries",
     integer,
     "3",
     "MIGSAFE_APPLY_RETRIES",
     k_retries_options,
     {},
     0,
     100,
     {},
     "retries after a lock timeout or deadlock"},
    {"apply.wait",
     bound,
     "5m",
     "MIGSAFE_APPLY_WAIT",
     k_wait_options,
     {},
     0,
     0,
     {},
     "how long to wait for another runner's lock"},
    {"apply.store",
     text,
     "",
     "MIGSAFE_APPLY_STORE",
     k_apply_store_options,
     {},
     0,
     0,
     "snapshot.store",
     "snapshot store checked or used before risky migrations"},
    {"apply.max_snapshot_age",
     duration,
     "24h",
     "MIGSAFE_APPLY_MAX_SNAPSHOT_AGE",
     k_apply_age_options,
     {},
     0,
     0,
     {},
     "how old the snapshot before risky migrations may be"},
    {"apply.batch_time",
     duration,
     "200ms",
     "MIGSAFE_APPLY_BATCH_TIME",
     k_batch_time_options,
     {},
     0,
     0,
     {},
     "the duration backfill batches adapt their size towards"},
    {"snapshot.store",
     text,
     "",
     "MIGSAFE_SNAPSHOT_STORE",
     k_snapshot_store_options,
     {},
     0,
     0,
     {},
     "the snapshot store of snapshot and drill"},
    {"check.store",
     text,
     "",
     "MIGSAFE_CHECK_STORE",
     k_check_store_options,
     {},
     0,
     0,
     "snapshot.store",
     "the snapshot store the gate checks"},
    {"check.max_snapshot_age",
     duration,
     "24h",
     "MIGSAFE_CHECK_MAX_SNAPSHOT_AGE",
     k_check_age_options,
     {},
     0,
     0,
     {},
     "how old the latest verified snapshot may be"},
    {"check.max_drill_age",
     duration,
     "7d",
     "MIGSAFE_CHECK_MAX_DRILL_AGE",
     k_check_drill_options,
     {},
     0,
     0,
     {},
     "how old the latest passed restore drill may be"},
});

Error invalid(std::string_view where, std::string message, std::string hint = {})
{
    return Error("config-invalid", where.empty() ? message : fmt::format("{}: {}", where, message),
                 {}, std::move(hint));
}

} // namespace

std::span<const KeySpec> config_keys() noexcept
{
    return k_keys;
}

const KeySpec* find_key(std::string_view key) noexcept
{
    auto found = std::find_if(k_keys.begin(), k_keys.end(),
                              [&](const KeySpec& spec) { return spec.key == key; });
    return found == k_keys.end() ? nullptr : &*found;
}

std::string check_value(const KeySpec& spec, std::string_view text, std::string_view where)
{
    switch (spec.kind) {
    case ValueKind::text:
        if (text.empty()) {
            throw invalid(where, fmt::format("{} is empty", spec.key),
                          "leave the key out to use the default");
        }
        return std::string(text);
    case ValueKind::duration:
    case ValueKind::bound:
        try {
            const auto value = parse_duration(text, spec.key);
            if (spec.kind == ValueKind::bound && value.count() == 0) {
                throw invalid(where,
                              fmt::format("{} = '{}' would mean no bound at all", spec.key, text),
                              "give a positive duration such as 5s");
            }
        } catch (const Error& e) {
            if (e.code() == "config-invalid") {
                throw;
            }
            throw invalid(where, fmt::format("{} = '{}' is not a duration", spec.key, text),
                          "write durations like 500ms, 10s, 5m, 24h or 30d");
        }
        return std::string(text);
    case ValueKind::integer: {
        long long value = 0;
        const auto* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end) {
            throw invalid(where, fmt::format("{} = '{}' is not a whole number", spec.key, text),
                          fmt::format("write a whole number from {} to {}", spec.min, spec.max));
        }
        if (value < spec.min || value > spec.max) {
            throw invalid(where,
                          fmt::format("{} = {} is out of range [{}, {}]", spec.key, value, spec.min,
                                      spec.max),
                          fmt::format("write a whole number from {} to {}", spec.min, spec.max));
        }
        return std::to_string(value);
    }
    case ValueKind::choice:
        if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
            std::string list;
            for (auto c : spec.choices) {
                list += (list.empty() ? "" : ", ") + std::string(c);
            }
            throw invalid(where, fmt::format("{} = '{}' is not one of {}", spec.key, text, list),
                          model::detail::did_you_mean(text, spec.choices) + "see docs/config.md");
        }
        return std::string(text);
    }
    return std::string(text);
}

} // namespace migsafe::config
