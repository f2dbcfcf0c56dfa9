// Comparing two schema fingerprints, and the one-line description of each difference.
#include "integrity/schema_order.hpp"
#include "platform/enum_names.hpp"

#include <migsafe/integrity/schema.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

namespace migsafe::integrity {
namespace {

using KindAndName = std::pair<std::string, std::string>;

// A value longer than this, or spanning lines, is not printed whole.
constexpr std::size_t k_inline_limit = 60;
// How much of a long value's differing line is shown, and how much before the difference.
constexpr std::size_t k_excerpt_length = 60;
constexpr std::size_t k_excerpt_lead = 20;

bool note_only(std::string_view kind, std::string_view attribute)
{
    return (kind == "sequence" && (attribute == "last_value" || attribute == "is_called")) ||
           (kind == "column" && attribute == "position");
}

std::string_view attribute_of(const SchemaObject& object, const std::string& attribute)
{
    auto it = object.attributes.find(attribute);
    return it == object.attributes.end() ? std::string_view() : std::string_view(it->second);
}

// The differences of two objects of the same kind and name, one per attribute.
void diff_attributes(const SchemaObject& expected, const SchemaObject& actual,
                     std::vector<SchemaDifference>& out)
{
    std::set<std::string> keys;
    for (const auto& [key, value] : expected.attributes) {
        keys.insert(key);
    }
    for (const auto& [key, value] : actual.attributes) {
        keys.insert(key);
    }
    for (const auto& key : keys) {
        auto was = attribute_of(expected, key);
        auto now = attribute_of(actual, key);
        if (was != now) {
            out.push_back({.change = SchemaChange::changed,
                           .kind = expected.kind,
                           .name = expected.name,
                           .attribute = key,
                           .expected = std::string(was),
                           .actual = std::string(now),
                           .note_only = note_only(expected.kind, key)});
        }
    }
}

// Whether a missing or extra `object` is said by the line of another missing or extra
// object (`gone`: kind and name of every object missing or extra, in the same direction).
bool said_elsewhere(const SchemaObject& object, const std::set<KindAndName>& gone)
{
    auto is_gone = [&](std::initializer_list<const char*> kinds, std::string_view name) {
        return !name.empty() && std::any_of(kinds.begin(), kinds.end(), [&](const char* kind) {
            return gone.contains({kind, std::string(name)});
        });
    };
    const auto& kind = object.kind;
    if (kind == "column" || kind == "constraint" || kind == "index" || kind == "trigger" ||
        kind == "policy") {
        if (is_gone({"table", "view", "materialized-view"}, attribute_of(object, "table"))) {
            return true;
        }
    }
    if (kind == "index") {
        return is_gone({"constraint"}, attribute_of(object, "constraint"));
    }
    if (kind == "sequence") {
        return is_gone({"column"}, attribute_of(object, "owned_by"));
    }
    if (kind == "grant") {
        return is_gone(
            {"table", "view", "materialized-view", "sequence", "schema", "function", "column"},
            attribute_of(object, "object"));
    }
    return false;
}

// Moves `at` back to the start of the UTF-8 sequence it is in.
std::size_t char_start(std::string_view text, std::size_t at)
{
    while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) {
        --at;
    }
    return at;
}

// Up to k_excerpt_length bytes of `line` from `from`, with `...` where it was cut.
std::string excerpt(std::string_view line, std::size_t from)
{
    from = char_start(line, std::min(from, line.size()));
    auto to = from + k_excerpt_length >= line.size() ? line.size()
                                                     : char_start(line, from + k_excerpt_length);
    return fmt::format("\"{}{}{}\"", from > 0 ? "..." : "", line.substr(from, to - from),
                       to < line.size() ? "..." : "");
}

std::vector<std::string_view> lines_of(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string_view trimmed(std::string_view text)
{
    auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// `<attribute> <actual>, was <expected>`, or for long values the first differing line
// around the first differing character.
std::string describe_values(std::string_view attribute, std::string_view actual,
                            std::string_view expected)
{
    auto shown = [](std::string_view value) {
        return value.empty() ? std::string("(none)") : std::string(value);
    };
    bool is_long = actual.size() > k_inline_limit || expected.size() > k_inline_limit ||
                   actual.find('\n') != std::string_view::npos ||
                   expected.find('\n') != std::string_view::npos;
    if (!is_long) {
        return fmt::format("{} {}, was {}", attribute, shown(actual), shown(expected));
    }
    auto now = lines_of(actual);
    auto was = lines_of(expected);
    std::size_t line = 0;
    while (line < now.size() && line < was.size() && now[line] == was[line]) {
        ++line;
    }
    auto now_line = line < now.size() ? trimmed(now[line]) : std::string_view();
    auto was_line = line < was.size() ? trimmed(was[line]) : std::string_view();
    auto same = static_cast<std::size_t>(
        std::mismatch(now_line.begin(), now_line.end(), was_line.begin(), was_line.end()).first -
        now_line.begin());
    auto from = same > k_excerpt_lead ? same - k_excerpt_lead : 0;
    auto side = [&](std::size_t index, std::size_t count, std::string_view text) {
        return index < count ? excerpt(text, from) : std::string("(no such line)");
    };
    auto where =
        now.size() > 1 || was.size() > 1 ? fmt::format(" at line {}", line + 1) : std::string();
    return fmt::format("{} differs{}: {}, was {}", attribute, where,
                       side(line, now.size(), now_line), side(line, was.size(), was_line));
}

} // namespace

constexpr platform::EnumNames<SchemaChange, 3> k_schema_change_names{
    {{{SchemaChange::missing, "missing"},
      {SchemaChange::extra, "extra"},
      {SchemaChange::changed, "changed"}}}};
static_assert(k_schema_change_names.unique());

std::string_view to_string(SchemaChange change) noexcept
{
    return k_schema_change_names.name(change);
}

std::string SchemaDifference::describe() const
{
    auto line =
        change == SchemaChange::changed
            ? fmt::format("{} {}: {}", kind, name, describe_values(attribute, actual, expected))
            : fmt::format("{} {} {}", kind, name, to_string(change));
    if (note_only) {
        line += " (note)";
    }
    return line;
}

std::vector<SchemaDifference> diff_schema(const SchemaFingerprint& expected,
                                          const SchemaFingerprint& actual)
{
    // Sorted copies of pointers, so that hand-built fingerprints in any order compare too.
    auto sorted = [](const SchemaFingerprint& fingerprint) {
        std::vector<const SchemaObject*> objects;
        objects.reserve(fingerprint.objects.size());
        for (const auto& object : fingerprint.objects) {
            objects.push_back(&object);
        }
        std::stable_sort(objects.begin(), objects.end(), [](const auto* a, const auto* b) {
            return detail::schema_object_before(*a, *b);
        });
        return objects;
    };
    const auto was = sorted(expected);
    const auto now = sorted(actual);

    // Merge: each object is missing, extra, or in both.
    struct Entry {
        const SchemaObject* expected = nullptr;
        const SchemaObject* actual = nullptr;
    };
    std::vector<Entry> entries;
    std::set<KindAndName> missing;
    std::set<KindAndName> extra;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < was.size() || j < now.size()) {
        if (j == now.size() || (i < was.size() && detail::schema_object_before(*was[i], *now[j]))) {
            missing.insert({was[i]->kind, was[i]->name});
            entries.push_back({.expected = was[i++]});
        } else if (i == was.size() || detail::schema_object_before(*now[j], *was[i])) {
            extra.insert({now[j]->kind, now[j]->name});
            entries.push_back({.actual = now[j++]});
        } else {
            entries.push_back({.expected = was[i++], .actual = now[j++]});
        }
    }

    std::vector<SchemaDifference> out;
    for (const auto& entry : entries) {
        if (entry.expected != nullptr && entry.actual != nullptr) {
            diff_attributes(*entry.expected, *entry.actual, out);
        } else if (entry.expected != nullptr) {
            if (!said_elsewhere(*entry.expected, missing)) {
                out.push_back({.change = SchemaChange::missing,
                               .kind = entry.expected->kind,
                               .name = entry.expected->name});
            }
        } else if (!said_elsewhere(*entry.actual, extra)) {
            out.push_back({.change = SchemaChange::extra,
                           .kind = entry.actual->kind,
                           .name = entry.actual->name});
        }
    }
    return out;
}

} // namespace migsafe::integrity
