#pragma once
// libpq's messages end with a newline and may span lines; a migsafe message is one line.

#include <string>
#include <string_view>

namespace migsafe::platform {

/// `text` on one line: newlines and tabs become one space, trailing spaces go.
inline std::string one_line(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\t') {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

} // namespace migsafe::platform
