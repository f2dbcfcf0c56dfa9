#pragma once
// Private: which table of a report an integrity difference is about, for both drills.

#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/report.hpp>

#include <string>
#include <vector>

namespace migsafe::workflow::detail {

/// The table of `report` difference `d` is about (`public.t` for `public.t.constraint`
/// too), or null when it names none.
const integrity::TableReport* table_of(const integrity::Difference& d,
                                       const integrity::IntegrityReport& report);

/// The tables `differences` are about, sorted, each once; a difference about no table of
/// `report` gives its own object.
std::vector<std::string> differing_tables(const std::vector<integrity::Difference>& differences,
                                          const integrity::IntegrityReport& report);

} // namespace migsafe::workflow::detail
