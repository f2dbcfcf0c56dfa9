// integrity::diff_schema, SchemaDifference::describe and the fingerprint's hash and JSON, on
// hand-built fingerprints.
#include "support/string_lists.hpp"

#include <migsafe/integrity/schema.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

using namespace migsafe::integrity;

namespace {

SchemaObject table(const std::string& name)
{
    return {.kind = "table", .name = name, .attributes = {{"kind", "table"}, {"owner", "app"}}};
}

SchemaObject column(const std::string& table, const std::string& name, const std::string& type,
                    const std::string& position)
{
    return {.kind = "column",
            .name = table + "." + name,
            .attributes = {{"table", table}, {"type", type}, {"position", position}}};
}

SchemaObject object(const std::string& kind, const std::string& name,
                    std::map<std::string, std::string> attributes = {})
{
    return {.kind = kind, .name = name, .attributes = std::move(attributes)};
}

std::vector<std::string> lines(const SchemaFingerprint& expected, const SchemaFingerprint& actual)
{
    std::vector<std::string> out;
    for (const auto& d : diff_schema(expected, actual)) {
        out.push_back(d.describe());
    }
    return out;
}

SchemaFingerprint reviews()
{
    return {.objects = {
                object("schema", "public"),
                table("public.reviews"),
                column("public.reviews", "id", "bigint", "1"),
                column("public.reviews", "fee", "numeric", "2"),
                object("constraint", "public.reviews.reviews_pkey",
                       {{"table", "public.reviews"}, {"definition", "PRIMARY KEY (id)"}}),
                object("index", "public.reviews_pkey",
                       {{"table", "public.reviews"},
                        {"constraint", "public.reviews.reviews_pkey"},
                        {"valid", "yes"}}),
                object("index", "public.reviews_idx",
                       {{"table", "public.reviews"}, {"constraint", ""}, {"valid", "yes"}}),
                object("sequence", "public.reviews_id_seq",
                       {{"owned_by", "public.reviews.id"},
                        {"last_value", "100"},
                        {"is_called", "true"},
                        {"increment", "1"}}),
                object("grant", "public.reviews:PUBLIC",
                       {{"object", "public.reviews"}, {"privileges", "SELECT"}}),
            }};
}

} // namespace

TEST_CASE("integrity::diff_schema of equal fingerprints is empty")
{
    CHECK(diff_schema(reviews(), reviews()).empty());
    CHECK(diff_schema({}, {}).empty());
    CHECK(reviews().hash() == reviews().hash());
}

TEST_CASE("integrity::diff_schema names missing, extra and changed objects, expected first")
{
    auto expected = reviews();
    auto actual = reviews();
    // The rollback left: an index missing, the fee column as integer, a new check, and an
    // advanced sequence.
    actual.objects.erase(actual.objects.begin() + 6);
    actual.objects[3].attributes["type"] = "integer";
    actual.objects.push_back(
        object("constraint", "public.reviews.reviews_rating_check", {{"table", "public.reviews"}}));
    actual.objects[6].attributes["last_value"] = "105";

    const auto d = diff_schema(expected, actual);
    REQUIRE(d.size() == 4);
    CHECK(d[0] == SchemaDifference{.change = SchemaChange::changed,
                                   .kind = "sequence",
                                   .name = "public.reviews_id_seq",
                                   .attribute = "last_value",
                                   .expected = "100",
                                   .actual = "105",
                                   .note_only = true});
    CHECK(d[1] == SchemaDifference{.change = SchemaChange::changed,
                                   .kind = "column",
                                   .name = "public.reviews.fee",
                                   .attribute = "type",
                                   .expected = "numeric",
                                   .actual = "integer"});
    CHECK(d[2] == SchemaDifference{.change = SchemaChange::extra,
                                   .kind = "constraint",
                                   .name = "public.reviews.reviews_rating_check"});
    CHECK(d[3] == SchemaDifference{.change = SchemaChange::missing,
                                   .kind = "index",
                                   .name = "public.reviews_idx"});
    CHECK(lines(expected, actual) ==
          std::vector<std::string>{"sequence public.reviews_id_seq: last_value 105, was 100 (note)",
                                   "column public.reviews.fee: type integer, was numeric",
                                   "constraint public.reviews.reviews_rating_check extra",
                                   "index public.reviews_idx missing"});
}

