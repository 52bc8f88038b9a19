"""The Locust scenario of `make bench-load` (bench/load.py starts it; not meant to be run alone).

Mixed citizen and staff journeys against `helseportal serve`. Each user holds a session minted for one of many
synthetic persons (bench/load.py's plan, `LOAD_PLAN`), so no page is served from one person's warm rows. The
weights are **our choice** (bench/README.md, "Load"): a visit mostly opens the overview, then messages and
appointments; few send, book or download.

Every request sends `X-Forwarded-Proto: https` (as the TLS proxy would) and the cookies by hand: the portal's
cookies are `__Host-` and `Secure`, which a client on http://127.0.0.1 would not send back. POSTs carry the CSRF
cookie and a token from the first form page, and `Origin`. A redirect (302) after a POST is the success; it is not
followed (the next step asks for what it needs).

`LOAD_STEP` (one step's name) runs only that step, for its CPU per request (bench/load.py's per-step runs).
"""

import json
import os
import random
import re
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

from locust import HttpUser, between

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
ONLY = os.environ.get("LOAD_STEP", "")
THINK = (float(os.environ.get("LOAD_THINK_MIN", "0.1")), float(os.environ.get("LOAD_THINK_MAX", "0.5")))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_LINK = re.compile(r"/helsepersonell/timeavtaler/timeonske/(\d+)/")
_numbers = count()
_staff_numbers = count()
KNOWN_REFUSALS = ("Tiden er ikke lenger ledig", "Timeønsket er allerede besvart", "Det oppstod en feil")


