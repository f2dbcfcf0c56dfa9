// CheckReport's JSON and text forms (docs/json.md, docs/check.md).
#include <migsafe/workflow/check.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::workflow {

std::string CheckReport::to_json() const
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& item : items) {
        list.push_back({{"name", item.name},
                        {"status", to_string(item.status)},
                        {"summary", item.summary},
                        {"details", item.details}});
    }
    const nlohmann::ordered_json out = {{"schema_version", k_schema_version},
                                        {"database", database},
                                        {"verdict", passed() ? "pass" : "fail"},
                                        {"items", list}};
    return out.dump(2) + "\n";
}

std::string CheckReport::to_text() const
{
    std::string text = fmt::format("pre-deploy check of {}\n", database);
    for (const auto& item : items) {
        text +=
            fmt::format("  {:<4}  {:<10} {}\n", to_string(item.status), item.name, item.summary);
        for (const auto& detail : item.details) {
            text += fmt::format("        {}\n", detail);
        }
    }
    text += fmt::format("verdict: {}\n", passed() ? "pass" : "fail");
    return text;
}

} // namespace migsafe::workflow
