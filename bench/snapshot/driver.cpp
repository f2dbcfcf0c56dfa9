// A tiny driver for bench/snapshot/run.sh: takes a snapshot or runs a drill and prints one
// line with the figures.
//   migsafe-snapshot-bench create CONNINFO STORE [--jobs N]
//   migsafe-snapshot-bench drill STORE TARGET_CONNINFO [--jobs N]
//   migsafe-snapshot-bench compress FILE LEVEL [columns] [workers=N] [window=W] [long]
//     (one file through the store's compression and back: stored bytes and seconds)
#include "platform/zstd_file.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/workflow/drill.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(const std::string& command, const std::string& first, const std::string& second, int jobs)
{
    auto start = std::chrono::steady_clock::now();
    if (command == "create") {
        auto result = migsafe::snapshot::create(first, second, {.jobs = jobs});
        std::printf("seconds=%.3f stored_bytes=%llu content_bytes=%llu dump_ms=%lld scan_ms=%lld\n",
                    seconds_since(start),
                    static_cast<unsigned long long>(result.manifest.total_stored_size()),
                    static_cast<unsigned long long>(result.manifest.total_size()),
                    static_cast<long long>(result.manifest.dump_ms),
                    static_cast<long long>(result.manifest.scan_ms));
        return 0;
    }
    auto record = migsafe::workflow::drill(first, "latest", {.target = second, .jobs = jobs});
    std::printf("seconds=%.3f passed=%d restore_ms=%lld verify_ms=%lld data_ms=%lld "
                "post_data_ms=%lld unpack_ms=%lld overlapped_verify_ms=%lld\n",
                seconds_since(start), record.passed ? 1 : 0,
                static_cast<long long>(record.restore_ms), static_cast<long long>(record.verify_ms),
                static_cast<long long>(record.data_ms), static_cast<long long>(record.post_data_ms),
                static_cast<long long>(record.unpack_ms),
                static_cast<long long>(record.overlapped_verify_ms));
    return record.passed ? 0 : 1;
}

int compress(int argc, char** argv)
{
    namespace platform = migsafe::platform;
    std::filesystem::path source = argv[2];
    platform::CompressSettings settings{.level = std::stoi(argv[3])};
    for (int i = 4; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "columns") {
            settings.columns = true;
        } else if (arg == "long") {
            settings.long_matching = true;
        } else if (arg.starts_with("workers=")) {
            settings.workers = std::stoi(arg.substr(8));
        } else if (arg.starts_with("window=")) {
            settings.window_log = std::stoi(arg.substr(7));
        }
    }
    auto target = std::filesystem::temp_directory_path() /
                  ("migsafe-compress-bench-" + std::to_string(::getpid()) + ".zst");
    auto start = std::chrono::steady_clock::now();
    auto digest = platform::compress_file(source, target, settings);
    double compress_s = seconds_since(start);
    start = std::chrono::steady_clock::now();
    auto read = platform::read_stored_file(target, [](std::string_view) {});
    double read_s = seconds_since(start);
    std::filesystem::remove(target);
    bool same = !read.error && read.digest.content_hash == digest.content_hash &&
                read.digest.size == digest.size;
    std::printf("level=%d columns=%d workers=%d window=%d long=%d content=%llu stored=%llu "
                "compress_s=%.3f read_s=%.3f roundtrip=%s\n",
                settings.level, settings.columns ? 1 : 0, settings.workers, settings.window_log,
                settings.long_matching ? 1 : 0, static_cast<unsigned long long>(digest.size),
                static_cast<unsigned long long>(digest.stored_size), compress_s, read_s,
                same ? "ok" : read.error.value_or("content differs").c_str());
    return same ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 4 && std::string(argv[1]) == "compress") {
        return compress(argc, argv);
    }
    if (argc < 4 || (std::string(argv[1]) != "create" && std::string(argv[1]) != "drill")) {
        std::cerr << "usage: migsafe-snapshot-bench create CONNINFO STORE [--jobs N]\n"
                     "       migsafe-snapshot-bench drill STORE TARGET [--jobs N]\n";
        return 2;
    }
    int jobs = 1;
    if (argc >= 6 && std::string(argv[4]) == "--jobs") {
        jobs = std::stoi(argv[5]);
    }
    try {
        return run(argv[1], argv[2], argv[3], jobs);
    } catch (const migsafe::Error& e) {
        std::cerr << e.code() << ": " << e.what() << "\n";
        return 1;
    }
}
