// Engine names, as the CLI and the manifest spell them.
#include <migsafe/snapshot/engine.hpp>

#include <array>
#include <utility>

namespace migsafe::snapshot {
namespace {

constexpr std::array<std::pair<Engine, std::string_view>, 3> k_names{{
    {Engine::pg_dump, "pg_dump"},
    {Engine::basebackup, "basebackup"},
    {Engine::pgbackrest, "pgbackrest"},
}};

} // namespace

std::string_view to_string(Engine engine) noexcept
{
    for (const auto& [value, name] : k_names) {
        if (value == engine) {
            return name;
        }
    }
    return "pg_dump";
}

std::optional<Engine> parse_engine(std::string_view text) noexcept
{
    for (const auto& [value, name] : k_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace migsafe::snapshot
