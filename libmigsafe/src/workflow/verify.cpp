// migsafe verify as one call (include/migsafe/workflow/verify.hpp): scan, save, compare,
// localise, amcheck, in that order.
#include <migsafe/integrity/diff.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>
#include <migsafe/workflow/verify.hpp>

namespace migsafe::workflow {
namespace {

/// The saved report at `path`; a report that does not parse is named by its file.
integrity::IntegrityReport read_baseline(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) {
        throw Error("input-not-found", "cannot read the baseline report " + path.string(),
                    {.file = path.string()},
                    "pass a report written by `migsafe verify --out FILE`");
    }
    try {
        return integrity::IntegrityReport::from_json(platform::read_file(path));
    } catch (const Error& e) {
        if (!e.context().file.empty()) {
            throw;
        }
        throw Error(e.code(), e.message(), {.file = path.string()}, e.hint());
    }
}

} // namespace

VerifyResult verify(const VerifyRequest& request)
{
    VerifyResult result;
    if (!request.against.empty()) {
        result.comparison = integrity::compare_databases(
            request.conninfo, request.against,
            {.scan = request.scan,
             .show_rows = request.show_rows ? integrity::ShowRows::yes : integrity::ShowRows::no});
        return result;
    }
    auto scan = request.scan;
    if (!request.baseline.empty()) {
        result.baseline = read_baseline(request.baseline);
        result.baseline_path = request.baseline;
        // The same range bounds as the baseline's, so that its range hashes compare.
        scan.range_bounds = integrity::range_bounds_of(*result.baseline);
    }
    result.report = integrity::scan(request.conninfo, scan);
    if (!request.out.empty()) {
        platform::write_file_durably(request.out, result.report.to_json());
    }
    if (result.baseline) {
        result.differences = integrity::diff(*result.baseline, result.report);
        result.localisations = integrity::localise(*result.baseline, result.report);
        if (request.show_rows) {
            integrity::add_live_keys(request.conninfo, result.localisations,
                                     request.max_listed_keys, scan.lock_timeout);
        }
    } else {
        result.differences = integrity::problems(result.report);
    }
    if (request.amcheck) {
        result.amcheck = integrity::run_amcheck(request.conninfo);
    }
    return result;
}

bool VerifyResult::passed() const noexcept
{
    if (comparison) {
        return comparison->equal();
    }
    return differences.empty() && !(amcheck && amcheck->corruption_found);
}

} // namespace migsafe::workflow
