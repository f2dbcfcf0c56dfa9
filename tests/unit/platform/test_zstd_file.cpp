// The snapshot store's file format: the column layout gives back every byte string it is
// given, a damaged one is an error and never an exception, and files compressed with a
// large window, zstd's threads, long-distance matching or while they grow read back
// through read_stored_file.
#include "platform/column_layout.hpp"
#include "platform/zstd_file.hpp"

#include <doctest/doctest.h>
#include <zstd.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using migsafe::platform::ColumnDecoder;
using migsafe::platform::ColumnEncoder;
using migsafe::platform::compress_file;
using migsafe::platform::CompressSettings;
using migsafe::platform::read_stored_file;

namespace {

std::string encode(std::string_view input, std::size_t block, std::size_t piece)
{
    ColumnEncoder encoder(block);
    std::string out;
    auto sink = [&out](std::string_view bytes) { out.append(bytes); };
    for (std::size_t at = 0; at < input.size(); at += piece) {
        encoder.add(input.substr(at, piece), sink);
    }
    encoder.finish(sink);
    return out;
}

std::pair<std::string, std::optional<std::string>> decode(std::string_view encoded,
                                                          std::size_t piece)
{
    ColumnDecoder decoder;
    std::string out;
    auto sink = [&out](std::string_view bytes) { out.append(bytes); };
    for (std::size_t at = 0; at < encoded.size(); at += piece) {
        decoder.add(encoded.substr(at, piece), sink);
    }
    decoder.finish();
    return {out, decoder.error()};
}

/// COPY text like pg_dump's: numbers, timestamps, JSON, NULLs, empty strings, the end mark.
std::string copy_text(int rows)
{
    std::string text;
    for (int i = 1; i <= rows; ++i) {
        text += std::to_string(i) + "\t" + std::to_string(i * 7919 % 100000) + "." +
                std::to_string(i % 100) + "\t2024-01-" + std::to_string(1 + i % 28) +
                " 10:00:00+00\t{\"k\": " + std::to_string(i % 13) + "}\t" +
                (i % 5 == 0 ? "\\N" : (i % 7 == 0 ? "" : "note\\twith\\ttabs")) + "\n";
    }
    return text + "\\.\n\n";
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("migsafe-zstd-test-" + std::to_string(::getpid()) +
                                                 "-" + std::to_string(std::random_device{}()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;
};

void spit(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

std::string read_back(const fs::path& stored)
{
    std::string out;
    auto read = read_stored_file(stored, [&out](std::string_view bytes) { out.append(bytes); });
    REQUIRE_FALSE(read.error);
    return out;
}

} // namespace

TEST_CASE("platform::ColumnEncoder and ColumnDecoder give back every byte string")
{
    std::string binary;
    std::mt19937 random(17); // NOLINT(cert-msc51-cpp): a fixed seed, for a repeatable test
    for (int i = 0; i < 5000; ++i) {
        binary.push_back(static_cast<char>("\t\n\0ab"[random() % 5]));
    }
    std::string ragged; // field counts that change every few lines, and runs long enough
    for (int i = 0; i < 300; ++i) {
        ragged += std::string(static_cast<std::size_t>(i / 20 % 4), '\t') + "x" +
                  std::to_string(i) + "\n";
    }
    const std::vector<std::string> inputs = {
        "",
        "no line end",
        "a\tb\n",
        std::string(20, '\n'),
        std::string(40, '\t'),
        "\t\t\n\t\t\n\t\t\n\t\t\n\t\t\n\t\t\n\t\t\n\t\t\n\t\t\n",
        copy_text(1000),
        copy_text(1000) + "a partial\tlast line",
        ragged,
        binary,
    };
    for (const auto& input : inputs) {
        for (std::size_t block : {std::size_t{1}, std::size_t{64}, std::size_t{4} << 20U}) {
            for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{1} << 16U}) {
                CAPTURE(input.size());
                CAPTURE(block);
                CAPTURE(piece);
                auto encoded = encode(input, block, piece);
                CHECK(encoded == encode(input, block, input.size() + 1)); // pieces never matter
                for (std::size_t decode_piece : {std::size_t{1}, std::size_t{1} << 16U}) {
                    auto [decoded, error] = decode(encoded, decode_piece);
                    CHECK_FALSE(error);
                    CHECK(decoded == input);
                }
            }
        }
    }
    // Rows of COPY text do go column by column: the numbers of column 1 sit together.
    auto encoded = encode(copy_text(100), 4U << 20U, 1U << 16U);
    CHECK(encoded.front() == 'C');
    CHECK(encoded.find("1\n2\n3\n4\n5\n") != std::string::npos);
}

TEST_CASE("platform::ColumnDecoder reports a damaged layout as an error, never an exception")
{
    auto encoded = encode(copy_text(200), 4U << 20U, 1U << 16U);
    auto truncated = decode(encoded.substr(0, encoded.size() - 3), 1U << 16U);
    REQUIRE(truncated.second);
    CHECK(truncated.second->starts_with("the column layout ends inside a segment"));
    CHECK(*decode("Zjunk", 5).second == "the column layout has an unknown segment at byte 0");
    CHECK(*decode(std::string("C\x05\x02\x01\x01\x01\x01\x01"
                              "aaaaa"),
                  64)
               .second ==
          "the column layout's column 1 of the segment at byte 0 ends before row 1 of 2");
    std::mt19937 random(3); // NOLINT(cert-msc51-cpp)
    for (int round = 0; round < 200; ++round) {
        auto damaged = encoded;
        damaged[random() % damaged.size()] ^= static_cast<char>(1U << (random() % 8));
        CHECK_NOTHROW(decode(damaged, 4096)); // an error or other bytes: the hashes tell
    }
}

TEST_CASE("platform::compress_file: a large window, zstd's threads, long-distance matching and "
          "the column layout read back through both read_stored_file overloads")
{
    TempDir dir;
    auto source = dir.path / "3345.dat";
    auto text = copy_text(20000);
    spit(source, text);
    const std::vector<CompressSettings> cases = {
        {.level = 3},
        {.level = 2, .columns = true},
        {.level = 1, .workers = 2, .columns = true},
        {.level = 3, .window_log = 30, .long_matching = true},
        {.level = 5, .workers = 2, .window_log = 29, .long_matching = true, .columns = true},
    };
    for (const auto& settings : cases) {
        CAPTURE(settings.level);
        CAPTURE(settings.workers);
        CAPTURE(settings.window_log);
        CAPTURE(settings.columns);
        auto stored = dir.path / "3345.dat.zst";
        auto digest = compress_file(source, stored, settings);
        CHECK(digest.size == text.size());
        CHECK(digest.stored_size == fs::file_size(stored));
        CHECK(read_back(stored) == text);
        auto copy = dir.path / "restored.dat";
        auto read = read_stored_file(stored, std::optional<fs::path>(copy));
        CHECK_FALSE(read.error);
        CHECK(read.digest.size == digest.size);
        CHECK(read.digest.content_hash == digest.content_hash);
        CHECK(read.digest.stored_hash == digest.stored_hash);
        std::ifstream in(copy, std::ios::binary);
        CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == text);
    }
}

