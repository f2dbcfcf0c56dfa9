#include <migsafe/model/directive.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace migsafe::model;
using namespace std::chrono_literals;

namespace {

// The error `sql` raises, as `code|located message|hint`.
std::string error_of(const std::string& sql)
{
    try {
        parse_directives(sql, "m/0003_x.sql");
    } catch (const migsafe::Error& e) {
        return e.code() + "|" + e.located_message() + "|" + e.hint();
    }
    return "no error";
}

} // namespace

TEST_CASE("migsafe::model::parse_directives reads every directive")
{
    const auto directives =
        parse_directives("-- A comment first.\n"
                         "--migsafe:phase backfill\n"
                         "-- migsafe:no-transaction\n"
                         "/* a block\n   -- migsafe:phase contract\n*/\n"
                         "-- migsafe:allow MS-COL-01 small table, brief lock\n"
                         "-- migsafe:allow MS-REWRITE-12 empty table\n"
                         "-- migsafe:backfill key=id batch=500 pause=50ms\n"
                         "\n"
                         "UPDATE t SET a = b; -- migsafe: in a trailing comment\n",
                         "x.sql");
    CHECK(directives.phase == Phase::backfill);
    CHECK(directives.transactional == Transactional::no);
    REQUIRE(directives.allowed.size() == 2);
    CHECK(directives.allowed[0] == AllowedFinding{"MS-COL-01", "small table, brief lock", 7});
    CHECK(directives.allowed[1].rule_id == "MS-REWRITE-12");
    REQUIRE(directives.backfill.has_value());
    CHECK(*directives.backfill ==
          BackfillSettings{.key = "id", .batch_size = 500, .pause = 50ms, .line = 9});
    CHECK(to_string(Phase::contract) == "contract");
}

TEST_CASE("migsafe::model::parse_directives defaults")
{
    const auto none = parse_directives("CREATE TABLE t (id int);", "x.sql");
    CHECK(none == Directives{});
    CHECK(none.transactional == Transactional::yes);
    const auto backfill = parse_directives("-- migsafe:backfill key=uuid\n", "x.sql");
    CHECK(backfill.backfill->batch_size == 1000);
    CHECK(backfill.backfill->pause == 0ms);
    CHECK(backfill.backfill->yield == migsafe::model::BackfillYield::adaptive);
    const auto fixed = parse_directives("-- migsafe:backfill key=id pause=1s yield=off\n", "x.sql");
    CHECK(fixed.backfill->yield == migsafe::model::BackfillYield::off);
    CHECK(parse_directives("-- migsafe:backfill key=id yield=on\n", "x.sql").backfill->yield ==
          migsafe::model::BackfillYield::adaptive);
}

TEST_CASE("migsafe::model::parse_directives: an unknown directive suggests the closest")
{
    CHECK(error_of("-- migsafe:phse expand\n") ==
          "directive-unknown|m/0003_x.sql:1: unknown directive `migsafe:phse`|did you mean "
          "`phase`? use one of phase, no-transaction, allow, backfill, requires-flag "
          "(docs/migrations.md)");
    CHECK(error_of("\n-- migsafe:no-transactions\n") ==
          "directive-unknown|m/0003_x.sql:2: unknown directive `migsafe:no-transactions`|did you "
          "mean `no-transaction`? use one of phase, no-transaction, allow, backfill, "
          "requires-flag (docs/migrations.md)");
    CHECK(error_of("-- migsafe:zzzzzzzz\n") ==
          "directive-unknown|m/0003_x.sql:1: unknown directive `migsafe:zzzzzzzz`|use one of "
          "phase, no-transaction, allow, backfill, requires-flag (docs/migrations.md)");
}

