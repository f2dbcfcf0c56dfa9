#include <migsafe/model/parser.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace migsafe::model;
using Action = AlterTableAction::Kind;

namespace {

Statement parse_one(const std::string& sql)
{
    auto statements = parse_sql(sql, "t.sql");
    REQUIRE(statements.size() == 1);
    return statements.front();
}

} // namespace

TEST_CASE("migsafe::model CREATE TABLE details: columns, defaults and constraints")
{
    const auto statement = parse_one(
        "CREATE TABLE IF NOT EXISTS app.t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "name varchar(100) NOT NULL DEFAULT 'x', at timestamptz DEFAULT now(), "
        "r float DEFAULT random(), g int GENERATED ALWAYS AS (id * 2) STORED, "
        "c bigint REFERENCES clinics (id), tags text[], UNIQUE (name, at))");
    CHECK(statement.kind == StatementKind::create_table);
    const auto& table = statement.as<CreateTable>();
    CHECK(table.table.qualified() == "app.t");
    CHECK(table.if_not_exists);
    REQUIRE(table.columns.size() == 7);
    CHECK(table.columns[0].type == "bigint");
    CHECK(table.columns[0].identity);
    REQUIRE(table.columns[0].constraints.size() == 1);
    CHECK(table.columns[0].constraints[0].kind == Constraint::Kind::primary_key);
    CHECK(table.columns[1].type == "varchar(100)");
    CHECK(table.columns[1].not_null);
    CHECK(table.columns[1].default_kind == DefaultKind::constant);
    CHECK(table.columns[2].default_kind == DefaultKind::stable);
    CHECK(table.columns[3].type == "double precision");
    CHECK(table.columns[3].default_kind == DefaultKind::volatile_function);
    CHECK(table.columns[4].generated);
    REQUIRE(table.columns[5].constraints.size() == 1);
    CHECK(table.columns[5].constraints[0].references->qualified() == "public.clinics");
    CHECK(table.columns[5].constraints[0].columns == std::vector<std::string>{"c"});
    CHECK(table.columns[6].type == "text[]");
    REQUIRE(table.constraints.size() == 1);
    CHECK(table.constraints[0].columns == std::vector<std::string>{"name", "at"});
    CHECK(statement.target_table()->qualified() == "app.t");
}

TEST_CASE("migsafe::model default expressions are classified by volatility")
{
    auto kind_of = [](const std::string& expression) {
        const auto statement = parse_one("ALTER TABLE t ADD COLUMN c int DEFAULT " + expression);
        return statement.as<AlterTable>().actions.at(0).column_definition->default_kind;
    };
    CHECK(kind_of("0") == DefaultKind::constant);
    CHECK(kind_of("'a'::text") == DefaultKind::constant);
    CHECK(kind_of("now()") == DefaultKind::stable);
    CHECK(kind_of("CURRENT_TIMESTAMP") == DefaultKind::stable);
    CHECK(kind_of("now() + interval '1 day'") == DefaultKind::stable);
    CHECK(kind_of("clock_timestamp()") == DefaultKind::volatile_function);
    CHECK(kind_of("gen_random_uuid()") == DefaultKind::volatile_function);
    CHECK(kind_of("my_function()") == DefaultKind::other);
    CHECK(to_string(DefaultKind::volatile_function) == "volatile");
}

TEST_CASE("migsafe::model default expressions list the functions they call")
{
    const auto statement =
        parse_one("ALTER TABLE t ADD COLUMN c int DEFAULT coalesce(app.pick(1), lower('x'))");
    CHECK(statement.as<AlterTable>().actions.at(0).column_definition->default_functions ==
          std::vector<std::string>{"app.pick", "lower"});
}

