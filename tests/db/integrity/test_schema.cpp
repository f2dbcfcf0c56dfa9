// integrity::read_schema and diff_schema on real PostgreSQL: what the fingerprint holds, that
// a rebuilt schema reads the same, and that each kind of difference a rollback can leave is
// named.
#include "support/string_lists.hpp"
#include "support/test_db.hpp"

#include <migsafe/integrity/schema.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace migsafe::integrity;
using migsafe::test::TestDatabase;

namespace {

using Attributes = std::map<std::string, std::string>;

// One object of each kind, in schema `shop` (the harness's template also has public.fixture).
constexpr const char* k_shop_sql = R"(
CREATE SCHEMA shop;
CREATE TYPE shop.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN shop.rating AS smallint DEFAULT 3 NOT NULL CHECK (VALUE BETWEEN 1 AND 5);
CREATE TYPE shop.money_pair AS (amount numeric(10,2), currency text COLLATE "C");
CREATE TYPE shop.price_range AS RANGE (subtype = numeric);
CREATE TABLE shop.clients (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text COLLATE "C" NOT NULL,
    name text DEFAULT 'anonymous',
    name_length int GENERATED ALWAYS AS (length(name)) STORED,
    CONSTRAINT clients_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE shop.orders (
    id serial PRIMARY KEY,
    client_id int,
    fee numeric(10,2) NOT NULL DEFAULT 0,
    mood shop.mood,
    stars shop.rating,
    CONSTRAINT orders_fee_check CHECK (fee >= 0)
);
ALTER TABLE shop.orders ADD CONSTRAINT orders_client_fk FOREIGN KEY (client_id)
    REFERENCES shop.clients (id) NOT VALID;
CREATE INDEX orders_client_idx ON shop.orders (client_id);
CREATE TABLE shop.events (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2024 PARTITION OF shop.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNLOGGED TABLE shop.scratch (x int);
CREATE VIEW shop.big_orders AS SELECT id, fee FROM shop.orders WHERE fee > 100;
CREATE MATERIALIZED VIEW shop.order_count AS SELECT count(*) AS n FROM shop.orders;
CREATE FUNCTION shop.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT x * 2';
CREATE PROCEDURE shop.reset_fees(lower_than numeric) LANGUAGE sql
    AS 'UPDATE shop.orders SET fee = 0 WHERE fee < lower_than';
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql
    AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders
    FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.orders DISABLE TRIGGER orders_touch;
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_cheap ON shop.orders FOR SELECT TO PUBLIC USING (fee < 10);
GRANT SELECT, INSERT ON shop.orders TO PUBLIC;
GRANT USAGE ON SCHEMA shop TO PUBLIC;
GRANT UPDATE (fee) ON shop.orders TO PUBLIC;
CREATE AGGREGATE shop.total(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0');
CREATE TYPE shop.float_range AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE shop.archived_orders (archived_at date) INHERITS (shop.orders);
)";

std::string current_user(const TestDatabase& db)
{
    return db.connect().query_value("SELECT current_user").value_or("");
}

const SchemaObject& object_of(const SchemaFingerprint& fp, std::string_view kind,
                              std::string_view name)
{
    const auto* object = fp.find(kind, name);
    if (object == nullptr) {
        throw std::runtime_error(fmt::format("no {} {} in the fingerprint", kind, name));
    }
    return *object;
}

std::vector<std::string> described(const std::vector<SchemaDifference>& differences)
{
    std::vector<std::string> lines;
    for (const auto& d : differences) {
        lines.push_back(d.describe());
    }
    return lines;
}

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("integrity::read_schema reads each kind of object with its attributes")
{
    TestDatabase db;
    db.connect().exec(k_shop_sql);
    const auto owner = current_user(db);
    const auto fp = read_schema(db.conninfo());
    INFO(fp.to_json());

    CHECK(object_of(fp, "schema", "shop").attributes.empty());
    CHECK(object_of(fp, "table", "shop.orders").attributes == Attributes{{"kind", "table"},
                                                                         {"owner", owner},
                                                                         {"partition_of", ""},
                                                                         {"partition_key", ""},
                                                                         {"inherits", ""},
                                                                         {"row_security", "on"}});
    CHECK(object_of(fp, "table", "shop.events").attributes.at("kind") == "partitioned");
    CHECK(object_of(fp, "table", "shop.events").attributes.at("partition_key") == "RANGE (at)");
    CHECK(object_of(fp, "table", "shop.events_2024").attributes.at("partition_of") ==
          "shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    CHECK(object_of(fp, "table", "shop.scratch").attributes.at("kind") == "unlogged");

    CHECK(object_of(fp, "column", "shop.orders.fee").attributes ==
          Attributes{{"table", "shop.orders"},
                     {"type", "numeric(10,2)"},
                     {"nullable", "no"},
                     {"default", "0"},
                     {"generated", ""},
                     {"identity", ""},
                     {"collation", ""},
                     {"position", "3"}});
    CHECK(object_of(fp, "column", "shop.orders.id").attributes.at("default") ==
          "nextval('shop.orders_id_seq'::regclass)");
    CHECK(object_of(fp, "column", "shop.orders.stars").attributes.at("type") == "shop.rating");
    CHECK(object_of(fp, "column", "shop.clients.id").attributes.at("identity") == "always");
    CHECK(object_of(fp, "column", "shop.clients.email").attributes.at("collation") ==
          "pg_catalog.\"C\"");
    CHECK(object_of(fp, "column", "shop.clients.name_length").attributes.at("generated") ==
          "length(name)");
    CHECK(object_of(fp, "column", "shop.clients.name").attributes.at("default") ==
          "'anonymous'::text");

    CHECK(object_of(fp, "constraint", "shop.orders.orders_fee_check").attributes ==
          Attributes{{"table", "shop.orders"},
                     {"type", "check"},
                     {"definition", "CHECK ((fee >= (0)::numeric))"},
                     {"validated", "yes"},
                     {"deferrable", "no"}});
    CHECK(object_of(fp, "constraint", "shop.orders.orders_client_fk").attributes ==
          Attributes{{"table", "shop.orders"},
                     {"type", "foreign key"},
                     {"definition", "FOREIGN KEY (client_id) REFERENCES shop.clients(id)"},
                     {"validated", "no"},
                     {"deferrable", "no"}});
    CHECK(object_of(fp, "constraint", "shop.clients.clients_email_key").attributes ==
          Attributes{{"table", "shop.clients"},
                     {"type", "unique"},
                     {"definition", "UNIQUE (email)"},
                     {"validated", "yes"},
                     {"deferrable", "initially deferred"}});

    CHECK(object_of(fp, "index", "shop.orders_client_idx").attributes ==
          Attributes{{"table", "shop.orders"},
                     {"definition",
                      "CREATE INDEX orders_client_idx ON shop.orders USING btree (client_id)"},
                     {"valid", "yes"},
                     {"constraint", ""}});
    CHECK(object_of(fp, "index", "shop.orders_pkey").attributes.at("constraint") ==
          "shop.orders.orders_pkey");

    CHECK(object_of(fp, "sequence", "shop.orders_id_seq").attributes ==
          Attributes{{"type", "integer"},
                     {"increment", "1"},
                     {"start", "1"},
                     {"min", "1"},
                     {"max", "2147483647"},
                     {"cycle", "no"},
                     {"owned_by", "shop.orders.id"},
                     {"last_value", "1"},
                     {"is_called", "false"}});
    CHECK(object_of(fp, "sequence", "shop.clients_id_seq").attributes.at("owned_by") ==
          "shop.clients.id");

    CHECK(object_of(fp, "view", "shop.big_orders").attributes ==
          Attributes{{"definition", " SELECT orders.id,\n    orders.fee\n   FROM shop.orders\n  "
                                    "WHERE (orders.fee > (100)::numeric);"}});
    CHECK(object_of(fp, "materialized-view", "shop.order_count").attributes.at("definition") ==
          " SELECT count(*) AS n\n   FROM shop.orders;");

    const auto& twice = object_of(fp, "function", "shop.double(integer)");
    CHECK(twice.attributes.at("kind") == "function");
    CHECK(twice.attributes.at("definition") ==
          "CREATE OR REPLACE FUNCTION shop.double(x integer)\n RETURNS integer\n LANGUAGE sql\n "
          "IMMUTABLE\nAS $function$SELECT x * 2$function$\n");
    CHECK(object_of(fp, "function", "shop.reset_fees(numeric)").attributes.at("kind") ==
          "procedure");
    CHECK(object_of(fp, "function", "shop.total(numeric)").attributes ==
          Attributes{{"kind", "aggregate"},
                     {"definition", "SFUNC = numeric_add, STYPE = numeric, INITCOND = '0'"}});
    CHECK(object_of(fp, "table", "shop.archived_orders").attributes.at("inherits") ==
          "shop.orders");

    CHECK(object_of(fp, "trigger", "shop.orders.orders_touch").attributes ==
          Attributes{{"table", "shop.orders"},
                     {"definition", "CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders "
                                    "FOR EACH ROW EXECUTE FUNCTION shop.touch()"},
                     {"enabled", "disabled"}});

    CHECK(object_of(fp, "type", "shop.mood").attributes ==
          Attributes{{"kind", "enum"}, {"definition", "'sad', 'ok', 'happy'"}});
    CHECK(object_of(fp, "type", "shop.rating").attributes ==
          Attributes{{"kind", "domain"},
                     {"definition", "smallint DEFAULT 3 NOT NULL CONSTRAINT rating_check "
                                    "CHECK (((VALUE >= 1) AND (VALUE <= 5)))"}});
    CHECK(object_of(fp, "type", "shop.money_pair").attributes ==
          Attributes{
              {"kind", "composite"},
              {"definition", "(amount numeric(10,2), currency text COLLATE pg_catalog.\"C\")"}});
    CHECK(object_of(fp, "type", "shop.price_range").attributes ==
          Attributes{{"kind", "range"}, {"definition", "SUBTYPE = numeric"}});
    CHECK(object_of(fp, "type", "shop.float_range").attributes.at("definition") ==
          "SUBTYPE = double precision, SUBTYPE_DIFF = float8mi");
    CHECK(fp.find("type", "shop.price_multirange") == nullptr);
    // Nor the functions a range type brings along (constructors, multirange ones).
    CHECK(fp.find("function", "shop.price_range(numeric, numeric)") == nullptr);
    CHECK(fp.find("function", "shop.price_multirange(shop.price_range)") == nullptr);
    CHECK(fp.find("grant", "shop.price_range(numeric, numeric):PUBLIC") == nullptr);
    CHECK(fp.find("type", "shop.orders") == nullptr);

    CHECK(object_of(fp, "extension", "plpgsql").attributes ==
          Attributes{{"version", "1.0"}, {"schema", "pg_catalog"}});
    CHECK(object_of(fp, "policy", "shop.orders.orders_cheap").attributes ==
          Attributes{{"table", "shop.orders"},
                     {"command", "SELECT"},
                     {"mode", "permissive"},
                     {"roles", "PUBLIC"},
                     {"using", "(fee < (10)::numeric)"},
                     {"with_check", ""}});
    CHECK(object_of(fp, "grant", "shop.orders:PUBLIC").attributes ==
          Attributes{{"object", "shop.orders"}, {"privileges", "INSERT, SELECT"}});
    CHECK(object_of(fp, "grant", "shop.orders.fee:PUBLIC").attributes ==
          Attributes{{"object", "shop.orders.fee"}, {"privileges", "UPDATE"}});
    CHECK(fp.find("grant", "shop.orders.mood:PUBLIC") == nullptr);
    CHECK(object_of(fp, "grant", "shop:PUBLIC").attributes ==
          Attributes{{"object", "shop"}, {"privileges", "USAGE"}});
    CHECK(object_of(fp, "grant", "shop.double(integer):PUBLIC").attributes.at("privileges") ==
          "EXECUTE");
    CHECK(object_of(fp, "grant", "shop.orders:" + owner).attributes.at("privileges") ==
          "DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE");

    // Sorted by kind (schemas first, grants last), then name.
    REQUIRE(!fp.objects.empty());
    CHECK(fp.objects.front().kind == "schema");
    CHECK(fp.objects.back().kind == "grant");
    CHECK(fp.hash().size() == 32);
}

TEST_CASE("integrity::read_schema of the same schema built in two databases is equal")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec(k_shop_sql);
    // Other OIDs, relfilenodes and attnums in b: objects made and dropped first.
    b.connect().exec("CREATE TABLE filler (x int, y int); DROP TABLE filler; "
                     "CREATE TYPE filler_t AS ENUM ('x'); DROP TYPE filler_t;");
    b.connect().exec(k_shop_sql);
    CHECK(a.connect().query_value("SELECT 'shop.orders'::regclass::oid::text") !=
          b.connect().query_value("SELECT 'shop.orders'::regclass::oid::text"));

    const auto fa = read_schema(a.conninfo());
    const auto fb = read_schema(b.conninfo());
    CHECK(described(diff_schema(fa, fb)).empty());
    CHECK(fa == fb);
    CHECK(fa.hash() == fb.hash());
    CHECK(fa.to_json() == fb.to_json());

    b.connect().exec("ALTER TABLE shop.orders ALTER COLUMN fee SET DEFAULT 1");
    const auto changed = read_schema(b.conninfo());
    CHECK(changed.hash() != fa.hash());
}

TEST_CASE("integrity::read_schema counts positions among live columns, not dropped ones")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec("CREATE TABLE t (a int, b text, c date)");
    b.connect().exec("CREATE TABLE t (a int, gone int, b text); ALTER TABLE t DROP COLUMN gone; "
                     "ALTER TABLE t ADD COLUMN c date");
    CHECK(b.connect().query_value("SELECT attnum::text FROM pg_attribute "
                                  "WHERE attrelid = 't'::regclass AND attname = 'c'") == "4");
    const auto fa = read_schema(a.conninfo());
    const auto fb = read_schema(b.conninfo());
    CHECK(object_of(fb, "column", "public.t.c").attributes.at("position") == "3");
    CHECK(described(diff_schema(fa, fb)).empty());

    // A column dropped and added again keeps its type but moves to the end: a note only.
    b.connect().exec("ALTER TABLE t DROP COLUMN a; ALTER TABLE t ADD COLUMN a int");
    const auto moved = diff_schema(fa, read_schema(b.conninfo()));
    CHECK(described(moved) ==
          std::vector<std::string>{"column public.t.a: position 3, was 1 (note)",
                                   "column public.t.b: position 1, was 2 (note)",
                                   "column public.t.c: position 2, was 3 (note)"});
    CHECK(std::all_of(moved.begin(), moved.end(), [](const auto& d) { return d.note_only; }));
}

TEST_CASE("integrity::diff_schema names a column type change with expected and actual")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE reviews (id int PRIMARY KEY, fee numeric)");
    const auto before = read_schema(db.conninfo());
    session.exec("ALTER TABLE reviews ALTER COLUMN fee TYPE integer");
    const auto after = read_schema(db.conninfo());
    const auto differences = diff_schema(before, after);
    REQUIRE(differences.size() == 1);
    CHECK(differences[0] == SchemaDifference{.change = SchemaChange::changed,
                                             .kind = "column",
                                             .name = "public.reviews.fee",
                                             .attribute = "type",
                                             .expected = "numeric",
                                             .actual = "integer"});
    CHECK(differences[0].describe() == "column public.reviews.fee: type integer, was numeric");
}

TEST_CASE("integrity::diff_schema: a constraint dropped under another name than the up "
          "created is one missing and one extra")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE reviews (id int, rating int, "
                 "CONSTRAINT reviews_rating_check CHECK (rating BETWEEN 1 AND 5))");
    const auto s0 = read_schema(db.conninfo());
    // The up re-creates the check under another name; the wrong down drops a name that
    // does not exist (IF EXISTS) and adds the original back, leaving both.
    session.exec("ALTER TABLE reviews DROP CONSTRAINT reviews_rating_check; "
                 "ALTER TABLE reviews ADD CONSTRAINT rating_range CHECK (rating BETWEEN 1 AND 5)");
    const auto s2 = read_schema(db.conninfo());
    CHECK(described(diff_schema(s0, s2)) ==
          std::vector<std::string>{"constraint public.reviews.rating_range extra",
                                   "constraint public.reviews.reviews_rating_check missing"});
    // A unique constraint renamed the same way: its index is said by the constraint lines.
    session.exec("ALTER TABLE reviews ADD CONSTRAINT reviews_id_key UNIQUE (id)");
    const auto with_key = read_schema(db.conninfo());
    session.exec("ALTER TABLE reviews DROP CONSTRAINT reviews_id_key; "
                 "ALTER TABLE reviews ADD CONSTRAINT reviews_id_unique UNIQUE (id)");
    CHECK(described(diff_schema(with_key, read_schema(db.conninfo()))) ==
          std::vector<std::string>{"constraint public.reviews.reviews_id_key missing",
                                   "constraint public.reviews.reviews_id_unique extra"});
}

