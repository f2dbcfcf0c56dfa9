// platform::JsonWriter writes what nlohmann::json::dump(2) would, without building a tree.
#include "platform/json_writer.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using migsafe::platform::JsonWriter;

namespace {

std::string dumped(const std::string& text)
{
    return nlohmann::ordered_json::parse(text).dump(2);
}

} // namespace

TEST_CASE("JsonWriter lays a document out exactly as nlohmann's dump(2)")
{
    std::string text;
    JsonWriter out(text);
    out.begin_object();
    out.member("name", "public.professionals");
    out.member("count", 42);
    out.member("negative", std::int64_t{-9007199254740993});
    out.member("ok", true);
    out.member("bad", false);
    out.key("nothing");
    out.null();
    out.key("empty_array");
    out.begin_array();
    out.end_array();
    out.key("empty_object");
    out.begin_object();
    out.end_object();
    out.key("nested");
    out.begin_array();
    out.begin_object();
    out.member("k", "v");
    out.key("inner");
    out.begin_array();
    out.value(1);
    out.value("two");
    out.begin_array();
    out.end_array();
    out.end_array();
    out.end_object();
    out.value(3);
    out.end_array();
    out.end_object();
    CHECK(text == dumped(text));
    CHECK(text.starts_with("{\n  \"name\": \"public.professionals\",\n  \"count\": 42,"));
}

TEST_CASE("JsonWriter escapes strings as nlohmann does and keeps UTF-8 as it is")
{
    const std::string awkward = std::string("quote \" backslash \\ slash / tab \t newline \n "
                                            "cr \r bs \b ff \f nul ") +
                                std::string(1, '\0') + " unit \x1f del \x7f" +
                                " e\xCC\x81 caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x98";
    std::string text;
    JsonWriter out(text);
    out.begin_array();
    out.value(awkward);
    out.end_array();
    CHECK(text == dumped(text));
    CHECK(nlohmann::json::parse(text).at(0).get<std::string>() == awkward);
    CHECK(text.find("\\u0000") != std::string::npos);
    CHECK(text.find("\\u001f") != std::string::npos);
}

TEST_CASE("JsonWriter writes U+FFFD for bytes that are not UTF-8, never invalid JSON")
{
    const std::string replacement = "\xEF\xBF\xBD";
    const std::pair<std::string, std::string> cases[] = {
        {"a\xFF"
         "b",
         "a" + replacement + "b"},                                 // never valid
        {"\xC3", replacement},                                     // cut short at the end
        {"\xC0\xAF", replacement + replacement},                   // overlong '/'
        {"\xED\xA0\x80", replacement + replacement + replacement}, // a surrogate
        {"\xF4\x90\x80\x80", replacement + replacement + replacement + replacement}, // > U+10FFFF
        {"\x80z", replacement + "z"},                                                // stray
    };
    for (const auto& [input, expected] : cases) {
        std::string text;
        JsonWriter::append_string(text, input);
        CAPTURE(text);
        CHECK(nlohmann::json::parse(text).get<std::string>() == expected);
    }
}
