#pragma once
// Private: a scratch folder (0700) removed when it goes out of scope, or on SIGINT/SIGTERM
// when the host installed migsafe::interrupt.

#include <migsafe/platform/interrupt.hpp>

#include <filesystem>

namespace migsafe::snapshot::detail {

class WorkDir {
public:
    /// Creates `<parent>/migsafe-<purpose>-XXXXXX` (parent empty: the system temp folder).
    /// Throws `io-write-failed`.
    WorkDir(const std::filesystem::path& parent, const char* purpose);
    ~WorkDir();
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    interrupt::Cleanup m_cleanup; ///< removes the folder on SIGINT/SIGTERM too
};

} // namespace migsafe::snapshot::detail
