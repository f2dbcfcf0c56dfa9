#!/usr/bin/env python3
"""The flags panel in a real browser (Debian's chromium, headless, driven by selenium).

Starts `migsafe flag serve` on 127.0.0.1 (any free port) over a fresh database, logs in
with the token, toggles a flag with a reason and sees the change in the history list; a
request without the token changes nothing.

Usage: test_panel_browser.py MIGSAFE_BINARY
The database: MIGSAFE_TEST_DB (a conninfo; a database is created there and dropped), else
an ephemeral cluster started here (initdb, socket only, as `postgres` when run as root).
Exit 125 (skipped) when chromium, chromedriver or selenium is missing, unless CI=true:
then that is a failure (docs/testing.md).
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SKIP = 125
TOKEN = "browser-test-token-0123456789abcdef"
FLAG = "new-checkout"
REASON = "browser test: start the canary"


def log(message):
    print(f"test_panel_browser: {message}", flush=True)


def skip_or_fail(why):
    if os.environ.get("CI") == "true":
        log(f"FAIL: {why} (CI=true: a missing browser fails the run)")
        sys.exit(1)
    log(f"SKIP: {why}")
    sys.exit(SKIP)


def find_browser():
    try:
        from selenium import webdriver  # noqa: F401
    except ImportError:
        # Debian's python3-selenium is installed for Debian's python3: when another one
        # runs this script (pyenv, a virtualenv), run it again with Debian's.
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
                and not os.environ.get("MIGSAFE_PANEL_REEXEC"):
            os.environ["MIGSAFE_PANEL_REEXEC"] = "1"
            os.execv(system, [system, *sys.argv])
        skip_or_fail("python3-selenium is not installed")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if chromium is None:
        skip_or_fail("chromium is not installed")
    if driver is None:
        skip_or_fail("chromium-driver (chromedriver) is not installed")
    return chromium, driver


class Database:
    """A database for the test: on MIGSAFE_TEST_DB's server, or in a cluster of our own."""

    def __init__(self):
        self.cluster = None
        self.run_as = []
        self.bindir = None
        self.server = os.environ.get("MIGSAFE_TEST_DB", "")
        self.name = f"migsafe_panel_browser_{os.getpid()}"
        if not self.server:
            self._start_cluster()
        self._psql(f'CREATE DATABASE "{self.name}"')
        self.conninfo = self._conninfo(self.name)

    def _conninfo(self, dbname):
        if self.cluster:
            return f"host={self.cluster} port=5432 user=postgres dbname={dbname}"
        return f"{self.server} dbname={dbname}" if "=" in self.server else self.server

    def _psql(self, sql):
        psql = os.path.join(self.bindir, "psql") if self.bindir else "psql"
        subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                        self._conninfo("postgres"), "-c", sql], check=True)

    def _start_cluster(self):
        candidates = [os.environ.get("MIGSAFE_PG_BINDIR", "")]
        if shutil.which("pg_config"):
            candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True,
                                             text=True).stdout.strip())
        candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        self.bindir = next((c for c in candidates
                            if c and os.path.exists(os.path.join(c, "initdb"))), None)
        if self.bindir is None:
            skip_or_fail("no PostgreSQL server programs (initdb) and no MIGSAFE_TEST_DB")
        self.cluster = tempfile.mkdtemp(prefix="migsafe-panel-cluster-")
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.cluster, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(self.cluster, "data")
        subprocess.run(self.run_as + [os.path.join(self.bindir, "initdb"), "-D", data, "-U",
                                      "postgres", "-A", "trust", "--no-sync"],
                       check=True, capture_output=True, cwd="/")
        options = f"-c listen_addresses='' -k {self.cluster} -c fsync=off"
        subprocess.run(self.run_as + [os.path.join(self.bindir, "pg_ctl"), "-D", data, "-l",
                                      os.path.join(self.cluster, "server.log"), "-o", options,
                                      "-w", "start"],
                       check=True, capture_output=True, cwd="/")

    def close(self, keep):
        if self.cluster:
            subprocess.run(self.run_as + [os.path.join(self.bindir, "pg_ctl"), "-D",
                                          os.path.join(self.cluster, "data"), "-m",
                                          "immediate", "stop"], capture_output=True, cwd="/")
            if keep:
                log(f"cluster kept in {self.cluster}")
            else:
                shutil.rmtree(self.cluster, ignore_errors=True)
        elif not keep:
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}"')


