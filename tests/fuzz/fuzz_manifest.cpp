// Fuzz target: a snapshot manifest. The input is read as it is (a random text almost never
// carries a right self-hash), and, when it is a JSON object, once more with its
// `manifest_hash` made right, so that the field readers behind the hash check are reached
// too. A manifest that reads is written and read again to an equal manifest.
#include "fuzz_support.hpp"
#include "platform/json_depth.hpp"

#include <migsafe/platform/hash.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace {

void read_and_round_trip(std::string_view text)
{
    using namespace migsafe;
    fuzz::expect_only_migsafe_errors([&] {
        const auto manifest = snapshot::Manifest::from_json(text);
        const auto again = snapshot::Manifest::from_json(manifest.to_json());
        fuzz::require(again == manifest, "a manifest reads back to an equal manifest");
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using nlohmann::json;
    const auto text = migsafe::fuzz::as_text(data, size);
    read_and_round_trip(text);
    if (migsafe::platform::json_nesting_depth(text) > 64) {
        return 0; // from_json refuses it before parsing; dump() below would recurse
    }
    auto document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return 0;
    }
    document.erase("manifest_hash");
    const auto replace = json::error_handler_t::replace;
    document["manifest_hash"] = migsafe::xxh3_128(document.dump(-1, ' ', false, replace)).to_hex();
    read_and_round_trip(document.dump(2, ' ', false, replace));
    return 0;
}
