#!/usr/bin/env python3
"""The staging files in docker/ (issue 14), checked without a container engine.

- every YAML file in docker/ parses;
- the compose file has the services, volumes, secrets and wiring docker/README.md
  describes (a primary archiving to a pgBackRest repository, migrate, snapshot, drill);
- the Kubernetes manifests have what a cluster needs: a Job (pre-upgrade hook) and
  CronJobs whose schedule is five valid cron fields, a secretKeyRef for DATABASE_URL
  wherever the database is used, resources, backoffLimit, activeDeadlineSeconds and a
  non-root securityContext;
- no file holds a literal password;
- the Dockerfiles' ENTRYPOINT is the script they copy, the runtime image runs as non-root;
- every migsafe option docker/entrypoint.sh passes exists in the built binary's `--help`
  of that subcommand, and every variable the compose file and manifests set is one the
  entrypoint (or the primary's start script) reads: the files cannot drift from the CLI.

Usage: test_staging_files.py MIGSAFE_BINARY
Exit 125 (skipped) when python3-yaml is missing, unless CI=true: then a failure.
"""

import os
import re
import shutil
import subprocess
import sys

SKIP = 125
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCKER = os.path.join(ROOT, "docker")

failures = []


def log(message):
    print(f"test_staging_files: {message}", flush=True)


def check(condition, what):
    if condition:
        return True
    failures.append(what)
    log(f"FAIL: {what}")
    return False


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def load_yaml():
    try:
        import yaml
    except ImportError:
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
                and not os.environ.get("MIGSAFE_DOCKER_REEXEC"):
            os.environ["MIGSAFE_DOCKER_REEXEC"] = "1"
            os.execv(system, [system, *sys.argv])
        why = "python3-yaml is not installed (apt-get install python3-yaml)"
        if os.environ.get("CI") == "true":
            log(f"FAIL: {why} (CI=true: a missing package fails the run)")
            sys.exit(1)
        log(f"SKIP: {why}")
        sys.exit(SKIP)
    return yaml


def docker_files(suffixes):
    found = []
    for folder, dirs, files in os.walk(DOCKER):
        dirs[:] = [d for d in dirs if d != "secrets"]
        for name in files:
            if name.endswith(suffixes):
                found.append(os.path.join(folder, name))
    return sorted(found)


def rel(path):
    return os.path.relpath(path, ROOT)


# --- cron ------------------------------------------------------------------------------

CRON_FIELDS = [("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
               ("month", 1, 12, {m: i + 1 for i, m in enumerate(
                   "jan feb mar apr may jun jul aug sep oct nov dec".split())}),
               ("day of week", 0, 7, {d: i for i, d in enumerate(
                   "sun mon tue wed thu fri sat".split())})]


def cron_value(text, low, high, names):
    value = names.get(text.lower()) if not text.isdigit() else int(text)
    if value is None or not low <= value <= high:
        raise ValueError(f"{text} is not in {low}-{high}")
    return value


def parse_cron(schedule):
    """Raises ValueError unless `schedule` is five valid cron fields."""
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"{len(fields)} fields, not 5")
    for field, (name, low, high, names) in zip(fields, CRON_FIELDS):
        for part in field.split(","):
            base, _, step = part.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                raise ValueError(f"{name}: bad step {step}")
            if base == "*":
                continue
            first, dash, last = base.partition("-")
            start = cron_value(first, low, high, names)
            if dash and cron_value(last, low, high, names) < start:
                raise ValueError(f"{name}: empty range {base}")


def test_cron_parser():
    for good in ["17 3 * * *", "*/5 * * * 1-5", "0 0 1 jan,apr,jul,oct *", "0 12 * * sun"]:
        parse_cron(good)
    for bad in ["17 3 * *", "61 * * * *", "* 25 * * *", "* * 0 * *", "* * * * 8", "*/0 * * * *"]:
        try:
            parse_cron(bad)
        except ValueError:
            continue
        check(False, f"the cron parser accepted {bad!r}")


# --- YAML ------------------------------------------------------------------------------

def test_yaml_parses(yaml):
    documents = {}
    paths = docker_files((".yaml", ".yml"))
    check(len(paths) >= 6, f"docker/ has {len(paths)} YAML files, expected the compose file and k8s/")
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                documents[path] = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as error:
            check(False, f"{rel(path)} does not parse: {error}")
    return documents


