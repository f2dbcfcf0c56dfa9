// Evaluation in memory (docs/flags.md, "Evaluation"): the flags indexed by key, each
// environment's lists sorted for binary search, so `is_enabled` is a hash lookup, a few
// comparisons and at most one MurmurHash3, without allocating.
#include <migsafe/flags/bucket.hpp>
#include <migsafe/flags/snapshot.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace migsafe::flags {
namespace {

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept
    {
        return std::hash<std::string_view>{}(text);
    }
};

/// One environment's state, ready to evaluate.
struct CompiledEnvironment {
    const EnvironmentState* state = nullptr;
    std::vector<std::string_view> on_list;  ///< sorted
    std::vector<std::string_view> off_list; ///< sorted
};

struct CompiledFlag {
    const Flag* flag = nullptr;
    std::vector<CompiledEnvironment> environments;

    const CompiledEnvironment* environment(std::string_view env) const noexcept
    {
        for (const auto& compiled : environments) {
            if (compiled.state->env == env) {
                return &compiled;
            }
        }
        return nullptr;
    }
};

std::vector<std::string_view> sorted_view(const std::vector<std::string>& values)
{
    std::vector<std::string_view> out(values.begin(), values.end());
    std::sort(out.begin(), out.end());
    return out;
}

bool contains(const std::vector<std::string_view>& sorted, std::string_view value) noexcept
{
    return std::binary_search(sorted.begin(), sorted.end(), value);
}

std::optional<std::string_view> attribute(const Context& context, std::string_view name) noexcept
{
    if (name == "user_id") {
        return context.user_id;
    }
    for (const auto& [key, value] : context.attributes) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

/// The first constraint that does not hold, or nullptr.
const Constraint* failing_constraint(const EnvironmentState& state, const Context& context) noexcept
{
    for (const auto& constraint : state.constraints) {
        const auto value = attribute(context, constraint.attribute);
        const bool listed = value && std::find(constraint.values.begin(), constraint.values.end(),
                                               *value) != constraint.values.end();
        if (listed == constraint.negated) {
            return &constraint;
        }
    }
    return nullptr;
}

/// The order of the decision, shared by `is_enabled` and `explain`.
enum class Decision {
    unknown,
    archived,
    no_state,
    disabled,
    off_list,
    on_list,
    constraint,
    full,
    no_subject,
    in_bucket,
    out_of_bucket,
};

Decision decide(const CompiledFlag* compiled, std::string_view env, const Context& context,
                int* bucket, const Constraint** failed) noexcept
{
    if (compiled == nullptr) {
        return Decision::unknown;
    }
    if (compiled->flag->archived_at) {
        return Decision::archived;
    }
    const CompiledEnvironment* environment = compiled->environment(env);
    if (environment == nullptr) {
        return Decision::no_state;
    }
    const EnvironmentState& state = *environment->state;
    if (!state.enabled) {
        return Decision::disabled;
    }
    if (!context.user_id.empty() && contains(environment->off_list, context.user_id)) {
        return Decision::off_list;
    }
    if (!context.user_id.empty() && contains(environment->on_list, context.user_id)) {
        return Decision::on_list;
    }
    if (const Constraint* constraint = failing_constraint(state, context)) {
        *failed = constraint;
        return Decision::constraint;
    }
    if (state.rollout >= 100) {
        return Decision::full;
    }
    if (context.user_id.empty() || state.rollout <= 0) {
        return state.rollout <= 0 ? Decision::out_of_bucket : Decision::no_subject;
    }
    *bucket = normalized_value(context.user_id, compiled->flag->rollout_group());
    return *bucket <= state.rollout ? Decision::in_bucket : Decision::out_of_bucket;
}

bool enabled(Decision decision) noexcept
{
    return decision == Decision::on_list || decision == Decision::full ||
           decision == Decision::in_bucket;
}

} // namespace

struct Snapshot::Index {
    std::vector<Flag> flags;
    std::string default_env;
    std::int64_t generation = 0;
    std::unordered_map<std::string_view, CompiledFlag, TransparentHash, std::equal_to<>> by_key;

