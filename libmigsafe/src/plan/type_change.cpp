// The rewrite-free type changes of the lock reference (MS-COL-08): varchar widen,
// varchar -> text, numeric precision up with the same scale, numeric(p,s) -> numeric,
// timestamp -> timestamptz under UTC (PostgreSQL 12+).
#include "plan/type_change.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace migsafe::plan::detail {
namespace {

struct Type {
    std::string base;
    std::vector<int> mods; ///< typmods; empty when unbounded
};

Type split(std::string_view text)
{
    Type type;
    // The catalog's format_type() spelling: `timestamp(3) with time zone`.
    bool with_zone = false;
    for (std::string_view suffix : {" without time zone", " with time zone"}) {
        if (text.ends_with(suffix)) {
            with_zone = suffix == " with time zone";
            text.remove_suffix(suffix.size());
        }
    }
    auto open = text.find('(');
    type.base = std::string(text.substr(0, open));
    if (type.base == "character varying") {
        type.base = "varchar";
    }
    if (with_zone && type.base == "timestamp") {
        type.base = "timestamptz";
    }
    if (open == std::string_view::npos) {
        return type;
    }
    auto rest = text.substr(open + 1);
    while (!rest.empty() && rest.front() != ')') {
        int value = 0;
        auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
        if (ec != std::errc()) {
            break;
        }
        type.mods.push_back(value);
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        if (!rest.empty() && rest.front() == ',') {
            rest.remove_prefix(1);
        }
    }
    return type;
}

bool widens(const Type& from, const Type& to)
{
    if (to.mods.empty()) {
        return true;
    }
    if (from.mods.empty() || from.mods.size() != to.mods.size()) {
        return false;
    }
    if (from.base == "numeric" && from.mods.size() == 2) {
        return to.mods[0] >= from.mods[0] && to.mods[1] == from.mods[1];
    }
    return to.mods[0] >= from.mods[0];
}

} // namespace

bool binary_coercible(std::string_view from_text, std::string_view to_text,
                      TypeChangeContext context)
{
    const Type to = split(to_text);
    if (from_text.empty()) {
        return to.base == "text" || (to.base == "varchar" && to.mods.empty());
    }
    const Type from = split(from_text);
    if (from.base == "varchar" && (to.base == "text" || to.base == "varchar")) {
        return to.base == "text" || widens(from, to);
    }
    if (from.base == "text" && to.base == "varchar") {
        return to.mods.empty();
    }
    if (from.base == "numeric" && to.base == "numeric") {
        return widens(from, to);
    }
    if (from.base == "timestamp" && to.base == "timestamptz") {
        return context.pg_version >= 12 && context.timezone_utc;
    }
    return from.base == to.base && from.mods == to.mods;
}

} // namespace migsafe::plan::detail
