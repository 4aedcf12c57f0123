"""Start the dashboard (or any Streamlit script) on a free loopback port, for tests, screenshots and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit at {base_url} was not healthy after {timeout} s")


@contextlib.contextmanager
def running_app(script: str | Path = "dashboard.py", *, cwd: Path = PROJECT_DIR, port: int | None = None,
                extra_env: dict[str, str] | None = None, address: str | None = "127.0.0.1",
                ) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield (base_url, process) of `streamlit run script` on ``address``; stop it afterwards.

    ``address=None`` leaves the address to the project's .streamlit/config.toml, as `make run` does.
    """
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    # The dashboard starts as `make run` starts it (scripts/serve.py: its libraries imported before it listens);
    # any other script (the benchmark's floors) with plain `streamlit run`.
    launch = ([sys.executable, str(PROJECT_DIR / "scripts" / "serve.py")]
              if Path(cwd, script).resolve() == PROJECT_DIR / "dashboard.py"
              else [sys.executable, "-m", "streamlit", "run", str(script)])
    command = [
        *launch,
        *(["--server.address", address] if address else []), "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
