// migsafe beside the real dbmate (2.36.0, from the npm registry: tests/peers/install.sh):
// a project dbmate migrated is adopted, then migrated by `migsafe apply --keep-history dbmate`,
// and dbmate itself still agrees: nothing pending, nothing to do.
#include "cli_runner.hpp"
#include "peer_status.hpp"
#include "support/peers.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <stdlib.h>

using migsafe::test::run_cli;
using migsafe::test::run_peer;
using migsafe::test::TestDatabase;

namespace {

/// A dbmate project in a temporary folder: db/migrations/<version>_<name>.sql.
class DbmateProject {
public:
    DbmateProject()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "migsafe-dbmate-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_root = pattern;
        std::filesystem::create_directories(migrations());
    }
    ~DbmateProject()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_root, ec);
    }
    DbmateProject(const DbmateProject&) = delete;
    DbmateProject& operator=(const DbmateProject&) = delete;

    std::filesystem::path migrations() const { return m_root / "db" / "migrations"; }
    const std::filesystem::path& root() const { return m_root; }

    /// Writes one migration in dbmate's format (both sections, as `dbmate new` lays them out).
    void write(const std::string& file, const std::string& up, const std::string& down,
               const std::string& up_options = "")
    {
        std::ofstream(migrations() / file, std::ios::trunc)
            << "-- migrate:up" << (up_options.empty() ? "" : " " + up_options) << "\n"
            << up << "\n\n-- migrate:down\n"
            << down << "\n";
    }

private:
    std::filesystem::path m_root;
};

/// Twelve migrations a team could have run with dbmate for a year.
void write_history(DbmateProject& project)
{
    project.write("20240101000001_create_customers.sql",
                  "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);",
                  "DROP TABLE customers;");
    project.write("20240102000002_create_orders.sql",
                  "CREATE TABLE orders (id bigint PRIMARY KEY,\n"
                  "    customer_id bigint NOT NULL REFERENCES customers (id),\n"
                  "    total numeric(12, 2) NOT NULL);",
                  "DROP TABLE orders;");
    project.write("20240103000003_orders_customer_index.sql",
                  "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);",
                  "DROP INDEX orders_customer_idx;", "transaction:false");
    project.write("20240104000004_add_customer_name.sql",
                  "ALTER TABLE customers ADD COLUMN name text;",
                  "ALTER TABLE customers DROP COLUMN name;");
    project.write("20240105000005_create_products.sql",
                  "CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL UNIQUE);",
                  "DROP TABLE products;");
    project.write("20240106000006_create_order_lines.sql",
                  "CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (id),\n"
                  "    product_id bigint NOT NULL REFERENCES products (id),\n"
                  "    quantity integer NOT NULL CHECK (quantity > 0));",
                  "DROP TABLE order_lines;");
    project.write("20240107000007_order_status_type.sql",
                  "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');",
                  "DROP TYPE order_status;");
    project.write("20240108000008_add_order_status.sql",
                  "ALTER TABLE orders ADD COLUMN status order_status NOT NULL DEFAULT 'new';",
                  "ALTER TABLE orders DROP COLUMN status;");
    project.write("20240109000009_create_audit_log.sql",
                  "CREATE TABLE audit_log (id bigserial PRIMARY KEY, at timestamptz NOT NULL "
                  "DEFAULT now(), what text NOT NULL);",
                  "DROP TABLE audit_log;");
    project.write("20240110000010_products_name.sql", "ALTER TABLE products ADD COLUMN name text;",
                  "ALTER TABLE products DROP COLUMN name;");
    project.write("20240111000011_customers_email_index.sql",
                  "CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);",
                  "DROP INDEX customers_email_key;", "transaction:false");
    project.write("20240112000012_seed_products.sql",
                  "INSERT INTO products (id, sku, name) VALUES (1, 'A-1', 'first');",
                  "DELETE FROM products WHERE id = 1;");
}