def env_map(environment):
    if isinstance(environment, dict):
        return {k: ("" if v is None else str(v)) for k, v in environment.items()}
    result = {}
    for item in environment or []:
        name, _, value = str(item).partition("=")
        result[name] = value
    return result


def test_compose(compose):
    services = compose.get("services", {})
    for name in ["primary", "migrate", "snapshot", "drill"]:
        check(name in services, f"compose: no service {name}")
    if not all(name in services for name in ["primary", "migrate", "snapshot", "drill"]):
        return
    volumes = compose.get("volumes", {})
    for name in ["pgdata", "pgsocket", "pgbackrest-repo", "store", "scratch"]:
        check(name in volumes, f"compose: no volume {name}")
    secrets = compose.get("secrets", {})
    for name in ["postgres_password", "migsafe_password", "database_url"]:
        check(name in secrets, f"compose: no secret {name}")
        if name in secrets:
            check(secrets[name].get("file", "").startswith("./secrets/"),
                  f"compose: secret {name} is not a file in docker/secrets/ (git-ignored)")
    ignore = read(os.path.join(DOCKER, "secrets", ".gitignore")).split()
    check("*" in ignore, "docker/secrets/.gitignore does not ignore the secrets")

    # Every named volume a service mounts is declared; every secret used is declared.
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source = str(mount).split(":")[0]
            if not source.startswith((".", "/", "$")):
                check(source in volumes, f"compose: {name} mounts the undeclared volume {source}")
            elif source.startswith("./"):
                check(os.path.exists(os.path.join(DOCKER, source)),
                      f"compose: {name} mounts {source}, which does not exist in docker/")
        for secret in service.get("secrets", []):
            check(secret in secrets, f"compose: {name} uses the undeclared secret {secret}")
        for key, value in env_map(service.get("environment")).items():
            check("PASSWORD" not in key or key.endswith("_FILE"),
                  f"compose: {name} sets {key} inline: a password must come from a secret file")
            check(not re.search(r"://[^/\s:@]+:[^@\s]+@", value),
                  f"compose: {name}'s {key} holds a URL with a password")

    primary = services["primary"]
    check(primary.get("build", {}).get("dockerfile") == "primary.Dockerfile",
          "compose: the primary is not built from docker/primary.Dockerfile")
    check("healthcheck" in primary, "compose: the primary has no healthcheck")
    mounts = {str(m).split(":")[1] for m in primary.get("volumes", [])}
    for path in ["/var/lib/postgresql/15/main", "/var/lib/pgbackrest", "/etc/pgbackrest/pgbackrest.conf"]:
        check(path in mounts, f"compose: the primary does not mount {path}")
    start = read(os.path.join(DOCKER, "primary-start.sh"))
    check(re.search(r"archive_mode = on", start) and "pgbackrest --stanza=$stanza archive-push %p" in start,
          "primary-start.sh does not archive WAL with pgbackrest archive-push")
    check("stanza-create" in start, "primary-start.sh does not create the stanza")
    conf = read(os.path.join(DOCKER, "pgbackrest.conf"))
    check("[staging]" in conf and "repo1-path=/var/lib/pgbackrest" in conf,
          "pgbackrest.conf has no [staging] stanza on the repository volume")

    runtime = "docker/runtime.Dockerfile"
    for name, command in [("migrate", "migrate"), ("snapshot", "snapshot"), ("drill", "drill")]:
        service = services[name]
        check(service.get("build", {}).get("dockerfile") == runtime,
              f"compose: {name} does not use the runtime image ({runtime})")
        check(service.get("command") == [command], f"compose: {name} does not run `{command}`")
    check(services["snapshot"]["depends_on"].get("migrate", {}).get("condition")
          == "service_completed_successfully", "compose: snapshot does not wait for migrate")
    check(services["drill"]["depends_on"].get("snapshot", {}).get("condition")
          == "service_completed_successfully", "compose: drill does not wait for snapshot")
    check(services["migrate"]["depends_on"].get("primary", {}).get("condition") == "service_healthy",
          "compose: migrate does not wait for a healthy primary")
    # pgBackRest checks pg1-path against the server's data_directory: same path everywhere.
    snapshot_mounts = {str(m).split(":")[1] for m in services["snapshot"].get("volumes", [])}
    for path in ["/var/lib/postgresql/15/main", "/var/run/postgresql", "/var/lib/pgbackrest"]:
        check(path in snapshot_mounts, f"compose: snapshot does not mount {path} (pgbackrest backup)")
    migrations = re.sub(r"\$\{MIGRATIONS_DIR:-([^}]*)\}", r"\1", services["migrate"]["volumes"][0])
    default = migrations.split(":")[0]
    check(os.path.exists(os.path.join(DOCKER, default, "migsafe.sum")),
          f"compose: the default migration directory {default} has no migsafe.sum")


