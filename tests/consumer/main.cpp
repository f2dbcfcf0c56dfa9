// A tiny deploy tool linking the installed libmigsafe. It exercises a few public entry
// points and exits non-zero if any answer is wrong.
#include <migsafe/migsafe.hpp>

#include <cstdio>
#include <string>

int main()
{
    int failures = 0;
    auto check = [&](bool ok, const char* what) {
        std::printf("%s %s\n", ok ? "ok" : "FAILED", what);
        failures += ok ? 0 : 1;
    };
    check(migsafe::xxh3_128("abc").to_hex() == "06b05ab6733a618578af5f94892f3950", "xxh3_128");
    check(migsafe::redact_conninfo("postgresql://u:pw@h/d") == "postgresql://u:***@h/d",
          "redact_conninfo");
    try {
        (void)migsafe::parse_duration("ten seconds", "--wait");
        check(false, "parse_duration throws");
    } catch (const migsafe::Error& e) {
        check(e.code() == "input-invalid-duration" && migsafe::exit_code_for(e.category()) == 2,
              "migsafe::Error from the library");
    }
    // parse_sql links libpg_query through the library (Libs.private / find_dependency).
    const auto statements = migsafe::model::parse_sql("CREATE INDEX ON t (a);", "x.sql");
    check(statements.size() == 1 &&
              statements[0].kind == migsafe::model::StatementKind::create_index,
          "model::parse_sql");
    std::printf("libmigsafe %s\n", MIGSAFE_VERSION_STRING);
    return failures == 0 ? 0 : 1;
}