TEST_CASE("integrity::diff_schema: a table its rollback left behind is one line, not one per "
          "part")
{
    TestDatabase db;
    auto session = db.connect();
    const auto s0 = read_schema(db.conninfo());
    session.exec("CREATE TABLE \"Visits\" (id serial PRIMARY KEY, at date NOT NULL, "
                 "CHECK (at > '2000-01-01')); CREATE INDEX visits_at_idx ON \"Visits\" (at); "
                 "CREATE TRIGGER t BEFORE INSERT ON \"Visits\" FOR EACH ROW "
                 "EXECUTE FUNCTION suppress_redundant_updates_trigger(); "
                 "CREATE POLICY p ON \"Visits\" USING (true); "
                 "GRANT SELECT ON \"Visits\" TO PUBLIC; "
                 "GRANT USAGE ON SEQUENCE \"Visits_id_seq\" TO PUBLIC; "
                 "GRANT INSERT (at) ON \"Visits\" TO PUBLIC");
    const auto s2 = read_schema(db.conninfo());
    REQUIRE(s2.find("column", "public.\"Visits\".at") != nullptr);
    REQUIRE(s2.find("grant", "public.\"Visits_id_seq\":PUBLIC") != nullptr);
    REQUIRE(s2.find("grant", "public.\"Visits\".at:PUBLIC") != nullptr);
    CHECK(described(diff_schema(s0, s2)) ==
          std::vector<std::string>{"table public.\"Visits\" extra"});
    CHECK(described(diff_schema(s2, s0)) ==
          std::vector<std::string>{"table public.\"Visits\" missing"});
}

