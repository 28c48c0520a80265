"""The load of `make bench-load` (coso/data/bench/load.py): demo users browsing the production
server, and one officer importing member lists beside them.

Browser users (200 by default) sign in as one of the demo accounts and then, with a think time of
BENCH_LOAD_THINK seconds (default 5–15) between pages, open the dashboard, the member list, a
member search, the statistical report, the organization tree, the candidates, and now and then an
export (the member list as .xlsx, logged as every export is). Pages are fetched as a browser with a
warm cache does: static files have hashed names and a year's cache, so a browser asks for them
once (on_start fetches them once per user). The importer uploads a list of IMPORT_ROWS members to a
cell of Đà Nẵng, submits the column mapping the page proposes, waits for the check, and writes
the valid rows; each file has new national IDs, so each import writes.

A response counts as an error when its status is 400 or more, or when it lands on the login page
(a lost session).
"""

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "coso-demo-2025"
# accounts whose organizations exist today carry most of the load; the ended Núi Thành ones too
ACCOUNTS = ["danang.tochuc"] * 4 + ["ducphu.tochuc"] * 3 + ["admin", "nuithanh.tochuc", "nuithanh.lanhdao", "tamson.bithu"]
# the others may not export; a commune's list (about 600 members): the whole city's (5,000, about
# 2 s of openpyxl for one request) is a rare job, left out of the mix and named in the reading
EXPORTERS = {"ducphu.tochuc", "nuithanh.tochuc"}
SEARCHES = ["nguyen", "nguyen van", "tran thi", "le", "pham van h", "thi", "hoa", "xyz"]
THINK = [float(x) for x in os.environ.get("BENCH_LOAD_THINK", "5,15").split(",")]
IMPORT_ROWS = int(os.environ.get("BENCH_LOAD_IMPORT_ROWS", "200"))
LOGIN = "/tai-khoan/dang-nhap/"
PASSWORD_FORM = "/tai-khoan/doi-mat-khau/"  # where a user who must replace the password is sent
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+)"')
_files = itertools.count(1)

# Every response time once all users have started and signed in (the steady state: signing in 200
# users, each an Argon2 hash, and their first static files are the ramp, reported apart), written
# to BENCH_LOAD_OUT at the end.
_samples = {"start": None, "end": None, "times": defaultdict(list), "errors": defaultdict(int),
            "ramp": defaultdict(list), "ramp_errors": defaultdict(int), "signed": 0, "users": None}


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    _samples["users"] = user_count
    _maybe_steady()
    # users whose sign-in failed try again on their next page; the window opens in any case
    gevent.spawn_later(STEADY_AT_THE_LATEST, _maybe_steady, force=True)


_environment = {}
STEADY_AT_THE_LATEST = 120


@events.init.add_listener
def _init(environment, **kwargs):
    _environment["runner"] = environment.runner


def _maybe_steady(force=False):
    """Once every user has signed in (or STEADY_AT_THE_LATEST seconds after the last one started):
    the measured window starts, and ends BENCH_LOAD_SECONDS later."""
    if _samples["start"] is None and _samples["users"] is not None and (force or _samples["signed"] >= _samples["users"]):
        _samples["start"] = time.time()
        if out := os.environ.get("BENCH_LOAD_OUT"):
            open(out.removesuffix(".json") + ".started", "w").close()
        gevent.spawn_later(float(os.environ.get("BENCH_LOAD_SECONDS", "120")), _environment["runner"].quit)


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception=None, **kwargs):
    steady = _samples["start"] is not None
    (_samples["times"] if steady else _samples["ramp"])[name].append(response_time)
    if exception is not None:
        (_samples["errors"] if steady else _samples["ramp_errors"])[f"{name}: {exception}"] += 1


@events.quitting.add_listener
def _write(environment, **kwargs):
    if out := os.environ.get("BENCH_LOAD_OUT"):
        _samples["end"] = time.time()
        with open(out, "w") as f:
            json.dump(_samples, f)


