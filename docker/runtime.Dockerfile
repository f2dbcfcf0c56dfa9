# migsafe's runtime image: the `migsafe` binary, the PostgreSQL 15 programs it drives and
# pgBackRest, run as a non-root user through docker/entrypoint.sh (migrate, snapshot, drill,
# or any migsafe subcommand). Built from the repository's root:
#   docker build -f docker/runtime.Dockerfile -t migsafe:runtime .
#   docker run --rm -e DATABASE_URL_FILE=/run/secrets/database_url ... migsafe:runtime migrate
# docker/README.md describes the variables; it also says what was not run (no image was
# built on the machine these files were written on).

# --- build: the toolchain and the -dev packages, a Release build of the CLI only --------
FROM debian:12 AS build
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        build-essential cmake pkg-config ca-certificates \
        libpq-dev libpg-query-dev libprotobuf-c-dev \
        libboost-dev libboost-filesystem-dev \
        libxxhash-dev libzstd-dev \
        libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev \
        libtomlplusplus-dev libcpp-httplib-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src/migsafe
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DMIGSAFE_BUILD_TESTS=OFF \
        -DMIGSAFE_INSTALL=OFF -DMIGSAFE_WERROR=ON \
    && cmake --build /build -j"$(nproc)" --target migsafe_cli \
    && strip /build/tools/migsafe/migsafe \
    && /build/tools/migsafe/migsafe --version

# --- runtime -----------------------------------------------------------------------------
FROM debian:12-slim
# The libraries the binary links (`readelf -d migsafe | grep NEEDED`, mapped with dpkg -S):
#   libpq5 libpg-query1504.0 libzstd1 libspdlog1.10 libfmt9 libcpp-httplib0.11 (libstdc++6,
#   libgcc-s1 and libc6 are in the base image).
# postgresql-client-15: pg_dump, pg_restore, psql, pg_basebackup, pg_verifybackup,
#   pg_amcheck (all in the client package, dpkg -S says).
# postgresql-15: initdb, pg_ctl, postgres and the amcheck extension. A drill restores into
#   an ephemeral cluster it starts itself (physical snapshots must be started on their own
#   data directory), so the server programs are needed although no server runs as a
#   service: the Debian package is told not to create its `main` cluster.
# pgbackrest: the pgbackrest engine (backup, info, verify, restore, archive-get in drills).
# ca-certificates: pgBackRest repositories on object storage over TLS.
ARG UID=10001
RUN groupadd --gid "$UID" migsafe \
    && useradd --uid "$UID" --gid "$UID" --home-dir /var/lib/migsafe --create-home \
        --shell /usr/sbin/nologin migsafe \
    && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql-common \
    && sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
        /etc/postgresql-common/createcluster.conf \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libpq5 libpg-query1504.0 libzstd1 libspdlog1.10 libfmt9 libcpp-httplib0.11 \
        postgresql-client-15 postgresql-15 pgbackrest ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && install -d -o migsafe -g migsafe -m 0700 /var/lib/migsafe/store /var/lib/migsafe/scratch
COPY --from=build /build/tools/migsafe/migsafe /usr/local/bin/migsafe
COPY docker/entrypoint.sh /usr/local/bin/migsafe-entrypoint
ENV LANG=C.UTF-8 \
    MIGSAFE_PG_BINDIR=/usr/lib/postgresql/15/bin \
    PATH=/usr/lib/postgresql/15/bin:$PATH
USER 10001:10001
WORKDIR /var/lib/migsafe
ENTRYPOINT ["/usr/local/bin/migsafe-entrypoint"]
CMD ["--help"]
