// Loading a migration directory. Mixing layouts in one directory is refused: it nearly
// always means two tools write to the same folder, and their orderings or up/down pairings
// would disagree (docs/migrations.md).
#include "model/dbmate_sections.hpp"
#include "model/layout.hpp"
#include "platform/enum_names.hpp"
#include "platform/parallel.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace migsafe::model {
namespace {

/// How much of a file is read at load time. Down files stay text: only what uses them
/// (compensate, rehearse) reads them, with read_down(), so that a down file with newer
/// syntax or a bad directive is reported there and never stops sum, plan, status or apply.
enum class Depth { text, directives, statements };

Depth depth_of(detail::Role role, const LoadOptions& options)
{
    if (role == detail::Role::down) {
        return Depth::text;
    }
    return options.parse_statements == ParseStatements::yes ? Depth::statements : Depth::directives;
}

void parse_file(MigrationFile& file, Depth depth)
{
    if (depth != Depth::text) {
        file.directives = parse_directives(file.text, file.path);
    }
    if (depth == Depth::statements) {
        file.statements = parse_sql(file.text, file.path);
    }
}

// One named file read and parsed; a dbmate file gives its up and its down section.
struct LoadedFile {
    MigrationFile file;
    bool dbmate = false; ///< a dbmate file: `file` is its up section
    std::optional<MigrationFile> dbmate_down;
};

MigrationFile dbmate_section(const MigrationFile& whole, const detail::DbmateSection& section,
                             Depth depth)
{
    MigrationFile file{.path = whole.path,
                       .relative_path = whole.relative_path,
                       .text = section.text,
                       .statements = {},
                       .directives = {}};
    parse_file(file, depth);
    if (!section.transactional) {
        file.directives.transactional = Transactional::no;
    }
    return file;
}

LoadedFile load_file(const detail::NamedFile& named, const std::filesystem::path& directory,
                     const LoadOptions& options)
{
    LoadedFile loaded;
    MigrationFile& file = loaded.file;
    file.path = named.path;
    file.relative_path = named.path.lexically_relative(directory).generic_string();
    file.text = platform::read_file(named.path);
    // A file with dbmate's markers never runs as a whole: its down section would undo its
    // up section in the same run.
    if (detail::has_dbmate_markers(file.text)) {
        if (named.layout != Layout::migsafe) {
            throw Error("migration-layout-invalid",
                        file.relative_path + " is a " + std::string(to_string(named.layout)) +
                            " migration with dbmate's `-- migrate:` markers",
                        {.file = named.path.string()},
                        "dbmate files are named <version>_<name>.sql; remove the markers or "
                        "rename the file");
        }
        const auto sections = detail::split_dbmate(file.text, file.path);
        MigrationFile whole = std::move(file);
        loaded.dbmate = true;
        loaded.file = dbmate_section(whole, sections.up, depth_of(named.role, options));
        if (sections.down) {
            loaded.dbmate_down =
                dbmate_section(whole, *sections.down, depth_of(detail::Role::down, options));
            loaded.dbmate_down->relative_path += "#down";
        }
        return loaded;
    }
    parse_file(file, depth_of(named.role, options));
    return loaded;
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

template <class Item, class LayoutOf, class PathOf>
void check_one_layout(const std::vector<Item>& items, LayoutOf layout_of, PathOf path_of)
{
    for (const auto& item : items) {
        if (layout_of(item) != layout_of(items.front())) {
            throw Error("migration-layout-invalid",
                        "the directory mixes layouts: " + path_of(items.front()) + " is " +
                            std::string(to_string(layout_of(items.front()))) + ", " +
                            path_of(item) + " is " + std::string(to_string(layout_of(item))),
                        {.file = path_of(item)},
                        "use one layout per directory: rename the files of one of them");
        }
    }
}

// `V1.2.0` and `V1.2` are one version to Flyway: say so when the names differ.
std::string same_version_note(const detail::NamedFile& a, const detail::NamedFile& b)
{
    if (a.version.parts().size() == b.version.parts().size()) {
        return {};
    }
    return " (" + a.version_as_written + " and " + b.version_as_written +
           " are the same version: a missing part counts as 0)";
}

// Prisma writes `migration_lock.toml` with the provider its migrations are written for.
void check_prisma_provider(const std::filesystem::path& directory)
{
    const auto lock = directory / "migration_lock.toml";
    std::error_code ec;
    if (!std::filesystem::exists(lock, ec)) {
        return;
    }
    const auto provider = detail::prisma_provider(platform::read_file(lock), lock);
    if (provider != "postgresql") {
        throw Error("migration-layout-invalid",
                    lock.string() + " says the migrations are for provider `" + provider +
                        "`, not postgresql",
                    {.file = lock.string()},
                    "point --dir at the migrations of a PostgreSQL Prisma project");
    }
}

} // namespace

constexpr platform::EnumNames<Layout, 6> k_layout_names{
    {{{Layout::migsafe, "migsafe"},
      {Layout::flyway, "flyway"},
      {Layout::golang_migrate, "golang-migrate"},
      {Layout::folders, "folders"},
      {Layout::prisma, "prisma"},
      {Layout::dbmate, "dbmate"}}}};
static_assert(k_layout_names.unique());

std::string_view to_string(Layout layout) noexcept
{
    return k_layout_names.name(layout);
}

std::optional<Layout> parse_layout(std::string_view text) noexcept
{
    return k_layout_names.value(text);
}

const Migration* MigrationSet::find(const Version& version) const noexcept
{
    const auto it = std::lower_bound(
        migrations.begin(), migrations.end(), version,
        [](const Migration& migration, const Version& key) { return migration.version < key; });
    return it != migrations.end() && it->version == version ? &*it : nullptr;
}

std::optional<MigrationFile> read_down(const Migration& migration)
{
    if (!migration.down) {
        return std::nullopt;
    }
    MigrationFile file = *migration.down;
    // A dbmate section's `transaction:false` is known from its marker, not its directives.
    const bool no_transaction = file.directives.transactional == Transactional::no;
    file.directives = parse_directives(file.text, file.path);
    if (no_transaction) {
        file.directives.transactional = Transactional::no;
    }
    file.statements = parse_sql(file.text, file.path);
    return file;
}

MigrationSet load_migration_set(const std::filesystem::path& directory, const LoadOptions& options)
{
    const auto files = list_named_files(directory);
    check_one_layout(
        files, [](const detail::NamedFile& f) { return f.layout; },
        [](const detail::NamedFile& f) { return f.path.string(); });
    if (!files.empty() && files.front().layout == Layout::prisma) {
        check_prisma_provider(directory);
    }
    std::map<Version, const detail::NamedFile*> ups;
    std::map<Version, const detail::NamedFile*> downs;
    for (const auto& file : files) {
        auto& slot = file.role == detail::Role::up ? ups : downs;
        auto [it, inserted] = slot.emplace(file.version, &file);
        if (!inserted) {
            throw Error("migration-version-duplicate",
                        "migration version " + file.version.text() + " is used by both " +
                            it->second->path.string() + " and " + file.path.string() +
                            same_version_note(*it->second, file),
                        {.file = file.path.string()});
        }
    }
    for (const auto& [version, down] : downs) {
        if (!ups.contains(version)) {
            throw Error("migration-layout-invalid",
                        down->path.string() + " is a down migration without its up migration",
                        {.file = down->path.string()},
                        "add the up migration of version " + version.text() +
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
    std::vector<LoadedFile> loaded(order.size());
    platform::parallel_for(order.size(), platform::usable_cores(), [&](std::size_t i) {
        loaded[i] = load_file(*order[i], directory, options);
    });
    MigrationSet set{.directory = directory, .migrations = {}};
    for (std::size_t i = 0; i < order.size(); ++i) {
        const detail::NamedFile& file = *order[i];
        if (file.role == detail::Role::up) {
            set.migrations.push_back({.version = file.version,
                                      .name = file.name,
                                      .layout = loaded[i].dbmate ? Layout::dbmate : file.layout,
                                      .version_as_written = file.version_as_written,
                                      .entry_name = file.entry_name,
                                      .up = std::move(loaded[i].file),
                                      .down = std::move(loaded[i].dbmate_down)});
        } else {
            set.migrations.back().down = std::move(loaded[i].file);
        }
    }
    check_one_layout(
        set.migrations, [](const Migration& m) { return m.layout; },
        [](const Migration& m) { return m.up.path.string(); });
    if (options.layout && !set.migrations.empty() &&
        set.migrations.front().layout != *options.layout) {
        throw Error("migration-layout-invalid",
                    fmt::format("{} holds {} migrations (e.g. {}), not {} ones", directory.string(),
                                to_string(set.migrations.front().layout),
                                set.migrations.front().up.relative_path,
                                to_string(*options.layout)),
                    {.file = directory.string()},
                    "fix --layout (or [migrations] layout in migsafe.toml), or point --dir at the "
                    "right directory");
    }
    if (options.check_sum == CheckSum::yes) {
        require_sum_file(set);
    }
    return set;
}

} // namespace migsafe::model
