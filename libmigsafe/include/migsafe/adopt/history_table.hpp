#pragma once

/// Finding another runner's history table, and telling the runners apart by the table's
/// columns (golang-migrate, dbmate and Rails all call theirs `schema_migrations`).

#include <migsafe/adopt/tool.hpp>
#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migsafe::adopt {

/// Where to look besides the tool's defaults (`--schema`, `--table`, the config file).
struct LocateOptions {
    std::string schema{}; ///< empty: the session's current_schema() (and `public`)
    std::string table{};  ///< empty: the tool's default name
};

/// A table found where a tool keeps its history.
struct HistoryTable {
    Tool tool = Tool::prisma;
    std::string schema{};
    std::string table{};
    /// `name type` of each column, as format_type() writes it.
    std::vector<std::string> columns{};
    /// True when the columns are the tool's (and, for Rails, `ar_internal_metadata` is
    /// beside it; for dbmate, it is not).
    bool is_tools = false;
    /// For a table that is not the tool's: why, in one line ("not dbmate's: its columns are
    /// version bigint, dirty boolean (golang-migrate's)").
    std::string mismatch{};

    /// `schema.table`, quoted where needed.
    MIGSAFE_API std::string qualified() const;
};

/// The tool a table with these columns belongs to, judged by the columns only:
/// `has_ar_internal_metadata` tells Rails from dbmate. nullopt: no tool's.
MIGSAFE_API std::optional<Tool> tool_of_columns(const std::vector<std::string>& columns,
                                                bool has_ar_internal_metadata);

/// Looks for `tool`'s history: the configured schema/table, else the tool's default name in
/// the session's current schema, then in `public`. Returns the first table found with that
/// name (whether or not its columns are the tool's: see `HistoryTable::is_tools`); nullopt
/// when there is none. Read-only; cost: one catalog query per place looked at.
MIGSAFE_API std::optional<HistoryTable> locate_history(platform::Session& session, Tool tool,
                                                       const LocateOptions& options = {});

/// Every tool whose history table is in its default place (or the configured one), with
/// the tool's columns. Read-only.
MIGSAFE_API std::vector<HistoryTable> detect_histories(platform::Session& session,
                                                       const LocateOptions& options = {});

/// Where `locate_history` looks for `tool`, as `schema.table` texts (for messages).
MIGSAFE_API std::vector<std::string> history_places(platform::Session& session, Tool tool,
                                                    const LocateOptions& options = {});

} // namespace migsafe::adopt
