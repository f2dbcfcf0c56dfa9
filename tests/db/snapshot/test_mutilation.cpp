// snapshot::verify against a matrix of damaged snapshots: each damage is detected, with
// the mismatch naming the file, what the manifest expected and what was found.
#include "db/snapshot/snapshot_fixtures.hpp"

#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/manifest.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <sstream>

using namespace migsafe::snapshot;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;
namespace fs = std::filesystem;

namespace {

/// One snapshot taken once per test binary; each case damages a copy of it.
struct Base {
    TempDir dir;
    Manifest manifest;
    Base()
    {
        TestDatabase source;
        auto session = source.connect();
        fill_source(session, 2000);
        manifest = create(source.conninfo(), dir.path()).manifest;
    }
    fs::path path() const { return dir.path() / manifest.id; }
    /// The stored name of the largest table data file, and of the second largest.
    const ManifestFile& data_file(std::size_t rank = 0) const
    {
        std::vector<const ManifestFile*> data;
        for (const auto& file : manifest.files) {
            if (file.name != "toc.dat") {
                data.push_back(&file);
            }
        }
        std::sort(data.begin(), data.end(),
                  [](const auto* a, const auto* b) { return a->size > b->size; });
        return *data.at(rank);
    }
    const ManifestFile& toc() const
    {
        for (const auto& file : manifest.files) {
            if (file.name == "toc.dat") {
                return file;
            }
        }
        throw std::runtime_error("no toc.dat");
    }
};

const Base& base()
{
    static Base instance;
    return instance;
}

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spit(const fs::path& path, const std::string& data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
}

void flip(const fs::path& path, std::size_t at)
{
    auto data = slurp(path);
    data.at(at) = static_cast<char>(data.at(at) ^ 0x40);
    spit(path, data);
}

/// Rewrites both manifest copies (or only `only`) after `edit`, with a correct self-hash.
void forge(const fs::path& dir, const std::function<void(Manifest&)>& edit,
           const char* only = nullptr)
{
    auto manifest = Manifest::from_json(slurp(dir / "manifest.json"));
    edit(manifest);
    auto text = manifest.to_json();
    for (const char* name : {"manifest.json", "manifest.copy.json"}) {
        if (only == nullptr || std::string(only) == name) {
            spit(dir / name, text);
        }
    }
}

ManifestFile& file_named(Manifest& manifest, const std::string& stored_name)
{
    for (auto& file : manifest.files) {
        if (file.stored_name == stored_name) {
            return file;
        }
    }
    throw std::runtime_error("no file " + stored_name);
}

struct Case {
    const char* name;
    std::function<void(const fs::path& dir)> damage;
    std::string kind;
    std::string file;
    /// The full message, or its start when it ends with `*`.
    std::function<std::string()> message;
    int level_reached = 0; ///< 1 for damage only level 2 sees
};

std::string hash_message(const ManifestFile& file, const fs::path& dir)
{
    return file.stored_name + ": hash " +
           migsafe::xxh3_128(slurp(dir / file.stored_name)).to_hex() + ", expected " +
           file.stored_hash.to_hex();
}

} // namespace

