// Engine names, as the CLI and the manifest spell them.
#include "platform/enum_names.hpp"

#include <migsafe/snapshot/engine.hpp>

namespace migsafe::snapshot {
namespace {

constexpr platform::EnumNames<Engine, 3> k_names{{{
    {Engine::pg_dump, "pg_dump"},
    {Engine::basebackup, "basebackup"},
    {Engine::pgbackrest, "pgbackrest"},
}}};
static_assert(k_names.unique());

} // namespace

std::string_view to_string(Engine engine) noexcept
{
    return k_names.name(engine);
}

std::optional<Engine> parse_engine(std::string_view text) noexcept
{
    return k_names.value(text);
}

} // namespace migsafe::snapshot
