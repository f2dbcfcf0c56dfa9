// platform::read_file and platform::write_file_durably on what is not a plain file: FIFOs,
// devices, folders, symbolic links (to devices, in loops), paths too long, files too large.
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using migsafe::Error;
using migsafe::platform::read_file;
using migsafe::platform::write_file_durably;

namespace {

struct Scratch {
    fs::path dir;
    Scratch()
    {
        std::string pattern = (fs::temp_directory_path() / "migsafe-files-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        dir = pattern;
    }
    ~Scratch() { fs::remove_all(dir); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
};

/// The code and message of what `body` throws ("" when it does not throw).
template <typename Body>
std::string error_of(Body body)
{
    try {
        body();
    } catch (const Error& e) {
        return std::string(e.code()) + ": " + e.located_message();
    }
    return "";
}

} // namespace

TEST_CASE("platform::read_file refuses a FIFO at once, and devices and folders, naming the path")
{
    Scratch s;
    const auto fifo = s.dir / "fifo.sql";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Without O_NONBLOCK the open would wait for a writer forever.
    CHECK(error_of([&] { read_file(fifo); }) == "input-not-regular-file: " + fifo.string() +
                                                    ": cannot read " + fifo.string() +
                                                    ": it is a FIFO, not a regular file");
    const auto zero = s.dir / "zero.sql";
    fs::create_symlink("/dev/zero", zero);
    CHECK(error_of([&] { read_file(zero); }) ==
          "input-not-regular-file: " + zero.string() + ": cannot read " + zero.string() +
              ": it is a character device, not a regular file");
    CHECK(error_of([&] { read_file(s.dir); }).starts_with("input-not-regular-file: "));
}

TEST_CASE("platform::read_file: unresolvable paths are bad input (exit 2), naming the path")
{
    Scratch s;
    const auto loop = s.dir / "loop.sql";
    fs::create_symlink(loop, loop);
    CHECK(error_of([&] { read_file(loop); }) == "input-path-invalid: " + loop.string() +
                                                    ": cannot read " + loop.string() +
                                                    ": Too many levels of symbolic links");
    const auto long_path = s.dir / (std::string(100000, 'x') + ".sql");
    CHECK(error_of([&] { read_file(long_path); }).starts_with("input-path-invalid: "));
    CHECK(error_of([&] { read_file(s.dir / "missing.sql"); }) ==
          "input-not-found: " + (s.dir / "missing.sql").string() + ": cannot read " +
              (s.dir / "missing.sql").string() + ": No such file or directory");
    const auto file = s.dir / "file.sql";
    std::ofstream(file) << "SELECT 1;";
    CHECK(error_of([&] { read_file(file / "below"); }).starts_with("input-path-invalid: "));
    CHECK(migsafe::exit_code_for(Error("input-path-invalid", "x").category()) == 2);
}

TEST_CASE("platform::read_file refuses a file over its size limit")
{
    Scratch s;
    const auto file = s.dir / "big.sql";
    std::ofstream(file) << std::string(1000, 'x');
    CHECK(read_file(file, 1000).size() == 1000);
    CHECK(error_of([&] { read_file(file, 999); }) ==
          "input-too-large: " + file.string() + ": cannot read " + file.string() +
              ": it is larger than the limit of 999 bytes");
}

TEST_CASE("platform::write_file_durably never replaces what is not a regular file and leaves "
          "no temporary file")
{
    Scratch s;
    const auto fifo = s.dir / "out.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(error_of([&] { write_file_durably(fifo, "{}"); }) ==
          "output-not-regular-file: " + fifo.string() + ": refusing to write " + fifo.string() +
              ": it is a FIFO, not a regular file");
    CHECK(fs::is_fifo(fs::symlink_status(fifo)));
    CHECK_FALSE(fs::exists(s.dir / "out.json.tmp"));

    const auto folder = s.dir / "folder";
    fs::create_directory(folder);
    CHECK(error_of([&] { write_file_durably(folder, "{}"); }) ==
          "output-not-regular-file: " + folder.string() + ": refusing to write " + folder.string() +
              ": it is a directory, not a regular file");
    CHECK_FALSE(fs::exists(s.dir / "folder.tmp"));

    // A device reached through a symbolic link is refused too (as root, a rename would
    // have replaced /dev/null with a regular file).
    const auto device = s.dir / "device.json";
    fs::create_symlink("/dev/null", device);
    CHECK(error_of([&] {
              write_file_durably(device, "{}");
          }).starts_with("output-not-regular-file: "));
    CHECK(fs::is_character_file("/dev/null"));

    // A failing write (here: the temporary name is taken by a folder) leaves nothing behind.
    const auto blocked = s.dir / "blocked.json";
    fs::create_directory(s.dir / "blocked.json.tmp");
    CHECK(error_of([&] {
              write_file_durably(blocked, "{}");
          }).starts_with("output-not-regular-file: "));
    CHECK_FALSE(fs::exists(blocked));
}

TEST_CASE("platform::write_file_durably writes through a symbolic link, keeping the link")
{
    Scratch s;
    const auto target = s.dir / "report.json";
    std::ofstream(target) << "old";
    const auto link = s.dir / "latest.json";
    fs::create_symlink(target, link);
    write_file_durably(link, "new");
    CHECK(fs::is_symlink(link));
    CHECK(read_file(target) == "new");
    struct stat info {};
    REQUIRE(::stat(target.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK_FALSE(fs::exists(s.dir / "report.json.tmp"));
}
