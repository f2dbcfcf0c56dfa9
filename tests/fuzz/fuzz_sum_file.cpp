// Fuzz target: migsafe.sum. A file that reads is rendered and read again to the same sums.
#include "fuzz_support.hpp"

#include <migsafe/model/sum_file.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace migsafe;
    fuzz::expect_only_migsafe_errors([&] {
        const auto sum = model::parse_sum_file(fuzz::as_text(data, size), "migsafe.sum");
        const auto again = model::parse_sum_file(model::render_sum_file(sum), "migsafe.sum");
        fuzz::require(again == sum, "a sum file reads back to the same sums");
    });
    return 0;
}