TEST_CASE("migsafe::model::parse_directives: malformed directives name file:line")
{
    CHECK(error_of("-- migsafe:phase expnad\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:phase` needs one of expand, backfill, "
          "contract, not `expnad`|did you mean `expand`? write `-- migsafe:phase "
          "expand|backfill|contract`");
    CHECK(error_of("-- migsafe:phase expand\n-- migsafe:phase contract\n") ==
          "directive-malformed|m/0003_x.sql:2: `migsafe:phase` is given twice|see "
          "docs/migrations.md for the directive syntax");
    CHECK(error_of("-- x\n-- migsafe:allow MS-COL-01\n") ==
          "directive-malformed|m/0003_x.sql:2: `migsafe:allow MS-COL-01` needs a reason|say why "
          "the finding is acceptable: `-- migsafe:allow MS-COL-01 reason`");
    CHECK(error_of("-- migsafe:allow lock-01 because\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:allow` needs a rule id like MS-COL-01, "
          "not `lock-01`|write `-- migsafe:allow RULE-ID reason`");
    CHECK(error_of("-- migsafe:no-transaction please\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:no-transaction` takes no argument|see "
          "docs/migrations.md for the directive syntax");
    CHECK(error_of("-- migsafe:backfill key=id batch=0\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:backfill` batch must be a positive "
          "integer, not `0`|write batch=1000");
    CHECK(error_of("-- migsafe:backfill key=id pause=soon\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:backfill` pause must be a duration, not "
          "`soon`|write durations like 50ms, 1s or 2m");
    CHECK(error_of("-- migsafe:backfill key=id bacth=10\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:backfill` has no setting `bacth`|did you "
          "mean `batch`? the settings are key, batch, pause, yield");
    CHECK(error_of("-- migsafe:backfill key=id yield=never\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:backfill` yield must be on or off, not "
          "`never`|write yield=off to pause exactly pause= between batches");
    CHECK(error_of("-- migsafe:backfill batch=10\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:backfill` needs key=COLUMN|write `-- "
          "migsafe:backfill key=id batch=1000 pause=50ms`");
    CHECK(error_of("-- migsafe:backfill key\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:backfill` needs key=value, not `key`|write "
          "`-- migsafe:backfill key=id batch=1000 pause=50ms`");
    CHECK(error_of("-- migsafe:backfill key=id\n-- migsafe:backfill key=id\n") ==
          "directive-malformed|m/0003_x.sql:2: `migsafe:backfill` is given twice|see "
          "docs/migrations.md for the directive syntax");
}

TEST_CASE("migsafe::model::parse_directives: a directive after the first statement is an error")
{
    CHECK(error_of("SELECT 1;\n-- migsafe:no-transaction\n") ==
          "directive-malformed|m/0003_x.sql:2: directive `migsafe:no-transaction` comes after the "
          "first statement|move directives to the comment block at the top of the file");
}

TEST_CASE("migsafe::model::parse_directives reads requires-flag with its defaults")
{
    const auto directives =
        parse_directives("-- migsafe:phase contract\n"
                         "-- migsafe:requires-flag new-checkout\n"
                         "-- migsafe:requires-flag new-checkout env=staging on-for=12h\n"
                         "-- migsafe:requires-flag billing.v2_read on-for=7d env=eu-1\n"
                         "ALTER TABLE t DROP COLUMN a;\n",
                         "x.sql");
    REQUIRE(directives.required_flags.size() == 3);
    CHECK(directives.required_flags[0] == FlagRequirement{"new-checkout", "production", 0s, 2});
    CHECK(directives.required_flags[1] == FlagRequirement{"new-checkout", "staging", 12h, 3});
    CHECK(directives.required_flags[2] ==
          FlagRequirement{"billing.v2_read", "eu-1", std::chrono::hours(24 * 7), 4});
    CHECK(parse_directives("SELECT 1;", "x.sql").required_flags.empty());
}

TEST_CASE("migsafe::model::parse_directives: a malformed requires-flag names file:line")
{
    const std::string usage = "write `-- migsafe:requires-flag KEY [env=production] [on-for=7d]`";
    CHECK(error_of("-- x\n-- migsafe:requires-flag\n") ==
          "directive-malformed|m/0003_x.sql:2: `migsafe:requires-flag` needs a flag key|" + usage);
    CHECK(
        error_of("-- migsafe:requires-flag New_Checkout\n") ==
        "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` needs a flag key like "
        "new-checkout, not `New_Checkout`|a key is lowercase letters, digits, `.`, `_` and `-`; " +
            usage);
    CHECK(error_of("-- migsafe:requires-flag env=production\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` needs a flag key like "
          "new-checkout, not `env=production`|a key is lowercase letters, digits, `.`, `_` and "
          "`-`; " +
              usage);
    CHECK(error_of("-- migsafe:requires-flag f env=Prod\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` env must be an environment "
          "name like production, not `Prod`|an environment is lowercase letters, digits, `.`, `_` "
          "and `-`");
    CHECK(error_of("-- migsafe:requires-flag f on-for=a-week\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` on-for must be a duration, "
          "not `a-week`|write durations like 7d, 12h or 30m");
    CHECK(error_of("-- migsafe:requires-flag f on-for=1500ms\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` on-for must be whole "
          "seconds or more, not `1500ms`|write durations like 7d, 12h or 30m");
    CHECK(error_of("-- migsafe:requires-flag f onfor=7d\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` has no setting `onfor`|did "
          "you mean `on-for`? the settings are env, on-for");
    CHECK(error_of("-- migsafe:requires-flag f production\n") ==
          "directive-malformed|m/0003_x.sql:1: `migsafe:requires-flag` needs key=value after the "
          "flag, not `production`|" +
              usage);
    CHECK(error_of("-- migsafe:requires-flag f\n-- migsafe:requires-flag f env=production\n") ==
          "directive-malformed|m/0003_x.sql:2: `migsafe:requires-flag f env=production` is given "
          "twice (first on line 1)|keep one line per flag and environment");
}
