#include "command.hpp"

#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string_view>

namespace migsafe::cli {
namespace {

constexpr int k_json_schema_version = 1;

std::string status_for(int exit_code)
{
    switch (exit_code) {
    case 0:
        return "pass";
    case 1:
        return "fail";
    default:
        return "error";
    }
}

nlohmann::json error_json(const Error& e)
{
    nlohmann::json j{{"code", e.code()},
                     {"category", std::string(to_string(e.category()))},
                     {"message", e.message()},
                     {"hint", e.hint()},
                     {"state", std::string(to_string(e.state()))},
                     {"retryable", e.retryable()}};
    const auto& c = e.context();
    if (!c.file.empty()) {
        j["file"] = c.file;
    }
    if (c.line > 0) {
        j["line"] = c.line;
    }
    if (c.column > 0) {
        j["column"] = c.column;
    }
    if (c.statement_index >= 0) {
        j["statement_index"] = c.statement_index;
    }
    if (!c.object.empty()) {
        j["object"] = c.object;
    }
    if (!c.sqlstate.empty()) {
        j["sqlstate"] = c.sqlstate;
    }
    return j;
}

void print_json(const Selected& selected, int exit_code, const nlohmann::json& report,
                const nlohmann::json& error, const std::string& report_json = {})
{
    nlohmann::json doc{{"schema_version", k_json_schema_version},
                       {"command", selected.name},
                       {"status", status_for(exit_code)},
                       {"exit_code", exit_code},
                       {"report", report},
                       {"error", error}};
    // Any byte may reach a message (a file name, a database's text): invalid UTF-8 is
    // written as U+FFFD rather than making the document impossible to write.
    const std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    // The library's report goes in place of the top-level placeholder (keys are unique at
    // the top level, and this one is printed as `null`), written as it is: not re-indented
    // (the nesting is already readable) and not copied (a large plan is megabytes).
    const std::string_view placeholder = "\n  \"report\": null";
    const auto at = report_json.empty() ? std::string::npos : text.find(placeholder);
    if (at == std::string::npos) {
        std::cout << text << '\n';
        return;
    }
    std::string_view body = report_json;
    while (!body.empty() && body.back() == '\n') {
        body.remove_suffix(1);
    }
    const std::string_view whole = text;
    std::cout << whole.substr(0, at) << "\n  \"report\": " << body
              << whole.substr(at + placeholder.size()) << '\n';
}

void print_error(const Error& e)
{
    bool color = use_color(stderr);
    std::cerr << paint("migsafe: error:", "1;31", color) << ' ' << e.located_message() << " ["
              << e.code() << "]\n";
    if (!e.hint().empty()) {
        std::cerr << paint("migsafe: hint:", "1;36", color) << ' ' << e.hint() << '\n';
    }
    if (e.state() == State::uncertain && e.category() != Category::internal) {
        std::cerr << "migsafe: the database may be partly changed: see the message above\n";
    }
}

/// A file-system error that a command did not translate, as the error it means: a path
/// that does not exist or cannot be resolved is bad input (exit 2), anything else the
/// environment (exit 3); the path is named either way.
Error translate(const std::filesystem::filesystem_error& e)
{
    const auto path = e.path1().string();
    const auto message = fmt::format("cannot access {}: {}", path, e.code().message());
    switch (e.code().value()) {
    case ENOENT:
        return Error("input-not-found", message, {.file = path});
    case ELOOP:
    case ENAMETOOLONG:
    case ENOTDIR:
        return Error("input-path-invalid", message, {.file = path});
    default:
        return Error("io-read-failed", message, {.file = path});
    }
}

int report_error(const Selected& selected, const Error& e)
{
    int code = interrupt::exit_code(exit_code_for(e.category()));
    print_error(e);
    if (selected.format == OutputFormat::json) {
        print_json(selected, code, nullptr, error_json(e));
    }
    return code;
}

} // namespace

int run_command(const Selected& selected)
{
    try {
        Outcome outcome = selected.body();
        // A flow that unwound after SIGINT/SIGTERM (apply) ends with 130/143.
        outcome.exit_code = interrupt::exit_code(outcome.exit_code);
        if (selected.format == OutputFormat::json) {
            print_json(selected, outcome.exit_code,
                       outcome.report_json.empty() ? outcome.report : nlohmann::json(), nullptr,
                       outcome.report_json);
        } else {
            std::cout << outcome.text;
            std::cout.flush();
        }
        return outcome.exit_code;
    } catch (const Error& e) {
        return report_error(selected, e);
    } catch (const std::filesystem::filesystem_error& e) {
        return report_error(selected, translate(e));
    } catch (const std::exception& e) {
        return report_error(selected, Error("internal-assertion",
                                            fmt::format("unexpected exception: {}", e.what())));
    }
}

bool use_color(std::FILE* stream)
{
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') {
        return false;
    }
    return isatty(fileno(stream)) != 0;
}

std::string paint(const std::string& text, const char* code, bool enabled)
{
    if (!enabled) {
        return text;
    }
    return fmt::format("\033[{}m{}\033[0m", code, text);
}

std::string resolve_conninfo(const std::string& db_option)
{
    if (!db_option.empty()) {
        return db_option;
    }
    const char* url = std::getenv("DATABASE_URL");
    return url != nullptr ? std::string(url) : std::string();
}

std::chrono::milliseconds duration_option(const std::string& text, const char* option)
{
    if (text.empty()) {
        return std::chrono::milliseconds(0);
    }
    try {
        return parse_duration(text);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(option) + ": " + e.message(), {.object = option});
    }
}

} // namespace migsafe::cli
