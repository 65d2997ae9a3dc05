"""The benches' own servers (`axmatch bench`, `bench --national`, `bench-pages`): a uvicorn
started as a subprocess, waited for until it answers, stopped for good."""

import subprocess
import time

import httpx


def wait_up(
    server: subprocess.Popen[bytes],
    url: str,
    what: str,
    pause: float = 0.2,
    status: int | None = None,
) -> None:
    """Until `url` answers (with `status`, if given), for up to 600 tries; else stop the
    server and say so."""
    for _ in range(600):
        try:
            answer = httpx.get(url, timeout=1)
            if status is None or answer.status_code == status:
                return
        except httpx.HTTPError:
            pass
        time.sleep(pause)
    stop(server)
    raise RuntimeError(f"{what} did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
