#include "model/dbmate_sections.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <vector>

namespace migsafe::model::detail {
namespace {

enum class Marker { none, up, down };

struct Line {
    std::size_t begin = 0; ///< offset of the first byte
    std::size_t end = 0;   ///< offset of the newline (or the end of the text)
};

std::vector<Line> lines_of(std::string_view text)
{
    std::vector<Line> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto newline = text.find('\n', start);
        const auto end = newline == std::string_view::npos ? text.size() : newline;
        lines.push_back({start, end});
        if (newline == std::string_view::npos) {
            break;
        }
        start = newline + 1;
    }
    return lines;
}

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// `--migrate:up`, `-- migrate:down transaction:false`: the marker and the rest of the line.
Marker marker_of(std::string_view line, std::string_view& options)
{
    line = trim(line);
    if (!line.starts_with("--")) {
        return Marker::none;
    }
    auto rest = trim(line.substr(2));
    for (auto [word, marker] : {std::pair{std::string_view("migrate:up"), Marker::up},
                                std::pair{std::string_view("migrate:down"), Marker::down}}) {
        if (rest.starts_with(word) &&
            (rest.size() == word.size() || rest[word.size()] == ' ' || rest[word.size()] == '\t')) {
            options = trim(rest.substr(word.size()));
            return marker;
        }
    }
    return Marker::none;
}

[[noreturn]] void invalid(const std::filesystem::path& file, std::size_t line,
                          const std::string& why, std::string hint = {})
{
    throw Error("migration-layout-invalid", why,
                {.file = file.string(), .line = static_cast<int>(line + 1)}, std::move(hint));
}

// dbmate's marker options: `key:value` words; only `transaction:false` means anything (any
// other value of `transaction` is true, other keys are dbmate's to ignore).
bool transactional_option(std::string_view options, const std::filesystem::path& file,
                          std::size_t line)
{
    bool transactional = true;
    while (!options.empty()) {
        const auto end = options.find_first_of(" \t");
        const auto word = options.substr(0, end);
        options = end == std::string_view::npos ? std::string_view{} : trim(options.substr(end));
        const auto colon = word.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            invalid(file, line, fmt::format("dbmate option `{}` is not key:value", word),
                    "dbmate reads options like `transaction:false` after the marker");
        }
        if (word.substr(0, colon) == "transaction") {
            transactional = word.substr(colon + 1) != "false";
        }
    }
    return transactional;
}

std::string blank_outside(std::string_view text, const std::vector<Line>& lines, std::size_t first,
                          std::size_t last)
{
    std::string out(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i >= first && i < last) {
            continue;
        }
        for (auto at = lines[i].begin; at < lines[i].end; ++at) {
            out[at] = ' ';
        }
    }
    return out;
}

} // namespace

bool has_dbmate_markers(std::string_view text)
{
    for (const auto& line : lines_of(text)) {
        std::string_view options;
        if (marker_of(text.substr(line.begin, line.end - line.begin), options) != Marker::none) {
            return true;
        }
    }
    return false;
}

DbmateSections split_dbmate(std::string_view text, const std::filesystem::path& file)
{
    const auto lines = lines_of(text);
    std::optional<std::size_t> up_line;
    std::optional<std::size_t> down_line;
    std::string_view up_options;
    std::string_view down_options;
    std::optional<std::size_t> sql_before_up;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto line = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
        std::string_view options;
        const auto marker = marker_of(line, options);
        if (marker == Marker::up) {
            if (up_line) {
                invalid(file, i, "a second `-- migrate:up` marker");
            }
            if (down_line) {
                invalid(file, i, "`-- migrate:up` after `-- migrate:down`",
                        "dbmate runs the up section first: move it above the down section");
            }
            up_line = i;
            up_options = options;
        } else if (marker == Marker::down) {
            if (down_line) {
                invalid(file, i, "a second `-- migrate:down` marker");
            }
            down_line = i;
            down_options = options;
        } else if (!up_line && !sql_before_up && !trim(line).empty() &&
                   !trim(line).starts_with("--")) {
            sql_before_up = i;
        }
    }
    if (!up_line) {
        invalid(file, down_line.value_or(0), "a dbmate file without a `-- migrate:up` marker",
                "add `-- migrate:up` above the statements that migrate forward");
    }
    if (sql_before_up) {
        invalid(file, *sql_before_up, "SQL before the `-- migrate:up` marker",
                "dbmate files start with `-- migrate:up`; move the statement below it");
    }
    DbmateSections sections;
    const std::size_t up_end = down_line.value_or(lines.size());
    // The comment lines above the up marker stay with the up section: migsafe directives
    // live there.
    sections.up = {blank_outside(text, lines, 0, up_end),
                   transactional_option(up_options, file, *up_line)};
    if (down_line) {
        sections.down = DbmateSection{blank_outside(text, lines, *down_line + 1, lines.size()),
                                      transactional_option(down_options, file, *down_line)};
    }
    return sections;
}

} // namespace migsafe::model::detail
