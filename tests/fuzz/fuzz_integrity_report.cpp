// Fuzz target: an integrity report (`verify --baseline FILE`). A report that reads is
// written and read again to an equal report.
#include "fuzz_support.hpp"

#include <migsafe/integrity/report.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace migsafe;
    fuzz::expect_only_migsafe_errors([&] {
        const auto report = integrity::IntegrityReport::from_json(fuzz::as_text(data, size));
        const auto again = integrity::IntegrityReport::from_json(report.to_json());
        fuzz::require(again == report, "a report reads back to an equal report");
    });
    return 0;
}
