#pragma once
// What the peer tests read of `migsafe status --json`: the exit code, the counts and the
// guard's uncovered histories.

#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace migsafe::test {

struct PeerStatus {
    int exit_code = -1;
    nlohmann::json counts;
    nlohmann::json uncovered; ///< report.uncovered_histories
};

inline PeerStatus migsafe_status(const TestDatabase& db, const std::string& dir)
{
    auto result = run_cli({"status", "--db", db.conninfo(), "--dir", dir, "--json"});
    INFO(result.out, result.err);
    PeerStatus status{.exit_code = result.exit_code, .counts = {}, .uncovered = {}};
    const auto doc = nlohmann::json::parse(result.out, nullptr, false);
    if (!doc.is_discarded() && doc.contains("report")) {
        status.counts = doc["report"]["counts"];
        status.uncovered = doc["report"].value("uncovered_histories", nlohmann::json::array());
    }
    return status;
}

} // namespace migsafe::test