def pod_specs(document):
    kind = document.get("kind")
    if kind == "Job":
        return document["spec"], document["spec"]["template"]["spec"]
    if kind == "CronJob":
        job = document["spec"]["jobTemplate"]["spec"]
        return job, job["template"]["spec"]
    return None, None


def test_manifests(documents):
    manifests = {p: d for p, d in documents.items() if os.sep + "k8s" + os.sep in p}
    kinds = {}
    for path, docs in manifests.items():
        for document in docs:
            kinds.setdefault(document.get("kind"), []).append((path, document))
    check("Job" in kinds, "k8s: no Job")
    check("CronJob" in kinds, "k8s: no CronJob")
    check("PersistentVolumeClaim" in kinds, "k8s: no PersistentVolumeClaim for the store")
    for path, document in kinds.get("Kustomization", []):
        listed = set(document.get("resources", []))
        others = {os.path.basename(p) for p in manifests if os.path.basename(p) != "kustomization.yaml"}
        check(listed == others, f"{rel(path)} lists {sorted(listed)}, the folder has {sorted(others)}")

    commands = {}
    for kind in ["Job", "CronJob"]:
        for path, document in kinds.get(kind, []):
            where = f"{rel(path)} ({kind} {document['metadata']['name']})"
            job, pod = pod_specs(document)
            if kind == "CronJob":
                try:
                    parse_cron(document["spec"].get("schedule", ""))
                except ValueError as error:
                    check(False, f"{where}: schedule {document['spec'].get('schedule')!r}: {error}")
                check(document["spec"].get("concurrencyPolicy") == "Forbid",
                      f"{where}: concurrencyPolicy is not Forbid")
            check(isinstance(job.get("backoffLimit"), int), f"{where}: no backoffLimit")
            check(isinstance(job.get("activeDeadlineSeconds"), int), f"{where}: no activeDeadlineSeconds")
            check(pod.get("restartPolicy") in ("Never", "OnFailure"), f"{where}: no restartPolicy")
            security = pod.get("securityContext", {})
            check(security.get("runAsNonRoot") is True, f"{where}: the pod is not runAsNonRoot")
            check(security.get("runAsUser", 0) != 0, f"{where}: the pod runs as uid 0")
            claims = {v["name"]: v for v in pod.get("volumes", [])}
            for container in pod.get("containers", []):
                cwhere = f"{where} container {container['name']}"
                resources = container.get("resources", {})
                check("requests" in resources and "limits" in resources, f"{cwhere}: no resources")
                csec = container.get("securityContext", {})
                check(csec.get("allowPrivilegeEscalation") is False,
                      f"{cwhere}: allowPrivilegeEscalation is not false")
                args = container.get("args", [])
                check(len(args) >= 1 and args[0] in ("migrate", "snapshot", "drill"),
                      f"{cwhere}: args {args} is not an entrypoint subcommand")
                if not args:
                    continue
                env = {e["name"]: e for e in container.get("env", [])}
                commands.setdefault(args[0], []).append((cwhere, env))
                for name, entry in env.items():
                    check("PASSWORD" not in name, f"{cwhere}: sets {name}: use a Secret")
                if args[0] in ("migrate", "snapshot"):
                    url = env.get("DATABASE_URL", {})
                    ref = url.get("valueFrom", {}).get("secretKeyRef", {})
                    check(ref.get("key") == "DATABASE_URL" and ref.get("name"),
                          f"{cwhere}: DATABASE_URL is not from a secretKeyRef")
                    check("value" not in url, f"{cwhere}: DATABASE_URL has a literal value")
                if args[0] == "drill":
                    check(env.get("MIGSAFE_DRILL_EVERY", {}).get("value") == "90d",
                          f"{cwhere}: the drill is not gated by MIGSAFE_DRILL_EVERY=90d")
                # The store is a claim that outlives the pod; scratch space an emptyDir.
                for mount in container.get("volumeMounts", []):
                    volume = claims.get(mount["name"])
                    check(volume is not None, f"{cwhere}: mounts the undeclared volume {mount['name']}")
                    if volume and mount["mountPath"] == env.get("MIGSAFE_STORE", {}).get("value"):
                        check("persistentVolumeClaim" in volume,
                              f"{cwhere}: the store is not a PersistentVolumeClaim")
                    if volume and mount["mountPath"] == env.get("TMPDIR", {}).get("value"):
                        check("emptyDir" in volume, f"{cwhere}: the scratch space is not an emptyDir")
    check("migrate" in commands, "k8s: nothing runs `migrate`")
    check("drill" in commands, "k8s: nothing runs `drill`")
    for path, document in kinds.get("Job", []):
        annotations = document["metadata"].get("annotations", {})
        check("pre-upgrade" in annotations.get("helm.sh/hook", ""),
              f"{rel(path)}: the Job is not a Helm pre-upgrade hook")
    return commands