TEST_CASE("integrity::diff_schema: an index left INVALID by a failed CREATE INDEX "
          "CONCURRENTLY is valid changed")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2)");
    session.exec("CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)");
    const auto s0 = read_schema(db.conninfo());
    session.exec("DROP INDEX t_v_key; INSERT INTO t VALUES (2)");
    CHECK_THROWS_AS(session.exec("CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)"),
                    migsafe::Error);
    const auto s1 = read_schema(db.conninfo());
    const auto differences = diff_schema(s0, s1);
    REQUIRE(differences.size() == 1);
    CHECK(differences[0].attribute == "valid");
    CHECK(!differences[0].note_only);
    CHECK(differences[0].describe() == "index public.t_v_key: valid no, was yes");
}

TEST_CASE("integrity::diff_schema: a sequence advanced is a note only")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE t (id serial PRIMARY KEY, x int)");
    const auto s0 = read_schema(db.conninfo());
    session.exec("INSERT INTO t (x) SELECT g FROM generate_series(1, 105) g");
    const auto s1 = read_schema(db.conninfo());
    const auto differences = diff_schema(s0, s1);
    CHECK(described(differences) ==
          std::vector<std::string>{"sequence public.t_id_seq: is_called true, was false (note)",
                                   "sequence public.t_id_seq: last_value 105, was 1 (note)"});
    CHECK(std::all_of(differences.begin(), differences.end(),
                      [](const auto& d) { return d.note_only; }));
    // setval(..., false) is read too: the position is the sequence's own, not nextval's.
    session.exec("SELECT setval('t_id_seq', 50, false)");
    const auto& seq = object_of(read_schema(db.conninfo()), "sequence", "public.t_id_seq");
    CHECK(seq.attributes.at("last_value") == "50");
    CHECK(seq.attributes.at("is_called") == "false");
}