class Portal(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    cookie_name = "__Host-session"

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.me = self.pick()
        self.csrf = ""
        self.token = ""

    def pick(self) -> dict[str, Any]:
        raise NotImplementedError

    def headers(self, post: bool = False) -> dict[str, str]:
        cookie = f"{self.cookie_name}={self.me['session']}"
        if self.csrf:
            cookie += f"; __Host-csrftoken={self.csrf}"
        headers = {"X-Forwarded-Proto": "https", "Cookie": cookie}
        if post:
            headers["Origin"] = "https://" + self.host.split("://", 1)[1]
        return headers

    def get(self, path: str, name: str, expect: bytes = b"") -> str:
        with self.client.get(
            path, name=name, headers=self.headers(), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return ""
            if expect and expect not in response.content:
                response.failure("unexpected page")
                return ""
            if not self.token and (found := TOKEN.search(response.text)):
                self.token = found.group(1)
                self.csrf = response.cookies.get("__Host-csrftoken", self.csrf)
            return response.text

    def post(self, path: str, name: str, data: dict[str, Any]) -> bool:
        if not self.token:
            self.get(self.form_page, "csrf: first form page")
        with self.client.post(
            path,
            name=name,
            data={"csrfmiddlewaretoken": self.token, **data},
            headers=self.headers(post=True),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                said = [text for text in KNOWN_REFUSALS if text in response.text]
                response.failure(f"{response.status_code} {said[0] if said else ''}")
                return False
            return True

    form_page = "/timeavtaler/be-om-time/"


class Citizen(Portal):
    """A citizen on a visit: overview, messages (read a thread, reply), appointments (ask for a time)."""

    abstract = False
    weight = 8

    def pick(self) -> dict[str, Any]:
        return random.choice(PLAN["citizens"])  # noqa: S311

    def overview(self) -> None:
        self.get("/min-side/", "overview /min-side/")

    def messages(self) -> None:
        self.get("/meldinger/", "messages: inbox")

    def thread(self) -> None:
        self.get(f"/meldinger/{random.choice(self.me['threads'])}/", "messages: read a thread")  # noqa: S311

    def reply(self) -> None:
        thread = random.choice(self.me["threads"])  # noqa: S311
        self.post(f"/meldinger/{thread}/", "messages: send a reply", {"body": "Takk for svaret. Hilsen meg."})

    def appointments(self) -> None:
        self.get("/timeavtaler/", "appointments: Mine timer")

    def request_form(self) -> None:
        self.get("/timeavtaler/be-om-time/", "appointments: request form")

    def request(self) -> None:
        data = {"unit": self.me["unit"], "meeting_form": "physical", "phone": "912 34 567", "reason": ""}
        self.post("/timeavtaler/be-om-time/", "appointments: request sent", data)

    STEPS: dict[str, tuple[Callable[..., None], int]] = {
        "overview": (overview, 30),
        "messages": (messages, 12),
        "thread": (thread, 10),
        "reply": (reply, 3),
        "appointments": (appointments, 10),
        "request_form": (request_form, 2),
        "request": (request, 2),
    }


class Pregnant(Citizen):
    """A pregnant citizen: as the others, and her pregnancy card and its PDF."""

    abstract = False
    weight = 2

    def pick(self) -> dict[str, Any]:
        return random.choice(PLAN["pregnant"])  # noqa: S311

    def card(self) -> None:
        self.get("/gravid/", "pregnancy card /gravid/")

    def pdf(self) -> None:
        with self.client.get(
            "/gravid/helsekort.pdf", name="pregnancy card PDF", headers=self.headers(), catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"{response.status_code}")

    STEPS = Citizen.STEPS | {"card": (card, 15), "pdf": (pdf, 2)}


class Staff(Portal):
    """A clinician at the GP office: the unit's request inbox, a request's answer form, and confirms one request with
    a free time."""

    abstract = False
    fixed_count = int(os.environ.get("LOAD_STAFF", "4"))
    form_page = "/helsepersonell/timeavtaler/"

    def on_start(self) -> None:
        super().on_start()
        # Each staff user its own share of the free times and of the requests: no two confirm the same (a
        # collision would be refused as "Tiden er ikke lenger ledig", which the booking bench measures instead).
        self.shares = self.fixed_count
        run, runs = (int(n) for n in os.environ.get("LOAD_RUN", "0/1").split("/"))
        self.free_times = list(PLAN["free_times"][run::runs][self.share :: self.shares])  # this run's, this user's
        self.open: list[int] = []

    def pick(self) -> dict[str, Any]:
        self.share = next(_staff_numbers) % self.fixed_count
        return PLAN["staff"][self.share % len(PLAN["staff"])]

    def inbox(self) -> None:
        page = self.get("/helsepersonell/timeavtaler/", "staff: request inbox")
        found = {int(n) for n in REQUEST_LINK.findall(page)}
        self.open = sorted(n for n in found if n % self.shares == self.share)

    def answer_form(self) -> None:
        if not self.open:
            self.inbox()
        if self.open:
            self.get(f"/helsepersonell/timeavtaler/timeonske/{self.open[0]}/", "staff: answer form")

    def answer(self) -> None:
        if not self.open:
            self.inbox()
        if not self.open or not self.free_times:
            return
        request_id = self.open.pop(0)
        data = {
            "action": "confirm",
            "free_time": self.free_times.pop(0),
            "meeting_form": "physical",
            "place": "",
            "answer": "Velkommen.",
        }
        self.post(f"/helsepersonell/timeavtaler/timeonske/{request_id}/", "staff: answer (confirm a time)", data)

    STEPS: dict[str, tuple[Callable[..., None], int]] = {
        "inbox": (inbox, 3),
        "answer_form": (answer_form, 1),
        "answer": (answer, 1),
    }


def _tasks(cls: type[Portal]) -> None:
    steps = cls.STEPS  # type: ignore[attr-defined]
    chosen = {name: step for name, step in steps.items() if not ONLY or name == ONLY}
    cls.tasks = [function for function, weight in chosen.values() for _ in range(weight)]
    if not cls.tasks:
        cls.abstract = True  # not in this step's run


_tasks(Citizen)
_tasks(Pregnant)
_tasks(Staff)
if ONLY:
    # One step alone: the citizens' steps by Citizen (or Pregnant for hers), no staff unless it is theirs.
    if ONLY in Citizen.STEPS:
        Pregnant.abstract = True
    if ONLY not in Staff.STEPS:
        Staff.abstract = True
