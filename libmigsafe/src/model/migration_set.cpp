// Loading a migration directory. Mixing layouts in one directory is refused: it nearly
// always means two tools write to the same folder, and their orderings or up/down pairings
// would disagree (docs/migrations.md).
#include "model/layout.hpp"
#include "platform/parallel.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <algorithm>
#include <map>

namespace migsafe::model {
namespace {

MigrationFile load_file(const detail::NamedFile& named, const std::filesystem::path& directory,
                        const LoadOptions& options)
{
    MigrationFile file;
    file.path = named.path;
    file.relative_path = named.path.lexically_relative(directory).generic_string();
    file.text = platform::read_file(named.path);
    file.directives = parse_directives(file.text, file.path);
    if (options.parse_statements == ParseStatements::yes) {
        file.statements = parse_sql(file.text, file.path);
    }
    return file;
}

std::vector<detail::NamedFile> list_named_files(const std::filesystem::path& directory)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        throw Error("input-not-found",
                    "migration directory " + directory.string() + " does not exist",
                    {.file = directory.string()});
    }
    std::vector<detail::NamedFile> files;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec)) {
        auto found = detail::classify_entry(it->path(), it->is_directory(ec));
        files.insert(files.end(), found.begin(), found.end());
    }
    if (ec) {
        throw Error("io-read-failed", "cannot list " + directory.string() + ": " + ec.message(),
                    {.file = directory.string()});
    }
    // Directory order is arbitrary: sort so that errors name files deterministically.
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

void check_one_layout(const std::vector<detail::NamedFile>& files)
{
    for (const auto& file : files) {
        if (file.layout != files.front().layout) {
            throw Error("migration-layout-invalid",
                        "the directory mixes layouts: " + files.front().path.string() + " is " +
                            std::string(to_string(files.front().layout)) + ", " +
                            file.path.string() + " is " + std::string(to_string(file.layout)),
                        {.file = file.path.string()},
                        "use one layout per directory: rename the files of one of them");
        }
    }
}

} // namespace

std::string_view to_string(Layout layout) noexcept
{
    switch (layout) {
    case Layout::migsafe:
        return "migsafe";
    case Layout::flyway:
        return "flyway";
    case Layout::golang_migrate:
        return "golang-migrate";
    case Layout::folders:
        return "folders";
    }
    return "migsafe";
}

const Migration* MigrationSet::find(std::uint64_t version) const noexcept
{
    const auto it = std::lower_bound(
        migrations.begin(), migrations.end(), version,
        [](const Migration& migration, std::uint64_t key) { return migration.version < key; });
    return it != migrations.end() && it->version == version ? &*it : nullptr;
}

MigrationSet load_migration_set(const std::filesystem::path& directory, const LoadOptions& options)
{
    const auto files = list_named_files(directory);
    check_one_layout(files);
    std::map<std::uint64_t, const detail::NamedFile*> ups;
    std::map<std::uint64_t, const detail::NamedFile*> downs;
    for (const auto& file : files) {
        auto& slot = file.role == detail::Role::up ? ups : downs;
        auto [it, inserted] = slot.emplace(file.version, &file);
        if (!inserted) {
            throw Error("migration-version-duplicate",
                        "migration version " + std::to_string(file.version) + " is used by both " +
                            it->second->path.string() + " and " + file.path.string(),
                        {.file = file.path.string()});
        }
    }
    for (const auto& [version, down] : downs) {
        if (!ups.contains(version)) {
            throw Error("migration-layout-invalid",
                        down->path.string() + " is a down migration without its up migration",
                        {.file = down->path.string()},
                        "add the up migration of version " + std::to_string(version) +
                            " or remove the down file");
        }
    }
    // Files are read and parsed on every core (libpg_query is thread-safe): parsing is
    // most of the time of a plan. An error names the first bad file, as a serial load would.
    std::vector<const detail::NamedFile*> order; // each version's up, then its down
    for (const auto& [version, up] : ups) {
        order.push_back(up);
        if (auto down = downs.find(version); down != downs.end()) {
            order.push_back(down->second);
        }
    }
    std::vector<MigrationFile> loaded(order.size());
    platform::parallel_for(order.size(), platform::usable_cores(), [&](std::size_t i) {
        loaded[i] = load_file(*order[i], directory, options);
    });
    MigrationSet set{.directory = directory, .migrations = {}};
    for (std::size_t i = 0; i < order.size(); ++i) {
        const detail::NamedFile& file = *order[i];
        if (file.role == detail::Role::up) {
            set.migrations.push_back({.version = file.version,
                                      .name = file.name,
                                      .layout = file.layout,
                                      .up = std::move(loaded[i]),
                                      .down = std::nullopt});
        } else {
            set.migrations.back().down = std::move(loaded[i]);
        }
    }
    if (options.check_sum == CheckSum::yes) {
        require_sum_file(set);
    }
    return set;
}

} // namespace migsafe::model
