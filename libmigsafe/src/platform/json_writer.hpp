#pragma once
// Private: a JSON document written straight into a string, for reports too large to build
// as a tree first (a plan of thousands of statements). The layout is the one
// nlohmann::json::dump(2) produces (two-space indent, `"key": value`, `[]` and `{}` when
// empty), so a streamed report reads, and compares, exactly like a dumped one. Strings are
// UTF-8; a byte that does not start or continue a valid sequence is written as U+FFFD.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform {

class JsonWriter {
public:
    explicit JsonWriter(std::string& out)
        : m_out(out)
    {
    }

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    /// The key of the next value in the current object.
    void key(std::string_view name);

    void value(std::string_view text);
    void value(const char* text) { value(std::string_view(text)); }
    void value(const std::string& text) { value(std::string_view(text)); }
    void value(std::int64_t number);
    void value(int number) { value(static_cast<std::int64_t>(number)); }
    void value(bool flag);
    void null();

    /// `key(name); value(v);`
    template <typename T>
    void member(std::string_view name, const T& v)
    {
        key(name);
        value(v);
    }

    /// A JSON string literal for `text`, quotes included, as the writer escapes it.
    static void append_string(std::string& out, std::string_view text);

private:
    void before_value();
    void open(char bracket);
    void close(char bracket);

    struct Level {
        bool empty = true;
    };
    std::string& m_out;
    std::vector<Level> m_levels;
    bool m_after_key = false;
};

} // namespace migsafe::platform
