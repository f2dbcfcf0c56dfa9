// Checkpoint <-> JSON. The form is documented in docs/backfill.md; keys are sorted
// (nlohmann::json's object order), so the same checkpoint always gives the same bytes.
#include "model/version_format.hpp"

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::backfill {
namespace {

using Json = nlohmann::json;
constexpr int k_schema_version = 1;

[[noreturn]] void malformed(const std::string& what)
{
    throw Error("backfill-checkpoint-malformed", "backfill checkpoint " + what);
}

Json optional_text(const std::optional<std::string>& value)
{
    return value ? Json(*value) : Json(nullptr);
}

const Json& field(const Json& document, const char* name)
{
    const auto it = document.find(name);
    if (it == document.end()) {
        malformed(fmt::format("has no `{}`", name));
    }
    return *it;
}

std::optional<std::string> read_optional_text(const Json& document, const char* name)
{
    const auto& value = field(document, name);
    if (value.is_null()) {
        return std::nullopt;
    }
    if (!value.is_string()) {
        malformed(fmt::format("`{}` is not a string or null", name));
    }
    return value.get<std::string>();
}

std::int64_t read_count(const Json& document, const char* name)
{
    const auto& value = field(document, name);
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
        malformed(fmt::format("`{}` is not a non-negative integer", name));
    }
    return value.get<std::int64_t>();
}

} // namespace

std::string Checkpoint::to_json() const
{
    Json document{{"schema_version", k_schema_version},
                  {"upper_key", optional_text(upper_key)},
                  {"lower_key", optional_text(lower_key)},
                  {"after_key", optional_text(after_key)},
                  {"rows_done", rows_done},
                  {"batches_done", batches_done},
                  {"batch_size", batch_size},
                  {"finished", finished}};
    return document.dump();
}

Checkpoint Checkpoint::from_json(std::string_view json)
{
    Json document;
    try {
        document = Json::parse(json);
    } catch (const Json::exception& e) {
        malformed(fmt::format("is not valid JSON: {}", e.what()));
    }
    if (!document.is_object()) {
        malformed("is not a JSON object");
    }
    const auto& version = field(document, "schema_version");
    if (!version.is_number_integer() || version.get<std::int64_t>() != k_schema_version) {
        malformed(
            fmt::format("has schema_version {}, expected {}", version.dump(), k_schema_version));
    }
    Checkpoint checkpoint;
    checkpoint.upper_key = read_optional_text(document, "upper_key");
    checkpoint.lower_key = read_optional_text(document, "lower_key");
    checkpoint.after_key = read_optional_text(document, "after_key");
    checkpoint.rows_done = read_count(document, "rows_done");
    checkpoint.batches_done = read_count(document, "batches_done");
    const auto batch_size = read_count(document, "batch_size");
    if (batch_size > 1'000'000'000) {
        malformed("`batch_size` is out of range");
    }
    checkpoint.batch_size = static_cast<int>(batch_size);
    const auto& finished = field(document, "finished");
    if (!finished.is_boolean()) {
        malformed("`finished` is not a boolean");
    }
    checkpoint.finished = finished.get<bool>();
    if (checkpoint.after_key && !checkpoint.upper_key) {
        malformed("has an `after_key` but no `upper_key`");
    }
    return checkpoint;
}

} // namespace migsafe::backfill