TEST_CASE("integrity::diff_schema does not repeat the parts of a missing or extra table")
{
    auto expected = reviews();
    SchemaFingerprint actual{.objects = {object("schema", "public")}};
    // Only the table says it: its columns, constraint, indexes, owned sequence and grant
    // are not repeated.
    CHECK(lines(expected, actual) == std::vector<std::string>{"table public.reviews missing"});
    CHECK(lines(actual, expected) == std::vector<std::string>{"table public.reviews extra"});

    // A column of a table that is in both is named, and so is an index backing a
    // constraint that is still there.
    auto without_fee = reviews();
    without_fee.objects.erase(without_fee.objects.begin() + 3);
    without_fee.objects.erase(without_fee.objects.begin() + 4); // public.reviews_pkey index
    CHECK(lines(expected, without_fee) ==
          std::vector<std::string>{"column public.reviews.fee missing",
                                   "index public.reviews_pkey missing"});

    // A sequence whose owning column is gone is said by the column's line.
    auto without_id = reviews();
    without_id.objects.erase(without_id.objects.begin() + 7); // the sequence
    without_id.objects.erase(without_id.objects.begin() + 2); // the id column
    CHECK(lines(expected, without_id) ==
          std::vector<std::string>{"column public.reviews.id missing"});

    // A table replaced by a view: table missing, view extra, columns not repeated.
    SchemaFingerprint as_view{.objects = {object("schema", "public"),
                                          object("view", "public.reviews", {{"definition", "x"}})}};
    CHECK(lines(expected, as_view) ==
          std::vector<std::string>{"table public.reviews missing", "view public.reviews extra"});
}

TEST_CASE("integrity::diff_schema: an index backing a missing constraint is said by the "
          "constraint")
{
    auto expected = reviews();
    auto actual = reviews();
    actual.objects.erase(actual.objects.begin() + 4, actual.objects.begin() + 6);
    CHECK(lines(expected, actual) ==
          std::vector<std::string>{"constraint public.reviews.reviews_pkey missing"});
}

TEST_CASE("integrity::diff_schema marks positions and sequence values as notes only")
{
    auto expected = reviews();
    auto actual = reviews();
    actual.objects[2].attributes["position"] = "2";
    actual.objects[3].attributes["position"] = "1";
    actual.objects[7].attributes["is_called"] = "false";
    actual.objects[7].attributes["increment"] = "2";
    const auto d = diff_schema(expected, actual);
    REQUIRE(d.size() == 4);
    CHECK(d[0].describe() == "sequence public.reviews_id_seq: increment 2, was 1");
    CHECK(!d[0].note_only);
    CHECK(d[1].describe() == "sequence public.reviews_id_seq: is_called false, was true (note)");
    CHECK(d[1].note_only);
    CHECK(d[2].describe() == "column public.reviews.fee: position 1, was 2 (note)");
    CHECK(d[3].describe() == "column public.reviews.id: position 2, was 1 (note)");
    CHECK(d[2].note_only);
    CHECK(d[3].note_only);
}

TEST_CASE("integrity::diff_schema compares fingerprints in any order and attributes present "
          "on one side only")
{
    auto expected = reviews();
    auto shuffled = reviews();
    std::reverse(shuffled.objects.begin(), shuffled.objects.end());
    CHECK(diff_schema(expected, shuffled).empty());

    auto actual = reviews();
    actual.objects[1].attributes["partition_of"] = "public.all_reviews DEFAULT";
    actual.objects[1].attributes.erase("owner");
    CHECK(lines(expected, actual) ==
          std::vector<std::string>{"table public.reviews: owner (none), was app",
                                   "table public.reviews: partition_of public.all_reviews "
                                   "DEFAULT, was (none)"});
}

