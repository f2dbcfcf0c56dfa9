// snapshot::Manifest's JSON form and its self-hash.
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <doctest/doctest.h>

#include <string>

using migsafe::Error;
using migsafe::snapshot::Manifest;

namespace {

Manifest sample()
{
    Manifest m{.id = "20261129T061500.123Z-1a2b3c4d", .created_at = "2026-11-29T06:15:00.123Z"};
    m.source = {.database = "shop",
                .server_version = "15.18",
                .system_identifier = "7312",
                .conninfo = "host=db password=***"};
    m.pg_dump_version = "pg_dump (PostgreSQL) 15.18";
    m.pg_dump_args = {"--format=directory", "--file=raw"};
    m.files.push_back({.name = "toc.dat",
                       .stored_name = "data/toc.dat.zst",
                       .size = 100,
                       .stored_size = 40,
                       .content_hash = migsafe::xxh3_128("a"),
                       .stored_hash = migsafe::xxh3_128("b")});
    m.integrity.database = "shop";
    m.integrity.server_version = "15.18";
    m.dump_ms = 12;
    return m;
}

std::string error_code_of(const std::string& text)
{
    try {
        Manifest::from_json(text);
    } catch (const Error& e) {
        return e.code() + ": " + e.message();
    }
    return "none";
}

} // namespace

TEST_CASE("snapshot::Manifest::to_json round-trips through from_json")
{
    auto m = sample();
    CHECK(Manifest::from_json(m.to_json()) == m);
    CHECK(m.total_size() == 100);
    CHECK(m.total_stored_size() == 40);
    CHECK(m.to_json().find("\"manifest_hash\": \"") != std::string::npos);
}

TEST_CASE("snapshot::Manifest::from_json ignores whitespace but not edits")
{
    auto text = sample().to_json();
    std::string spaced = text;
    spaced.insert(1, "\n   ");
    CHECK(Manifest::from_json(spaced) == sample());

    auto edited = text;
    edited.replace(edited.find("\"shop\""), 6, "\"shoq\"");
    CHECK(error_code_of(edited).starts_with("snapshot-corrupt: manifest hash "));
}

TEST_CASE("snapshot::Manifest::from_json rejects malformed and newer manifests")
{
    CHECK(error_code_of("").starts_with("snapshot-corrupt: manifest is not valid JSON"));
    CHECK(error_code_of("{}").starts_with("snapshot-corrupt: manifest: "));
    auto text = sample().to_json();
    text.replace(text.find("\"schema_version\": 1,\n  \"source\""), 19, "\"schema_version\": 4");
    CHECK(error_code_of(text) ==
          "snapshot-schema-newer: manifest schema_version 4 is newer than this migsafe's 3");
}

TEST_CASE("snapshot::Manifest of a physical snapshot: schema 2 round-trips with its WAL range, "
          "report point and a 64-bit system identifier; pg_dump ones stay schema 1")
{
    auto plain = sample().to_json();
    CHECK(plain.find("\"schema_version\": 1") != std::string::npos);
    CHECK(plain.find("\"engine\"") == std::string::npos); // readable by older versions

    auto m = sample();
    m.schema_version = 2;
    m.engine = "pgbackrest";
    m.engine_version = "2.45";
    m.source.system_identifier = "7716319869419626328"; // above 2^53
    m.has_integrity = false;
    m.physical = migsafe::snapshot::PhysicalInfo{
        .label = "20261206-224533F_20261206-224536I",
        .backup_type = "incr",
        .prior = "20261206-224533F",
        .stanza = "main",
        .timeline = 1,
        .start_lsn = "0/D000028",
        .stop_lsn = "0/D000100",
        .size = 32212254,
        .stored_size = 6188712,
        .report_lsn = "0/C0001F8",
        .report_xmin = 4294967301ULL,
        .catalog = R"([{"attributes":{},"kind":"schema","name":"app"}])",
        .catalog_hash = "ab"};
    auto text = m.to_json();
    auto back = Manifest::from_json(text);
    CHECK(back == m);
    CHECK(back.total_size() == 32212254);
    CHECK(back.total_stored_size() == 6188712);
    CHECK(text.find("7716319869419626328") != std::string::npos);

    // The physical fields are covered by the self-hash like the rest.
    auto edited = text;
    edited.replace(edited.find("0/D000100"), 9, "0/D000200");
    CHECK(error_code_of(edited).starts_with("snapshot-corrupt: manifest hash "));
}
