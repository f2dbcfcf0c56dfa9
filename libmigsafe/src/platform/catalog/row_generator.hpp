#pragma once
// A generic row generator: gives every empty user table a few rows so that scans show in
// pg_stat_xact_user_tables and validations have something to check.

#include <migsafe/platform/session.hpp>

#include <string>
#include <vector>

namespace migsafe::platform::catalog {

/// What `fill_empty_tables` did.
struct FillResult {
    std::vector<std::string> filled{};  ///< tables that got rows (`schema.name`)
    std::vector<std::string> skipped{}; ///< empty tables no generated row fitted
};

/// Inserts `rows` generated rows into every empty ordinary user table (partitions
/// included, partitioned parents not), each table in its own committed transaction.
/// Column values: the column's default when it has one; otherwise a value made from the
/// row number by type category (numbers 1..rows, text `v1`.., dates from 2020-01-02,
/// the first enum label, empty JSON and arrays, NULL for the rest). Tables whose rows
/// fail (foreign keys, CHECKs, unique booleans) are retried after the others, then
/// skipped. Must run outside a transaction. Cost: a few statements per table.
FillResult fill_empty_tables(Session& session, int rows);

} // namespace migsafe::platform::catalog
