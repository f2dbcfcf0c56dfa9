// A tiny driver for bench/integrity/run.sh: scans a database and prints one line with
// the time taken, or the report itself with --report.
//   migsafe-integrity-bench CONNINFO [--jobs N] [--tables PATTERN]... [--split-pages N]
//                           [--range-rows N] [--report]
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: migsafe-integrity-bench CONNINFO [--jobs N] [--tables P] [--report]\n";
        return 2;
    }
    migsafe::integrity::ScanOptions options;
    bool print_report = false;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--jobs" && i + 1 < argc) {
            options.jobs = std::stoi(argv[++i]);
        } else if (arg == "--tables" && i + 1 < argc) {
            options.tables.emplace_back(argv[++i]);
        } else if (arg == "--split-pages" && i + 1 < argc) {
            options.split_pages = std::stoll(argv[++i]);
        } else if (arg == "--range-rows" && i + 1 < argc) {
            options.range_rows = std::stoull(argv[++i]);
        } else if (arg == "--report") {
            print_report = true;
        } else {
            std::cerr << "unknown argument " << arg << "\n";
            return 2;
        }
    }
    try {
        auto start = std::chrono::steady_clock::now();
        auto report = migsafe::integrity::scan(argv[1], options);
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        if (print_report) {
            std::cout << report.to_json() << "\n";
            return 0;
        }
        std::uint64_t rows = 0;
        for (const auto& table : report.tables) {
            rows +=
                table.kind == migsafe::integrity::TableKind::partitioned ? 0 : table.checksum.rows;
        }
        std::printf("jobs=%d seconds=%.3f rows=%llu\n", options.jobs, took.count(),
                    static_cast<unsigned long long>(rows));
    } catch (const migsafe::Error& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
