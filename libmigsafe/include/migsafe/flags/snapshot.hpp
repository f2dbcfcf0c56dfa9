#pragma once

/// Evaluation in memory: a snapshot of every flag, asked `is_enabled(key, context)` with
/// no database round trip (docs/flags.md, "Evaluation").

#include <migsafe/export.hpp>
#include <migsafe/flags/flag.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe::flags {

/// Who and where a flag is evaluated for.
struct Context {
    std::string_view user_id{}; ///< the subject (stickiness id); empty: none
    std::string_view env{};     ///< empty: the snapshot's default environment
    /// Other attributes constraints may test, as name/value pairs.
    std::vector<std::pair<std::string_view, std::string_view>> attributes{};
};

/// Why a flag evaluated as it did.
struct Explanation {
    bool enabled = false;
    std::string reason;        ///< e.g. `bucket 37 <= rollout 50`, `in the off list`
    std::optional<int> bucket; ///< the subject's bucket 1..100, when a rollout decided
    std::string env;           ///< the environment evaluated
};

/// An immutable set of flags, indexed for evaluation. Thread-safe to read.
class MIGSAFE_API Snapshot {
public:
    Snapshot();
    /// Indexes `flags` (archived ones evaluate as off). `default_env` is used when a
    /// context names no environment. `generation` is the store's change counter.
    Snapshot(std::vector<Flag> flags, std::string default_env, std::int64_t generation = 0);
    ~Snapshot();
    Snapshot(Snapshot&&) noexcept;
    Snapshot& operator=(Snapshot&&) noexcept;

    /// Whether `key` is on for `context`. Unknown or archived flags, and environments
    /// without a state, are off (the safe default). Cost: a hash lookup and, for a
    /// partial rollout, one MurmurHash3 of `GROUP:ID`; no allocation.
    bool is_enabled(std::string_view key, const Context& context) const noexcept;
    /// The same decision with its reason.
    Explanation explain(std::string_view key, const Context& context) const;

    const std::vector<Flag>& flags() const noexcept;
    const Flag* find(std::string_view key) const noexcept;
    std::int64_t generation() const noexcept;
    const std::string& default_env() const noexcept;

private:
    struct Index;
    std::unique_ptr<Index> m_index;
};

} // namespace migsafe::flags
