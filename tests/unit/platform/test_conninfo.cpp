#include <migsafe/platform/conninfo.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using migsafe::redact_conninfo;

TEST_CASE("migsafe::redact_conninfo removes passwords from URLs")
{
    CHECK(redact_conninfo("postgresql://app:s3cret@db.example:5432/prod") ==
          "postgresql://app:***@db.example:5432/prod");
    CHECK(redact_conninfo("postgres://app:p%40ss@host/db?sslmode=require") ==
          "postgres://app:***@host/db?sslmode=require");
    CHECK(redact_conninfo("postgresql://host/db?user=a&password=hunter2&sslmode=require") ==
          "postgresql://host/db?user=a&password=***&sslmode=require");
    CHECK(redact_conninfo("postgresql://app@host/db") == "postgresql://app@host/db");
    CHECK(redact_conninfo("postgresql:///db?host=/tmp") == "postgresql:///db?host=/tmp");
}

TEST_CASE("migsafe::redact_conninfo removes passwords from key=value strings")
{
    CHECK(redact_conninfo("host=x password=hunter2 dbname=d") == "host=x password=*** dbname=d");
    CHECK(redact_conninfo("password = 'it\\'s' user=u") == "password = *** user=u");
    CHECK(redact_conninfo("host=x password='a b c' user=u") == "host=x password=*** user=u");
    CHECK(redact_conninfo("host=/tmp dbname=postgres") == "host=/tmp dbname=postgres");
}

TEST_CASE("migsafe::redact_secret_in masks a password echoed in a message")
{
    CHECK(migsafe::redact_secret_in("auth failed for hunter2", "host=x password=hunter2") ==
          "auth failed for ***");
    CHECK(migsafe::redact_secret_in("auth failed for p@ss", "postgresql://u:p%40ss@h/d") ==
          "auth failed for ***");
    CHECK(migsafe::redact_secret_in("nothing to hide", "host=x") == "nothing to hide");
}

TEST_CASE("migsafe::redact_conninfo masks the password of a dbname that is itself a connection "
          "string")
{
    // libpq expands a dbname holding a URL or key=value pairs: its password is a password.
    CHECK(redact_conninfo("dbname=postgresql://u:secret@host/db") ==
          "dbname='postgresql://u:***@host/db'");
    CHECK(redact_conninfo("host=x dbname='postgres://u:secret@h:5432/db?sslmode=require' user=u") ==
          "host=x dbname='postgres://u:***@h:5432/db?sslmode=require' user=u");
    CHECK(redact_conninfo("dbname=postgresql://h/db?password=secret&user=u") ==
          "dbname='postgresql://h/db?password=***&user=u'");
    CHECK(redact_conninfo("dbname='host=h password=secret'") == "dbname='host=h password=***'");
    CHECK(redact_conninfo("dbname = 'host=h password=\\'s e\\'' user=u") ==
          "dbname = 'host=h password=***' user=u");
    // Nothing to hide: left exactly as written.
    CHECK(redact_conninfo("dbname=postgresql://u@host/db") == "dbname=postgresql://u@host/db");
    CHECK(redact_conninfo("service=prod passfile=/home/u/.pgpass dbname=app") ==
          "service=prod passfile=/home/u/.pgpass dbname=app");
    CHECK(redact_conninfo("postgresql://u@h/db?service=prod&passfile=/p") ==
          "postgresql://u@h/db?service=prod&passfile=/p");
    // Both a top-level password and a nested one.
    CHECK(redact_conninfo("password=one dbname=postgresql://u:two@h/db") ==
          "password=*** dbname='postgresql://u:***@h/db'");
}

TEST_CASE("migsafe::redact_secret_in masks the password of a nested dbname in messages")
{
    CHECK(migsafe::redact_secret_in("could not connect: secret rejected",
                                    "dbname=postgresql://u:secret@host/db") ==
          "could not connect: *** rejected");
    CHECK(migsafe::redact_secret_in("bad p@ss", "dbname='postgresql://u:p%40ss@host/db'") ==
          "bad ***");
    CHECK(migsafe::redact_secret_in("bad hunter2", "dbname='host=h password=hunter2'") ==
          "bad ***");
}

TEST_CASE("platform::ConnInfo masks password, URI userinfo and sslpassword in its text")
{
    using migsafe::platform::ConnInfo;
    const auto pairs = ConnInfo::parse("host=h user=u password=s3cret sslpassword=k3yp dbname=d");
    CHECK(pairs.masked() == "host=h user=u password=*** sslpassword=*** dbname=d");
    const auto uri =
        ConnInfo::parse("postgresql://app:s3cret@db.example:5433/shop?sslpassword=k3yp");
    CHECK(uri.masked() == "postgresql://app:***@db.example:5433/shop?sslpassword=***");
    for (const auto* conninfo : {&pairs, &uri}) {
        CHECK(conninfo->masked().find("s3cret") == std::string::npos);
        CHECK(conninfo->masked().find("k3yp") == std::string::npos);
        CHECK(conninfo->mask_secrets_in("auth failed: s3cret, key k3yp") ==
              "auth failed: ***, key ***");
    }
    CHECK(uri.value("password") == "s3cret");
    CHECK(uri.value("sslpassword") == "k3yp");
    CHECK_FALSE(uri.value("passfile").has_value());
}

TEST_CASE("platform::ConnInfo gives children the password in their environment, not their "
          "arguments")
{
    const auto conninfo =
        migsafe::platform::ConnInfo::parse("host=/tmp/x user=app password=s3cret dbname=d");
    const auto env = conninfo.environment();
    CHECK(std::find(env.begin(), env.end(),
                    std::pair<std::string, std::string>{"PGPASSWORD", "s3cret"}) != env.end());
    CHECK(std::find(env.begin(), env.end(),
                    std::pair<std::string, std::string>{"PGHOST", "/tmp/x"}) != env.end());
    const auto program = conninfo.for_program();
    CHECK(program.conninfo == "user='app' dbname='d' host='/tmp/x'");
    CHECK(program.env ==
          std::vector<std::pair<std::string, std::string>>{{"PGPASSWORD", "s3cret"}});
}

TEST_CASE("platform::ConnInfo::other_database keeps the server and user and changes only the "
          "database")
{
    using migsafe::platform::ConnInfo;
    for (const auto* text :
         {"host=/tmp/x port=5433 user=app password=pw sslmode=disable dbname=prod",
          "postgresql://app:pw@%2Ftmp%2Fx:5433/prod?sslmode=disable"}) {
        CAPTURE(text);
        const auto base = ConnInfo::parse(text);
        const auto other = base.other_database("scratch");
        CHECK(other.value("dbname") == "scratch");
        for (const auto* keyword : {"host", "port", "user", "password", "sslmode"}) {
            CAPTURE(keyword);
            CHECK(other.value(keyword) == base.value(keyword));
        }
        CHECK(other.settings().size() == base.settings().size());
        CHECK(other.masked().find("pw") == std::string::npos);
        CHECK(ConnInfo::parse(other.text()).value("dbname") == "scratch"); // libpq reads it back
    }
    const auto service = ConnInfo::parse("service=prod dbname=app").other_database("it's");
    CHECK(service.text() == "service='prod' dbname='it\\'s'");
}

TEST_CASE("platform::quote_conninfo_value escapes quotes and backslashes")
{
    CHECK(migsafe::platform::quote_conninfo_value("a b") == "'a b'");
    CHECK(migsafe::platform::quote_conninfo_value("it's\\") == "'it\\'s\\\\'");
    CHECK(migsafe::platform::quote_conninfo_value("") == "''");
}
