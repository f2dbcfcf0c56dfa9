// The rehearsal report as JUnit XML, the test-report format every CI reads (GitLab, Jenkins,
// GitHub test reporters): one <testsuite> per migration, one <testcase> per step. Valid
// against Jenkins xunit-plugin's junit-10.xsd (tests/schemas/junit-10.xsd), which is also
// why the <testsuites> root carries no `skipped` count: that schema allows it only on each
// <testsuite>.
#include "platform/utf8.hpp"
#include "workflow/rehearse_verdict.hpp"

#include <migsafe/workflow/rehearse.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <tuple>

namespace migsafe::workflow {
namespace {

using detail::StepRole;

using platform::utf8_length;
constexpr std::string_view k_replacement = platform::k_utf8_replacement;

/// U+FFFE and U+FFFF: valid UTF-8, but not characters XML 1.0 allows.
bool xml_non_character(std::string_view sequence)
{
    return sequence == "\xEF\xBF\xBE" || sequence == "\xEF\xBF\xBF";
}

enum class Context { text, attribute };

/// `text` escaped for XML 1.0 content or a double-quoted attribute. A PostgreSQL message can
/// hold anything: a byte XML 1.0 cannot carry at all (a control character, a byte that is
/// not UTF-8, U+FFFE, U+FFFF) becomes U+FFFD; tab, newline and carriage return are kept, as
/// character references where a parser would otherwise normalise them away.
std::string escape(std::string_view text, Context context)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            if (const std::size_t length = utf8_length(text, i); length > 0) {
                const auto sequence = text.substr(i, length);
                if (xml_non_character(sequence)) {
                    out += k_replacement;
                } else {
                    out.append(sequence);
                }
                i += length;
            } else {
                out += k_replacement;
                ++i;
            }
            continue;
        }
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        case '\t':
            out += context == Context::attribute ? "&#9;" : "\t";
            break;
        case '\n':
            out += context == Context::attribute ? "&#10;" : "\n";
            break;
        case '\r':
            out += "&#13;";
            break;
        default:
            if (c < 0x20) {
                out += k_replacement;
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    return out;
}

std::string attr(std::string_view text)
{
    return escape(text, Context::attribute);
}

/// Seconds with millisecond precision, as JUnit's `time` attributes hold them.
std::string seconds(std::int64_t ms)
{
    return fmt::format("{:.3f}", static_cast<double>(std::max<std::int64_t>(ms, 0)) / 1000.0);
}

std::string first_line(const std::string& text)
{
    return text.substr(0, text.find('\n'));
}

/// The lines a CI shows for a step: where, the error, the differences, notes and losses.
std::string step_body(const StepResult& step)
{
    std::string out;
    if (!step.file.empty()) {
        out += step.error_line > 0 ? fmt::format("file: {}:{}\n", step.file, step.error_line)
                                   : fmt::format("file: {}\n", step.file);
    }
    if (!step.error.empty()) {
        out += "error: " + step.error + "\n";
    }
    for (const auto& difference : step.differences) {
        out += "difference: " + difference + "\n";
    }
    for (const auto& note : step.notes) {
        out += "note: " + note + "\n";
    }
    for (const auto& loss : step.losses) {
        out += "lost: " + loss.describe() + "\n";
    }
    if (!step.reason.empty()) {
        out += "reason: " + step.reason + "\n";
    }
    return out;
}

/// The one-line summary of a step that fails: its first error line with where, else its
/// first difference, else its first loss.
std::string failure_message(const StepResult& step)
{
    std::string where;
    if (!step.file.empty()) {
        where = step.error_line > 0 ? fmt::format("{}:{}: ", step.file, step.error_line)
                                    : step.file + ": ";
    }
    if (!step.error.empty()) {
        return where + first_line(step.error);
    }
    if (!step.differences.empty()) {
        return where + step.differences.front();
    }
    if (!step.losses.empty()) {
        return where + step.losses.front().describe();
    }
    return where + std::string(to_string(step.status));
}

/// The message of a <skipped>: the status, and why.
std::string skipped_message(StepStatus status, const std::string& reason)
{
    std::string message(to_string(status));
    if (!reason.empty()) {
        message += ": " + first_line(reason);
    }
    return message;
}

struct Suite {
    std::string xml{};
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    std::int64_t ms = 0;
};

/// One <testcase>: `child` is its inner XML (a <failure>, <skipped> or <system-out>), or
/// empty. Counts it into `suite`.
void add_case(Suite& suite, const std::string& classname, std::string_view name, std::int64_t ms,
              const std::string& child)
{
    ++suite.tests;
    suite.ms += std::max<std::int64_t>(ms, 0);
    suite.xml += fmt::format(R"(    <testcase classname="{}" name="{}" time="{}")", attr(classname),
                             attr(name), seconds(ms));
    suite.xml += child.empty() ? "/>\n" : ">\n" + child + "    </testcase>\n";
}

std::string failure(const std::string& message, std::string_view type, const std::string& body)
{
    return fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", attr(message),
                       attr(type), escape(body, Context::text));
}