std::map<std::string, std::string> dbmate_env(const TestDatabase& db)
{
    auto env = migsafe::test::peer_password_env(db.conninfo());
    env["DATABASE_URL"] = migsafe::test::dbmate_url(db.conninfo());
    return env;
}

std::string value(const TestDatabase& db, const std::string& sql)
{
    return db.connect().query_value(sql).value_or("<null>");
}

} // namespace

TEST_CASE("peers: real dbmate up writes what migsafe expects of dbmate" * doctest::skip())
{
    MIGSAFE_REQUIRE_PEERS(peers);
    TestDatabase db;
    DbmateProject project;
    write_history(project);
    auto up = run_peer(peers.dbmate, {"--no-dump-schema", "up"}, project.root(), dbmate_env(db));
    INFO(up.out, up.err);
    REQUIRE(up.exit_code == 0);
    CHECK(value(db, "SELECT count(*) FROM public.schema_migrations") == "12");
    CHECK(value(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                    "'public.schema_migrations'::regclass AND attname = 'version'") ==
          "character varying");
    auto status = run_peer(peers.dbmate, {"status", "--exit-code"}, project.root(), dbmate_env(db));
    INFO(status.out, status.err);
    CHECK(status.exit_code == 0);
    CHECK(status.out.find("Pending: 0") != std::string::npos);
}

