#include "model/did_you_mean.hpp"
#include "model/source_text.hpp"

#include <migsafe/model/directive.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>

#include <array>
#include <cctype>
#include <charconv>

namespace migsafe::model {
namespace {

constexpr std::string_view k_prefix = "migsafe:";
constexpr std::array<std::string_view, 5> k_directives{"phase", "no-transaction", "allow",
                                                       "backfill", "requires-flag"};
constexpr std::array<std::string_view, 3> k_phases{"expand", "backfill", "contract"};
constexpr std::array<std::string_view, 4> k_backfill_keys{"key", "batch", "pause", "yield"};
constexpr std::array<std::string_view, 2> k_requires_flag_keys{"env", "on-for"};
constexpr std::string_view k_requires_flag_usage =
    "write `-- migsafe:requires-flag KEY [env=production] [on-for=7d]`";

std::string_view trim(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

// Splits off the first whitespace-separated word of `text`.
std::string_view next_word(std::string_view& text)
{
    text = trim(text);
    const auto end = std::min(text.find_first_of(" \t"), text.size());
    auto word = text.substr(0, end);
    text = trim(text.substr(end));
    return word;
}

// MS-<LETTERS>-<two or more digits>, e.g. MS-COL-01.
bool is_rule_id(std::string_view id)
{
    if (!id.starts_with("MS-")) {
        return false;
    }
    id.remove_prefix(3);
    const auto dash = id.find('-');
    if (dash == 0 || dash == std::string_view::npos || id.size() - dash < 3) {
        return false;
    }
    for (std::size_t i = 0; i < id.size(); ++i) {
        const auto c = static_cast<unsigned char>(id[i]);
        const bool ok = i < dash ? std::isupper(c) != 0 : i == dash || std::isdigit(c) != 0;
        if (!ok) {
            return false;
        }
    }
    return true;
}

// A flag key or an environment name: `[a-z0-9][a-z0-9._-]*`, at most 100 characters (the
// flag store's rule, flags::valid_key; the model layer does not depend on flags).
bool is_flag_name(std::string_view name)
{
    if (name.empty() || name.size() > 100) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        const bool alnum = std::islower(c) != 0 || std::isdigit(c) != 0;
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
            return false;
        }
    }
    return true;
}

class DirectiveReader {
public:
    DirectiveReader(const std::filesystem::path& file, Directives& out)
        : m_file(file)
        , m_out(out)
    {
    }

    void read(int line, std::string_view name, std::string_view args)
    {
        m_line = line;
        if (name == "phase") {
            read_phase(args);
        } else if (name == "no-transaction") {
            if (!args.empty()) {
                malformed("`migsafe:no-transaction` takes no argument");
            }
            m_out.transactional = Transactional::no;
        } else if (name == "allow") {
            read_allow(args);
        } else if (name == "backfill") {
            read_backfill(args);
        } else if (name == "requires-flag") {
            read_requires_flag(args);
        } else {
            throw Error("directive-unknown",
                        "unknown directive `migsafe:" + std::string(name) + "`", context(),
                        detail::did_you_mean(name, k_directives) +
                            "use one of phase, no-transaction, allow, backfill, requires-flag "
                            "(docs/migrations.md)");
        }
    }

    [[noreturn]] void malformed(const std::string& message, const std::string& hint = {}) const
    {
        throw Error("directive-malformed", message, context(), hint);
    }

private:
    ErrorContext context() const { return {.file = m_file.string(), .line = m_line}; }

    void read_phase(std::string_view args)
    {
        if (m_out.phase) {
            malformed("`migsafe:phase` is given twice");
        }
        const auto value = next_word(args);
        for (std::size_t i = 0; i < k_phases.size(); ++i) {
            if (value == k_phases[i] && args.empty()) {
                m_out.phase = static_cast<Phase>(i);
                return;
            }
        }
        malformed("`migsafe:phase` needs one of expand, backfill, contract, not `" +
                      std::string(value) + "`",
                  detail::did_you_mean(value, k_phases) +
                      "write `-- migsafe:phase expand|backfill|contract`");
    }

    void read_allow(std::string_view args)
    {
        const auto rule = next_word(args);
        if (!is_rule_id(rule)) {
            malformed("`migsafe:allow` needs a rule id like MS-COL-01, not `" + std::string(rule) +
                          "`",
                      "write `-- migsafe:allow RULE-ID reason`");
        }
        if (args.empty()) {
            malformed("`migsafe:allow " + std::string(rule) + "` needs a reason",
                      "say why the finding is acceptable: `-- migsafe:allow " + std::string(rule) +
                          " reason`");
        }
        m_out.allowed.push_back({std::string(rule), std::string(args), m_line});
    }

    void read_backfill(std::string_view args)
    {
        if (m_out.backfill) {
            malformed("`migsafe:backfill` is given twice");
        }
        BackfillSettings settings;
        settings.line = m_line;
        while (!args.empty()) {
            const auto word = next_word(args);
            const auto equals = word.find('=');
            const auto key = word.substr(0, equals);
            const auto value =
                equals == std::string_view::npos ? std::string_view() : word.substr(equals + 1);
            if (value.empty()) {
                malformed("`migsafe:backfill` needs key=value, not `" + std::string(word) + "`",
                          "write `-- migsafe:backfill key=id batch=1000 pause=50ms`");
            }
            read_backfill_setting(key, value, settings);
        }
        if (settings.key.empty()) {
            malformed("`migsafe:backfill` needs key=COLUMN",
                      "write `-- migsafe:backfill key=id batch=1000 pause=50ms`");
        }
        m_out.backfill = settings;
    }

