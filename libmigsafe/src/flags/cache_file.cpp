// The last-known-good file (docs/flags.md, "Client"): the snapshot a client last loaded,
// so a restart without the database serves it instead of the defaults.
#include <migsafe/flags/client.hpp>
#include <migsafe/flags/json.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <nlohmann/json.hpp>

namespace migsafe::flags {

namespace {
constexpr int k_cache_format = 1;
} // namespace

void write_cache_file(const std::filesystem::path& path, const Snapshot& snapshot)
{
    const std::string document =
        nlohmann::json{{"format", k_cache_format},
                       {"generation", snapshot.generation()},
                       {"flags", nlohmann::json::parse(to_json(snapshot.flags()))}}
            .dump();
    platform::write_file_durably(path, document);
}

Snapshot read_cache_file(const std::filesystem::path& path, std::string default_env)
{
    const std::string text = platform::read_file(path);
    const auto invalid = [&](std::string_view why) {
        return Error("flag-cache-invalid",
                     "flags cache file " + path.string() + " " + std::string(why),
                     ErrorContext{.file = path.string()});
    };
    nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        throw invalid("is not JSON");
    }
    if (document.value("format", 0) != k_cache_format || !document.contains("flags")) {
        throw invalid("is not a migsafe flags cache (format 1)");
    }
    try {
        return Snapshot(flags_from_json(document.at("flags").dump()), std::move(default_env),
                        document.value("generation", std::int64_t{0}));
    } catch (const Error& error) {
        throw invalid(": " + error.message());
    }
}

} // namespace migsafe::flags
