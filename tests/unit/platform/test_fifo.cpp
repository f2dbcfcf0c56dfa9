// platform::FifoWriter: a writer that waits for no reader and survives one that leaves.
#include "platform/fifo.hpp"

#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

#include <stdlib.h>

using migsafe::platform::FifoWriter;
using migsafe::platform::make_fifo;

namespace {

std::filesystem::path scratch_dir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "migsafe-fifo-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

} // namespace

TEST_CASE("FifoWriter opens only once a reader has, delivers every byte, and reports a reader "
          "that left without SIGPIPE")
{
    auto dir = scratch_dir();
    auto path = dir / "3345.dat";
    make_fifo(path);
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    CHECK_FALSE(FifoWriter::open_if_read(path).has_value()); // nobody reads yet

    std::string got;
    std::thread reader([&] {
        int fd = ::open(path.c_str(), O_RDONLY);
        char buffer[4096];
        for (auto n = ::read(fd, buffer, sizeof buffer); n > 0;
             n = ::read(fd, buffer, sizeof buffer)) {
            got.append(buffer, static_cast<std::size_t>(n));
        }
        ::close(fd);
    });
    std::optional<FifoWriter> writer;
    while (!writer) {
        writer = FifoWriter::open_if_read(path);
    }
    std::string payload(1 << 20, 'x'); // more than a pipe holds: the writer waits
    CHECK(writer->write(payload));
    writer->close();
    reader.join();
    CHECK(got == payload);

    // A reader that opens and leaves: the write says so instead of killing the process.
    std::thread quitter([&] { ::close(::open(path.c_str(), O_RDONLY)); });
    std::optional<FifoWriter> second;
    while (!second) {
        second = FifoWriter::open_if_read(path);
    }
    quitter.join();
    CHECK_FALSE(second->write(payload));

    CHECK_THROWS_AS(make_fifo(path), migsafe::Error); // exists already
    std::filesystem::remove_all(dir);
}