# --- passwords -------------------------------------------------------------------------

PASSWORD_PATTERNS = [
    # a URL with user information (a placeholder %s or a ${VAR} is not a password)
    re.compile(r"[a-z]+://[^\s/:@'\"]+:(?!%s@|\$\{?[A-Za-z_])[^\s@'\"]+@"),
    re.compile(r"\bpassword\s*=\s*(?!\$|\")[^\s'\"]{4,}", re.IGNORECASE),
    re.compile(r"PASSWORD\s*[:=]\s*['\"]?(?!\$|/run/secrets/)[A-Za-z0-9+/=_-]{6,}"),
]


def test_no_literal_password():
    for pattern, sample in [(0, "postgresql://app:hunter22@db/app"), (1, "host=db password=hunter22"),
                            (2, "POSTGRES_PASSWORD: hunter22")]:
        check(PASSWORD_PATTERNS[pattern].search(sample), f"the password pattern {pattern} misses {sample}")
    for path in docker_files(("",)):
        if os.path.basename(path) == ".gitignore":
            continue
        text = read(path)
        for line_number, line in enumerate(text.splitlines(), 1):
            for pattern in PASSWORD_PATTERNS:
                match = pattern.search(line)
                check(match is None, f"{rel(path)}:{line_number}: a literal password? {line.strip()}")


# --- Dockerfiles and the entrypoint ----------------------------------------------------

def dockerfile_instructions(path):
    text = read(path).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_dockerfiles():
    runtime = dockerfile_instructions(os.path.join(DOCKER, "runtime.Dockerfile"))
    stages = [line for line in runtime if line.startswith("FROM ")]
    check(stages and stages[0].startswith("FROM debian:12 ") and stages[-1] == "FROM debian:12-slim",
          f"runtime.Dockerfile: stages {stages}, expected debian:12 then debian:12-slim")
    check(any("--target migsafe_cli" in line for line in runtime), "runtime.Dockerfile does not build migsafe_cli")
    check('ENTRYPOINT ["/usr/local/bin/migsafe-entrypoint"]' in runtime,
          "runtime.Dockerfile: ENTRYPOINT is not /usr/local/bin/migsafe-entrypoint")
    check("COPY docker/entrypoint.sh /usr/local/bin/migsafe-entrypoint" in runtime,
          "runtime.Dockerfile does not copy docker/entrypoint.sh to the ENTRYPOINT")
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    check(users and users[-1].split(":")[0] not in ("0", "root"), f"runtime.Dockerfile runs as {users}")
    final = runtime[runtime.index(stages[-1]):] if stages else []
    installs = " ".join(final)
    for package in ["postgresql-client-15", "postgresql-15", "pgbackrest", "libpq5", "libpg-query1504.0",
                    "libzstd1", "libspdlog1.10", "libfmt9", "libcpp-httplib0.11"]:
        check(re.search(rf"\s{re.escape(package)}(\s|$)", installs),
              f"runtime.Dockerfile: the runtime stage does not install {package}")
    check("create_main_cluster = false" in installs, "runtime.Dockerfile lets Debian create a main cluster")

    primary = dockerfile_instructions(os.path.join(DOCKER, "primary.Dockerfile"))
    check('ENTRYPOINT ["/usr/local/bin/primary-start.sh"]' in primary,
          "primary.Dockerfile: ENTRYPOINT is not primary-start.sh")
    check("COPY primary-start.sh /usr/local/bin/primary-start.sh" in primary,
          "primary.Dockerfile does not copy primary-start.sh")
    check(any(line.startswith("USER postgres") for line in primary), "primary.Dockerfile runs as root")
    uid = lambda lines: [re.search(r"ARG UID=(\d+)", line).group(1) for line in lines if line.startswith("ARG UID=")]
    check(uid(primary) == uid(runtime) and uid(runtime),
          "the primary's postgres and the runtime's migsafe user must share a uid (shared volumes)")

    for script in ["entrypoint.sh", "primary-start.sh", "make-secrets.sh"]:
        path = os.path.join(DOCKER, script)
        check(os.access(path, os.X_OK), f"docker/{script} is not executable")
        result = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
        check(result.returncode == 0, f"docker/{script}: bash -n: {result.stderr.strip()}")
        if shutil.which("shellcheck"):
            result = subprocess.run(["shellcheck", path], capture_output=True, text=True)
            check(result.returncode == 0, f"docker/{script}: shellcheck:\n{result.stdout}")