std::string skipped(const std::string& message)
{
    return fmt::format("      <skipped message=\"{}\"/>\n", attr(message));
}

std::string system_out(const std::string& body)
{
    return fmt::format("      <system-out>{}</system-out>\n", escape(body, Context::text));
}

void add_step(Suite& suite, const std::string& classname, const StepResult& step, StepRole role,
              FailOn fail_on)
{
    std::string child;
    if (detail::step_fails(step, role, fail_on)) {
        ++suite.failures;
        child = failure(failure_message(step), to_string(step.status), step_body(step));
    } else if (step.status == StepStatus::missing || step.status == StepStatus::manual ||
               step.status == StepStatus::skipped || step.status == StepStatus::not_applicable) {
        ++suite.skipped;
        child = skipped(skipped_message(step.status, step.reason));
    } else if (step.status == StepStatus::lossy || !step.notes.empty()) {
        // Passed, with something to say: what it lost (and where it is kept), its notes.
        child = system_out(step_body(step));
    }
    add_case(suite, classname, detail::to_string(role), step.duration_ms, child);
}

/// `after batch 2: resume failed: <error>`: one interruption's step, for the interrupt case.
std::string cut_line(const Interruption& cut, std::string_view what, const StepResult& step)
{
    const std::string at =
        cut.after.empty() ? fmt::format("after boundary {}", cut.boundary) : "after " + cut.after;
    return fmt::format("{}: {} {}", at, what, to_string(step.status));
}

void add_interrupt(Suite& suite, const std::string& classname, const MigrationRehearsal& m,
                   FailOn fail_on)
{
    const std::int64_t ms =
        std::accumulate(m.interruptions.begin(), m.interruptions.end(), std::int64_t{0},
                        [](std::int64_t sum, const Interruption& cut) {
                            return sum + cut.resume.duration_ms + cut.rollback.duration_ms;
                        });
    if (m.interrupt == StepStatus::not_applicable || m.interrupt == StepStatus::skipped) {
        ++suite.skipped;
        add_case(suite, classname, "interrupt", ms,
                 skipped(skipped_message(m.interrupt,
                                         m.interrupt == StepStatus::not_applicable
                                             ? "a transactional migration without a backfill"
                                             : "")));
        return;
    }
    std::string body;
    std::string message;
    for (const auto& cut : m.interruptions) {
        for (const auto& [what, step, role] :
             {std::tuple{"resume", &cut.resume, StepRole::resume},
              std::tuple{"rollback", &cut.rollback, StepRole::rollback}}) {
            body += cut_line(cut, what, *step) + "\n";
            if (step->status != StepStatus::ok) {
                body += step_body(*step);
            }
            if (message.empty() && detail::step_fails(*step, role, fail_on)) {
                message = cut_line(cut, what, *step) + ": " + failure_message(*step);
            }
        }
    }
    std::string child;
    if (detail::interrupt_fails(m, fail_on)) {
        ++suite.failures;
        child = failure(message.empty() ? std::string("interruption failed") : message,
                        to_string(StepStatus::failed), body);
    } else if (!body.empty()) {
        child = system_out(body);
    }
    add_case(suite, classname, "interrupt", ms, child);
}

std::string suite_xml(const std::string& name, const Suite& suite)
{
    return fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "time=\"{}\">\n{}  </testsuite>\n",
        attr(name), suite.tests, suite.failures, suite.errors, suite.skipped, seconds(suite.ms),
        suite.xml);
}

} // namespace

std::string RehearseReport::to_junit() const
{
    std::string suites;
    int tests = 0;
    int failures = 0;
    int errors = 0;
    const auto add = [&](const std::string& name, const Suite& suite) {
        suites += suite_xml(name, suite);
        tests += suite.tests;
        failures += suite.failures;
        errors += suite.errors;
    };
    for (const auto& m : migrations) {
        const std::string name = detail::suite_name(m);
        const std::string classname = "rehearse." + name;
        Suite suite;
        add_step(suite, classname, m.up, StepRole::up, fail_on);
        add_step(suite, classname, m.down, StepRole::down, fail_on);
        add_step(suite, classname, m.compensation, StepRole::compensation, fail_on);
        add_step(suite, classname, m.redo, StepRole::redo, fail_on);
        add_interrupt(suite, classname, m, fail_on);
        add(name, suite);
    }
    if (!stopped.empty()) {
        // Migrations after the stop were never rehearsed: an error a CI shows in red even when
        // no step before it failed.
        Suite suite;
        ++suite.errors;
        add_case(suite, "rehearse", "complete", 0,
                 fmt::format("      <error message=\"{}\" type=\"stopped\"/>\n",
                             attr(first_line(stopped))));
        add("rehearse", suite);
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites name=\"migsafe rehearse\" tests=\"{}\" failures=\"{}\" "
                       "errors=\"{}\" time=\"{}\">\n{}</testsuites>\n",
                       tests, failures, errors, seconds(duration_ms), suites);
}

} // namespace migsafe::workflow
