// The JSON form of an integrity report (docs/integrity.md). Reading checks every field's
// presence and type and names the field at fault: a baseline file is user input.
#include "platform/json_depth.hpp"

#include <migsafe/integrity/report.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::integrity {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_depth = 64;

[[noreturn]] void invalid(const std::string& what)
{
    throw Error("input-invalid-report", "invalid integrity report: " + what);
}

// Reads typed fields of one JSON object, naming `path.field` in errors.
class Fields {
public:
    Fields(const json& object, std::string path)
        : m_object(object)
        , m_path(std::move(path))
    {
        if (!m_object.is_object()) {
            invalid(fmt::format("{} is not an object", m_path.empty() ? "the document" : m_path));
        }
    }

    const json& at(const char* key, json::value_t type) const
    {
        auto it = m_object.find(key);
        if (it == m_object.end()) {
            invalid(fmt::format("missing field {}", where(key)));
        }
        bool ok = it->type() == type ||
                  (type == json::value_t::number_integer && it->is_number_unsigned()) ||
                  (type == json::value_t::number_unsigned && it->is_number_unsigned());
        if (!ok) {
            invalid(fmt::format("field {} has the wrong type ({})", where(key), it->type_name()));
        }
        return *it;
    }
    std::string text(const char* key) const
    {
        return at(key, json::value_t::string).get<std::string>();
    }
    bool boolean(const char* key) const { return at(key, json::value_t::boolean).get<bool>(); }
    std::int64_t integer(const char* key) const
    {
        return at(key, json::value_t::number_integer).get<std::int64_t>();
    }
    std::optional<std::int64_t> optional_integer(const char* key) const
    {
        auto it = m_object.find(key);
        if (it == m_object.end() || it->is_null()) {
            return std::nullopt;
        }
        return integer(key);
    }
    std::vector<std::string> texts(const char* key) const
    {
        std::vector<std::string> out;
        for (const auto& item : at(key, json::value_t::array)) {
            if (!item.is_string()) {
                invalid(fmt::format("field {} holds a non-string", where(key)));
            }
            out.push_back(item.get<std::string>());
        }
        return out;
    }
    template <typename Read>
    auto list(const char* key, Read read) const
    {
        std::vector<decltype(read(std::declval<Fields>()))> out;
        const auto& array = at(key, json::value_t::array);
        for (std::size_t i = 0; i < array.size(); ++i) {
            out.push_back(read(Fields(array[i], fmt::format("{}[{}]", where(key), i))));
        }
        return out;
    }
    const json& object() const { return m_object; }
    std::string where(const char* key) const
    {
        return m_path.empty() ? std::string(key) : m_path + "." + key;
    }

private:
    const json& m_object;
    std::string m_path;
};

json optional_number(const std::optional<std::int64_t>& value)
{
    return value ? json(*value) : json(nullptr);
}

TableKind read_kind(const Fields& f)
{
    auto kind = f.text("kind");
    for (auto candidate : {TableKind::table, TableKind::partition, TableKind::partitioned}) {
        if (kind == to_string(candidate)) {
            return candidate;
        }
    }
    invalid(fmt::format("field {} is not table, partition or partitioned", f.where("kind")));
}

KeyRanges read_ranges(const Fields& f, std::uint64_t table_rows);

TableReport read_table(const Fields& f)
{
    TableReport table{.schema = f.text("schema"),
                      .name = f.text("name"),
                      .kind = read_kind(f),
                      .parent = f.text("parent"),
                      .columns = f.texts("columns"),
                      .key_columns = f.texts("key_columns")};
    auto rows = f.at("row_count", json::value_t::number_unsigned).get<std::uint64_t>();
    auto checksum = Checksum::from_parts(rows, f.text("checksum"));
    if (!checksum) {
        invalid(fmt::format("field {} is not 32 hex digits", f.where("checksum")));
    }
    table.checksum = *checksum;
    if (auto it = f.object().find("ranges"); it != f.object().end() && !it->is_null()) {
        table.ranges = read_ranges(Fields(*it, f.where("ranges")), table.checksum.rows);
    }
    return table;
}

// `ranges`: parallel arrays, one bound fewer than counts and checksums; the counts add up
// to the table's.
KeyRanges read_ranges(const Fields& f, std::uint64_t table_rows)
{
    KeyRanges ranges{.bounds = f.texts("bounds")};
    const auto& counts = f.at("row_counts", json::value_t::array);
    auto sums = f.texts("checksums");
    if (counts.size() != sums.size() || sums.size() != ranges.bounds.size() + 1) {
        invalid(fmt::format("field {} needs one more row count and checksum than bounds",
                            f.where("bounds")));
    }
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < sums.size(); ++i) {
        if (!counts[i].is_number_unsigned()) {
            invalid(fmt::format("field {}[{}] is not a row count", f.where("row_counts"), i));
        }
        auto checksum = Checksum::from_parts(counts[i].get<std::uint64_t>(), sums[i]);
        if (!checksum) {
            invalid(fmt::format("field {}[{}] is not 32 hex digits", f.where("checksums"), i));
        }
        total += checksum->rows;
        ranges.checksums.push_back(*checksum);
    }
    if (total != table_rows) {
        invalid(fmt::format("field {} adds up to {} rows, the table has {}", f.where("row_counts"),
                            total, table_rows));
    }
    return ranges;
}

