#include <migsafe/platform/conninfo.hpp>

#include <doctest/doctest.h>

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
