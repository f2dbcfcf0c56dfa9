// One statement node -> kind and details. Node names are libpg_query's (PostgreSQL's
// parse nodes); they stop here.
#include "model/transform.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace migsafe::model::detail {
namespace {

// Node types that need no details: the kind alone.
constexpr std::array<std::pair<std::string_view, StatementKind>, 22> k_plain_nodes{{
    {"CreateEnumStmt", StatementKind::create_type},
    {"CompositeTypeStmt", StatementKind::create_type},
    {"CreateDomainStmt", StatementKind::create_type},
    {"CreateRangeStmt", StatementKind::create_type},
    {"AlterEnumStmt", StatementKind::alter_type},
    {"AlterDomainStmt", StatementKind::alter_type},
    {"CreateTrigStmt", StatementKind::create_trigger},
    {"ViewStmt", StatementKind::create_view},
    {"CreateSeqStmt", StatementKind::create_sequence},
    {"AlterSeqStmt", StatementKind::other},
    {"CreateSchemaStmt", StatementKind::create_schema},
    {"CreateExtensionStmt", StatementKind::create_extension},
    {"SelectStmt", StatementKind::select},
    {"VacuumStmt", StatementKind::vacuum},
    {"CommentStmt", StatementKind::comment},
    {"GrantStmt", StatementKind::grant},
    {"GrantRoleStmt", StatementKind::grant},
    {"LockStmt", StatementKind::lock},
    {"CreateTableAsStmt", StatementKind::create_table},
    {"ExplainStmt", StatementKind::other},
    {"CopyStmt", StatementKind::other},
    {"CreatePLangStmt", StatementKind::other},
}};

CreateTable create_table(const Json& create)
{
    CreateTable details;
    details.table = relation_of(create.value("relation", Json::object()));
    details.schema_written = create.value("relation", Json::object()).contains("schemaname");
    details.if_not_exists = flag_field(create, "if_not_exists");
    details.partitioned = create.contains("partspec");
    for (const auto& element : create.value("tableElts", Json::array())) {
        if (element.contains("ColumnDef")) {
            details.columns.push_back(column_of(element["ColumnDef"]));
        } else if (element.contains("Constraint")) {
            details.constraints.push_back(constraint_of(element["Constraint"]));
        } else if (element.contains("TableLikeClause")) {
            details.like.push_back(
                relation_of(element["TableLikeClause"].value("relation", Json::object())));
        }
    }
    if (create.contains("partbound")) {
        const auto& parents = create.value("inhRelations", Json::array());
        if (!parents.empty()) {
            details.partition_of = relation_of(parents.front().value("RangeVar", Json::object()));
        }
        details.default_partition = flag_field(create["partbound"], "is_default");
    }
    return details;
}

CreateIndex create_index(const Json& index)
{
    CreateIndex details;
    details.name = text_field(index, "idxname");
    details.table = relation_of(index.value("relation", Json::object()));
    details.schema_written = index.value("relation", Json::object()).contains("schemaname");
    details.only = !flag_field(index.value("relation", Json::object()), "inh");
    details.concurrently = flag_field(index, "concurrent");
    details.unique = flag_field(index, "unique");
    details.if_not_exists = flag_field(index, "if_not_exists");
    details.partial = index.contains("whereClause");
    if (auto method = text_field(index, "accessMethod"); !method.empty()) {
        details.method = std::move(method);
    }
    for (const auto& param : index.value("indexParams", Json::array())) {
        auto name = text_field(param.value("IndexElem", Json::object()), "name");
        details.columns.push_back(name.empty() ? "(expression)" : name);
    }
    return details;
}

// Every node called `type` anywhere under `node`, depth first (keys in nlohmann's sorted
// order, so not quite the order of the SQL text).
void collect_nodes(const Json& node, std::string_view type, std::vector<const Json*>& found)
{
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (key == type) {
                found.push_back(&value);
            }
            collect_nodes(value, type, found);
        }
    } else if (node.is_array()) {
        for (const auto& value : node) {
            collect_nodes(value, type, found);
        }
    }
}