json ranges_json(const KeyRanges& ranges)
{
    json counts = json::array();
    json sums = json::array();
    for (const auto& checksum : ranges.checksums) {
        counts.push_back(checksum.rows);
        sums.push_back(checksum.sums_hex());
    }
    return {{"bounds", ranges.bounds}, {"row_counts", counts}, {"checksums", sums}};
}

} // namespace

std::string IntegrityReport::to_json(int indent) const
{
    json doc;
    doc["schema_version"] = schema_version;
    doc["server_version"] = server_version;
    doc["database"] = database;
    doc["taken_at"] = taken_at;
    doc["snapshot_consistent"] = snapshot_consistent;
    doc["tables"] = json::array();
    for (const auto& t : tables) {
        json entry = {{"schema", t.schema},
                      {"name", t.name},
                      {"qualified_name", t.qualified_name()},
                      {"kind", to_string(t.kind)},
                      {"parent", t.parent},
                      {"row_count", t.checksum.rows},
                      {"checksum", t.checksum.sums_hex()},
                      {"columns", t.columns},
                      {"key_columns", t.key_columns},
                      {"localisable", t.localisable()}};
        if (t.ranges) {
            entry["ranges"] = ranges_json(*t.ranges);
        }
        doc["tables"].push_back(std::move(entry));
    }
    doc["invalid_indexes"] = json::array();
    for (const auto& i : invalid_indexes) {
        doc["invalid_indexes"].push_back(
            {{"schema", i.schema}, {"name", i.name}, {"table", i.table}});
    }
    doc["unvalidated_constraints"] = json::array();
    for (const auto& c : unvalidated_constraints) {
        doc["unvalidated_constraints"].push_back(
            {{"table", c.table}, {"name", c.name}, {"type", c.type}});
    }
    doc["sequences"] = json::array();
    for (const auto& s : sequences) {
        doc["sequences"].push_back({{"schema", s.schema},
                                    {"name", s.name},
                                    {"last_value", optional_number(s.last_value)},
                                    {"is_called", s.is_called},
                                    {"increment", s.increment},
                                    {"owner_table", s.owner_table},
                                    {"owner_column", s.owner_column},
                                    {"column_max", optional_number(s.column_max)},
                                    {"behind", s.behind()}});
    }
    // Names come from the server as they are stored: in a SQL_ASCII database any byte.
    // Invalid UTF-8 is written as U+FFFD rather than making the report unwritable.
    return doc.dump(indent, ' ', false, json::error_handler_t::replace);
}

IntegrityReport IntegrityReport::from_json(std::string_view text)
{
    // A report nests four levels: a deeper document is not one (and is refused before
    // anything recursive reads it).
    if (platform::json_nesting_depth(text) > k_max_depth) {
        invalid(fmt::format("the document nests deeper than {} levels", k_max_depth));
    }
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) {
        invalid("not valid JSON");
    }
    Fields f(doc, "");
    IntegrityReport report;
    report.schema_version = static_cast<int>(f.integer("schema_version"));
    if (report.schema_version < 1 || report.schema_version > k_schema_version) {
        invalid(fmt::format("schema_version {} is not supported (this migsafe reads 1 to {})",
                            report.schema_version, k_schema_version));
    }
    report.server_version = f.text("server_version");
    report.database = f.text("database");
    report.taken_at = f.text("taken_at");
    report.snapshot_consistent = f.boolean("snapshot_consistent");
    report.tables = f.list("tables", read_table);
    report.invalid_indexes = f.list("invalid_indexes", [](const Fields& i) {
        return InvalidIndex{
            .schema = i.text("schema"), .name = i.text("name"), .table = i.text("table")};
    });
    report.unvalidated_constraints = f.list("unvalidated_constraints", [](const Fields& c) {
        return UnvalidatedConstraint{
            .table = c.text("table"), .name = c.text("name"), .type = c.text("type")};
    });
    report.sequences = f.list("sequences", [](const Fields& s) {
        return SequenceReport{.schema = s.text("schema"),
                              .name = s.text("name"),
                              .last_value = s.optional_integer("last_value"),
                              .is_called = s.boolean("is_called"),
                              .increment = s.integer("increment"),
                              .owner_table = s.text("owner_table"),
                              .owner_column = s.text("owner_column"),
                              .column_max = s.optional_integer("column_max")};
    });
    return report;
}

} // namespace migsafe::integrity
