// Matching a runner's rows to the files (see match.hpp for the rules).
#include <migsafe/adopt/checksum.hpp>
#include <migsafe/adopt/match.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace migsafe::adopt {
namespace {

/// The first path component of a `/`-separated relative path (the folder), or the name.
std::string_view first_component(std::string_view path)
{
    return path.substr(0, path.find('/'));
}

std::string_view last_component(std::string_view path)
{
    auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view before_underscore(std::string_view name)
{
    return name.substr(0, name.find('_'));
}

std::string strip_zeros(std::string_view digits)
{
    auto first = digits.find_first_not_of('0');
    return first == std::string_view::npos ? std::string("0") : std::string(digits.substr(first));
}

/// Flyway's version order: numeric part by part, a missing part is 0 (`1.2` == `1.2.0`).
int compare_flyway_versions(std::string_view a, std::string_view b)
{
    auto split = [](std::string_view v) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (start <= v.size()) {
            auto dot = v.find('.', start);
            parts.push_back(strip_zeros(v.substr(
                start, dot == std::string_view::npos ? std::string_view::npos : dot - start)));
            if (dot == std::string_view::npos) {
                break;
            }
            start = dot + 1;
        }
        while (parts.size() > 1 && parts.back() == "0") {
            parts.pop_back();
        }
        return parts;
    };
    auto pa = split(a);
    auto pb = split(b);
    for (std::size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        std::string x = i < pa.size() ? pa[i] : "0";
        std::string y = i < pb.size() ? pb[i] : "0";
        if (x.size() != y.size()) {
            return x.size() < y.size() ? -1 : 1;
        }
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

bool is_repeatable(const model::Migration& migration)
{
    return last_component(migration.up.relative_path).starts_with("R__");
}

struct Matcher {
    platform::Session& session;
    const HistoryTable& table;
    const model::MigrationSet& set;
    const MatchOptions& options;
    MatchResult result{};
    std::map<std::string, std::size_t> by_identity{};

    std::string dir() const { return options.directory.empty() ? "DIR" : options.directory; }

    std::string path_of(const model::Migration& m) const
    {
        return options.directory.empty() ? m.up.relative_path
                                         : options.directory + "/" + m.up.relative_path;
    }

    std::string row_label(const RunnerRow& row) const
    {
        if (table.tool == Tool::flyway) {
            return fmt::format("{} row installed_rank {} ({})", table.qualified(),
                               row.rank.value_or(0), row.script);
        }
        if (table.tool == Tool::golang_migrate) {
            return fmt::format("{} (golang-migrate version {})", table.qualified(), row.version);
        }
        return fmt::format("{} row {}", table.qualified(), row.version);
    }

    void refuse(const RunnerRow& row, std::string reason, std::string fix)
    {
        result.refusals.push_back(
            {.row = row, .reason = row_label(row) + ": " + reason, .fix = std::move(fix)});
    }

    void adopt(std::size_t index, const RunnerRow& row, std::string why)
    {
        result.adoptions.push_back(
            {.migration = &set.migrations[index], .row = row, .why = std::move(why)});
    }

    std::string missing_fix(const RunnerRow& row) const
    {
        std::string fix = fmt::format("restore the {} migration {} in {} from version control "
                                      "(git log --diff-filter=D --name-only -- {})",
                                      to_string(table.tool),
                                      row.version.empty() ? row.script : row.version, dir(), dir());
        if (table.tool == Tool::flyway) {
            fix += ", or run `flyway repair` if it was removed on purpose";
        }
        return fix;
    }

    std::optional<std::size_t> file_of(const std::string& identity) const
    {
        auto it = by_identity.find(identity);
        return it == by_identity.end() ? std::nullopt : std::optional(it->second);
    }

    void prisma(const std::vector<RunnerRow>& rows)
    {
        // A migration may have several rows (rolled back, then applied again): a finished
        // one makes it applied; an unfinished one is refused.
        for (const auto& row : rows) {
            if (row.state == RowState::rolled_back) {
                continue;
            }
            if (row.state == RowState::unfinished) {
                refuse(row,
                       fmt::format("started at {} and never finished (finished_at and "
                                   "rolled_back_at are NULL){}",
                                   row.started_at,
                                   row.logs.empty() ? std::string()
                                                    : "; its logs: " + first_line(row.logs)),
                       fmt::format("fix the database by hand, then `prisma migrate resolve "
                                   "--rolled-back {}` (it is run again) or `prisma migrate "
                                   "resolve --applied {}` (you completed it)",
                                   row.version, row.version));
                continue;
            }
            auto index = file_of(row.version);
            if (!index) {
                refuse(row, fmt::format("no folder {} in {}", row.version, dir()),
                       missing_fix(row));
                continue;
            }
            const auto& m = set.migrations[*index];
            if (options.check_checksums &&
                !prisma_checksum_matches(session, m.up.text, row.checksum)) {
                refuse(row,
                       fmt::format("{} was edited after prisma applied it (its SHA-256 is not "
                                   "the checksum {}, with LF or CRLF line endings)",
                                   path_of(m), row.checksum),
                       fmt::format("restore {} as it was applied (git log -p -- {})", path_of(m),
                                   path_of(m)));
                continue;
            }
            if (std::none_of(result.adoptions.begin(), result.adoptions.end(),
                             [&](const Adoption& a) { return a.migration == &m; })) {
                adopt(*index, row, "row " + row.version);
            }
        }
    }

    static std::string first_line(std::string_view text)
    {
        return std::string(text.substr(0, text.find('\n')));
    }

    void flyway(const std::vector<RunnerRow>& rows)
    {
        // The last row of each version (or repeatable description) decides; a DELETE row
        // (flyway repair of a missing migration) cancels the rows before it.
        std::map<std::string, RunnerRow> last;
        std::vector<std::string> order;
        std::optional<RunnerRow> baseline;
        for (const auto& row : rows) {
            std::string key = row.version.empty() ? "R:" + row.name : "V:" + row.version;
            if (row.type == "DELETE") {
                last.erase(key);
                continue;
            }
            if (row.state == RowState::marker) {
                continue;
            }
            if (row.state == RowState::baseline) {
                baseline = row;
                continue;
            }
            if (!last.count(key)) {
                order.push_back(key);
            }
            last[key] = row;
        }
        for (const auto& key : order) {
            auto found = last.find(key);
            if (found == last.end()) {
                continue;
            }
            const auto& row = found->second;
            if (row.state == RowState::failed) {
                refuse(row, fmt::format("version {} failed (success = false)", row.version),
                       "undo what it did by hand, then run `flyway repair` (it removes the "
                       "failed row)");
                continue;
            }
            auto index = row.version.empty() ? repeatable_file(row.name) : flyway_file(row.version);
            if (!index) {
                refuse(row, fmt::format("no file for {} in {}", row.script, dir()),
                       missing_fix(row));
                continue;
            }
            const auto& m = set.migrations[*index];
            if (options.check_checksums && !row.checksum.empty() &&
                row.checksum != std::to_string(flyway_checksum(m.up.text))) {
                if (row.version.empty()) {
                    result.warnings.push_back(fmt::format(
                        "{} changed since flyway last applied it: flyway runs it again, so it "
                        "is left pending",
                        path_of(m)));
                    continue;
                }
                refuse(row,
                       fmt::format("{} was edited after flyway applied it (its checksum is {}, "
                                   "the table has {})",
                                   path_of(m), flyway_checksum(m.up.text), row.checksum),
                       fmt::format("restore {} as it was applied (git log -p -- {}), or run "
                                   "`flyway repair` if the edit is meant",
                                   path_of(m), path_of(m)));
                continue;
            }
            adopt(*index, row, fmt::format("installed_rank {}", row.rank.value_or(0)));
        }
        if (baseline) {
            for (std::size_t i = 0; i < set.migrations.size(); ++i) {
                const auto identity = tool_identity(Tool::flyway, set.migrations[i]);
                if (!identity.empty() &&
                    compare_flyway_versions(identity, baseline->version) <= 0 &&
                    std::none_of(
                        result.adoptions.begin(), result.adoptions.end(),
                        [&](const Adoption& a) { return a.migration == &set.migrations[i]; })) {
                    adopt(i, *baseline, "flyway baseline " + baseline->version);
                }
            }
        }
    }

    /// The file of a Flyway version, compared as Flyway compares (`1.02` is `1.2`).
    std::optional<std::size_t> flyway_file(const std::string& version) const
    {
        if (auto index = file_of(version)) {
            return index;
        }
        for (std::size_t i = 0; i < set.migrations.size(); ++i) {
            const auto identity = tool_identity(Tool::flyway, set.migrations[i]);
            if (!identity.empty() && compare_flyway_versions(identity, version) == 0) {
                return i;
            }
        }
        return std::nullopt;
    }

    std::optional<std::size_t> repeatable_file(const std::string& description) const
    {
        for (std::size_t i = 0; i < set.migrations.size(); ++i) {
            const auto name = last_component(set.migrations[i].up.relative_path);
            if (is_repeatable(set.migrations[i]) && flyway_description_of(name) == description) {
                return i;
            }
        }
        return std::nullopt;
    }

    static std::string flyway_description_of(std::string_view name)
    {
        auto rest = name.substr(name.find("__") + 2);
        if (rest.ends_with(".sql")) {
            rest.remove_suffix(4);
        }
        std::string d(rest);
        std::replace(d.begin(), d.end(), '_', ' ');
        return d;
    }

    void golang_migrate(const std::vector<RunnerRow>& rows)
    {
        for (const auto& row : rows) { // one row at most
            const auto version = strip_zeros(row.version);
            auto index = file_of(version);
            if (row.state == RowState::dirty) {
                std::string previous = "the version before it";
                if (index && *index > 0) {
                    previous = tool_identity(Tool::golang_migrate, set.migrations[*index - 1]);
                }
                refuse(row,
                       "dirty: the migration failed part-way and golang-migrate will not run "
                       "until it is resolved",
                       fmt::format("fix the database by hand, then `migrate -path {} -database "
                                   "\"$DATABASE_URL\" force {}` (its changes are all there) or "
                                   "`... force {}` (none of them are)",
                                   dir(), row.version, previous));
                continue;
            }
            if (!index) {
                refuse(row, fmt::format("no file with version {} in {}", row.version, dir()),
                       missing_fix(row));
                continue;
            }
            for (std::size_t i = 0; i <= *index; ++i) {
                adopt(i, row, "covered by golang-migrate version " + row.version);
            }
        }
    }

    void by_version(const std::vector<RunnerRow>& rows)
    {
        for (const auto& row : rows) {
            auto index = file_of(row.version);
            if (!index) {
                refuse(row, fmt::format("no file with version {} in {}", row.version, dir()),
                       missing_fix(row));
                continue;
            }
            adopt(*index, row, "row " + row.version);
        }
    }

    void order_notes(const std::vector<RunnerRow>& rows)
    {
        // Files the tool never applied that are older than its newest applied one.
        std::vector<bool> adopted(set.migrations.size(), false);
        for (const auto& a : result.adoptions) {
            adopted[static_cast<std::size_t>(a.migration - set.migrations.data())] = true;
        }
        std::size_t newest = 0;
        bool any = false;
        for (std::size_t i = 0; i < adopted.size(); ++i) {
            if (adopted[i] && !is_repeatable(set.migrations[i])) {
                newest = i;
                any = true;
            }
        }
        for (std::size_t i = 0; any && i < newest; ++i) {
            if (!adopted[i] && !is_repeatable(set.migrations[i])) {
                result.warnings.push_back(fmt::format(
                    "{} was never applied by {} but is older than {}, which was: migsafe will "
                    "report it out of order",
                    path_of(set.migrations[i]), to_string(table.tool),
                    path_of(set.migrations[newest])));
            }
        }
        // Rows applied in another order than the files' (Prisma by started_at, Flyway by
        // installed_rank).
        if (table.tool != Tool::prisma && table.tool != Tool::flyway) {
            return;
        }
        std::optional<std::size_t> previous;
        for (const auto& row : rows) {
            if (row.state != RowState::applied) {
                continue;
            }
            auto index = file_of(row.version);
            if (!index || (table.tool == Tool::flyway && row.version.empty())) {
                continue;
            }
            if (previous && *index < *previous) {
                result.warnings.push_back(fmt::format(
                    "{} applied {} after {} (out of order)", to_string(table.tool),
                    path_of(set.migrations[*index]), path_of(set.migrations[*previous])));
            }
            previous = std::max(previous.value_or(0), *index);
        }
    }
};

} // namespace

std::string tool_identity(Tool tool, const model::Migration& migration)
{
    const std::string_view path = migration.up.relative_path;
    switch (tool) {
    case Tool::prisma:
        return std::string(first_component(path));
    case Tool::flyway: {
        auto name = last_component(path);
        if (name.starts_with("R__")) {
            return {};
        }
        auto separator = name.find("__");
        auto version = name.substr(1, separator == std::string_view::npos ? std::string_view::npos
                                                                          : separator - 1);
        std::string text(version);
        std::replace(text.begin(), text.end(), '_', '.');
        return text;
    }
    case Tool::dbmate:
    case Tool::rails: {
        // dbmate `^(\d+).*\.sql$`, Rails `\A([0-9]+)_...`: the leading digits, as written.
        auto name = last_component(path);
        return std::string(name.substr(0, name.find_first_not_of("0123456789")));
    }
    case Tool::diesel: {
        std::string version(before_underscore(first_component(path)));
        version.erase(std::remove(version.begin(), version.end(), '-'), version.end());
        return version;
    }
    case Tool::golang_migrate:
        return strip_zeros(before_underscore(last_component(path)));
    }
    return {};
}

MatchResult match_rows(platform::Session& session, const HistoryTable& table,
                       const model::MigrationSet& set, const std::vector<RunnerRow>& rows,
                       const MatchOptions& options)
{
    Matcher matcher{.session = session, .table = table, .set = set, .options = options};
    matcher.result.rows = static_cast<int>(rows.size());
    for (std::size_t i = 0; i < set.migrations.size(); ++i) {
        if (auto identity = tool_identity(table.tool, set.migrations[i]); !identity.empty()) {
            matcher.by_identity.emplace(identity, i);
        }
    }
    switch (table.tool) {
    case Tool::prisma:
        matcher.prisma(rows);
        break;
    case Tool::flyway:
        matcher.flyway(rows);
        break;
    case Tool::golang_migrate:
        matcher.golang_migrate(rows);
        break;
    case Tool::dbmate:
    case Tool::rails:
    case Tool::diesel:
        matcher.by_version(rows);
        break;
    }
    std::sort(matcher.result.adoptions.begin(), matcher.result.adoptions.end(),
              [](const Adoption& a, const Adoption& b) { return a.migration < b.migration; });
    matcher.order_notes(rows);
    return std::move(matcher.result);
}

} // namespace migsafe::adopt