// The relations of `ranges` (RangeVar nodes), each once, in their order; a name that one
// of `ctes` defines (and no schema) is the CTE, not a relation.
std::vector<RelationName> relations_of(const std::vector<const Json*>& ranges,
                                       const std::vector<const Json*>& ctes)
{
    std::vector<RelationName> reads;
    for (const Json* range : ranges) {
        const auto name = text_field(*range, "relname");
        const bool is_cte = text_field(*range, "schemaname").empty() &&
                            std::any_of(ctes.begin(), ctes.end(), [&](const Json* cte) {
                                return text_field(*cte, "ctename") == name;
                            });
        auto relation = relation_of(*range);
        if (!is_cte && !name.empty() &&
            std::find(reads.begin(), reads.end(), relation) == reads.end()) {
            reads.push_back(std::move(relation));
        }
    }
    return reads;
}

// The relations a query names; a name that a WITH clause defines (and no schema) is the
// CTE, not a relation.
std::vector<RelationName> relations_read(const Json& query)
{
    std::vector<const Json*> ctes;
    collect_nodes(query, "CommonTableExpr", ctes);
    std::vector<const Json*> ranges;
    collect_nodes(query, "RangeVar", ranges);
    return relations_of(ranges, ctes);
}

// The columns a WHERE clause names: the last field of each ColumnRef.
std::vector<std::string> columns_named(const Json& where)
{
    std::vector<const Json*> refs;
    collect_nodes(where, "ColumnRef", refs);
    std::vector<std::string> columns;
    for (const Json* ref : refs) {
        const auto& fields = ref->value("fields", Json::array());
        if (fields.empty()) {
            continue;
        }
        auto name = string_value(fields.back());
        if (!name.empty() && std::find(columns.begin(), columns.end(), name) == columns.end()) {
            columns.push_back(std::move(name));
        }
    }
    return columns;
}

// Every RangeVar under `node` with its byte offset; not the targets of UPDATE and INSERT,
// nor SELECT INTO's new table: those are written, not read.
void collect_read_ranges(const Json& node, std::vector<std::pair<int, const Json*>>& found)
{
    if (node.is_array()) {
        for (const auto& item : node) {
            collect_read_ranges(item, found);
        }
        return;
    }
    if (!node.is_object()) {
        return;
    }
    for (const auto& [key, value] : node.items()) {
        if (key == "RangeVar") {
            found.emplace_back(value.value("location", -1), &value);
        }
        if (key == "UpdateStmt" || key == "InsertStmt" || key == "IntoClause") {
            for (const auto& [inner, child] : value.items()) {
                if (inner != "relation" && inner != "rel") {
                    collect_read_ranges(child, found);
                }
            }
            continue;
        }
        if (key == "DeleteStmt" && value.contains("relation")) {
            found.emplace_back(value["relation"].value("location", -1), &value["relation"]);
        }
        collect_read_ranges(value, found);
    }
}

// The relations a statement reads, in the order of its text; a name that a WITH clause
// defines (and no schema) is the CTE, not a relation.
std::vector<RelationName> reads_in_text_order(const Json& statement)
{
    std::vector<const Json*> ctes;
    collect_nodes(statement, "CommonTableExpr", ctes);
    std::vector<std::pair<int, const Json*>> ranges;
    collect_read_ranges(statement, ranges);
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const Json*> ordered;
    ordered.reserve(ranges.size());
    for (const auto& [location, range] : ranges) {
        ordered.push_back(range);
    }
    return relations_of(ordered, ctes);
}