TEST_CASE("snapshot::verify detects every kind of damage")
{
    const auto& b = base();
    const auto& data = b.data_file();
    const auto& toc = b.toc();
    auto size_message = [](const ManifestFile& file, std::uint64_t actual) {
        return file.stored_name + ": size " + std::to_string(actual) + ", expected " +
               std::to_string(file.stored_size);
    };
    fs::path current; // the damaged copy, for messages that depend on its content
    std::vector<Case> cases = {
        {"flipped byte in the middle of toc.dat",
         [&](auto& d) { flip(d / toc.stored_name, toc.stored_size / 2); }, "hash", toc.stored_name,
         [&] { return hash_message(toc, current); }},
        {"flipped byte in the middle of a data file",
         [&](auto& d) { flip(d / data.stored_name, data.stored_size / 2); }, "hash",
         data.stored_name, [&] { return hash_message(data, current); }},
        {"flipped first byte (zstd magic) of a data file",
         [&](auto& d) { flip(d / data.stored_name, 0); }, "hash", data.stored_name,
         [&] { return hash_message(data, current); }},
        {"flipped last byte of a data file",
         [&](auto& d) { flip(d / data.stored_name, data.stored_size - 1); }, "hash",
         data.stored_name, [&] { return hash_message(data, current); }},
        {"flipped byte in a small data file",
         [&](auto& d) { flip(d / b.data_file(2).stored_name, 5); }, "hash",
         b.data_file(2).stored_name, [&] { return hash_message(b.data_file(2), current); }},
        {"data file truncated by one byte",
         [&](auto& d) { fs::resize_file(d / data.stored_name, data.stored_size - 1); }, "size",
         data.stored_name, [&] { return size_message(data, data.stored_size - 1); }},
        {"data file truncated to zero", [&](auto& d) { fs::resize_file(d / data.stored_name, 0); },
         "size", data.stored_name, [&] { return size_message(data, 0); }},
        {"toc.dat truncated to half",
         [&](auto& d) { fs::resize_file(d / toc.stored_name, toc.stored_size / 2); }, "size",
         toc.stored_name, [&] { return size_message(toc, toc.stored_size / 2); }},
        {"bytes appended to a data file",
         [&](auto& d) { spit(d / data.stored_name, slurp(d / data.stored_name) + "extra"); },
         "size", data.stored_name, [&] { return size_message(data, data.stored_size + 5); }},
        {"bytes appended to toc.dat",
         [&](auto& d) { spit(d / toc.stored_name, slurp(d / toc.stored_name) + "x"); }, "size",
         toc.stored_name, [&] { return size_message(toc, toc.stored_size + 1); }},
        {"data file overwritten with other bytes of the same size",
         [&](auto& d) { spit(d / data.stored_name, std::string(data.stored_size, 'z')); }, "hash",
         data.stored_name, [&] { return hash_message(data, current); }},
        {"missing data file", [&](auto& d) { fs::remove(d / data.stored_name); }, "missing-file",
         data.stored_name, [&] { return data.stored_name + ": missing-file"; }},
        {"missing toc.dat", [&](auto& d) { fs::remove(d / toc.stored_name); }, "missing-file",
         toc.stored_name, [&] { return toc.stored_name + ": missing-file"; }},
        {"extra file in data/", [&](auto& d) { spit(d / "data/9999.dat.zst", "x"); }, "extra-file",
         "data/9999.dat.zst", [] { return std::string("data/9999.dat.zst: extra-file"); }},
        {"extra file in the snapshot folder", [&](auto& d) { spit(d / "notes.txt", "x"); },
         "extra-file", "notes.txt", [] { return std::string("notes.txt: extra-file"); }},
        {"flipped byte in manifest.json",
         [&](auto& d) {
             auto text = slurp(d / "manifest.json");
             auto at = text.find(data.stored_hash.to_hex());
             text[at] = text[at] == 'a' ? 'b' : 'a';
             spit(d / "manifest.json", text);
         },
         "manifest-unreadable", "manifest.json",
         [] { return std::string("manifest.json: manifest-unreadable manifest hash *"); }},
        {"manifest.json truncated",
         [&](auto& d) {
             auto text = slurp(d / "manifest.json");
             spit(d / "manifest.json", text.substr(0, text.size() / 2));
         },
         "manifest-unreadable", "manifest.json",
         [] {
             return std::string("manifest.json: manifest-unreadable manifest is not valid JSON*");
         }},
        {"manifest.json empty", [&](auto& d) { spit(d / "manifest.json", ""); },
         "manifest-unreadable", "manifest.json",
         [] {
             return std::string("manifest.json: manifest-unreadable manifest is not valid JSON*");
         }},
        {"manifest.json missing", [&](auto& d) { fs::remove(d / "manifest.json"); }, "missing-file",
         "manifest.json", [] { return std::string("manifest.json: missing-file"); }},
        {"manifest.copy.json missing", [&](auto& d) { fs::remove(d / "manifest.copy.json"); },
         "missing-file", "manifest.copy.json",
         [] { return std::string("manifest.copy.json: missing-file"); }},
        {"the two manifest copies disagree (both self-consistent)",
         [&](auto& d) {
             forge(
                 d, [](Manifest& m) { m.created_at = "2000-01-01T00:00:00.000Z"; },
                 "manifest.copy.json");
         },
         "manifest-copies-differ", "manifest.copy.json",
         [] { return std::string("manifest.copy.json: manifest-copies-differ *"); }},
        {"manifest.json reformatted (same content, different bytes)",
         [&](auto& d) { spit(d / "manifest.json", slurp(d / "manifest.json") + "\n"); },
         "manifest-copies-differ", "manifest.copy.json",
         [] { return std::string("manifest.copy.json: manifest-copies-differ *"); }},
        {"both manifests forged with another hash for a file",
         [&](auto& d) {
             forge(d, [&](Manifest& m) { file_named(m, data.stored_name).stored_hash.low ^= 1; });
         },
         "hash", data.stored_name,
         [&] {
             auto forged = data.stored_hash;
             forged.low ^= 1;
             return data.stored_name + ": hash " + data.stored_hash.to_hex() + ", expected " +
                    forged.to_hex();
         }},
        {"both manifests forged with another content hash",
         [&](auto& d) {
             forge(d, [&](Manifest& m) { file_named(m, toc.stored_name).content_hash.high ^= 1; });
         },
         "content", toc.stored_name,
         [&] {
             auto forged = toc.content_hash;
             forged.high ^= 1;
             return toc.stored_name + ": content " + toc.content_hash.to_hex() + ", expected " +
                    forged.to_hex();
         }},
        {"both manifests edited without their hash",
         [&](auto& d) {
             for (const char* name : {"manifest.json", "manifest.copy.json"}) {
                 auto text = slurp(d / name);
                 auto at = text.find("\"stored_size\": ") + 15;
                 text[at] = text[at] == '9' ? '8' : '9';
                 spit(d / name, text);
             }
         },
         "manifest-unreadable", "manifest.json",
         [] { return std::string("manifest.json: manifest-unreadable manifest hash *"); }},
        {"manifest from a newer migsafe",
         [&](auto& d) {
             auto text = slurp(d / "manifest.json");
             auto at = text.find("\"schema_version\": 3,\n  \"source\"");
             REQUIRE(at != std::string::npos);
             text.replace(at, 19, "\"schema_version\": 9");
             spit(d / "manifest.json", text);
         },
         "manifest-unreadable", "manifest.json",
         [] {
             return std::string(
                 "manifest.json: manifest-unreadable manifest schema_version 9 is newer than this "
                 "migsafe's 3");
         }},
        {"manifest lists a table the archive does not hold (level 2)",
         [&](auto& d) {
             forge(d, [](Manifest& m) {
                 auto ghost = m.integrity.tables.front();
                 ghost.name = "zz_ghost";
                 m.integrity.tables.push_back(ghost);
             });
         },
         "table-missing-from-archive", "public.zz_ghost",
         [] { return std::string("public.zz_ghost: table-missing-from-archive"); }, 1},
        {"archive has a table the manifest does not list (level 2)",
         [&](auto& d) {
             forge(d, [](Manifest& m) {
                 std::erase_if(m.integrity.tables,
                               [](const auto& t) { return t.name == "empty_table"; });
             });
         },
         "table-missing-from-manifest", "public empty_table *",
         [] { return std::string("public empty_table *"); }, 1},
        {"toc.dat replaced by a valid zstd file that is no archive (level 2)",
         [&](auto& d) {
             fs::copy_file(d / data.stored_name, d / toc.stored_name,
                           fs::copy_options::overwrite_existing);
             forge(d, [&](Manifest& m) {
                 auto& t = file_named(m, toc.stored_name);
                 auto copy = file_named(m, data.stored_name);
                 t.size = copy.size;
                 t.stored_size = copy.stored_size;
                 t.content_hash = copy.content_hash;
                 t.stored_hash = copy.stored_hash;
             });
         },
         "archive-unreadable", "data/toc.dat.zst",
         [] { return std::string("data/toc.dat.zst: archive-unreadable pg_restore: *"); }, 1},
        {"a table's data file removed from the manifest and the folder (level 2)",
         [&](auto& d) {
             fs::remove(d / data.stored_name);
             forge(d, [&](Manifest& m) {
                 std::erase_if(m.files, [&](const auto& f) { return f.name == data.name; });
             });
         },
         "missing-file", data.stored_name, [&] { return data.stored_name + ": missing-file"; }, 1},
    };
    CHECK(cases.size() >= 20);
    for (const auto& c : cases) {
        CAPTURE(c.name);
        TempDir store;
        current = store.path() / b.manifest.id;
        fs::copy(b.path(), current, fs::copy_options::recursive);
        c.damage(current);
        auto report = verify(store.path(), b.manifest.id, {.level = 2});
        CHECK_FALSE(report.passed());
        CHECK(report.level_reached == c.level_reached);
        REQUIRE_FALSE(report.mismatches.empty());
        const auto& m = report.mismatches.front();
        CHECK(m.kind == c.kind);
        std::string expected = c.message();
        if (c.file.ends_with('*')) {
            CHECK(m.file.starts_with(c.file.substr(0, c.file.size() - 1)));
        } else {
            CHECK(m.file == c.file);
        }
        if (expected.ends_with('*')) {
            CHECK(m.describe().starts_with(expected.substr(0, expected.size() - 1)));
        } else {
            CHECK(m.describe() == expected);
        }
    }
}

