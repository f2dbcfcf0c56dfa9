#pragma once
// dbmate's one-file migrations: `-- migrate:up` and `-- migrate:down` sections.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::model::detail {

/// One section of a dbmate file.
struct DbmateSection {
    /// The whole file with every line outside the section blanked (newlines kept), so
    /// that statement lines still match the file.
    std::string text;
    bool transactional = true; ///< false with dbmate's `transaction:false` option
};

/// The two sections of a dbmate file.
struct DbmateSections {
    DbmateSection up;
    std::optional<DbmateSection> down;
};

/// True when `text` has a dbmate marker line (`-- migrate:up` or `-- migrate:down`).
bool has_dbmate_markers(std::string_view text);

/// Splits a dbmate file as dbmate does: the up section runs from `-- migrate:up` to
/// `-- migrate:down` (or the end), the down section from there to the end. Throws
/// `migration-layout-invalid` naming `file:line` for a file without an up marker, a down
/// marker before the up one, a repeated marker, an unknown option, or a statement before
/// the up marker.
DbmateSections split_dbmate(std::string_view text, const std::filesystem::path& file);

} // namespace migsafe::model::detail
