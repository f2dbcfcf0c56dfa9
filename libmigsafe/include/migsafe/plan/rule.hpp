#pragma once

/// The plan engine's rule catalog: every unsafe DDL pattern of the lock reference
/// (docs/rules/), with a stable id that never changes meaning once published.

#include <migsafe/export.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace migsafe::plan {

/// How bad a finding is. The verdict fails on `error` (or on `warning` with
/// `PlanOptions::fail_on = Severity::warning`).
enum class Severity { info, warning, error };

/// The stable name of a severity: `info`, `warning`, `error`.
MIGSAFE_API std::string_view to_string(Severity severity) noexcept;

/// Reads `info`, `warning` or `error`; nullopt for anything else.
MIGSAFE_API std::optional<Severity> parse_severity(std::string_view text) noexcept;

/// What a rule needs to be decided.
enum class Detection {
    statically,     ///< the SQL (and the rest of the migration set) is enough
    needs_database, ///< needs the live catalog or server state (table size, indexes,
                    ///< sessions); listed, but the static planner does not emit it
};

/// Whether a rule runs by default.
enum class Activation {
    by_default, ///< always on
    opt_in,     ///< only with `PlanOptions::design_lints` (the MS-DES schema-design lints)
};

/// One rule of the catalog.
struct Rule {
    std::string_view id;          ///< stable id, e.g. `MS-IDX-01`
    std::string_view slug;        ///< kebab-case name, e.g. `create-index-blocking`
    Severity severity;            ///< default severity
    Detection detection;          ///< static, or needs a live database
    Activation activation;        ///< default on, or opt-in
    std::string_view section;     ///< the reference section, e.g. `2.1 Indexes`
    std::string_view summary;     ///< one line: the pattern
    std::string_view why;         ///< lock, rewrite or scan it takes, and what that blocks
    std::string_view alternative; ///< the safe way to do it
};

/// Every rule, ordered by id (MS-BRK, MS-COL, MS-CON, MS-DES, MS-IDX, MS-MAINT, MS-OPS,
/// MS-PART). Constant; no allocation.
MIGSAFE_API std::span<const Rule> rule_catalog() noexcept;

/// The rule with `id` (e.g. `MS-IDX-01`) or `slug` (`create-index-blocking`); nullopt when
/// there is none.
MIGSAFE_API std::optional<Rule> find_rule(std::string_view id_or_slug) noexcept;

/// The rule with `id`. Asking for an id that is not in the catalog is a bug
/// (internal-assertion).
MIGSAFE_API const Rule& rule(std::string_view id);

/// The documentation page of `rule` (docs/rules/<id>.md), in Markdown. A unit test keeps
/// the files equal to this; MIGSAFE_UPDATE_GOLDEN=1 rewrites them.
MIGSAFE_API std::string render_rule_markdown(const Rule& rule);

/// The index of all rules (docs/rules/README.md), in Markdown.
MIGSAFE_API std::string render_rule_index_markdown();

} // namespace migsafe::plan
