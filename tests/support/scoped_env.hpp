#pragma once
// Sets (or unsets) an environment variable for one scope, restoring it afterwards.

#include <cstdlib>
#include <optional>
#include <string>

namespace migsafe::test {

class ScopedEnv {
public:
    /// Sets `name` to `value`, or unsets it when `value` is nullopt.
    ScopedEnv(std::string name, const std::optional<std::string>& value)
        : m_name(std::move(name))
    {
        if (const char* old = std::getenv(m_name.c_str())) {
            m_old = old;
        }
        apply(value);
    }
    ~ScopedEnv() { apply(m_old); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    void apply(const std::optional<std::string>& value) const
    {
        if (value) {
            setenv(m_name.c_str(), value->c_str(), 1);
        } else {
            unsetenv(m_name.c_str());
        }
    }
    std::string m_name;
    std::optional<std::string> m_old;
};

} // namespace migsafe::test