TEST_CASE("integrity::read_schema leaves out migsafe's schemas and options.exclude_schemas")
{
    TestDatabase db;
    db.connect().exec("CREATE SCHEMA migsafe; CREATE TABLE migsafe.history (id int);"
                      "CREATE SCHEMA migsafe_archive; CREATE TABLE migsafe_archive.t (id int);"
                      "CREATE SEQUENCE migsafe.s; CREATE FUNCTION migsafe.f() RETURNS int "
                      "LANGUAGE sql AS 'SELECT 1';"
                      "CREATE SCHEMA app; CREATE TABLE app.t (id int)");
    const auto fp = read_schema(db.conninfo());
    for (const auto& object : fp.objects) {
        INFO(object.kind, " ", object.name);
        CHECK(object.name.rfind("migsafe", 0) == std::string::npos);
    }
    CHECK(fp.find("table", "app.t") != nullptr);
    CHECK(fp.find("schema", "app") != nullptr);

    const auto without_app = read_schema(db.conninfo(), {.exclude_schemas = {"app"}});
    CHECK(without_app.find("table", "app.t") == nullptr);
    CHECK(without_app.find("column", "app.t.id") == nullptr);
    CHECK(without_app.find("schema", "app") == nullptr);
    CHECK(without_app.find("table", "migsafe.history") != nullptr);
}

