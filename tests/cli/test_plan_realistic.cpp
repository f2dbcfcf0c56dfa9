// `migsafe plan` on the realistic corpus bench/plan/realistic (290 migrations of a SaaS
// history with hand-written labels in expected-risks.json, see its README.md): every
// labelled risk is found, and a migration labelled safe gets no error. The comparison with
// squawk is bench/plan/precision.sh; this test needs neither squawk nor a database.

#include "cli_runner.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using migsafe::test::run_cli;
namespace fs = std::filesystem;

namespace {

const fs::path k_corpus = fs::path(MIGSAFE_SOURCE_DIR) / "bench" / "plan" / "realistic";

// The labelled kinds a finding of each rule points at: the table MIGSAFE_KINDS of
// bench/plan/precision.py (which explains it); keep the two equal. A rule not listed
// points at nothing.
const std::map<std::string, std::set<std::string>>& rule_kinds()
{
    static const std::string bl = "blocking-lock", rw = "rewrite", sc = "scan", br = "breaking";
    static const std::map<std::string, std::set<std::string>> kinds = {
        {"MS-BRK-01", {br}},     {"MS-BRK-02", {br}},
        {"MS-BRK-03", {br}},     {"MS-BRK-04", {br}},
        {"MS-BRK-05", {br}},     {"MS-BRK-06", {br, bl}},
        {"MS-BRK-07", {br}},     {"MS-BRK-08", {br}},
        {"MS-BRK-09", {br, bl}}, {"MS-COL-01", {sc, bl}},
        {"MS-COL-02", {br}},     {"MS-COL-03", {rw, bl}},
        {"MS-COL-04", {rw, bl}}, {"MS-COL-05", {rw, bl}},
        {"MS-COL-06", {rw, bl}}, {"MS-COL-07", {rw, sc, br, bl}},
        {"MS-COL-10", {br}},     {"MS-CON-01", {sc, bl}},
        {"MS-CON-02", {sc, bl}}, {"MS-CON-03", {sc, bl}},
        {"MS-CON-04", {sc, bl}}, {"MS-CON-05", {sc, bl}},
        {"MS-CON-06", {sc, bl}}, {"MS-CON-07", {sc, bl}},
        {"MS-CON-08", {bl}},     {"MS-CON-09", {sc, bl}},
        {"MS-CON-10", {bl}},     {"MS-CON-11", {sc, bl}},
        {"MS-CON-12", {sc, bl}}, {"MS-IDX-01", {sc, bl}},
        {"MS-IDX-02", {bl}},     {"MS-IDX-03", {sc, bl}},
        {"MS-IDX-07", {sc, bl}}, {"MS-MAINT-01", {rw, bl}},
        {"MS-MAINT-02", {bl}},   {"MS-MAINT-03", {rw, bl}},
        {"MS-OPS-01", {bl}},     {"MS-OPS-02", {sc, rw}},
        {"MS-OPS-03", {bl}},     {"MS-OPS-04", {bl}},
        {"MS-OPS-08", {bl}},     {"MS-OPS-11", {bl, sc, rw}},
        {"MS-PART-01", {bl}},    {"MS-PART-02", {sc, bl}},
    };
    return kinds;
}

struct Finding {
    std::string migration; ///< the migration's folder name
    std::string rule;
    std::string severity;
    std::string message;
};

struct Corpus {
    migsafe::test::CliResult run;
    nlohmann::json report;
    nlohmann::json labels; ///< folder -> [{kind, table, why}]
    std::set<std::string> tables;
    std::vector<Finding> findings;
};

std::string read_file(const fs::path& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Plans the corpus once for every test case of this file.
const Corpus& corpus()
{
    static const Corpus loaded = [] {
        Corpus c;
        c.run = run_cli({"plan", "--format", "json", (k_corpus / "migrations").string()});
        c.labels = nlohmann::json::parse(read_file(k_corpus / "expected-risks.json"))["migrations"];
        const std::regex created(
            R"(create\s+(?:materialized\s+view|table|view)\s+(?:if\s+not\s+exists\s+)?([a-z_0-9]+))",
            std::regex::icase);
        for (const auto& [folder, risks] : c.labels.items()) {
            for (const auto& risk : risks) {
                c.tables.insert(risk["table"].get<std::string>());
            }
            const auto sql = read_file(k_corpus / "migrations" / folder / "up.sql");
            for (std::sregex_iterator it(sql.begin(), sql.end(), created), end; it != end; ++it) {
                c.tables.insert((*it)[1].str());
            }
        }
        auto doc = nlohmann::json::parse(c.run.out, nullptr, false);
        if (doc.is_object() && doc.contains("report") && doc["report"].is_object()) {
            c.report = doc["report"];
            for (const auto& statement : c.report["statements"]) {
                const auto folder =
                    fs::path(statement["file"].get<std::string>()).parent_path().filename();
                for (const auto& f : statement["findings"]) {
                    c.findings.push_back({folder.string(), f["rule"], f["severity"], f["message"]});
                }
            }
        }
        return c;
    }();
    return loaded;
}

bool is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether `text` names `table` as a whole identifier (tasks in "public.tasks", not in
// "tasks_pkey").
bool names(const std::string& text, const std::string& table)
{
    for (auto at = text.find(table); at != std::string::npos; at = text.find(table, at + 1)) {
        const auto after = at + table.size();
        if ((at == 0 || !is_ident_char(text[at - 1])) &&
            (after == text.size() || !is_ident_char(text[after]))) {
            return true;
        }
    }
    return false;
}

// A finding points at a risk when its rule maps to the risk's kind and it names the risk's
// table, or no table of the corpus at all.
bool points_at(const Finding& f, const nlohmann::json& risk, const std::set<std::string>& tables)
{
    auto kinds = rule_kinds().find(f.rule);
    if (kinds == rule_kinds().end() || kinds->second.count(risk["kind"].get<std::string>()) == 0) {
        return false;
    }
    if (names(f.message, risk["table"].get<std::string>())) {
        return true;
    }
    for (const auto& table : tables) {
        if (names(f.message, table)) {
            return false;
        }
    }
    return true;
}

} // namespace

TEST_CASE("plan realistic: the corpus's labels cover exactly its migrations")
{
    const auto& c = corpus();
    std::set<std::string> folders;
    for (const auto& entry : fs::directory_iterator(k_corpus / "migrations")) {
        folders.insert(entry.path().filename().string());
    }
    std::set<std::string> labelled;
    for (const auto& [folder, risks] : c.labels.items()) {
        labelled.insert(folder);
    }
    CHECK(folders.size() >= 250);
    CHECK(folders == labelled);
}

TEST_CASE("plan realistic: the whole history plans (exit 1 for its errors, no sql-syntax)")
{
    const auto& c = corpus();
    INFO("stderr: " << c.run.err);
    CHECK(c.run.exit_code == 1);
    CHECK(c.run.err.find("sql-syntax") == std::string::npos);
    CHECK(c.run.out.find("sql-syntax") == std::string::npos);
    REQUIRE(c.report.is_object());
    CHECK(c.report["verdict"] == "fail");
}

namespace {

// bench/plan/realistic/known-gaps.txt: `<what> | reason` lines, `<what>` being
// `miss <migration> <kind> <table>` or `false-error <migration> <rule>`.
std::map<std::string, std::string> known_gaps()
{
    std::map<std::string, std::string> gaps;
    std::ifstream in(k_corpus / "known-gaps.txt");
    for (std::string line; std::getline(in, line);) {
        const auto bar = line.find(" | ");
        if (line.empty() || line.front() == '#' || bar == std::string::npos) {
            continue;
        }
        gaps[line.substr(0, bar)] = line.substr(bar + 3);
    }
    return gaps;
}

/// Fails for every gap of `kind` found that known-gaps.txt does not list, and for every
/// listed one that no longer happens.
void check_against_known(const std::set<std::string>& found, const std::string& kind)
{
    const auto gaps = known_gaps();
    std::string unlisted;
    std::string gone;
    for (const auto& gap : found) {
        if (!gaps.contains(gap)) {
            unlisted += "\n  " + gap;
        }
    }
    for (const auto& [gap, reason] : gaps) {
        if (gap.starts_with(kind + " ") && !found.contains(gap)) {
            gone += "\n  " + gap;
        }
    }
    CHECK_MESSAGE(unlisted.empty(), "not in bench/plan/realistic/known-gaps.txt:" << unlisted);
    CHECK_MESSAGE(gone.empty(), "listed in known-gaps.txt but no longer happening (remove "
                                "them):"
                                    << gone);
}

} // namespace

TEST_CASE("plan realistic: every labelled risk is found, but for the known gaps")
{
    const auto& c = corpus();
    REQUIRE(c.report.is_object());
    std::set<std::string> missed;
    int total = 0;
    for (const auto& [folder, risks] : c.labels.items()) {
        for (const auto& risk : risks) {
            ++total;
            bool found = false;
            for (const auto& f : c.findings) {
                found = found || (f.migration == folder && points_at(f, risk, c.tables));
            }
            if (!found) {
                missed.insert("miss " + folder + " " + risk["kind"].get<std::string>() + " " +
                              risk["table"].get<std::string>());
            }
        }
    }
    CHECK(total > 0);
    // The goal is 100 %; the gaps left are listed with their reasons.
    CHECK(missed.size() * 20 <= static_cast<std::size_t>(total));
    check_against_known(missed, "miss");
}

// MS-OPS-11 is left out: the newer-syntax files are labelled for the PostgreSQL 18 server
// the team ran in 2025, and planned for 15 its error says that a 15 server rejects the file
// (a version mismatch, not a risk to production); the next test case plans them for 18.
TEST_CASE("plan realistic: a migration labelled safe gets no error, but for the known gaps")
{
    const auto& c = corpus();
    REQUIRE(c.report.is_object());
    std::set<std::string> offenders;
    for (const auto& f : c.findings) {
        if (f.severity == "error" && f.rule != "MS-OPS-11" && c.labels.contains(f.migration) &&
            c.labels[f.migration].empty()) {
            offenders.insert("false-error " + f.migration + " " + f.rule);
        }
    }
    check_against_known(offenders, "false-error");
}

TEST_CASE("plan realistic: planned for PostgreSQL 18, its newer syntax safe so labelled gets no "
          "error")
{
    const auto& c = corpus();
    auto run = run_cli(
        {"plan", "--format", "json", "--pg-version", "18", (k_corpus / "migrations").string()});
    INFO("stderr: " << run.err);
    CHECK(run.exit_code == 1);
    auto doc = nlohmann::json::parse(run.out, nullptr, false);
    REQUIRE(doc.is_object());
    REQUIRE(doc["report"].is_object());
    std::string offenders;
    for (const auto& statement : doc["report"]["statements"]) {
        const auto folder =
            fs::path(statement["file"].get<std::string>()).parent_path().filename().string();
        for (const auto& f : statement["findings"]) {
            if (f["rule"] == "MS-OPS-11" && f["severity"] == "error" && c.labels.contains(folder) &&
                c.labels[folder].empty()) {
                offenders += "\n  " + folder + ": " + f["message"].get<std::string>();
            }
        }
    }
    CHECK_MESSAGE(offenders.empty(), "MS-OPS-11 errors on migrations labelled safe:" << offenders);
}