// The columns of a WHERE clause outside its subqueries that name the target (`table`, or
// its `alias`) or no relation.
void collect_target_columns(const Json& node, const std::string& table, const std::string& alias,
                            std::vector<std::string>& columns)
{
    if (node.is_array()) {
        for (const auto& item : node) {
            collect_target_columns(item, table, alias, columns);
        }
        return;
    }
    if (!node.is_object()) {
        return;
    }
    for (const auto& [key, value] : node.items()) {
        if (key == "SubLink") {
            // The subquery is another scope; its test expression is still this one's.
            collect_target_columns(value.value("testexpr", Json::object()), table, alias, columns);
            continue;
        }
        if (key == "ColumnRef") {
            const auto& fields = value.value("fields", Json::array());
            auto name = fields.empty() ? std::string() : string_value(fields.back());
            const auto qualifier =
                fields.size() >= 2 ? string_value(fields[fields.size() - 2]) : std::string();
            const bool target =
                fields.size() == 1 || qualifier == table || (!alias.empty() && qualifier == alias);
            if (target && !name.empty() &&
                std::find(columns.begin(), columns.end(), name) == columns.end()) {
                columns.push_back(std::move(name));
            }
            continue;
        }
        collect_target_columns(value, table, alias, columns);
    }
}

std::vector<std::string> target_columns(const Json& where, const std::string& table,
                                        const std::string& alias)
{
    std::vector<std::string> columns;
    collect_target_columns(where, table, alias, columns);
    return columns;
}

// The reads of INSERT, UPDATE, DELETE and SELECT, over the whole statement (a data change
// in a WITH clause is the statement's kind, and its neighbours are read too).
void read_relations(const Json& node, Statement& statement)
{
    switch (statement.kind) {
    case StatementKind::insert:
    case StatementKind::update:
    case StatementKind::delete_rows:
    case StatementKind::select:
        break;
    default:
        return;
    }
    auto reads = reads_in_text_order(node);
    if (auto* change = std::get_if<DataChange>(&statement.details)) {
        change->reads = std::move(reads);
    } else if (auto* insert = std::get_if<Insert>(&statement.details)) {
        insert->reads = std::move(reads);
    } else if (std::holds_alternative<std::monostate>(statement.details)) {
        std::vector<const Json*> locking;
        collect_nodes(node, "LockingClause", locking);
        statement.details = Query{.reads = std::move(reads), .locking = !locking.empty()};
    }
}

CreateView create_view(const Json& view)
{
    CreateView details;
    details.name = relation_of(view.value("view", Json::object()));
    details.or_replace = flag_field(view, "replace");
    details.reads = relations_read(view.value("query", Json::object()));
    return details;
}

CreateView create_table_as(const Json& create)
{
    CreateView details;
    const auto& into = create.value("into", Json::object());
    details.kind = text_field(create, "objtype") == "OBJECT_MATVIEW"
                       ? CreateView::Kind::materialized_view
                       : CreateView::Kind::table_as;
    details.name = relation_of(into.value("rel", Json::object()));
    details.if_not_exists = flag_field(create, "if_not_exists");
    details.with_data = !flag_field(into, "skipData");
    details.reads = relations_read(create.value("query", Json::object()));
    return details;
}

