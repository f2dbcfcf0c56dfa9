// snapshot::create's compression (docs/snapshot.md, "Compression"): table data column by
// column by default, plain zstd frames on request, and both verify and restore to the
// same data; pg_dump's raw bytes come back exactly.
#include "db/snapshot/snapshot_fixtures.hpp"
#include "platform/zstd_file.hpp"

#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <doctest/doctest.h>

#include <fstream>

using namespace migsafe::snapshot;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::EmptyDatabase;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;

namespace {

std::string first_bytes(const std::filesystem::path& path, std::size_t count)
{
    std::ifstream in(path, std::ios::binary);
    std::string bytes(count, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(count));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

} // namespace

TEST_CASE("snapshot::create stores table data column by column, or as plain zstd frames on "
          "request, and both verify and restore to the same data")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 500);
    // Fields with escaped tabs and newlines, NULLs and empty strings, and a table whose
    // rows change field count never (COPY) but whose text is awkward.
    session.exec("CREATE TABLE awkward (id int PRIMARY KEY, t text, n numeric, j jsonb);"
                 "INSERT INTO awkward SELECT g, CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN '' "
                 "WHEN 2 THEN E'a\\tb\\nc\\\\d' ELSE repeat('x', g % 50) END, g / 7.0, "
                 "jsonb_build_object('g', g, 's', E'tab\\there') FROM generate_series(1, 2000) g");
    TempDir dir;
    for (bool columns : {true, false}) {
        CAPTURE(columns);
        auto store = dir.path() / (columns ? "columns" : "plain");
        auto created = create(source.conninfo(), store,
                              {.jobs = 2,
                               .compression_level = columns ? std::nullopt : std::optional(19),
                               .column_layout = columns});
        const auto& manifest = created.manifest;
        const char* zstd_magic = "\x28\xB5\x2F\xFD";
        // Older versions cannot decode the column layout: they must see a newer manifest.
        CHECK(manifest.schema_version == (columns ? 3 : 1));
        for (const auto& file : manifest.files) {
            CAPTURE(file.name);
            CHECK(file.compression == (columns ? "zstd+columns" : "zstd"));
            auto head = first_bytes(created.path / file.stored_name, 25);
            CHECK(head.starts_with(columns ? std::string("\x5E\x2A\x4D\x18\x11\0\0\0", 8) +
                                                 "migsafe-columns-1"
                                           : std::string(zstd_magic)));
            // The raw file pg_dump wrote comes back byte for byte (its size and hash).
            auto read = migsafe::platform::read_stored_file(created.path / file.stored_name,
                                                            [](std::string_view) {});
            CHECK_FALSE(read.error);
            CHECK(read.digest.size == file.size);
            CHECK(read.digest.content_hash == file.content_hash);
        }
        auto report = verify(store, "latest", {.level = 2});
        CHECK(report.mismatches.empty());
        CHECK(report.level_reached == 2);
        EmptyDatabase target;
        restore(store, manifest.id, target.conninfo(), {.jobs = 2});
        auto after = migsafe::integrity::scan(target.conninfo());
        CHECK(migsafe::integrity::diff(manifest.integrity, after).empty());
    }
}
