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
