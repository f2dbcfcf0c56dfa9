# The staging primary of docker/compose.staging.yaml: PostgreSQL 15 from Debian 12 with
# pgBackRest 2.45, archiving its WAL into the pgBackRest repository (a volume shared with
# the migsafe services). The official postgres image has no pgbackrest; Debian has both.
#   docker build -f docker/primary.Dockerfile -t migsafe-staging-primary docker
# The server runs as `postgres` with uid and gid 10001: the runtime image's `migsafe` user
# has the same ids, so both containers can read and write the shared data, socket and
# repository volumes (docker/README.md, "Why one uid").
FROM debian:12
ARG UID=10001
RUN groupadd --gid "$UID" postgres \
    && useradd --uid "$UID" --gid "$UID" --home-dir /var/lib/postgresql --create-home \
        --shell /bin/bash postgres \
    && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql-common \
    && sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
        /etc/postgresql-common/createcluster.conf \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql-15 pgbackrest \
    && rm -rf /var/lib/apt/lists/* \
    && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/15/main \
    && install -d -o postgres -g postgres -m 0750 /var/lib/pgbackrest \
    && install -d -o postgres -g postgres -m 2775 /var/run/postgresql
COPY primary-start.sh /usr/local/bin/primary-start.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/15/main
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/primary-start.sh"]
