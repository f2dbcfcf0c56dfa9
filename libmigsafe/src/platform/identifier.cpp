// The one identifier quoting function (PostgreSQL's quote_ident) and the display form of
// schema-qualified names built on it.
#include <migsafe/platform/identifier.hpp>

#include <algorithm>
#include <array>

namespace migsafe::platform {
namespace {

/// PostgreSQL's reserved key words (and those that cannot be column or type names): a
/// plain lowercase name among them must be quoted too.
constexpr auto k_reserved = std::to_array<std::string_view>({
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json_array",
    "json_arrayagg",
    "json_object",
    "json_objectagg",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
});

bool plain(std::string_view name)
{
    if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

/// Reads one part of a qualified name starting at `at`: a quoted identifier (quotes
/// undoubled) or the text up to the next dot. Returns the position after it, or npos.
std::size_t read_part(std::string_view text, std::size_t at, std::string& part)
{
    if (at < text.size() && text[at] == '"') {
        for (std::size_t i = at + 1; i < text.size(); ++i) {
            if (text[i] != '"') {
                part += text[i];
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                part += '"';
                ++i;
            } else {
                return i + 1;
            }
        }
        return std::string_view::npos; // unterminated
    }
    const auto dot = text.find('.', at);
    const auto end = dot == std::string_view::npos ? text.size() : dot;
    part.append(text.substr(at, end - at));
    return end;
}

} // namespace

std::string quote_ident(std::string_view name)
{
    if (plain(name) && std::find(k_reserved.begin(), k_reserved.end(), name) == k_reserved.end()) {
        return std::string(name);
    }
    return always_quoted_ident(name);
}

std::string always_quoted_ident(std::string_view name)
{
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string qualified_name(std::string_view schema, std::string_view name)
{
    return quote_ident(schema) + "." + quote_ident(name);
}

std::optional<std::pair<std::string, std::string>> split_qualified_name(std::string_view text)
{
    std::string first;
    auto at = read_part(text, 0, first);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    if (at == text.size()) {
        return std::make_pair(std::string("public"), first);
    }
    if (text[at] != '.') {
        return std::nullopt;
    }
    std::string second;
    at = read_part(text, at + 1, second);
    if (at != text.size()) {
        return std::nullopt;
    }
    return std::make_pair(first, second);
}

std::string utf8_prefix(std::string_view text, std::size_t max_bytes)
{
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    std::size_t end = max_bytes;
    // Back up over continuation bytes (10xxxxxx) to the start of the character cut.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return std::string(text.substr(0, end));
}

} // namespace migsafe::platform
