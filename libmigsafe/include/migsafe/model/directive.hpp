#pragma once

/// Directives: `-- migsafe:NAME ARGS` lines in the leading comments of a migration file.
/// The syntax is described in docs/migrations.md.

#include <migsafe/export.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// The expand/backfill/contract phase a migration belongs to (ARCHITECTURE.md, principle 2).
enum class Phase { expand, backfill, contract };

/// `expand`, `backfill` or `contract`.
MIGSAFE_API std::string_view to_string(Phase phase) noexcept;

/// Whether a migration runs inside one transaction (`-- migsafe:no-transaction` says no).
enum class Transactional { yes, no };

/// `-- migsafe:allow MS-COL-01 reason...`: a finding accepted on purpose, with why.
struct AllowedFinding {
    std::string rule_id; ///< e.g. `MS-COL-01`
    std::string reason;  ///< free text, never empty
    int line = 0;        ///< 1-based line of the directive

    friend bool operator==(const AllowedFinding&, const AllowedFinding&) = default;
};

/// `yield=` of `migsafe:backfill`: whether the pause between batches grows on a busy server.
enum class BackfillYield {
    adaptive, ///< `yield=on` (the default): longer pauses under load (docs/backfill.md)
    off,      ///< `yield=off`: exactly `pause=`
};

/// `-- migsafe:backfill key=id batch=1000 pause=50ms`: how to run a batched backfill.
struct BackfillSettings {
    std::string key;                    ///< the column batches are cut on (required)
    int batch_size = 1000;              ///< rows per batch, > 0
    std::chrono::milliseconds pause{0}; ///< the least sleep between batches
    BackfillYield yield = BackfillYield::adaptive;
    int line = 0; ///< 1-based line of the directive

    friend bool operator==(const BackfillSettings&, const BackfillSettings&) = default;
};

/// `-- migsafe:requires-flag KEY [env=production] [on-for=7d]`: the migration (a contract,
/// usually) runs only once the flag `KEY` has been fully on in `env` without interruption
/// for `on_for` (the cut-over gate, docs/flags.md).
struct FlagRequirement {
    std::string key;                ///< the flag's key, `[a-z0-9][a-z0-9._-]*`
    std::string env = "production"; ///< the environment, same characters as a key
    std::chrono::seconds on_for{0}; ///< how long fully on, at least; 0: fully on now
    int line = 0;                   ///< 1-based line of the directive

    friend bool operator==(const FlagRequirement&, const FlagRequirement&) = default;
};

/// Every directive of one migration file.
struct Directives {
    std::optional<Phase> phase;
    Transactional transactional = Transactional::yes;
    std::vector<AllowedFinding> allowed;
    std::optional<BackfillSettings> backfill;
    std::vector<FlagRequirement> required_flags; ///< in file order, one per (key, env)

    friend bool operator==(const Directives&, const Directives&) = default;
};

/// The directives of `sql` (the text of `file`). Only lines of the leading comment block
/// (before the first statement) are read; `-- migsafe:` later in the file is an error, so
/// that a misplaced directive is never silently ignored.
/// Throws `directive-unknown` (with a "did you mean" hint) for an unknown name and
/// `directive-malformed` for a bad, missing, repeated or misplaced argument; both name
/// `file:line`. Cost: one pass over the text.
MIGSAFE_API Directives parse_directives(std::string_view sql, const std::filesystem::path& file);

} // namespace migsafe::model