    const CompiledFlag* find(std::string_view key) const noexcept
    {
        const auto found = by_key.find(key);
        return found == by_key.end() ? nullptr : &found->second;
    }
};

Snapshot::Snapshot()
    : Snapshot(std::vector<Flag>{}, "production", 0)
{
}

Snapshot::Snapshot(std::vector<Flag> flags, std::string default_env, std::int64_t generation)
    : m_index(std::make_unique<Index>())
{
    m_index->flags = std::move(flags);
    m_index->default_env = std::move(default_env);
    m_index->generation = generation;
    m_index->by_key.reserve(m_index->flags.size());
    for (const Flag& flag : m_index->flags) {
        CompiledFlag compiled{&flag, {}};
        for (const EnvironmentState& state : flag.environments) {
            compiled.environments.push_back(CompiledEnvironment{&state, sorted_view(state.on_list),
                                                                sorted_view(state.off_list)});
        }
        m_index->by_key.emplace(std::string_view(flag.key), std::move(compiled));
    }
}

Snapshot::~Snapshot() = default;
Snapshot::Snapshot(Snapshot&&) noexcept = default;
Snapshot& Snapshot::operator=(Snapshot&&) noexcept = default;

bool Snapshot::is_enabled(std::string_view key, const Context& context) const noexcept
{
    const std::string_view env = context.env.empty() ? m_index->default_env : context.env;
    int bucket = 0;
    const Constraint* failed = nullptr;
    return enabled(decide(m_index->find(key), env, context, &bucket, &failed));
}

Explanation Snapshot::explain(std::string_view key, const Context& context) const
{
    Explanation out;
    out.env = std::string(context.env.empty() ? m_index->default_env : context.env);
    const CompiledFlag* compiled = m_index->find(key);
    int bucket = 0;
    const Constraint* failed = nullptr;
    const Decision decision = decide(compiled, out.env, context, &bucket, &failed);
    out.enabled = enabled(decision);
    const int rollout = [&] {
        const EnvironmentState* state =
            compiled != nullptr ? compiled->flag->environment(out.env) : nullptr;
        return state != nullptr ? state->rollout : 0;
    }();
    switch (decision) {
    case Decision::unknown:
        out.reason = fmt::format("no flag `{}`: off by default", key);
        break;
    case Decision::archived:
        out.reason = "the flag is archived: off";
        break;
    case Decision::no_state:
        out.reason = fmt::format("never changed in {}: off by default", out.env);
        break;
    case Decision::disabled:
        out.reason = fmt::format("disabled in {}", out.env);
        break;
    case Decision::off_list:
        out.reason = fmt::format("`{}` is in the off list", context.user_id);
        break;
    case Decision::on_list:
        out.reason = fmt::format("`{}` is in the on list", context.user_id);
        break;
    case Decision::constraint:
        out.reason = fmt::format("constraint `{}` does not hold", to_string(*failed));
        break;
    case Decision::full:
        out.reason = "rollout 100 %";
        break;
    case Decision::no_subject:
        out.reason = fmt::format("rollout {} % and no user id to place in a bucket", rollout);
        break;
    case Decision::in_bucket:
        out.bucket = bucket;
        out.reason = fmt::format("bucket {} <= rollout {} %", bucket, rollout);
        break;
    case Decision::out_of_bucket:
        if (rollout > 0) {
            out.bucket = bucket;
            out.reason = fmt::format("bucket {} > rollout {} %", bucket, rollout);
        } else {
            out.reason = "rollout 0 %";
        }
        break;
    }
    return out;
}

const std::vector<Flag>& Snapshot::flags() const noexcept
{
    return m_index->flags;
}

const Flag* Snapshot::find(std::string_view key) const noexcept
{
    const CompiledFlag* compiled = m_index->find(key);
    return compiled == nullptr ? nullptr : compiled->flag;
}

std::int64_t Snapshot::generation() const noexcept
{
    return m_index->generation;
}

const std::string& Snapshot::default_env() const noexcept
{
    return m_index->default_env;
}

} // namespace migsafe::flags
