#pragma once

// What migsafe knows of syntax newer than its PostgreSQL 15 parser: forms of PostgreSQL 16
// to 18 recognised from a statement's words, each with what it does in terms the planner
// already knows (docs/plan.md, "PostgreSQL versions").

#include <migsafe/model/statement.hpp>

#include <optional>
#include <string>

namespace migsafe::plan::detail {

/// A recognised newer form.
struct NewerForm {
    int since = 16;      ///< the first PostgreSQL major version that accepts it
    std::string name{};  ///< e.g. `ADD CONSTRAINT ... NOT NULL`
    std::string table{}; ///< the table it alters, qualified
    /// A PostgreSQL 15 statement with the same locks, rewrite and scan, planned in its
    /// place; empty when `rewrites` says it all.
    std::string equivalent{};
    bool rewrites = false; ///< recomputes every row under AccessExclusiveLock
};

/// The newer form `statement` is, when it is one of those migsafe knows: ADD [CONSTRAINT c]
/// NOT NULL col [NOT VALID] (18), ALTER COLUMN c SET EXPRESSION AS (...) (17), ADD COLUMN
/// ... GENERATED ALWAYS AS (...) [VIRTUAL] (18). One ALTER TABLE action only.
std::optional<NewerForm> recognise_newer_form(const model::Unparsed& statement);

} // namespace migsafe::plan::detail
