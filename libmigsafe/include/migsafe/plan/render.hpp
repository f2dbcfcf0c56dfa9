#pragma once

/// Renderings of a plan report: for terminals, for programs (JSON), for code-scanning UIs
/// (SARIF 2.1.0) and for GitHub Actions (workflow commands). Pure functions: no output.

#include <migsafe/export.hpp>
#include <migsafe/plan/report.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace migsafe::plan {

/// The output formats of `migsafe plan --format`.
enum class Format { text, json, sarif, github };

/// `text`, `json`, `sarif` or `github`.
MIGSAFE_API std::string_view to_string(Format format) noexcept;

/// Reads a format name; nullopt for anything else.
MIGSAFE_API std::optional<Format> parse_format(std::string_view text) noexcept;

/// Whether the text rendering uses ANSI colours (the CLI decides: a terminal, no NO_COLOR).
enum class Colour { off, on };

/// Human-readable plan: per statement its location, first SQL line, locks, rewrites,
/// scans, phase and findings with their fixes; then the verdict and the counts.
/// SET and BEGIN/COMMIT statements without findings are left out.
MIGSAFE_API std::string render_text(const PlanReport& report, Colour colour = Colour::off);

/// SARIF 2.1.0: one run whose tool.driver.rules is the whole catalog (id, name = slug,
/// descriptions, helpUri `docs/rules/<id>.md`, default level); one result per finding
/// with ruleId, level (error, warning, note), message and the statement's location;
/// allowed findings carry an in-source suppression with its reason.
MIGSAFE_API std::string render_sarif(const PlanReport& report);

/// GitHub Actions workflow commands, one line per finding that is not allowed:
/// `::error file=F,line=L,col=C,title=MS-IDX-01 create-index-blocking::message`
/// (`warning` for warnings, `notice` for infos), with GitHub's escaping.
MIGSAFE_API std::string render_github(const PlanReport& report);

/// The report in `format` (json is `report.to_json()`).
MIGSAFE_API std::string render(const PlanReport& report, Format format,
                               Colour colour = Colour::off);

} // namespace migsafe::plan