TEST_CASE("integrity::SchemaDifference::describe shortens long definitions to the first "
          "differing line")
{
    const std::string body_was =
        "CREATE OR REPLACE FUNCTION public.f(x integer)\n RETURNS integer\n"
        " LANGUAGE plpgsql\nAS $function$\nBEGIN\n  RETURN x + 1;\nEND\n"
        "$function$\n";
    std::string body_now = body_was;
    body_now.replace(body_now.find("x + 1"), 5, "x + 2");
    SchemaDifference function{.change = SchemaChange::changed,
                              .kind = "function",
                              .name = "public.f(integer)",
                              .attribute = "definition",
                              .expected = body_was,
                              .actual = body_now};
    CHECK(function.describe() == "function public.f(integer): definition differs at line 6: "
                                 "\"RETURN x + 2;\", was \"RETURN x + 1;\"");

    // One long line: an excerpt from a little before the first difference.
    const std::string index_was =
        "CREATE INDEX reviews_professional_id_idx ON public.reviews USING btree (professional_id)";
    SchemaDifference index{.change = SchemaChange::changed,
                           .kind = "index",
                           .name = "public.reviews_professional_id_idx",
                           .attribute = "definition",
                           .expected = index_was,
                           .actual = index_was.substr(0, index_was.size() - 1) + ", id)"};
    CHECK(index.describe() ==
          "index public.reviews_professional_id_idx: definition differs: \"...ree "
          "(professional_id, id)\", was \"...ree (professional_id)\"");

    // A body that grew a line: the other side has none there.
    SchemaDifference grown = function;
    grown.expected = "line one\nline two";
    grown.actual = "line one\nline two\nline three";
    CHECK(grown.describe() == "function public.f(integer): definition differs at line 3: "
                              "\"line three\", was (no such line)");

    // Very long lines are cut on both ends, never inside a UTF-8 sequence: the excerpt
    // would start at byte 51, the second byte of the é at 50.
    const std::string head = std::string(50, 'a') + "\u00e9" + std::string(19, 'b');
    SchemaDifference view{.change = SchemaChange::changed,
                          .kind = "view",
                          .name = "public.v",
                          .attribute = "definition",
                          .expected = head + "x" + std::string(100, 'c'),
                          .actual = head + "y" + std::string(100, 'c')};
    const auto rest = "\u00e9" + std::string(19, 'b');
    CHECK(view.describe() ==
          fmt::format("view public.v: definition differs: \"...{0}y{1}...\", was \"...{0}x{1}...\"",
                      rest, std::string(38, 'c')));
}

TEST_CASE("integrity::SchemaDifference::describe of missing and extra, and to_string")
{
    CHECK(SchemaDifference{.change = SchemaChange::missing, .kind = "index", .name = "public.i"}
              .describe() == "index public.i missing");
    CHECK(SchemaDifference{.change = SchemaChange::extra, .kind = "grant", .name = "public.t:bob"}
              .describe() == "grant public.t:bob extra");
    CHECK(to_string(SchemaChange::missing) == "missing");
    CHECK(to_string(SchemaChange::extra) == "extra");
    CHECK(to_string(SchemaChange::changed) == "changed");
}

TEST_CASE("integrity::SchemaFingerprint hash, find and to_json")
{
    auto fp = reviews();
    const auto hash = fp.hash();
    CHECK(hash.size() == 32);
    CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);

    // Any attribute, and where a value ends, changes the hash.
    auto other = reviews();
    other.objects[3].attributes["type"] = "numeric ";
    CHECK(other.hash() != hash);
    SchemaFingerprint split_a{.objects = {object("table", "a", {{"k", "xy"}})}};
    SchemaFingerprint split_b{.objects = {object("table", "a", {{"kx", "y"}})}};
    CHECK(split_a.hash() != split_b.hash());

    REQUIRE(fp.find("column", "public.reviews.fee") != nullptr);
    CHECK(fp.find("column", "public.reviews.fee")->attributes.at("type") == "numeric");
    CHECK(fp.find("table", "public.reviews.fee") == nullptr);

    SchemaFingerprint small{.objects = {object("index", "public.i", {{"valid", "no"}})}};
    CHECK(small.to_json(-1) ==
          R"([{"kind":"index","name":"public.i","attributes":{"valid":"no"}}])");
    const auto parsed = nlohmann::json::parse(fp.to_json());
    REQUIRE(parsed.size() == fp.objects.size());
    CHECK(parsed[3]["name"] == "public.reviews.fee");
    CHECK(parsed[3]["attributes"]["type"] == "numeric");
}
