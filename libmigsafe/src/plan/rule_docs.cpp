// docs/rules/<id>.md and docs/rules/README.md, generated from the catalog so the pages
// never drift from what the planner reports.
#include <migsafe/plan/rule.hpp>

#include <fmt/format.h>

namespace migsafe::plan {
namespace {

std::string_view detection_text(const Rule& rule)
{
    return rule.detection == Detection::statically
               ? "static analysis (the SQL of the migration set is enough)"
               : "needs a live database (`--db`); listed, not emitted by the static plan";
}

} // namespace

std::string render_rule_markdown(const Rule& rule)
{
    std::string out;
    out += "<!-- generated from libmigsafe/src/plan/rule_catalog.cpp: "
           "MIGSAFE_UPDATE_GOLDEN=1 ctest -L unit -->\n";
    out += fmt::format("# {} {}\n\n", rule.id, rule.slug);
    out += fmt::format("{}.\n\n", rule.summary);
    out += "| | |\n|---|---|\n";
    out += fmt::format("| default severity | `{}` |\n", to_string(rule.severity));
    out += fmt::format("| detection | {} |\n", detection_text(rule));
    out += fmt::format("| enabled | {} |\n", rule.activation == Activation::by_default
                                                 ? "by default"
                                                 : "opt-in (`design_lints`)");
    out +=
        fmt::format("| reference | [docs/locks.md](../locks.md), section {} |\n\n", rule.section);
    out += fmt::format("## Why it hurts\n\n{}.\n\n", rule.why);
    out += fmt::format("## Safe alternative\n\n{}\n\n", rule.alternative);
    out += "## Suppressing\n\n";
    out += fmt::format("When the risk is understood (an empty table, a maintenance window), "
                       "add a directive with a reason at the top of the migration:\n\n"
                       "```sql\n-- migsafe:allow {} <reason>\n```\n\n"
                       "The finding stays in the report, marked allowed, and no longer fails "
                       "the verdict.\n\n",
                       rule.id);
    if (rule.detection == Detection::statically) {
        out += fmt::format("Examples: `sql-fixtures/plan/{}/` (fail.sql, pass.sql).\n", rule.id);
    } else {
        out += "No static example: this rule needs the live catalog (`--db`).\n";
    }
    return out;
}

std::string render_rule_index_markdown()
{
    std::string out;
    out += "<!-- generated from libmigsafe/src/plan/rule_catalog.cpp: "
           "MIGSAFE_UPDATE_GOLDEN=1 ctest -L unit -->\n";
    out += "# migsafe plan rules\n\n";
    out += "Rule ids are stable: once published, an id never changes meaning. "
           "See [../plan.md](../plan.md) for how to read a plan.\n\n";
    out += "| id | slug | severity | detection | summary |\n|---|---|---|---|---|\n";
    for (const Rule& rule : rule_catalog()) {
        std::string detection = rule.detection == Detection::statically ? "static" : "--db";
        if (rule.activation == Activation::opt_in) {
            detection += ", opt-in";
        }
        out += fmt::format("| [{0}]({0}.md) | {1} | {2} | {3} | {4} |\n", rule.id, rule.slug,
                           to_string(rule.severity), detection, rule.summary);
    }
    return out;
}

} // namespace migsafe::plan