def migsafe(binary, *args, env=None):
    result = subprocess.run([binary, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise AssertionError(f"migsafe {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}{result.stderr}")
    return result.stdout


def start_panel(binary, conninfo, stderr_path):
    env = dict(os.environ, MIGSAFE_PANEL_TOKEN=TOKEN, NO_COLOR="1")
    stderr = open(stderr_path, "w+")
    process = subprocess.Popen([binary, "flag", "serve", "--db", conninfo, "--listen",
                                "127.0.0.1:0"], stdout=subprocess.DEVNULL, stderr=stderr,
                               env=env)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        stderr.seek(0)
        text = stderr.read()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
        if match:
            assert TOKEN not in text, "the token was printed"
            return process, match.group(0)
        if process.poll() is not None:
            raise AssertionError(f"migsafe flag serve exited {process.returncode}:\n{text}")
        time.sleep(0.05)
    raise AssertionError("migsafe flag serve printed no URL within 15 s")


def api(url, method, path, body=None, token=TOKEN):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url.rstrip("/") + path, data=data, method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def production(flag):
    return next((e for e in flag["environments"] if e["env"] == "production"), None)


def browse(url, chromium, driver_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    wait = WebDriverWait(browser, 10)
    try:
        browser.get(url)
        # A wrong token is refused: the login box stays.
        wait.until(ec.visibility_of_element_located((By.ID, "login-token")))
        browser.find_element(By.ID, "login-token").send_keys("not-the-token-0123456789")
        browser.find_element(By.ID, "login-submit").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "login-error"), "refused"))
        assert not browser.find_element(By.ID, "app").is_displayed()

        browser.find_element(By.ID, "login-token").send_keys(TOKEN)
        name = browser.find_element(By.ID, "login-name")
        name.clear()
        name.send_keys("tester")
        browser.find_element(By.ID, "login-submit").click()
        row_selector = f'#flags tr[data-key="{FLAG}"]'
        row = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, row_selector)))
        assert "team-checkout" in row.text, row.text
        assert browser.execute_script(
            "return sessionStorage.getItem('migsafe.panel.token')") == TOKEN

        # Turn it on with a reason.
        row.find_element(By.CSS_SELECTOR, "button.act-enable").click()
        wait.until(ec.visibility_of_element_located((By.ID, "change-reason")))
        # No reason: the dialog says so and sends nothing.
        browser.find_element(By.ID, "change-confirm").click()
        assert browser.find_element(By.ID, "change-dialog").is_displayed()
        browser.find_element(By.ID, "change-reason").send_keys(REASON)
        browser.find_element(By.ID, "change-confirm").click()
        wait.until(ec.invisibility_of_element_located((By.ID, "change-dialog")))

        # The history list shows it, with the actor and the reason.
        wait.until(ec.text_to_be_present_in_element((By.ID, "events"), REASON))
        first = browser.find_element(By.CSS_SELECTOR, "#events tbody tr")
        assert "panel:tester" in first.text and FLAG in first.text, first.text
        row = browser.find_element(By.CSS_SELECTOR, row_selector)
        assert row.find_elements(By.CSS_SELECTOR, "button.act-disable"), row.text

        # Roll it out to everybody: the row says fully on.
        row.find_element(By.CSS_SELECTOR, "button.act-rollout").click()
        percentage = wait.until(ec.visibility_of_element_located((By.ID, "change-percentage")))
        percentage.clear()
        percentage.send_keys("100")
        browser.find_element(By.ID, "change-reason").send_keys("browser test: everybody")
        browser.find_element(By.ID, "change-confirm").click()
        wait.until(ec.invisibility_of_element_located((By.ID, "change-dialog")))
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, row_selector),
                                                    "fully on since"))
        wait.until(ec.text_to_be_present_in_element((By.ID, "events"), "rollout 0 → 100 %"))

        # The evaluate box answers, with the reason.
        browser.find_element(By.ID, "eval-key").send_keys(FLAG)
        browser.find_element(By.ID, "eval-user").send_keys("user-42")
        browser.find_element(By.ID, "eval-submit").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "eval-result"), "user-42"))
        result = browser.find_element(By.ID, "eval-result").text
        assert f"{FLAG} is ON for user-42 in production" in result, result
    except Exception:
        log(f"page at failure:\n{browser.find_element(By.TAG_NAME, 'body').text}")
        raise
    finally:
        browser.quit()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    chromium, driver_path = find_browser()
    started = time.monotonic()
    database = Database()
    ok = False
    process = None
    workdir = tempfile.mkdtemp(prefix="migsafe-panel-browser-")
    try:
        migsafe(binary, "flag", "create", FLAG, "--db", database.conninfo, "--owner",
                "team-checkout", "--kind", "cut-over", "--criteria",
                "error rate below 0.1 % for a week", "--reason", "created by the browser test")
        process, url = start_panel(binary, database.conninfo,
                                   os.path.join(workdir, "serve.err"))
        log(f"panel at {url}")
        browse(url, chromium, driver_path)

        status, data = api(url, "GET", "/api/flags")
        assert status == 200, (status, data)
        before = production(data["flags"][0])
        assert before["enabled"], before
        _, events = api(url, "GET", "/api/events")
        count = len(events["events"])

        # Without the token, and with a wrong one: 401, nothing changed.
        for token in ("", "wrong-token-0123456789abcdef"):
            status, data = api(url, "POST", f"/api/flags/{FLAG}/disable",
                               {"env": "production", "reason": "no token",
                                "version": before["version"]}, token=token)
            assert status == 401, (status, data)
        status, data = api(url, "GET", "/api/flags")
        assert production(data["flags"][0]) == before, data
        _, events = api(url, "GET", "/api/events")
        assert len(events["events"]) == count, events

        # SIGTERM: the server stops cleanly, exit 143.
        process.terminate()
        code = process.wait(timeout=10)
        assert code == 143, f"migsafe flag serve exited {code} after SIGTERM, not 143"
        process = None
        ok = True
        log(f"PASS in {time.monotonic() - started:.1f} s")
        return 0
    finally:
        if process is not None:
            process.kill()
            process.wait()
        if not ok:
            err = os.path.join(workdir, "serve.err")
            if os.path.exists(err):
                log(f"migsafe flag serve said:\n{open(err).read()}")
        shutil.rmtree(workdir, ignore_errors=True)
        database.close(keep=not ok)


if __name__ == "__main__":
    sys.exit(main())