TEST_CASE("migsafe::model ALTER TABLE actions")
{
    const auto statement = parse_one(
        "ALTER TABLE IF EXISTS s.t ADD COLUMN a int NOT NULL DEFAULT 0, DROP COLUMN b, "
        "ALTER COLUMN c TYPE bigint USING c::bigint, ALTER COLUMN d SET NOT NULL, "
        "ALTER COLUMN d DROP DEFAULT, ALTER COLUMN e SET DEFAULT clock_timestamp(), "
        "ALTER COLUMN e DROP NOT NULL, ADD CONSTRAINT fk FOREIGN KEY (x) REFERENCES o (id) "
        "NOT VALID, VALIDATE CONSTRAINT fk, DROP CONSTRAINT IF EXISTS k, "
        "ADD CONSTRAINT u UNIQUE USING INDEX ui, ADD CHECK (a > 0), SET TABLESPACE ts, "
        "SET LOGGED, SET UNLOGGED, DISABLE TRIGGER ALL, ENABLE TRIGGER tr, SET (fillfactor = 50)");
    CHECK(statement.kind == StatementKind::alter_table);
    const auto& alter = statement.as<AlterTable>();
    CHECK(alter.table.qualified() == "s.t");
    CHECK(alter.if_exists);
    const auto& a = alter.actions;
    REQUIRE(a.size() == 18);
    CHECK(a[0].kind == Action::add_column);
    CHECK(a[0].column == "a");
    CHECK(a[0].column_definition->not_null);
    CHECK(a[0].column_definition->default_kind == DefaultKind::constant);
    CHECK(a[1].kind == Action::drop_column);
    CHECK(a[1].column == "b");
    CHECK(a[2].kind == Action::alter_column_type);
    CHECK(a[2].column == "c");
    CHECK(a[2].new_type == "bigint");
    CHECK(a[2].has_using);
    CHECK(a[3].kind == Action::set_not_null);
    CHECK(a[3].column == "d");
    CHECK(a[4].kind == Action::drop_default);
    CHECK(a[5].kind == Action::set_default);
    CHECK(a[5].default_kind == DefaultKind::volatile_function);
    CHECK(a[6].kind == Action::drop_not_null);
    CHECK(a[7].kind == Action::add_constraint);
    CHECK(a[7].constraint->kind == Constraint::Kind::foreign_key);
    CHECK(a[7].constraint->not_valid);
    CHECK(a[7].name == "fk");
    CHECK(a[8].kind == Action::validate_constraint);
    CHECK(a[8].name == "fk");
    CHECK(a[9].kind == Action::drop_constraint);
    CHECK(a[9].if_exists);
    CHECK(a[10].constraint->using_index == "ui");
    CHECK(a[10].constraint->kind == Constraint::Kind::unique);
    CHECK(a[11].constraint->kind == Constraint::Kind::check);
    CHECK_FALSE(a[11].constraint->not_valid);
    CHECK(a[12].kind == Action::set_tablespace);
    CHECK(a[12].name == "ts");
    CHECK(a[13].kind == Action::set_logged);
    CHECK(a[14].kind == Action::set_unlogged);
    CHECK(a[15].kind == Action::disable_trigger);
    CHECK(a[16].kind == Action::enable_trigger);
    CHECK(a[16].name == "tr");
    CHECK(a[17].kind == Action::set_storage_parameters);
    CHECK(to_string(a[17].kind) == "set_storage_parameters");
}

TEST_CASE("migsafe::model partitions and renames of tables are ALTER TABLE actions")
{
    const auto statements = parse_sql("ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1);"
                                      "ALTER TABLE p DETACH PARTITION c CONCURRENTLY;"
                                      "ALTER TABLE t RENAME COLUMN a TO b;"
                                      "ALTER TABLE t RENAME TO u;"
                                      "ALTER INDEX i RENAME TO j;",
                                      "t.sql");
    REQUIRE(statements.size() == 5);
    CHECK(statements[0].as<AlterTable>().actions[0].kind == Action::attach_partition);
    CHECK(statements[0].as<AlterTable>().actions[0].name == "public.c");
    CHECK(statements[1].as<AlterTable>().actions[0].concurrently);
    const auto& column = statements[2].as<AlterTable>().actions[0];
    CHECK(column.kind == Action::rename_column);
    CHECK(column.column == "a");
    CHECK(column.name == "b");
    CHECK(statements[3].as<AlterTable>().actions[0].kind == Action::rename_table);
    CHECK(statements[4].kind == StatementKind::rename);
    CHECK(statements[4].as<Rename>().object_type == "index");
    CHECK(statements[4].as<Rename>().from == "public.i");
    CHECK(statements[4].as<Rename>().to == "j");
}

TEST_CASE("migsafe::model CREATE INDEX and DROP INDEX details")
{
    const auto create = parse_one("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t "
                                  "USING gin (a, lower(b)) WHERE a > 0");
    CHECK(create.kind == StatementKind::create_index);
    const auto& index = create.as<CreateIndex>();
    CHECK(index.name == "i");
    CHECK(index.table.qualified() == "s.t");
    CHECK(index.concurrently);
    CHECK(index.unique);
    CHECK(index.if_not_exists);
    CHECK(index.partial);
    CHECK(index.method == "gin");
    CHECK(index.columns == std::vector<std::string>{"a", "(expression)"});
    const auto plain = parse_one("CREATE INDEX ON t (a)").as<CreateIndex>();
    CHECK_FALSE(plain.concurrently);
    CHECK(plain.name.empty());
    CHECK(plain.method == "btree");

    const auto drop = parse_one("DROP INDEX CONCURRENTLY IF EXISTS s.i");
    CHECK(drop.kind == StatementKind::drop_index);
    CHECK(drop.as<DropIndex>().concurrently);
    CHECK(drop.as<DropIndex>().if_exists);
    CHECK(drop.as<DropIndex>().indexes.at(0).qualified() == "s.i");
}

