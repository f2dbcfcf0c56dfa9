// compensate::write: the compensation added to the migration directory as its next
// version(s), and migsafe.sum rewritten when the directory has one.
#include "model/version_format.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::compensate {

Written write(const Report& report, const model::MigrationSet& set)
{
    const bool foreign_layout =
        std::any_of(set.migrations.begin(), set.migrations.end(),
                    [](const model::Migration& m) { return m.layout != model::Layout::migsafe; });
    if (foreign_layout) {
        throw Error("compensate-layout-unsupported",
                    fmt::format("{} is not in migsafe's layout (NNNN_name.sql): the compensation "
                                "is not written there",
                                set.directory.string()),
                    {.object = set.directory.string()});
    }
    std::uint64_t next = set.migrations.empty() ? 1 : set.migrations.back().version.major() + 1;
    Written out;
    auto add = [&](const std::string& suffix, const std::string& sql) {
        auto path = set.directory / fmt::format("{:04}_compensate_{:0>4}{}.sql", next,
                                                report.version.text(), suffix);
        platform::write_file_durably(path, sql);
        out.files.push_back(path);
        ++next;
    };
    if (auto sql = report.transactional_sql(); !sql.empty()) {
        add("", sql);
    }
    if (auto sql = report.no_transaction_sql(); !sql.empty()) {
        add("_concurrently", sql);
    }
    if (!out.files.empty() && std::filesystem::exists(set.directory / model::k_sum_file_name)) {
        model::write_sum_file(set.directory);
        out.sum_rewritten = true;
    }
    return out;
}

} // namespace migsafe::compensate