TEST_CASE("integrity::read_schema lists an extension but not its member objects")
{
    TestDatabase db;
    db.connect().exec("CREATE EXTENSION citext");
    const auto fp = read_schema(db.conninfo());
    const auto& citext = object_of(fp, "extension", "citext");
    CHECK(citext.attributes.at("schema") == "public");
    CHECK(!citext.attributes.at("version").empty());
    for (const auto& object : fp.objects) {
        INFO(object.kind, " ", object.name);
        CHECK(object.kind != "function");
        if (object.kind != "extension") {
            CHECK(object.name.find("citext") == std::string::npos);
        }
    }
}

TEST_CASE("integrity::read_schema errors: unreachable database, lock timeout not positive")
{
    try {
        read_schema("host=/nonexistent/migsafe-socket dbname=nowhere connect_timeout=2");
        FAIL("read_schema did not throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-connect-failed");
    }
    TestDatabase db;
    try {
        read_schema(db.conninfo(), {.lock_timeout = std::chrono::milliseconds(0)});
        FAIL("read_schema did not throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.context().object == "--lock-timeout");
    }
}

TEST_CASE("integrity::read_schema waits at most lock_timeout behind a held lock")
{
    TestDatabase db;
    auto holder = db.connect();
    holder.exec("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t");
    holder.exec("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
    try {
        read_schema(db.conninfo(), {.lock_timeout = std::chrono::milliseconds(200)});
        FAIL("read_schema did not throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-lock-timeout");
    }
    // On a caller's session too, and the session is left usable, outside any transaction.
    auto reader = db.connect();
    try {
        read_schema(reader, {.lock_timeout = std::chrono::milliseconds(200)});
        FAIL("read_schema did not throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-lock-timeout");
    }
    holder.exec("ROLLBACK");
    reader.exec("CREATE TABLE after_failure (id int)");
    CHECK(holder.query_value("SELECT to_regclass('public.after_failure')::text") ==
          "after_failure");
    CHECK(reader.query_value("SHOW lock_timeout") == "0");
}

TEST_CASE("integrity::read_schema on a session reads the same and leaves the session as it was")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec(k_shop_sql);
    session.exec("SET DateStyle = 'SQL, DMY'; SET search_path = shop, public; "
                 "SET lock_timeout = '7s'");
    const auto on_session = read_schema(session);
    CHECK(on_session == read_schema(db.conninfo()));
    CHECK(object_of(on_session, "table", "shop.events_2024").attributes.at("partition_of") ==
          "shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    CHECK(session.query_value("SHOW DateStyle") == "SQL, DMY");
    CHECK(session.query_value("SHOW search_path") == "shop, public");
    CHECK(session.query_value("SHOW lock_timeout") == "7s");
    // No transaction left open: a write goes through and stays.
    session.exec("CREATE TABLE public.after_read (id int)");
    CHECK(read_schema(session).find("table", "public.after_read") != nullptr);
}

TEST_CASE("integrity::read_schema cost on the podiatry set and on 200 tables")
{
    TestDatabase podiatry;
    {
        auto session = podiatry.connect();
        std::vector<std::filesystem::path> files;
        for (const auto& entry :
             std::filesystem::directory_iterator(MIGSAFE_FIXTURES_DIR "/podiatry")) {
            if (entry.path().extension() == ".sql") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            session.exec(read_text(file));
        }
    }
    auto timed = [](const std::string& conninfo, SchemaFingerprint& out) {
        const auto start = std::chrono::steady_clock::now();
        out = read_schema(conninfo);
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
            .count();
    };
    SchemaFingerprint fp;
    const auto podiatry_ms = timed(podiatry.conninfo(), fp);
    CHECK(fp.find("table", "public.reviews") != nullptr);
    MESSAGE(
        fmt::format("read_schema, podiatry: {} ms, {} objects", podiatry_ms, fp.objects.size()));

    TestDatabase wide;
    wide.connect().exec(R"(DO $$ BEGIN FOR i IN 1..200 LOOP
        EXECUTE format('CREATE TABLE t%s (id bigserial PRIMARY KEY, ref bigint, name text NOT NULL
            DEFAULT ''x'', amount numeric(12,2) CHECK (amount >= 0), at timestamptz DEFAULT now(),
            note text)', i);
        EXECUTE format('CREATE INDEX t%s_ref_idx ON t%s (ref)', i, i);
        IF i > 1 THEN
            EXECUTE format('ALTER TABLE t%s ADD FOREIGN KEY (ref) REFERENCES t%s (id)', i, i - 1);
        END IF;
    END LOOP; END $$)");
    const auto wide_ms = timed(wide.conninfo(), fp);
    CHECK(fp.find("table", "public.t200") != nullptr);
    MESSAGE(fmt::format("read_schema, 200 tables: {} ms, {} objects", wide_ms, fp.objects.size()));
    auto session = wide.connect();
    read_schema(session);
    const auto start = std::chrono::steady_clock::now();
    fp = read_schema(session);
    MESSAGE(fmt::format("read_schema, 200 tables, again on the same session: {} ms",
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count()));
    // A budget, not a benchmark: the reading must stay a few catalog queries.
    CHECK(wide_ms < 5000);
}