TEST_CASE("platform::read_stored_file reads a window above zstd's default limit of 27 bits")
{
    TempDir dir;
    auto source = dir.path / "big-window.dat";
    spit(source, copy_text(2000));
    auto stored = dir.path / "big-window.dat.zst";
    compress_file(source, stored, CompressSettings{.level = 3, .window_log = 30});
    // zstd's default decoder refuses the frame (the window it declares needs 1 GiB) ...
    std::ifstream in(stored, std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    std::vector<char> out(1U << 20U);
    ZSTD_DCtx* plain = ZSTD_createDCtx();
    ZSTD_inBuffer in_buf{bytes.data(), bytes.size(), 0};
    ZSTD_outBuffer out_buf{out.data(), out.size(), 0};
    auto code = ZSTD_decompressStream(plain, &out_buf, &in_buf);
    ZSTD_freeDCtx(plain);
    CHECK(ZSTD_isError(code) != 0U);
    // ... read_stored_file sets ZSTD_d_windowLogMax and reads it.
    CHECK(read_back(stored) == copy_text(2000));
}

TEST_CASE("platform::compress_file follows a file its writer is still writing")
{
    TempDir dir;
    auto source = dir.path / "growing.dat";
    auto text = copy_text(30000);
    std::atomic<bool> done{false};
    spit(source, "");
    std::thread writer([&] {
        std::ofstream out(source, std::ios::binary | std::ios::app);
        for (std::size_t at = 0; at < text.size(); at += 100000) {
            out << text.substr(at, 100000) << std::flush;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        out.close();
        done = true;
    });
    auto stored = dir.path / "growing.dat.zst";
    auto digest = compress_file(source, stored, CompressSettings{.level = 2, .columns = true},
                                [&done] { return done.load(); });
    writer.join();
    CHECK(digest.size == text.size());
    CHECK(read_back(stored) == text);
    // The same bytes as when the finished file is compressed: snapshots are reproducible.
    auto whole = compress_file(source, dir.path / "whole.dat.zst",
                               CompressSettings{.level = 2, .columns = true});
    CHECK(whole.stored_hash == digest.stored_hash);
}
