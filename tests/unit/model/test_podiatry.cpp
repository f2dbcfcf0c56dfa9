// The podiatry fixture set through the whole model: layout, directives and the statement
// details rule analysis will read.
#include <migsafe/model/migration_set.hpp>

#include <doctest/doctest.h>

using namespace migsafe::model;
using Action = AlterTableAction::Kind;

namespace {

const MigrationSet& podiatry()
{
    static const MigrationSet set =
        load_migration_set(std::filesystem::path(MIGSAFE_FIXTURES_DIR) / "podiatry");
    return set;
}

const Statement& statement(std::uint64_t version, std::size_t index = 0)
{
    const auto* migration = podiatry().find(version);
    REQUIRE(migration != nullptr);
    REQUIRE(index < migration->up.statements.size());
    return migration->up.statements[index];
}

} // namespace

TEST_CASE("migsafe::model podiatry: thirteen migrations with their directives")
{
    const auto& set = podiatry();
    REQUIRE(set.migrations.size() == 13);
    CHECK(set.migrations.front().name == "create_professionals");
    CHECK(set.find(5)->up.directives.phase == Phase::expand);
    const auto& backfill = set.find(6)->up.directives;
    CHECK(backfill.phase == Phase::backfill);
    REQUIRE(backfill.backfill.has_value());
    CHECK(backfill.backfill->key == "id");
    CHECK(backfill.backfill->batch_size == 1000);
    CHECK(backfill.backfill->pause == std::chrono::milliseconds(50));
    CHECK(set.find(11)->up.directives.transactional == Transactional::no);
    const auto& contract = set.find(12)->up.directives;
    CHECK(contract.phase == Phase::contract);
    REQUIRE(contract.allowed.size() == 1);
    CHECK(contract.allowed[0].rule_id == "MS-COL-01");
    CHECK(contract.allowed[0].line == 3);
    // The cut-over gate: 0012 waits for its flag to be fully on in production for a week.
    REQUIRE(contract.required_flags.size() == 1);
    CHECK(contract.required_flags[0] == FlagRequirement{"professionals-display-name", "production",
                                                        std::chrono::hours(24 * 7), 4});
    CHECK(set.find(7)->up.directives == Directives{});
}

TEST_CASE("migsafe::model podiatry: table creation")
{
    const auto& create = statement(1);
    CHECK(create.kind == StatementKind::create_table);
    CHECK(create.line == 3);
    CHECK(create.column == 1);
    const auto& table = create.as<CreateTable>();
    CHECK(table.table.qualified() == "public.professionals");
    CHECK(table.columns.size() == 5);
    CHECK(table.columns[4].default_kind == DefaultKind::stable);
    CHECK(statement(1, 1).kind == StatementKind::comment);
    const auto& appointments = statement(3).as<CreateTable>();
    CHECK(appointments.columns[1].constraints.at(0).kind == Constraint::Kind::foreign_key);
    CHECK(statement(3, 1).kind == StatementKind::create_index);
}

TEST_CASE("migsafe::model podiatry: expand, backfill and contract")
{
    const auto& expand = statement(5).as<AlterTable>().actions.at(0);
    CHECK(expand.kind == Action::add_column);
    CHECK_FALSE(expand.column_definition->not_null);
    CHECK(expand.column_definition->default_kind == DefaultKind::none);
    const auto& backfill = statement(6);
    CHECK(backfill.kind == StatementKind::update);
    CHECK(backfill.as<DataChange>().has_where);
    CHECK(backfill.line == 4);
    CHECK(statement(12, 0).as<AlterTable>().actions.at(0).kind == Action::set_not_null);
    CHECK(statement(12, 1).as<AlterTable>().actions.at(0).kind == Action::drop_column);
    CHECK(statement(12, 1).as<AlterTable>().actions.at(0).column == "full_name");
}

TEST_CASE("migsafe::model podiatry: risky changes on large tables")
{
    const auto& index = statement(7).as<CreateIndex>();
    CHECK_FALSE(index.concurrently);
    CHECK(index.table.qualified() == "public.reviews");
    CHECK(statement(8).as<AlterTable>().actions.at(0).kind == Action::set_not_null);
    const auto& type = statement(9).as<AlterTable>().actions.at(0);
    CHECK(type.kind == Action::alter_column_type);
    CHECK(type.new_type == "integer");
    CHECK(type.has_using);
    const auto& fk = statement(10).as<AlterTable>().actions.at(0).constraint;
    REQUIRE(fk.has_value());
    CHECK(fk->kind == Constraint::Kind::foreign_key);
    CHECK_FALSE(fk->not_valid);
    CHECK(fk->references->qualified() == "public.appointments");
    const auto& concurrent = statement(11).as<CreateIndex>();
    CHECK(concurrent.concurrently);
    CHECK(concurrent.if_not_exists);
}

TEST_CASE("migsafe::model podiatry: types and DO blocks")
{
    CHECK(statement(13, 0).kind == StatementKind::create_type);
    CHECK(statement(13, 1).as<CreateTable>().constraints.at(0).kind ==
          Constraint::Kind::primary_key);
    const auto& block = statement(13, 2);
    CHECK(block.kind == StatementKind::do_block);
    CHECK(block.line == 14);
    CHECK(block.as<OpaqueBody>().body.find("INSERT INTO clinic_opening_hours") !=
          std::string::npos);
}