TEST_CASE("peers: a dbmate project is adopted, migrated by migsafe apply --keep-history dbmate, "
          "and dbmate still agrees" *
          doctest::skip())
{
    MIGSAFE_REQUIRE_PEERS(peers);
    TestDatabase db;
    DbmateProject project;
    write_history(project);
    const auto dir = project.migrations().string();

    // A year of `dbmate up`.
    auto up = run_peer(peers.dbmate, {"--no-dump-schema", "up"}, project.root(), dbmate_env(db));
    INFO("dbmate up: ", up.out, up.err);
    REQUIRE(up.exit_code == 0);
    REQUIRE(value(db, "SELECT count(*) FROM public.schema_migrations") == "12");
    // The team reviews the set and commits its sum (dbmate ignores migsafe.sum: not *.sql).
    REQUIRE(run_cli({"sum", dir}).exit_code == 0);

    // migsafe sees twelve pending migrations, and says that adopt comes first.
    auto before = migsafe::test::migsafe_status(db, project.migrations().string());
    CHECK(before.counts.value("pending", -1) == 12);
    CHECK(before.counts.value("applied", -1) == 0);
    CHECK(before.exit_code == 1);
    REQUIRE(before.uncovered.size() == 1);
    CHECK(before.uncovered[0]["tool"] == "dbmate");
    CHECK(before.uncovered[0]["table"] == "public.schema_migrations");
    CHECK(before.uncovered[0]["uncovered"] == 12);
    CHECK(before.uncovered[0]["command"] == "migsafe adopt --from dbmate --dir " + dir);
    // apply refuses instead of running them again.
    auto refused = run_cli({"apply", "--db", db.conninfo(), "--dir", dir, "--no-snapshot"});
    INFO("apply before adopt: ", refused.out, refused.err);
    CHECK(refused.exit_code == 1);
    CHECK((refused.out + refused.err).find("run `migsafe adopt --from dbmate --dir " + dir) !=
          std::string::npos);
    CHECK(value(db, "SELECT count(*) FROM public.schema_migrations") == "12");

    // adopt imports the twelve rows and runs nothing.
    auto adopt =
        run_cli({"adopt", "--from", "dbmate", "--db", db.conninfo(), "--dir", dir, "--json"});
    INFO("adopt: ", adopt.out, adopt.err);
    REQUIRE(adopt.exit_code == 0);
    const auto adopted = nlohmann::json::parse(adopt.out)["report"];
    CHECK(adopted["counts"]["imported"] == 12);
    CHECK(adopted["counts"]["refused"] == 0);
    CHECK(adopted["table"] == "public.schema_migrations");
    CHECK(value(db, "SELECT count(*) FROM migsafe.history WHERE status = 'adopted' AND "
                    "provenance::jsonb ->> 'tool' = 'dbmate'") == "12");
    // Again: nothing new.
    auto again =
        run_cli({"adopt", "--from", "dbmate", "--db", db.conninfo(), "--dir", dir, "--json"});
    CHECK(again.exit_code == 0);
    CHECK(nlohmann::json::parse(again.out)["report"]["counts"]["already_adopted"] == 12);

    auto after = migsafe::test::migsafe_status(db, project.migrations().string());
    CHECK(after.exit_code == 0);
    CHECK(after.counts.value("applied", -1) == 12);
    CHECK(after.counts.value("pending", -1) == 0);
    CHECK(after.uncovered.empty());

    // Two new migrations, written for dbmate; migsafe applies only those, and writes
    // dbmate's rows.
    project.write("20240201000013_create_invoices.sql",
                  "CREATE TABLE invoices (id bigint PRIMARY KEY,\n"
                  "    order_id bigint NOT NULL REFERENCES orders (id));",
                  "DROP TABLE invoices;");
    project.write("20240202000014_invoices_order_index.sql",
                  "CREATE INDEX CONCURRENTLY invoices_order_idx ON invoices (order_id);",
                  "DROP INDEX invoices_order_idx;", "transaction:false");
    REQUIRE(run_cli({"sum", dir}).exit_code == 0);
    auto apply = run_cli({"apply", "--keep-history", "dbmate", "--db", db.conninfo(), "--dir", dir,
                          "--no-snapshot"});
    INFO("apply: ", apply.out, apply.err);
    REQUIRE(apply.exit_code == 0);
    CHECK(value(db, "SELECT string_agg(version::text, ',' ORDER BY version) FROM migsafe.history "
                    "WHERE status = 'applied'") == "20240201000013,20240202000014");
    CHECK(value(db, "SELECT count(*) FROM public.schema_migrations") == "14");
    CHECK(value(db, "SELECT string_agg(version, ',' ORDER BY version) FROM "
                    "public.schema_migrations WHERE version >= '20240201'") ==
          "20240201000013,20240202000014");
    // The up sections ran, the down sections did not.
    CHECK(value(db, "SELECT to_regclass('public.invoices') IS NOT NULL") == "t");
    CHECK(value(db, "SELECT to_regclass('public.invoices_order_idx') IS NOT NULL") == "t");
    CHECK(value(db, "SELECT count(*) FROM products") == "1"); // 0012 was not run again

    // dbmate agrees: nothing pending, nothing to do.
    auto status = run_peer(peers.dbmate, {"status", "--exit-code"}, project.root(), dbmate_env(db));
    INFO("dbmate status: ", status.out, status.err);
    CHECK(status.exit_code == 0);
    CHECK(status.out.find("[X] 20240202000014_invoices_order_index.sql") != std::string::npos);
    CHECK(status.out.find("Applied: 14") != std::string::npos);
    CHECK(status.out.find("Pending: 0") != std::string::npos);
    auto migrate =
        run_peer(peers.dbmate, {"--no-dump-schema", "migrate"}, project.root(), dbmate_env(db));
    INFO("dbmate migrate: ", migrate.out, migrate.err);
    CHECK(migrate.exit_code == 0);
    CHECK(migrate.out.find("Applying") == std::string::npos);
    CHECK(value(db, "SELECT count(*) FROM public.schema_migrations") == "14");

    // And the team can switch back: dbmate rolls back the migration migsafe applied, with
    // the down section migsafe never ran.
    auto rollback =
        run_peer(peers.dbmate, {"--no-dump-schema", "rollback"}, project.root(), dbmate_env(db));
    INFO("dbmate rollback: ", rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK(value(db, "SELECT to_regclass('public.invoices_order_idx') IS NULL") == "t");
    CHECK(value(db, "SELECT count(*) FROM public.schema_migrations") == "13");
}