void transform_drop(const Json& drop, Statement& statement)
{
    std::vector<RelationName> names;
    for (const auto& object : drop.value("objects", Json::array())) {
        names.push_back(
            relation_of_names(object.value("List", Json::object()).value("items", Json::array())));
    }
    const auto type = text_field(drop, "removeType");
    const bool if_exists = flag_field(drop, "missing_ok");
    if (type == "OBJECT_INDEX") {
        statement.kind = StatementKind::drop_index;
        statement.details = DropIndex{std::move(names), flag_field(drop, "concurrent"), if_exists};
    } else if (type == "OBJECT_TABLE") {
        statement.kind = StatementKind::drop_table;
        statement.details =
            DropTable{std::move(names), if_exists, text_field(drop, "behavior") == "DROP_CASCADE"};
    } else {
        statement.kind = StatementKind::drop_other;
        DropObjects details{.object_type = lowercase_object_type(type),
                            .if_exists = if_exists,
                            .cascade = text_field(drop, "behavior") == "DROP_CASCADE"};
        for (const auto& object : drop.value("objects", Json::array())) {
            // A schema (or another unqualified object) is a bare String; a relation a List.
            details.names.push_back(
                object.contains("List")
                    ? relation_of_names(object["List"].value("items", Json::array())).qualified()
                    : string_value(object));
            if (object.contains("TypeName")) {
                details.types.push_back(
                    relation_of_names(object["TypeName"].value("names", Json::array())));
            }
        }
        // DROP TRIGGER / POLICY / RULE name ON [schema.]table: the list ends with the name.
        const auto& objects = drop.value("objects", Json::array());
        if ((type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE") &&
            !objects.empty() && objects.front().contains("List")) {
            auto parts = objects.front()["List"].value("items", Json::array());
            if (parts.size() >= 2) {
                parts.erase(parts.size() - 1);
                details.table = relation_of_names(parts);
            }
        }
        statement.details = std::move(details);
    }
}

// The body and language of a DO block or function, from its DefElem options.
OpaqueBody opaque_body(const Json& options)
{
    OpaqueBody body;
    for (const auto& option : options) {
        const auto& elem = option.value("DefElem", Json::object());
        const auto name = text_field(elem, "defname");
        const auto& arg = elem.value("arg", Json::object());
        if (name == "language") {
            body.language = string_value(arg);
        } else if (name == "as") {
            body.body = arg.contains("List")
                            ? string_value(arg["List"].value("items", Json::array()).at(0))
                            : string_value(arg);
        }
    }
    return body;
}

void transform_rename(const Json& rename, Statement& statement)
{
    if (auto table = transform_table_rename(rename)) {
        statement.kind = StatementKind::alter_table;
        statement.details = std::move(*table);
        return;
    }
    Rename details;
    details.object_type = lowercase_object_type(text_field(rename, "renameType"));
    if (rename.contains("relation")) {
        details.from = relation_of(rename["relation"]).qualified();
    } else if (const auto& object = rename.value("object", Json::object());
               object.contains("List")) {
        details.from = relation_of_names(object["List"].value("items", Json::array())).qualified();
    } else {
        details.from = string_value(object);
    }
    details.to = text_field(rename, "newname");
    statement.kind = StatementKind::rename;
    statement.details = std::move(details);
}

SetVariable set_variable(const Json& set)
{
    SetVariable details;
    details.name = text_field(set, "name");
    details.local = flag_field(set, "is_local");
    for (const auto& arg : set.value("args", Json::array())) {
        const auto& constant = arg.value("A_Const", Json::object());
        std::string value;
        if (constant.contains("sval")) {
            value = text_field(constant["sval"], "sval");
        } else if (constant.contains("ival")) {
            value = std::to_string(constant["ival"].value("ival", 0));
        } else if (constant.contains("fval")) {
            value = text_field(constant["fval"], "fval");
        }
        details.value += (details.value.empty() ? "" : ", ") + value;
    }
    return details;
}

TransactionControl transaction(const Json& node)
{
    const auto kind = text_field(node, "kind");
    using Verb = TransactionControl::Verb;
    if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
        return {Verb::begin};
    }
    if (kind == "TRANS_STMT_COMMIT") {
        return {Verb::commit};
    }
    if (kind == "TRANS_STMT_ROLLBACK") {
        return {Verb::rollback};
    }
    if (kind == "TRANS_STMT_SAVEPOINT") {
        return {Verb::savepoint};
    }
    return {Verb::other};
}

} // namespace

