// migsafe beside the real dbmate (2.36.0, from the npm registry: tests/peers/install.sh):
// a project dbmate migrated is adopted, then migrated by `migsafe apply --keep-history dbmate`,
// and dbmate itself still agrees: nothing pending, nothing to do.
#include "cli_runner.hpp"
#include "support/peers.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

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