TEST_CASE("snapshot::verify of an intact snapshot reaches level 2")
{
    const auto& b = base();
    TempDir store;
    fs::copy(b.path(), store.path() / b.manifest.id, fs::copy_options::recursive);
    auto one = verify(store.path(), "latest");
    CHECK(one.passed());
    CHECK(one.level_reached == 1);
    auto two = verify(store.path(), "latest", {.level = 2});
    CHECK(two.passed());
    CHECK(two.level_reached == 2);
    CHECK(two.to_json(-1) == "{\"id\":\"" + b.manifest.id +
                                 "\",\"level_reached\":2,\"level_requested\":2,\"mismatches\":[],"
                                 "\"passed\":true}");
}

TEST_CASE("snapshot::verify gives a verdict naming the file for any damaged byte, never an "
          "exception")
{
    // Appended bytes, flipped bytes (into invalid UTF-8 too) at offsets spread over each
    // file, and truncations: each is a failed verdict whose first mismatch names the file,
    // and the report (which quotes what was found) can always be written as JSON.
    const auto& b = base();
    TempDir store;
    const auto dir = store.path() / b.manifest.id;
    fs::copy(b.path(), dir, fs::copy_options::recursive);
    std::vector<std::string> names = {"manifest.json", "manifest.copy.json"};
    for (const auto& file : b.manifest.files) {
        names.push_back(file.stored_name);
    }
    int verdicts = 0;
    for (const auto& name : names) {
        const auto path = dir / name;
        const auto original = slurp(path);
        std::vector<std::pair<std::string, std::string>> damages;
        const std::vector<std::string> tails = {"\n", "x", "\xff\xfe", "{}",
                                                std::string(4096, '\0')};
        for (const auto& tail : tails) {
            damages.emplace_back("append", original + tail);
        }
        const std::size_t step = std::max<std::size_t>(1, original.size() / 12);
        for (std::size_t at = 0; at < original.size(); at += step) {
            for (const unsigned char mask : {0x01, 0x40, 0x80}) {
                auto flipped = original;
                flipped[at] = static_cast<char>(flipped[at] ^ mask);
                damages.emplace_back("flip " + std::to_string(at), flipped);
            }
            damages.emplace_back("truncate " + std::to_string(at), original.substr(0, at));
        }
        for (const auto& [what, bytes] : damages) {
            CAPTURE(name);
            CAPTURE(what);
            spit(path, bytes);
            VerifyReport report;
            REQUIRE_NOTHROW(report = verify(store.path(), b.manifest.id, {.level = 1}));
            CHECK_FALSE(report.passed());
            REQUIRE_FALSE(report.mismatches.empty());
            // A manifest that still reads (a newline appended) only differs from its copy,
            // and either may be the damaged one.
            const auto& named = report.mismatches.front().file;
            CHECK(
                (named == name || (name.starts_with("manifest") && named.starts_with("manifest"))));
            std::string json;
            CHECK_NOTHROW(json = report.to_json());
            CHECK(nlohmann::json::accept(json));
            ++verdicts;
        }
        spit(path, original);
    }
    CHECK(verdicts > 300);
    CHECK(verify(store.path(), b.manifest.id, {.level = 1}).passed());
}