void transform_statement(const Json& node, Statement& statement)
{
    if (!node.is_object() || node.empty()) {
        return;
    }
    const auto first = node.begin();
    const std::string& type = first.key();
    const Json& body = first.value();
    statement.kind = StatementKind::other;
    for (const auto& [name, kind] : k_plain_nodes) {
        if (type == name) {
            statement.kind = kind;
        }
    }
    if (type == "ViewStmt") {
        statement.details = create_view(body);
    } else if (type == "CreateTableAsStmt") {
        statement.details = create_table_as(body);
    } else if (type == "CreateStmt") {
        statement.kind = StatementKind::create_table;
        statement.details = create_table(body);
    } else if (type == "AlterTableStmt") {
        const bool is_table = text_field(body, "objtype") == "OBJECT_TABLE";
        statement.kind = is_table ? StatementKind::alter_table : StatementKind::other;
        if (is_table) {
            statement.details = transform_alter_table(body);
        } else {
            transform_misc(type, body, statement); // ALTER INDEX, ALTER TYPE ... ATTRIBUTE
        }
    } else if (type == "RenameStmt") {
        transform_rename(body, statement);
    } else if (type == "IndexStmt") {
        statement.kind = StatementKind::create_index;
        statement.details = create_index(body);
    } else if (type == "DropStmt") {
        transform_drop(body, statement);
    } else if (type == "DefineStmt") {
        const bool is_type = text_field(body, "kind") == "OBJECT_TYPE";
        statement.kind = is_type ? StatementKind::create_type : StatementKind::other;
        transform_misc(type, body, statement); // CREATE AGGREGATE, OPERATOR, ...
    } else if (type == "CreateFunctionStmt") {
        statement.kind = StatementKind::create_function;
        statement.details = opaque_body(body.value("options", Json::array()));
    } else if (type == "DoStmt") {
        statement.kind = StatementKind::do_block;
        statement.details = opaque_body(body.value("args", Json::array()));
    } else if (type == "InsertStmt") {
        statement.kind = StatementKind::insert;
        const auto& select =
            body.value("selectStmt", Json::object()).value("SelectStmt", Json::object());
        statement.details = Insert{relation_of(body.value("relation", Json::object())),
                                   !select.contains("valuesLists")};
    } else if (type == "UpdateStmt" || type == "DeleteStmt") {
        statement.kind = type == "UpdateStmt" ? StatementKind::update : StatementKind::delete_rows;
        const auto& relation = body.value("relation", Json::object());
        DataChange details{relation_of(relation), body.contains("whereClause"),
                           text_field(relation.value("alias", Json::object()), "aliasname")};
        for (const auto& target : body.value("targetList", Json::array())) {
            details.set_columns.push_back(
                text_field(target.value("ResTarget", Json::object()), "name"));
        }
        if (body.contains("whereClause")) {
            details.where_columns = columns_named(body["whereClause"]);
            details.target_where_columns =
                target_columns(body["whereClause"], details.table.name, details.alias);
        }
        statement.details = std::move(details);
    } else if (type == "TruncateStmt") {
        statement.kind = StatementKind::truncate;
        Truncate details;
        for (const auto& relation : body.value("relations", Json::array())) {
            details.tables.push_back(relation_of(relation.value("RangeVar", Json::object())));
        }
        details.cascade = text_field(body, "behavior") == "DROP_CASCADE";
        statement.details = std::move(details);
    } else if (type == "VariableSetStmt") {
        statement.kind = StatementKind::set;
        statement.details = set_variable(body);
    } else if (type == "TransactionStmt") {
        statement.kind = StatementKind::transaction;
        statement.details = transaction(body);
    } else if (type == "SelectStmt") {
        // `WITH gone AS (DELETE ...) SELECT ...` changes data: it is the statement of its
        // first data-modifying CTE (kind, target, WHERE), whose lock and reads it takes.
        const auto& with = body.value("withClause", Json::object());
        for (const auto& cte : with.value("ctes", Json::array())) {
            const auto& query =
                cte.value("CommonTableExpr", Json::object()).value("ctequery", Json::object());
            if (query.contains("DeleteStmt") || query.contains("UpdateStmt") ||
                query.contains("InsertStmt")) {
                transform_statement(query, statement);
                break;
            }
        }
    } else {
        transform_misc(type, body, statement);
    }
    read_relations(node, statement);
}

} // namespace migsafe::model::detail
