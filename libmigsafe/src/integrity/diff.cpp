// Comparing two reports, table by table, by qualified name.
#include "platform/enum_names.hpp"

#include <migsafe/integrity/diff.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <map>

namespace migsafe::integrity {

constexpr platform::EnumNames<DifferenceKind, 8> k_difference_kind_names{
    {{{DifferenceKind::missing_table, "missing-table"},
      {DifferenceKind::extra_table, "extra-table"},
      {DifferenceKind::columns, "columns"},
      {DifferenceKind::row_count, "row-count"},
      {DifferenceKind::checksum, "checksum"},
      {DifferenceKind::invalid_index, "invalid-index"},
      {DifferenceKind::unvalidated_constraint, "unvalidated-constraint"},
      {DifferenceKind::sequence_behind, "sequence-behind"}}}};
static_assert(k_difference_kind_names.unique());

std::string_view to_string(DifferenceKind kind) noexcept
{
    return k_difference_kind_names.name(kind);
}

std::string Difference::describe() const
{
    switch (kind) {
    case DifferenceKind::missing_table:
        return fmt::format("{}: table missing", object);
    case DifferenceKind::extra_table:
        return fmt::format("{}: extra table", object);
    case DifferenceKind::columns:
        return fmt::format("{}: columns ({}), expected ({})", object, actual, expected);
    case DifferenceKind::row_count:
        return fmt::format("{}: row count {}, expected {}", object, actual, expected);
    case DifferenceKind::checksum:
        return fmt::format("{}: checksum {}, expected {}", object, actual, expected);
    case DifferenceKind::invalid_index:
        return fmt::format("{}: index is invalid", object);
    case DifferenceKind::unvalidated_constraint:
        return fmt::format("{}: constraint is not validated", object);
    case DifferenceKind::sequence_behind:
        return fmt::format("{}: sequence at {}, its column holds {}", object, expected, actual);
    }
    return object;
}

std::vector<Difference> problems(const IntegrityReport& report)
{
    std::vector<Difference> out;
    for (const auto& index : report.invalid_indexes) {
        out.push_back({DifferenceKind::invalid_index, qualified_name(index.schema, index.name),
                       "valid", "invalid"});
    }
    for (const auto& c : report.unvalidated_constraints) {
        out.push_back({DifferenceKind::unvalidated_constraint, c.table + "." + c.name, "validated",
                       "not valid"});
    }
    for (const auto& s : report.sequences) {
        if (s.behind()) {
            out.push_back({DifferenceKind::sequence_behind, s.qualified_name(),
                           s.last_value ? std::to_string(*s.last_value) : "unknown",
                           std::to_string(*s.column_max)});
        }
    }
    return out;
}

std::vector<Difference> diff(const IntegrityReport& baseline, const IntegrityReport& current)
{
    std::map<std::string, const TableReport*> expected;
    std::map<std::string, const TableReport*> actual;
    for (const auto& t : baseline.tables) {
        expected[t.qualified_name()] = &t;
    }
    for (const auto& t : current.tables) {
        actual[t.qualified_name()] = &t;
    }
    std::vector<Difference> out;
    for (const auto& [name, want] : expected) {
        auto it = actual.find(name);
        if (it == actual.end()) {
            out.push_back({DifferenceKind::missing_table, name, "present", "missing"});
            continue;
        }
        const TableReport& got = *it->second;
        if (want->columns != got.columns) {
            out.push_back({DifferenceKind::columns, name,
                           fmt::format("{}", fmt::join(want->columns, ", ")),
                           fmt::format("{}", fmt::join(got.columns, ", "))});
        }
        if (want->checksum.rows != got.checksum.rows) {
            out.push_back({DifferenceKind::row_count, name, std::to_string(want->checksum.rows),
                           std::to_string(got.checksum.rows)});
        } else if (want->checksum != got.checksum) {
            out.push_back({DifferenceKind::checksum, name, want->checksum.sums_hex(),
                           got.checksum.sums_hex()});
        }
    }
    for (const auto& [name, got] : actual) {
        if (!expected.contains(name)) {
            out.push_back({DifferenceKind::extra_table, name, "absent", "present"});
        }
    }
    auto health = problems(current);
    out.insert(out.end(), health.begin(), health.end());
    return out;
}

std::string differences_to_json(const std::vector<Difference>& differences, int indent)
{
    auto doc = nlohmann::json::array();
    for (const auto& d : differences) {
        doc.push_back({{"kind", to_string(d.kind)},
                       {"object", d.object},
                       {"expected", d.expected},
                       {"actual", d.actual},
                       {"message", d.describe()}});
    }
    return doc.dump(indent);
}

} // namespace migsafe::integrity
