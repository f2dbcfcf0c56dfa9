#include <migsafe/model/sum_file.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <string>

using namespace migsafe::model;
namespace fs = std::filesystem;

namespace {

const fs::path k_fixtures = MIGSAFE_FIXTURES_DIR;

// A scratch copy of a fixture set, removed at the end of the test.
class ScratchSet {
public:
    explicit ScratchSet(const fs::path& source)
    {
        std::random_device seed;
        m_dir = fs::temp_directory_path() / ("migsafe-sum-" + std::to_string(seed()));
        fs::copy(source, m_dir, fs::copy_options::recursive);
    }
    ~ScratchSet() { fs::remove_all(m_dir); }
    ScratchSet(const ScratchSet&) = delete;
    ScratchSet& operator=(const ScratchSet&) = delete;

    const fs::path& dir() const { return m_dir; }
    void write(const std::string& name, const std::string& text) const
    {
        std::ofstream(m_dir / name, std::ios::binary | std::ios::trunc) << text;
    }
    std::vector<SumDifference> differences() const
    {
        return check_sum_file(load_migration_set(m_dir, {.parse_statements = ParseStatements::no}));
    }

private:
    fs::path m_dir;
};

std::string read(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("migsafe::model sql-fixtures/podiatry/migsafe.sum is current")
{
    const auto dir = k_fixtures / "podiatry";
    const auto set = load_migration_set(dir, {.parse_statements = ParseStatements::no});
    const auto expected = render_sum_file(compute_sum(set));
    const char* update = std::getenv("MIGSAFE_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        write_sum_file(dir);
    }
    CHECK(read(dir / "migsafe.sum") == expected);
    CHECK(check_sum_file(set).empty());
    CHECK_NOTHROW(load_migration_set(dir, {.check_sum = CheckSum::yes}));
}

TEST_CASE("migsafe::model::render_sum_file and parse_sum_file round-trip")
{
    const auto set = load_migration_set(k_fixtures / "layouts" / "golang-migrate");
    const auto sum = compute_sum(set);
    REQUIRE(sum.entries.size() == 6);
    CHECK(sum.entries[0].path == "0001_create_patients.up.sql");
    CHECK(sum.entries[1].path == "0001_create_patients.down.sql");
    CHECK(sum.entries[5].version == 10);
    CHECK(sum.entries[0].hash == migsafe::xxh3_128(set.migrations[0].up.text));
    const auto text = render_sum_file(sum);
    CHECK(text.starts_with("# migsafe.sum: "));
    CHECK(text.find("\n10 " + sum.entries[5].hash.to_hex() +
                    " 0010_index_patients_phone.down.sql\n") != std::string::npos);
    CHECK(text.ends_with("set " + sum.set_hash.to_hex() + "\n"));
    CHECK(parse_sum_file(text, "migsafe.sum") == sum);
}

TEST_CASE("migsafe::model::check_sum_file reports edits, additions, removals and reorders")
{
    ScratchSet scratch(k_fixtures / "layouts" / "migsafe");
    write_sum_file(scratch.dir());
    CHECK(scratch.differences().empty());
    using Kind = SumDifference::Kind;

    SUBCASE("edited")
    {
        scratch.write("0002_add_patients_phone.sql",
                      "ALTER TABLE patients ADD COLUMN phone int;\n");
        CHECK(scratch.differences() ==
              std::vector<SumDifference>{
                  {Kind::edited, 2, "0002_add_patients_phone.sql", "content changed"}});
    }
    SUBCASE("added")
    {
        scratch.write("0011_more.sql", "SELECT 1;\n");
        CHECK(scratch.differences() == std::vector<SumDifference>{{Kind::added, 11, "0011_more.sql",
                                                                   "not in the sum file"}});
    }
    SUBCASE("removed")
    {
        fs::remove(scratch.dir() / "0002_add_patients_phone.sql");
        CHECK(scratch.differences() ==
              std::vector<SumDifference>{
                  {Kind::removed, 2, "0002_add_patients_phone.sql", "in the sum file but gone"}});
    }
    SUBCASE("reordered")
    {
        fs::rename(scratch.dir() / "0010_index_patients_phone.sql",
                   scratch.dir() / "0003_index_patients_phone.sql");
        CHECK(scratch.differences() ==
              std::vector<SumDifference>{{Kind::reordered, 3, "0003_index_patients_phone.sql",
                                          "was version 10 (0010_index_patients_phone.sql)"}});
    }
    SUBCASE("set hash edited by hand")
    {
        auto text = read(scratch.dir() / "migsafe.sum");
        const auto at = text.find("set ") + 4;
        text[at] = text[at] == '0' ? '1' : '0';
        scratch.write("migsafe.sum", text);
        CHECK(scratch.differences() ==
              std::vector<SumDifference>{{Kind::set_changed, 0, "migsafe.sum",
                                          "the set hash does not match the migrations"}});
    }
}

TEST_CASE("migsafe::model::require_sum_file throws sum-mismatch naming the file")
{
    const auto dir = k_fixtures / "bad" / "edited-after-sum";
    const auto set = load_migration_set(dir);
    try {
        require_sum_file(set);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sum-mismatch");
        CHECK(e.message() == (dir / "migsafe.sum").string() +
                                 " does not match the migrations: 0002_add_phone.sql edited "
                                 "(content changed)");
        CHECK(e.hint().starts_with("an applied or reviewed migration was edited"));
        CHECK(migsafe::exit_code_for(e.category()) == 2);
    }
    CHECK_THROWS_AS(load_migration_set(dir, {.check_sum = CheckSum::yes}), migsafe::Error);
}

TEST_CASE("migsafe::model::check_sum_file: a missing or malformed sum file")
{
    const auto missing = load_migration_set(k_fixtures / "bad" / "missing-sum");
    try {
        check_sum_file(missing);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sum-missing");
        CHECK(e.hint() == "run `migsafe sum DIR` and commit migsafe.sum with the migrations");
    }
    const auto malformed = load_migration_set(k_fixtures / "bad" / "malformed-sum");
    try {
        check_sum_file(malformed);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sum-malformed");
        CHECK(e.context().line == 2);
        CHECK(e.message().ends_with("is not a valid sum file: expected `<version> <hash> <path>`"));
    }
    try {
        parse_sum_file("1 00000000000000000000000000000000 a.sql\n", "x.sum");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.located_message() ==
              "x.sum:1: x.sum is not a valid sum file: the final `set <hash>` line is missing");
    }
    CHECK_THROWS_WITH(parse_sum_file("set 00000000000000000000000000000000\nset x\n", "x.sum"),
                      "x.sum:2: x.sum is not a valid sum file: nothing may follow the `set` line "
                      "[sum-malformed]");
}
