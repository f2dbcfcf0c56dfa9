#pragma once

// Golden files: compare generated text with a file in the source tree, or rewrite the
// file when MIGSAFE_UPDATE_GOLDEN=1.

#include <filesystem>
#include <string>

namespace migsafe::test {

/// True when MIGSAFE_UPDATE_GOLDEN=1.
bool update_golden();

/// The contents of `path`, or empty when it does not exist.
std::string read_text(const std::filesystem::path& path);

/// Writes `text` to `path` when update_golden(); then returns the file's contents.
std::string golden(const std::filesystem::path& path, const std::string& text);

} // namespace migsafe::test
