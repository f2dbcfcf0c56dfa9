#include "platform/enum_names.hpp"
#include "platform/logging.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/log.hpp>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

namespace migsafe {
namespace {

log::Level from_spdlog(spdlog::level::level_enum level)
{
    switch (level) {
    case spdlog::level::trace:
        return log::Level::trace;
    case spdlog::level::debug:
        return log::Level::debug;
    case spdlog::level::info:
        return log::Level::info;
    case spdlog::level::warn:
        return log::Level::warn;
    case spdlog::level::err:
    case spdlog::level::critical:
        return log::Level::error;
    default:
        return log::Level::off;
    }
}

spdlog::level::level_enum to_spdlog(log::Level level)
{
    switch (level) {
    case log::Level::trace:
        return spdlog::level::trace;
    case log::Level::debug:
        return spdlog::level::debug;
    case log::Level::info:
        return spdlog::level::info;
    case log::Level::warn:
        return spdlog::level::warn;
    case log::Level::error:
        return spdlog::level::err;
    case log::Level::off:
        return spdlog::level::off;
    }
    return spdlog::level::warn;
}

/// Forwards formatted messages to a host's callback.
class CallbackSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit CallbackSink(log::Callback callback)
        : m_callback(std::move(callback))
    {
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        m_callback(from_spdlog(msg.level),
                   std::string_view(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}

private:
    log::Callback m_callback;
};

std::shared_ptr<spdlog::logger> make_logger()
{
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_pattern("migsafe: %l: %v");
    auto created = std::make_shared<spdlog::logger>("migsafe", sink);
    created->set_level(spdlog::level::warn);
    created->flush_on(spdlog::level::trace);
    return created;
}

/// Creates the missing folders of `path` with mode 0700 (existing ones are left as they
/// are), and the file itself with mode 0600, as every file migsafe writes: a log may hold
/// table names, hosts and users. A regular file that already exists is tightened to 0600;
/// anything else (`/dev/stderr`) is used as it is. Throws `io-write-failed`.
void prepare_log_file(const std::string& path)
{
    auto fail = [&](const std::string& what, int error) {
        return Error("io-write-failed",
                     fmt::format("cannot open log file {}: {}: {}", path, what,
                                 std::generic_category().message(error)),
                     {.object = "--log-file"});
    };
    const std::filesystem::path file(path);
    std::vector<std::filesystem::path> missing;
    std::error_code ec;
    for (auto dir = file.parent_path(); !dir.empty() && !std::filesystem::exists(dir, ec);
         dir = dir.parent_path()) {
        missing.push_back(dir);
        if (dir == dir.parent_path()) {
            break;
        }
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
            throw fail("cannot create folder " + it->string(), errno);
        }
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw fail("cannot create it", errno);
    }
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & 0077) != 0 &&
        ::fchmod(fd, 0600) != 0) {
        const int error = errno;
        ::close(fd);
        throw fail("cannot make it private (mode 0600)", error);
    }
    ::close(fd);
}

} // namespace

namespace detail {
spdlog::logger& logger()
{
    static const std::shared_ptr<spdlog::logger> instance = make_logger();
    return *instance;
}
} // namespace detail

namespace log {

void set_level(Level level)
{
    detail::logger().set_level(to_spdlog(level));
}

Level level()
{
    return from_spdlog(detail::logger().level());
}

void set_callback(Callback callback)
{
    auto& sinks = detail::logger().sinks();
    // The first sink is the console (or callback) sink; file sinks follow it.
    spdlog::sink_ptr replacement;
    if (callback) {
        replacement = std::make_shared<CallbackSink>(std::move(callback));
    } else {
        replacement = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        replacement->set_pattern("migsafe: %l: %v");
    }
    if (sinks.empty()) {
        sinks.push_back(replacement);
    } else {
        sinks.front() = replacement;
    }
}

void add_file(const std::string& path)
{
    prepare_log_file(path);
    try {
        auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
        sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [%l] %v");
        detail::logger().sinks().push_back(sink);
    } catch (const spdlog::spdlog_ex& e) {
        throw Error("io-write-failed", fmt::format("cannot open log file {}: {}", path, e.what()),
                    {.object = "--log-file"});
    }
}

namespace {

constexpr platform::EnumNames<Level, 6> k_level_names{{{{Level::trace, "trace"},
                                                        {Level::debug, "debug"},
                                                        {Level::info, "info"},
                                                        {Level::warn, "warn"},
                                                        {Level::error, "error"},
                                                        {Level::off, "off"}}}};
static_assert(k_level_names.unique());

} // namespace

std::optional<Level> parse_level(std::string_view text)
{
    if (text == "warning") {
        return Level::warn;
    }
    return k_level_names.value(text);
}

std::string_view to_string(Level level)
{
    return k_level_names.name(level);
}

} // namespace log
} // namespace migsafe
