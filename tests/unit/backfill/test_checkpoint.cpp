#include <migsafe/backfill/backfill.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>

using migsafe::backfill::Checkpoint;

TEST_CASE("backfill::Checkpoint::to_json is stable and round-trips")
{
    const Checkpoint checkpoint{.upper_key = "20000",
                                .lower_key = "1",
                                .after_key = "4000",
                                .rows_done = 3998,
                                .batches_done = 4,
                                .batch_size = 1500,
                                .finished = false};
    const auto json = checkpoint.to_json();
    CHECK(json == R"({"after_key":"4000","batch_size":1500,"batches_done":4,"finished":false,)"
                  R"("lower_key":"1","rows_done":3998,"schema_version":1,"upper_key":"20000"})");
    CHECK(Checkpoint::from_json(json) == checkpoint);

    const Checkpoint empty{.finished = true};
    CHECK(empty.to_json() ==
          R"({"after_key":null,"batch_size":0,"batches_done":0,"finished":true,)"
          R"("lower_key":null,"rows_done":0,"schema_version":1,"upper_key":null})");
    CHECK(Checkpoint::from_json(empty.to_json()) == empty);

    const Checkpoint text_keys{.upper_key = "zo\"\xc3\xa9\\", .after_key = "a b"};
    CHECK(Checkpoint::from_json(text_keys.to_json()) == text_keys);
}

TEST_CASE("backfill::Checkpoint::from_json rejects malformed input")
{
    const auto message_of = [](const std::string& json) {
        try {
            (void)Checkpoint::from_json(json);
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "backfill-checkpoint-malformed");
            CHECK(migsafe::exit_code_for(e.category()) == 2);
            return e.message();
        }
        FAIL("no throw for " << json);
        return std::string();
    };
    const std::string valid = Checkpoint{.upper_key = "9"}.to_json();
    CHECK(message_of("{").starts_with("backfill checkpoint is not valid JSON: "));
    CHECK(message_of("[1]") == "backfill checkpoint is not a JSON object");
    CHECK(message_of("{}") == "backfill checkpoint has no `schema_version`");
    auto replaced = [&](const std::string& from, const std::string& to) {
        auto text = valid;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    CHECK(message_of(replaced("\"schema_version\":1", "\"schema_version\":2")) ==
          "backfill checkpoint has schema_version 2, expected 1");
    CHECK(message_of(replaced("\"rows_done\":0,", "")) == "backfill checkpoint has no `rows_done`");
    CHECK(message_of(replaced("\"rows_done\":0", "\"rows_done\":-1")) ==
          "backfill checkpoint `rows_done` is not a non-negative integer");
    CHECK(message_of(replaced("\"batches_done\":0", "\"batches_done\":\"3\"")) ==
          "backfill checkpoint `batches_done` is not a non-negative integer");
    CHECK(message_of(replaced("\"upper_key\":\"9\"", "\"upper_key\":9")) ==
          "backfill checkpoint `upper_key` is not a string or null");
    CHECK(message_of(replaced("\"finished\":false", "\"finished\":0")) ==
          "backfill checkpoint `finished` is not a boolean");
    CHECK(message_of(replaced("\"batch_size\":0", "\"batch_size\":10000000000")) ==
          "backfill checkpoint `batch_size` is out of range");
    CHECK(message_of(replaced("\"upper_key\":\"9\"", "\"upper_key\":null")
                         .replace(valid.find("\"after_key\":null"), 16, "\"after_key\":\"1\"")) ==
          "backfill checkpoint has an `after_key` but no `upper_key`");
}
