#pragma once
// migsafe verify as one call: an integrity report of a database, saved when asked, compared
// with a saved report (localised by its range hashes) or with a second database, and with
// pg_amcheck on request. The CLI parses options, calls verify() and prints the result.

#include <migsafe/export.hpp>
#include <migsafe/integrity/amcheck.hpp>
#include <migsafe/integrity/compare.hpp>
#include <migsafe/integrity/verify.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::workflow {

struct VerifyRequest {
    std::string conninfo{};
    integrity::ScanOptions scan{};
    std::filesystem::path out{};      ///< save the report here (JSON); empty: not saved
    std::filesystem::path baseline{}; ///< compare with this saved report; empty: none
    std::string against{};            ///< compare with this second database; empty: none
    /// With `against`: the keys of the differing rows; with `baseline`: the keys the
    /// database now holds in each differing key range (at most `max_listed_keys` a table).
    bool show_rows = false;
    std::size_t max_listed_keys = 1000;
    bool amcheck = false; ///< also run pg_amcheck (not with `against`)
};

struct VerifyResult {
    /// Set when `against` was given: the comparison of the two databases, and nothing else.
    std::optional<integrity::Comparison> comparison{};
    integrity::IntegrityReport report{};
    std::optional<integrity::IntegrityReport> baseline{};
    /// Against the baseline, else the report's own problems (invalid indexes, ...).
    std::vector<integrity::Difference> differences{};
    std::vector<integrity::TableLocalisation> localisations{};
    std::optional<integrity::AmcheckResult> amcheck{};
    std::filesystem::path baseline_path{};

    /// Whether the verdict passes: no difference and no corruption found.
    MIGSAFE_API bool passed() const noexcept;
    /// The verify document (docs/json.md): `integrity`, `differences`, `baseline`,
    /// `amcheck`, `localisations`; or with `against` the comparison's document.
    MIGSAFE_API std::string to_json() const;
    /// The table of rows and checksums, the differences, localisations and amcheck lines.
    MIGSAFE_API std::string to_text() const;
};

/// Runs what `request` asks. Throws `migsafe::Error`: `input-not-found` naming a baseline
/// that does not exist, a baseline that does not parse (naming the file), and what the
/// scan throws (connection, lock timeout).
MIGSAFE_API VerifyResult verify(const VerifyRequest& request);

} // namespace migsafe::workflow