class Forms(HTMLParser):
    """The forms of a page with the values a browser would submit as they stand."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1]["fields"].append((a["name"], a.get("value", "on")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": None}
            self.forms[-1].setdefault("options", {})[a["name"]] = []
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self.forms[-1]["options"][self._select["name"]].append(value)
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            s = self._select
            value = s["chosen"] if s["chosen"] is not None else s["first"]
            if value is not None:
                self.forms[-1]["fields"].append((s["name"], value))
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


class Signed(HttpUser):
    abstract = True
    account = None
    signed = False
    home = ""

    def sign_in(self, username: str) -> None:
        page = self.client.get(LOGIN, name="login page")
        token = CSRF.search(page.text or "")
        if token is None:  # the login page failed (counted as its error): the next page tries again
            return
        token = token.group(1)
        with self.client.post(LOGIN, {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                              name="sign in", catch_response=True) as response:
            if response.url is not None and LOGIN in response.url:
                response.failure(f"sign-in refused for {username}")
            elif response.url is not None and PASSWORD_FORM in response.url:
                response.failure(f"{username} must replace the demo's password (is COSO_DEMO set?)")
            elif response.url is not None and response.status_code < 400:  # else locust counts the error
                self.signed = True
                _samples["signed"] += 1
                _maybe_steady()
        self.home = response.text or ""

    def page(self, url: str, name: str, **params):
        if not self.signed:
            self.sign_in(self.account)
        with self.client.get(url, params=params or None, name=name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
            elif response.url is not None and LOGIN in response.url:
                response.failure("sent to the login page")
            elif response.url is not None and PASSWORD_FORM in response.url:
                response.failure("sent to the password form")
            return response


class Browser(Signed):
    weight = 200
    wait_time = between(*THINK)

    def on_start(self):
        self.account = random.choice(ACCOUNTS)
        self.sign_in(self.account)
        # a new browser: the static files once (hashed names, then from its cache)
        for asset in sorted(set(ASSETS.findall(self.home))):
            self.client.get(asset, name="static (first visit)")

    @task(4)
    def dashboard(self):
        self.page("/bao-cao/tong-quan/", "dashboard")

    @task(4)
    def members(self):
        self.page("/dang-vien/", "member list", trang=random.choice(["1", "1", "2"]))

    @task(3)
    def search(self):
        self.page("/dang-vien/", "member search", tim=random.choice(SEARCHES))

    @task(3)
    def report(self):
        self.page("/bao-cao/thong-ke/", "report")

    @task(1)
    def tree(self):
        self.page("/to-chuc/", "organization tree")

    @task(1)
    def candidates(self):
        self.page("/dang-vien/quan-chung/", "candidates")

    @task(1)
    def export(self):
        if self.account in EXPORTERS:
            self.page("/nhap-xuat/xuat/dang-vien/", "member export (.xlsx)")
        else:
            self.report()


class Importer(Signed):
    """One officer importing a new list again and again."""

    fixed_count = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.account = "danang.tochuc"
        self.sign_in(self.account)
        self.upload_url = None

    @task
    def import_a_list(self):
        from coso.data.bench.imports import build_file

        if self.upload_url is None:  # the import page of the account's committee
            self.upload_url = self.page("/nhap-xuat/", "import page").url
            return
        page = self.page(self.upload_url, "import page")
        token = CSRF.search(page.text or "")
        if token is None:
            return
        token = token.group(1)
        # the usual office list: no cell column, the cell chosen on the mapping page
        content = build_file(IMPORT_ROWS, [None], start=next(_files) * 10_000)
        with self.client.post(self.upload_url, data={"csrfmiddlewaretoken": token},
                              files={"file": ("danh-sach.xlsx", content)}, name="import: upload", catch_response=True) as mapping:
            if "/cot/" not in mapping.url:
                mapping.failure("upload refused")
                return
        form = next(f for f in forms_of(mapping.text) if "default_cell" in f.get("options", {}))
        cells = [v for v in form["options"]["default_cell"] if v]
        fields = [(k, v) for k, v in form["fields"] if k != "default_cell"] + [("default_cell", random.choice(cells))]
        job = self.client.post(mapping.url, data=fields, name="import: mapping and check")
        for _ in range(120):  # a large file is checked in the background: the page polls
            commit = next((f for f in forms_of(job.text) if f["action"].endswith("/ghi/")), None)
            if commit is not None or job.status_code >= 400:
                break
            time.sleep(1)
            job = self.client.get(job.url, name="import: job page")
        if commit is None:
            return
        fields = [*commit["fields"], ("confirm", "on")]
        self.client.post(commit["action"], data=fields, name="import: write")
