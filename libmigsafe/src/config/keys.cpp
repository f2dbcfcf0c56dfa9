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

constexpr std::array k_dir_options = {"apply --dir"sv,      "status --dir"sv, "check --dir"sv,
                                      "compensate --dir"sv, "adopt --dir"sv,  "rehearse --dir"sv,
                                      "sum DIR"sv,          "plan PATH"sv};
constexpr std::array k_layout_options = {
    "apply --layout"sv, "status --layout"sv,   "check --layout"sv, "compensate --layout"sv,
    "adopt --layout"sv, "rehearse --layout"sv, "sum --layout"sv,   "plan --layout"sv};
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
    {.key = "migrations.dir",
     .kind = text,
     .default_text = "migrations",
     .env = "MIGSAFE_MIGRATIONS_DIR",
     .options = k_dir_options,
     .summary = "the migration directory"},
    {.key = "migrations.layout",
     .kind = choice,
     .default_text = "auto",
     .env = "MIGSAFE_MIGRATIONS_LAYOUT",
     .options = k_layout_options,
     .choices = k_layouts,
     .summary = "how its files are named (auto: detected from the files)"},
    {.key = "migrations.runner",
     .kind = choice,
     .default_text = "",
     .env = "MIGSAFE_MIGRATIONS_RUNNER",
     .options = k_runner_options,
     .choices = k_runners,
     .summary = "the tool whose history migsafe keeps beside its own"},
    {.key = "plan.fail_on",
     .kind = choice,
     .default_text = "error",
     .env = "MIGSAFE_PLAN_FAIL_ON",
     .options = k_fail_on_options,
     .choices = k_fail_on,
     .summary = "lowest severity of an unallowed finding that fails the verdict"},
    {.key = "plan.pg_version",
     .kind = integer,
     .default_text = "15",
     .env = "MIGSAFE_PLAN_PG_VERSION",
     .options = k_pg_version_options,
     .min = 10,
     .max = 18,
     .summary = "PostgreSQL major version planned for (with --db: the server's)"},
    {.key = "apply.lock_timeout",
     .kind = bound,
     .default_text = "5s",
     .env = "MIGSAFE_APPLY_LOCK_TIMEOUT",
     .options = k_lock_timeout_options,
     .summary = "lock_timeout of every migration transaction"},
    {.key = "apply.statement_timeout",
     .kind = duration,
     .default_text = "",
     .env = "MIGSAFE_APPLY_STATEMENT_TIMEOUT",
     .options = k_statement_timeout_options,
     .summary = "statement_timeout of every statement"},
    {.key = "apply.concurrently_timeout",
     .kind = bound,
     .default_text = "30m",
     .env = "MIGSAFE_APPLY_CONCURRENTLY_TIMEOUT",
     .options = k_concurrently_timeout_options,
     .summary = "lock_timeout of CONCURRENTLY statements"},
    {.key = "apply.retries",
     .kind = integer,
     .default_text = "3",
     .env = "MIGSAFE_APPLY_RETRIES",
     .options = k_retries_options,
     .min = 0,
     .max = 100,
     .summary = "retries after a lock timeout or deadlock"},
    {.key = "apply.wait",
     .kind = bound,
     .default_text = "5m",
     .env = "MIGSAFE_APPLY_WAIT",
     .options = k_wait_options,
     .summary = "how long to wait for another runner's lock"},
    {.key = "apply.store",
     .kind = text,
     .default_text = "",
     .env = "MIGSAFE_APPLY_STORE",
     .options = k_apply_store_options,
     .fallback = "snapshot.store",
     .summary = "snapshot store checked or used before risky migrations"},
    {.key = "apply.max_snapshot_age",
     .kind = duration,
     .default_text = "24h",
     .env = "MIGSAFE_APPLY_MAX_SNAPSHOT_AGE",
     .options = k_apply_age_options,
     .summary = "how old the snapshot before risky migrations may be"},
    {.key = "apply.batch_time",
     .kind = duration,
     .default_text = "200ms",
     .env = "MIGSAFE_APPLY_BATCH_TIME",
     .options = k_batch_time_options,
     .summary = "the duration backfill batches adapt their size towards"},
    {.key = "snapshot.store",
     .kind = text,
     .default_text = "",
     .env = "MIGSAFE_SNAPSHOT_STORE",
     .options = k_snapshot_store_options,
     .summary = "the snapshot store of snapshot and drill"},
    {.key = "check.store",
     .kind = text,
     .default_text = "",
     .env = "MIGSAFE_CHECK_STORE",
     .options = k_check_store_options,
     .fallback = "snapshot.store",
     .summary = "the snapshot store the gate checks"},
    {.key = "check.max_snapshot_age",
     .kind = duration,
     .default_text = "24h",
     .env = "MIGSAFE_CHECK_MAX_SNAPSHOT_AGE",
     .options = k_check_age_options,
     .summary = "how old the latest verified snapshot may be"},
    {.key = "check.max_drill_age",
     .kind = duration,
     .default_text = "7d",
     .env = "MIGSAFE_CHECK_MAX_DRILL_AGE",
     .options = k_check_drill_options,
     .summary = "how old the latest passed restore drill may be"},
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
    const auto* found = std::find_if(k_keys.begin(), k_keys.end(),
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
