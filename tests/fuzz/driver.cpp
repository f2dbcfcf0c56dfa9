// A small stand-in for libFuzzer's main, so that every fuzz target also builds with g++ and
// runs in ctest: it replays the kept corpus and the regression inputs, then runs mutated
// inputs (byte flips, inserts, erasures, truncations, splices of two corpus files) for a
// number of seconds. It has no coverage feedback: tests/fuzz/run.sh builds the same
// targets with libFuzzer for the long runs.
//
//   migsafe-fuzz-NAME [--seconds N] [--timeout S] [DIR_OR_FILE...]
//
// Directories are read (sorted), files run as they are. The seed is printed;
// MIGSAFE_TEST_SEED replays it, MIGSAFE_FUZZ_SECONDS overrides --seconds. An input that
// crashes, throws out of the target or runs over the timeout is written to
// ./crash-NAME-<hash> (the path is printed) before the driver aborts: keep it under
// tests/fuzz/regressions/NAME/.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// The input being run, for the crash handler (which may only use async-signal-safe calls).
const std::string* g_current = nullptr;
std::array<char, 512> g_crash_path{};

std::uint64_t fnv1a(const std::string& data)
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : data) {
        hash = (hash ^ c) * 1099511628211ULL;
    }
    return hash;
}

void write_all(int fd, const char* data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0) {
            return;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void save_current(const char* why)
{
    if (g_current == nullptr) {
        return;
    }
    const int fd = ::open(g_crash_path.data(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        write_all(fd, g_current->data(), g_current->size());
        ::close(fd);
    }
    write_all(2, "fuzz: ", 6);
    write_all(2, why, std::strlen(why));
    write_all(2, ": input saved to ", 17);
    write_all(2, g_crash_path.data(), std::strlen(g_crash_path.data()));
    write_all(2, "\n", 1);
}

extern "C" void on_fatal_signal(int signal)
{
    save_current(signal == SIGALRM ? "timeout" : "crash");
    std::signal(signal == SIGALRM ? SIGABRT : signal, SIG_DFL);
    std::raise(signal == SIGALRM ? SIGABRT : signal);
}

std::string g_name = "target";

void run_one(const std::string& input, unsigned timeout)
{
    g_current = &input;
    std::snprintf(g_crash_path.data(), g_crash_path.size(), "crash-%s-%016llx", g_name.c_str(),
                  static_cast<unsigned long long>(fnv1a(input)));
    ::alarm(timeout);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ::alarm(0);
    g_current = nullptr;
}

std::string read_whole(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> collect(const std::vector<std::string>& paths)
{
    std::vector<std::string> inputs;
    for (const auto& given : paths) {
        std::error_code ec;
        if (fs::is_directory(given, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::recursive_directory_iterator(given, ec)) {
                if (entry.is_regular_file()) {
                    files.push_back(entry.path());
                }
            }
            std::sort(files.begin(), files.end());
            for (const auto& file : files) {
                inputs.push_back(read_whole(file));
            }
        } else if (fs::is_regular_file(given, ec)) {
            inputs.push_back(read_whole(given));
        }
    }
    return inputs;
}

/// One mutation of `input` (a copy of a corpus entry), sometimes spliced with `other`.
std::string mutate(std::string input, const std::string& other, std::mt19937_64& random)
{
    auto pick = [&random](std::size_t bound) {
        return bound == 0 ? std::size_t{0}
                          : static_cast<std::size_t>(
                                std::uniform_int_distribution<std::size_t>(0, bound - 1)(random));
    };
    // Bytes that matter to the parsers: quotes, brackets, separators, UTF-8 lead bytes.
    static constexpr std::string_view k_interesting = "\"'\\{}[]();,:-/*$\n\r\t 0\xff\xc3\xe2\x80";
    const int steps = 1 + static_cast<int>(pick(4));
    for (int step = 0; step < steps; ++step) {
        switch (pick(7)) {
        case 0: // flip a bit
            if (!input.empty()) {
                input[pick(input.size())] ^= static_cast<char>(1U << pick(8));
            }
            break;
        case 1: // set a byte to an interesting one
            if (!input.empty()) {
                input[pick(input.size())] = k_interesting[pick(k_interesting.size())];
            }
            break;
        case 2: // insert bytes
            input.insert(pick(input.size() + 1),
                         std::string(1 + pick(8), static_cast<char>(pick(256))));
            break;
        case 3: // erase a range
            if (!input.empty()) {
                const auto at = pick(input.size());
                input.erase(at, 1 + pick(std::min<std::size_t>(64, input.size() - at)));
            }
            break;
        case 4: // truncate
            input.resize(pick(input.size() + 1));
            break;
        case 5: // splice: a piece of another corpus entry
            if (!other.empty()) {
                const auto from = pick(other.size());
                const auto length = 1 + pick(std::min<std::size_t>(256, other.size() - from));
                input.insert(pick(input.size() + 1), other.substr(from, length));
            }
            break;
        default: // duplicate a range (repetition finds the quadratic and the deep)
            if (!input.empty()) {
                const auto at = pick(input.size());
                const auto length = 1 + pick(std::min<std::size_t>(64, input.size() - at));
                const auto piece = input.substr(at, length);
                for (std::size_t n = 1 + pick(16); n > 0; --n) {
                    input.insert(at, piece);
                }
            }
            break;
        }
    }
    return input;
}

} // namespace

int main(int argc, char** argv)
{
    g_name = fs::path(argv[0]).filename().string();
    if (g_name.starts_with("migsafe-fuzz-")) {
        g_name = g_name.substr(13);
    }
    double seconds = 0;
    unsigned timeout = 25;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seconds" && i + 1 < argc) {
            seconds = std::strtod(argv[++i], nullptr);
        } else if (arg == "--timeout" && i + 1 < argc) {
            timeout = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else {
            paths.push_back(arg);
        }
    }
    if (const char* env = std::getenv("MIGSAFE_FUZZ_SECONDS"); env != nullptr && *env != '\0') {
        seconds = std::strtod(env, nullptr);
    }
    std::uint64_t seed = std::random_device{}();
    if (const char* env = std::getenv("MIGSAFE_TEST_SEED"); env != nullptr && *env != '\0') {
        seed = std::strtoull(env, nullptr, 10);
    }
    for (int signal : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGALRM}) {
        std::signal(signal, on_fatal_signal);
    }
    std::set_terminate([] {
        save_current("an exception escaped the target");
        std::signal(SIGABRT, SIG_DFL);
        std::abort();
    });

    auto corpus = collect(paths);
    for (const auto& input : corpus) {
        run_one(input, timeout);
    }
    std::cout << "fuzz " << g_name << ": replayed " << corpus.size() << " inputs\n";
    if (corpus.empty()) {
        corpus.emplace_back();
    }
    std::cout << "fuzz " << g_name << ": seed " << seed << " (MIGSAFE_TEST_SEED=" << seed
              << " replays it)" << std::endl;
    std::mt19937_64 random(seed);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::size_t runs = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto& base = corpus[static_cast<std::size_t>(random() % corpus.size())];
        const auto& other = corpus[static_cast<std::size_t>(random() % corpus.size())];
        run_one(mutate(base, other, random), timeout);
        ++runs;
    }
    std::cout << "fuzz " << g_name << ": " << runs << " mutated inputs, no failure\n";
    return 0;
}
