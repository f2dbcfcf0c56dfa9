#pragma once

/// migsafe.sum: a checksum of every migration file and of the whole ordered set, committed
/// next to the migrations so that an edit to an applied or reviewed migration is caught.
/// Format (docs/migrations.md):
///
///     # migsafe.sum: XXH3-128 of each migration file ...
///     <version> <32 hex digits> <relative path>
///     ...
///     set <32 hex digits>

#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/hash.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// The sum file's name in a migration directory.
inline constexpr std::string_view k_sum_file_name = "migsafe.sum";

/// One line of a sum file: one migration file (an up or a down).
struct SumEntry {
    Version version;
    Hash128 hash;
    std::string path; ///< relative to the set's directory, `/`-separated

    friend bool operator==(const SumEntry&, const SumEntry&) = default;
};

/// The content of a sum file.
struct SumFile {
    std::vector<SumEntry> entries; ///< in set order: by version, up before down
    Hash128 set_hash;              ///< over the ordered versions and file hashes

    friend bool operator==(const SumFile&, const SumFile&) = default;
};

/// One way a set differs from its sum file.
struct SumDifference {
    enum class Kind {
        edited,      ///< same file, different content
        added,       ///< a file not in the sum file
        removed,     ///< a file of the sum file is gone
        reordered,   ///< the same content now has another version or path
        set_changed, ///< only the set hash differs (the sum file was edited by hand)
    };
    Kind kind = Kind::edited;
    Version version;
    std::string path;   ///< the file concerned (its current path for `reordered`)
    std::string detail; ///< one line for people, e.g. `was version 5 (0005_x.sql)`

    friend bool operator==(const SumDifference&, const SumDifference&) = default;
};

/// `edited`, `added`, `removed`, `reordered` or `set-changed`.
MIGSAFE_API std::string_view to_string(SumDifference::Kind kind) noexcept;

/// The checksums of `set` as they are now. Cost: hashes every file's text (in memory).
MIGSAFE_API SumFile compute_sum(const MigrationSet& set);

/// The text of a sum file for `sum`.
MIGSAFE_API std::string render_sum_file(const SumFile& sum);

/// Reads the text of a sum file; `file` is named in errors.
/// Throws `sum-malformed` with `file:line`.
MIGSAFE_API SumFile parse_sum_file(std::string_view text, const std::filesystem::path& file);

/// Loads the set in `directory` (without parsing statements) and writes its migsafe.sum.
/// Returns the text written. Throws the errors of `load_migration_set` and `io-write-failed`.
MIGSAFE_API std::string write_sum_file(const std::filesystem::path& directory);

/// How `set` differs from the migsafe.sum in its directory (empty: it matches).
/// Throws `sum-missing` when there is no sum file, `sum-malformed`, `io-read-failed`.
MIGSAFE_API std::vector<SumDifference> check_sum_file(const MigrationSet& set);

/// Like `check_sum_file`, but any difference throws `sum-mismatch` naming the files and
/// what changed.
MIGSAFE_API void require_sum_file(const MigrationSet& set);

} // namespace migsafe::model