TEST_CASE("migsafe::model data changes, drops and other kinds")
{
    const auto statements = parse_sql(
        "UPDATE t SET a = 1 WHERE id < 5; DELETE FROM s.t; INSERT INTO t VALUES (1);"
        "INSERT INTO t SELECT 1; DROP TABLE IF EXISTS a, b CASCADE; TRUNCATE t;"
        "SET LOCAL lock_timeout = '2s'; BEGIN; COMMIT; VACUUM t; COMMENT ON TABLE t IS 'x';"
        "GRANT SELECT ON t TO u; CREATE EXTENSION IF NOT EXISTS pgcrypto;"
        "CREATE TYPE e AS ENUM ('a'); ALTER TYPE e ADD VALUE 'b'; SELECT 1; DROP TYPE e;"
        "LOCK TABLE t; CREATE VIEW v AS SELECT 1; CREATE SCHEMA s2; CREATE SEQUENCE q;",
        "t.sql");
    REQUIRE(statements.size() == 21);
    CHECK(statements[0].kind == StatementKind::update);
    CHECK(statements[0].as<DataChange>().has_where);
    CHECK(statements[1].kind == StatementKind::delete_rows);
    CHECK_FALSE(statements[1].as<DataChange>().has_where);
    CHECK(statements[1].as<DataChange>().table.qualified() == "s.t");
    CHECK(statements[0].as<DataChange>().alias.empty());
    CHECK(statements[1].as<DataChange>().alias.empty());
    CHECK(to_string(statements[1].kind) == "delete");
    CHECK_FALSE(statements[2].as<Insert>().from_select);
    CHECK(statements[3].as<Insert>().from_select);
    CHECK(statements[4].kind == StatementKind::drop_table);
    CHECK(statements[4].as<DropTable>().tables.size() == 2);
    CHECK(statements[4].as<DropTable>().cascade);
    CHECK_FALSE(statements[4].target_table().has_value());
    CHECK(statements[5].as<Truncate>().tables.at(0).name == "t");
    CHECK(statements[6].as<SetVariable>().name == "lock_timeout");
    CHECK(statements[6].as<SetVariable>().value == "2s");
    CHECK(statements[6].as<SetVariable>().local);
    CHECK(statements[7].as<TransactionControl>().verb == TransactionControl::Verb::begin);
    CHECK(statements[8].as<TransactionControl>().verb == TransactionControl::Verb::commit);
    const StatementKind kinds[] = {StatementKind::vacuum,        StatementKind::comment,
                                   StatementKind::grant,         StatementKind::create_extension,
                                   StatementKind::create_type,   StatementKind::alter_type,
                                   StatementKind::select,        StatementKind::drop_other,
                                   StatementKind::lock,          StatementKind::create_view,
                                   StatementKind::create_schema, StatementKind::create_sequence};
    for (std::size_t i = 0; i < std::size(kinds); ++i) {
        CAPTURE(statements[9 + i].sql);
        CHECK(statements[9 + i].kind == kinds[i]);
    }
}

TEST_CASE("migsafe::model UPDATE and DELETE keep the alias of their target")
{
    const auto statements = parse_sql("UPDATE app.t AS x SET a = 1 FROM u WHERE x.id = u.id;"
                                      "UPDATE t y SET a = 2; DELETE FROM t AS d WHERE d.a = 1",
                                      "t.sql");
    REQUIRE(statements.size() == 3);
    CHECK(statements[0].as<DataChange>().alias == "x");
    CHECK(statements[0].as<DataChange>().table.qualified() == "app.t");
    CHECK(statements[1].as<DataChange>().alias == "y");
    CHECK(statements[2].as<DataChange>().alias == "d");
    CHECK(statements[0].as<DataChange>().set_columns == std::vector<std::string>{"a"});
    CHECK(statements[2].as<DataChange>().set_columns.empty());
    const auto multi = parse_sql("UPDATE t SET (a, b) = (1, 2), c = 3, d[1] = 4", "t.sql");
    CHECK(multi[0].as<DataChange>().set_columns == std::vector<std::string>{"a", "b", "c", "d"});
}

TEST_CASE("migsafe::model::Statement::as on the wrong type is an internal error")
{
    const auto statement = parse_one("SELECT 1");
    CHECK(statement.get_if<CreateTable>() == nullptr);
    try {
        (void)statement.as<CreateTable>();
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "internal-assertion");
    }
}

TEST_CASE("a SELECT with a data-modifying CTE is the statement of that CTE")
{
    const auto statements = migsafe::model::parse_sql(
        "WITH gone AS (DELETE FROM app.t WHERE id = 1 RETURNING id) SELECT count(*) FROM gone;\n"
        "WITH x AS (SELECT 1) SELECT * FROM x;",
        "0001.sql");
    REQUIRE(statements.size() == 2);
    CHECK(statements[0].kind == migsafe::model::StatementKind::delete_rows);
    const auto& change = statements[0].as<migsafe::model::DataChange>();
    CHECK(change.table.qualified() == "app.t");
    CHECK(change.where_columns == std::vector<std::string>{"id"});
    CHECK(statements[1].kind == migsafe::model::StatementKind::select);
}
