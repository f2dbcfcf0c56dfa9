#pragma once
// Shared helpers of the integrity db tests: tables made inside each test's own database.

#include <migsafe/integrity/report.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/session.hpp>

#include <string>

namespace migsafe::test::integrity {

/// `rows` rows of many types (numeric, timestamptz, jsonb, uuid, text, bytea, float,
/// interval, NULLs) in `public.items`, with an integer primary key `id` from 1.
inline std::string items_sql(int rows, const std::string& order = "g")
{
    return "CREATE TABLE items (id int PRIMARY KEY, amount numeric, at timestamptz, "
           "doc jsonb, ref uuid, note text, raw bytea, ratio float8, span interval);"
           "INSERT INTO items SELECT g, g / 7.0, timestamptz '2024-03-31 01:30+00' + g * "
           "interval '17 minutes', jsonb_build_object('n', g, 'tags', jsonb_build_array(g % 3)),"
           " md5(g::text)::uuid, CASE WHEN g % 11 = 0 THEN NULL ELSE 'note ' || g END, "
           "decode(md5(g::text), 'hex'), g / 3.0::float8, g * interval '1 second' "
           "FROM generate_series(1, " +
           std::to_string(rows) + ") g ORDER BY " + order;
}

/// The report's entry for `qualified`; fails the test when it is missing.
inline const migsafe::integrity::TableReport&
table_of(const migsafe::integrity::IntegrityReport& report, const std::string& qualified)
{
    const auto* table = report.find_table(qualified);
    if (table == nullptr) {
        throw std::runtime_error("no table " + qualified + " in the report");
    }
    return *table;
}

} // namespace migsafe::test::integrity
