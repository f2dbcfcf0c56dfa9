#pragma once
// A migration directory in a temporary folder, for tests that apply migrations: written
// file by file or copied from sql-fixtures, then sealed with its migsafe.sum.

#include <migsafe/model/sum_file.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <stdlib.h>

namespace migsafe::test {

class MigrationDir {
public:
    MigrationDir()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "migsafe-migrations-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~MigrationDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    MigrationDir(const MigrationDir&) = delete;
    MigrationDir& operator=(const MigrationDir&) = delete;

    /// Copies every file and folder of `sql-fixtures/<fixture>` in (its migsafe.sum too).
    void copy_fixture(const std::string& fixture)
    {
        for (const auto& entry : std::filesystem::directory_iterator(
                 std::filesystem::path(MIGSAFE_FIXTURES_DIR) / fixture)) {
            std::filesystem::copy(entry.path(), m_path / entry.path().filename(),
                                  std::filesystem::copy_options::overwrite_existing |
                                      std::filesystem::copy_options::recursive);
        }
    }
    /// Writes (or replaces) one migration file.
    void write(const std::string& name, const std::string& sql)
    {
        std::ofstream(m_path / name, std::ios::trunc) << sql;
    }
    void remove(const std::string& name) { std::filesystem::remove(m_path / name); }
    /// Writes migsafe.sum for what the directory holds now.
    void seal() { model::write_sum_file(m_path); }

    const std::filesystem::path& path() const { return m_path; }
    std::string str() const { return m_path.string(); }

private:
    std::filesystem::path m_path;
};

} // namespace migsafe::test