    void read_backfill_setting(std::string_view key, std::string_view value,
                               BackfillSettings& settings) const
    {
        if (key == "key") {
            settings.key = value;
        } else if (key == "batch") {
            const auto* end = value.data() + value.size();
            auto [ptr, ec] = std::from_chars(value.data(), end, settings.batch_size);
            if (ec != std::errc() || ptr != end || settings.batch_size <= 0) {
                malformed("`migsafe:backfill` batch must be a positive integer, not `" +
                              std::string(value) + "`",
                          "write batch=1000");
            }
        } else if (key == "pause") {
            try {
                settings.pause = parse_duration(value, "pause");
            } catch (const Error&) {
                malformed("`migsafe:backfill` pause must be a duration, not `" +
                              std::string(value) + "`",
                          "write durations like 50ms, 1s or 2m");
            }
        } else if (key == "yield") {
            if (value != "on" && value != "off") {
                malformed("`migsafe:backfill` yield must be on or off, not `" + std::string(value) +
                              "`",
                          "write yield=off to pause exactly pause= between batches");
            }
            settings.yield = value == "off" ? BackfillYield::off : BackfillYield::adaptive;
        } else {
            malformed("`migsafe:backfill` has no setting `" + std::string(key) + "`",
                      detail::did_you_mean(key, k_backfill_keys) +
                          "the settings are key, batch, pause, yield");
        }
    }

    void read_requires_flag(std::string_view args)
    {
        FlagRequirement requirement;
        requirement.line = m_line;
        requirement.key = next_word(args);
        if (requirement.key.empty()) {
            malformed("`migsafe:requires-flag` needs a flag key",
                      std::string(k_requires_flag_usage));
        }
        if (requirement.key.find('=') != std::string::npos || !is_flag_name(requirement.key)) {
            malformed("`migsafe:requires-flag` needs a flag key like new-checkout, not `" +
                          requirement.key + "`",
                      "a key is lowercase letters, digits, `.`, `_` and `-`; " +
                          std::string(k_requires_flag_usage));
        }
        while (!args.empty()) {
            const auto word = next_word(args);
            const auto equals = word.find('=');
            const auto key = word.substr(0, equals);
            const auto value =
                equals == std::string_view::npos ? std::string_view() : word.substr(equals + 1);
            if (value.empty()) {
                malformed("`migsafe:requires-flag` needs key=value after the flag, not `" +
                              std::string(word) + "`",
                          std::string(k_requires_flag_usage));
            }
            read_requires_flag_setting(key, value, requirement);
        }
        for (const auto& other : m_out.required_flags) {
            if (other.key == requirement.key && other.env == requirement.env) {
                malformed("`migsafe:requires-flag " + requirement.key + " env=" + requirement.env +
                              "` is given twice (first on line " + std::to_string(other.line) + ")",
                          "keep one line per flag and environment");
            }
        }
        m_out.required_flags.push_back(std::move(requirement));
    }

    void read_requires_flag_setting(std::string_view key, std::string_view value,
                                    FlagRequirement& requirement) const
    {
        if (key == "env") {
            if (!is_flag_name(value)) {
                malformed("`migsafe:requires-flag` env must be an environment name like "
                          "production, not `" +
                              std::string(value) + "`",
                          "an environment is lowercase letters, digits, `.`, `_` and `-`");
            }
            requirement.env = value;
        } else if (key == "on-for") {
            std::chrono::milliseconds duration{};
            try {
                duration = parse_duration(value, "on-for");
            } catch (const Error&) {
                malformed("`migsafe:requires-flag` on-for must be a duration, not `" +
                              std::string(value) + "`",
                          "write durations like 7d, 12h or 30m");
            }
            if (duration.count() < 0 || duration % std::chrono::seconds(1) != duration.zero()) {
                malformed("`migsafe:requires-flag` on-for must be whole seconds or more, not `" +
                              std::string(value) + "`",
                          "write durations like 7d, 12h or 30m");
            }
            requirement.on_for = std::chrono::duration_cast<std::chrono::seconds>(duration);
        } else {
            malformed("`migsafe:requires-flag` has no setting `" + std::string(key) + "`",
                      detail::did_you_mean(key, k_requires_flag_keys) +
                          "the settings are env, on-for");
        }
    }

    const std::filesystem::path& m_file;
    Directives& m_out;
    int m_line = 0;
};

} // namespace

std::string_view to_string(Phase phase) noexcept
{
    return k_phases.at(static_cast<std::size_t>(phase));
}

Directives parse_directives(std::string_view sql, const std::filesystem::path& file)
{
    detail::require_utf8(sql, file);
    Directives directives;
    DirectiveReader reader(file, directives);
    bool leading = true;
    bool in_block_comment = false;
    int line_number = 0;
    std::size_t start = 0;
    while (start < sql.size()) {
        const auto end = std::min(sql.find('\n', start), sql.size());
        const auto line = trim(sql.substr(start, end - start));
        start = end + 1;
        ++line_number;
        if (in_block_comment) {
            in_block_comment = line.find("*/") == std::string_view::npos;
            continue;
        }
        if (line.empty()) {
            continue;
        }
        if (line.starts_with("/*")) {
            in_block_comment = line.find("*/") == std::string_view::npos;
            continue;
        }
        if (!line.starts_with("--")) {
            leading = false;
            continue;
        }
        auto body = trim(line.substr(2));
        if (!body.starts_with(k_prefix)) {
            continue;
        }
        body.remove_prefix(k_prefix.size());
        if (!leading) {
            throw Error("directive-malformed",
                        "directive `migsafe:" + std::string(next_word(body)) +
                            "` comes after the first statement",
                        {.file = file.string(), .line = line_number},
                        "move directives to the comment block at the top of the file");
        }
        const auto name = next_word(body);
        reader.read(line_number, name, body);
    }
    return directives;
}

} // namespace migsafe::model