def entrypoint_options():
    """{migsafe subcommand: options docker/entrypoint.sh passes to it}."""
    arrays = {"check": "check", "apply": "apply", "create": "snapshot create", "drill": "drill"}
    used = {}
    for line in read(os.path.join(DOCKER, "entrypoint.sh")).splitlines():
        match = re.match(r"\s*(?:local\s+)?(\w+)\+?=\((.*)\)", line)
        if match and match.group(1) in arrays:
            used.setdefault(arrays[match.group(1)], set()).update(re.findall(r"(--[a-z][a-z-]*)", match.group(2)))
        # `run_migsafe "${drill[@]}" --json ...`: options added at the call.
        call = re.match(r'\s*run_migsafe "\$\{(\w+)\[@\]\}"(.*)', line)
        if call and call.group(1) in arrays:
            used.setdefault(arrays[call.group(1)], set()).update(re.findall(r"(--[a-z][a-z-]*)", call.group(2)))
    return used


def test_options_exist(binary):
    used = entrypoint_options()
    for subcommand in ["check", "apply", "snapshot create", "drill"]:
        check(used.get(subcommand), f"entrypoint.sh: found no options for migsafe {subcommand}")
    for subcommand, options in sorted(used.items()):
        result = subprocess.run([binary, *subcommand.split(), "--help"], capture_output=True, text=True,
                                env={**os.environ, "NO_COLOR": "1"})
        check(result.returncode == 0, f"migsafe {subcommand} --help exited {result.returncode}")
        documented = set(re.findall(r"(--[a-z][a-z-]*)", result.stdout))
        for option in sorted(options):
            check(option in documented,
                  f"entrypoint.sh passes {option} to `migsafe {subcommand}`, which its --help does not list")
    log(f"options checked against --help: {', '.join(f'{s}: {len(o)}' for s, o in sorted(used.items()))}")


def test_variables_known(documents, commands):
    """Every variable the compose file and the manifests set is read by the script."""
    known = set(re.findall(r"\b((?:MIGSAFE|DATABASE)_[A-Z_]+)\b", read(os.path.join(DOCKER, "entrypoint.sh"))))
    known |= {"TMPDIR"}
    primary_known = set(re.findall(r"\b([A-Z][A-Z_]+)\b", read(os.path.join(DOCKER, "primary-start.sh"))))
    compose = documents[os.path.join(DOCKER, "compose.staging.yaml")][0]
    for name, service in compose["services"].items():
        allowed = primary_known if name == "primary" else known
        for key in env_map(service.get("environment")):
            check(key in allowed, f"compose: {name} sets {key}, which its script does not read")
    for command, containers in commands.items():
        for where, env in containers:
            for key in env:
                check(key in known, f"{where} sets {key}, which docker/entrypoint.sh does not read")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    yaml = load_yaml()
    test_cron_parser()
    documents = test_yaml_parses(yaml)
    compose_path = os.path.join(DOCKER, "compose.staging.yaml")
    if check(compose_path in documents, "docker/compose.staging.yaml is missing or does not parse"):
        test_compose(documents[compose_path][0])
    commands = test_manifests(documents)
    test_no_literal_password()
    test_dockerfiles()
    test_options_exist(binary)
    if compose_path in documents:
        test_variables_known(documents, commands)
    if failures:
        log(f"{len(failures)} failure(s)")
        return 1
    log(f"ok: {len(documents)} YAML files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
