// migsafe flag serve: the flags panel, a small web page over the flag store, until
// SIGINT/SIGTERM (docs/flags.md, "Panel").
#include "command.hpp"

#include <migsafe/flags/panel.hpp>
#include <migsafe/platform/interrupt.hpp>

#include <iostream>
#include <memory>

namespace migsafe::cli {
namespace {

struct ServeArgs {
    std::string db;
    std::string listen = "127.0.0.1:8080";
    std::string token_file;
    std::string env = "production";
    bool allow_remote = false;
};

Outcome run_serve(const ServeArgs& args)
{
    const auto allow_remote = args.allow_remote ? flags::AllowRemote::yes : flags::AllowRemote::no;
    // The address first: a wrong --listen is said before the token or the database.
    (void)flags::parse_listen_address(args.listen, allow_remote);
    auto token = flags::panel_token(args.token_file.empty()
                                        ? std::nullopt
                                        : std::optional<std::filesystem::path>(args.token_file));
    flags::Panel panel({.conninfo = resolve_conninfo(args.db),
                        .listen = args.listen,
                        .allow_remote = allow_remote,
                        .token = std::move(token),
                        .default_env = args.env});
    // A first SIGINT/SIGTERM stops the server; run() returns and the command ends with
    // 130/143 (run_command) once the panel's sessions are closed.
    interrupt::Unwind unwind;
    interrupt::Cleanup stop(
        "stop the flags panel", [&panel] { panel.stop(); }, interrupt::When::at_once);
    std::cerr << "migsafe: flags panel on " << panel.url()
              << " (log in with the panel's token; Ctrl-C stops it)" << std::endl;
    panel.run();
    return Outcome{};
}

} // namespace

void register_flag_serve(CLI::App& flag_command, Selected& selected)
{
    auto args = std::make_shared<ServeArgs>();
    auto* sub = flag_command.add_subcommand(
        "serve", "Serve the flags panel: a web page listing the flags per environment, their "
                 "history and an evaluate box, with toggle, rollout and kill controls that ask "
                 "for a reason");
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--listen", args->listen,
                    "Address to listen on, HOST:PORT (default 127.0.0.1:8080; port 0: any free "
                    "port)");
    sub->add_flag("--allow-remote", args->allow_remote,
                  "Allow a --listen address that is not loopback (put TLS in front of it)");
    sub->add_option("--token-file", args->token_file,
                    "Read the access token from the first line of this file (else "
                    "MIGSAFE_PANEL_TOKEN; never on the command line)");
    sub->add_option("--env", args->env, "Environment the page opens on (default production)");
    sub->footer("Examples:\n"
                "  MIGSAFE_PANEL_TOKEN=$(openssl rand -hex 32) migsafe flag serve --db \"$DB\"\n"
                "  migsafe flag serve --token-file ~/.config/migsafe/panel.token --listen "
                "127.0.0.1:9000\n"
                "Every change asks for a reason and lands in the flag's event log as "
                "panel:NAME. Runs until SIGINT/SIGTERM (exit 130/143).");
    sub->callback([&selected, args] {
        selected = {.name = "flag serve", .format = OutputFormat::text, .body = [args] {
                        return run_serve(*args);
                    }};
    });
}

} // namespace migsafe::cli
