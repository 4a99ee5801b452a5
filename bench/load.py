"""A bounded HTTP load test: gunicorn on 127.0.0.1 (started and stopped here) and ``n_users``
logged-in users, each a thread that requests key pages one after the other for ``seconds``.

Lighter than a load tool for this size: standard library only, bounded in users and time, and it
talks to 127.0.0.1 only. An answer other than 200 (or a connection failure) counts as an error.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def user_pages(user) -> list[str]:
    """The pages one user visits in turn (those of the apps on main)."""
    from django.urls import NoReverseMatch, reverse

    names = (
        [("schools:dashboard", {}), ("schools:school_list", {})]
        if user.is_academy
        else [("schools:overview", {"school_code": user.school.code}),
              ("schools:staff_list", {"school_code": user.school.code}),
              ("courses:class_list", {"school_code": user.school.code}),
              ("courses:learner_list", {"school_code": user.school.code})]
    )
    pages = []
    for name, kwargs in names:
        try:
            pages.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return pages


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def run(users: dict, *, seconds: int, n_users: int, say=print) -> dict:
    people = [users["academy"], *users["schools"]]
    people = (people * (n_users // len(people) + 1))[:n_users]
    plans = [(session_cookie(user), user_pages(user)) for user in people]
    port = free_port()
    workers = max(2, (os.cpu_count() or 2) + 1)
    proc = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", "4", "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    try:
        wait_until_up(port, proc)
        say(f"gunicorn on {HOST}:{port} ({workers} workers × 4 threads); {n_users} users for {seconds} s")
        stop_at = time.monotonic() + seconds

        def visitor(cookie: str, pages: list[str]) -> None:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            index = 0
            mine: list[float] = []
            while time.monotonic() < stop_at:
                page = pages[index % len(pages)]
                index += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", page, headers={"Cookie": cookie, "Host": HOST})
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                    with lock:
                        errors.append(f"{page}: {exc!r}")
                    continue
                mine.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    with lock:
                        errors.append(f"{page}: HTTP {status}")
            conn.close()
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=visitor, args=plan, daemon=True) for plan in plans]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 60)
        elapsed = time.monotonic() - began
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")
    if errors:
        say(f"errors ({len(errors)}), first: {errors[:3]}")
    total = len(latencies) + len(errors)
    return {"rps": total / elapsed, "p95_ms": p95, "errors": len(errors), "requests": total}
