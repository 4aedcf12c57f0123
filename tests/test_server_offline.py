"""The server itself reaches for nothing off the machine at start (Streamlit's headless external-IP lookup is off).

The real server, started the way `make run` starts it (`scripts/serve.py`, address from
.streamlit/config.toml), with an audit hook (Python's ``socket.connect`` audit event, loaded by
a ``sitecustomize`` on its path) that writes down every address the process connects to.
"""

from __future__ import annotations

import json
import urllib.request

from tools.app_server import running_app

AUDIT_HOOK = '''
import json, os, sys

_LOG = os.environ["CONNECT_LOG"]


def _record(event, args):
    if event == "socket.connect":
        address = args[1]
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(address if isinstance(address, str) else list(address)[:2]) + "\\n")


sys.addaudithook(_record)
with open(_LOG, "a", encoding="utf-8") as handle:
    handle.write(json.dumps({"hook loaded in": sys.orig_argv[:4]}) + "\\n")
'''

LOOPBACK = ("127.", "::1", "localhost")


def test_the_server_connects_only_to_loopback_at_start_and_on_a_page_load(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    log = tmp_path / "connections.jsonl"
    log.touch()
    env = {"PYTHONPATH": str(tmp_path), "CONNECT_LOG": str(log)}
    with running_app(address=None, extra_env=env) as (base_url, process):
        with urllib.request.urlopen(f"{base_url}/", timeout=30) as response:
            assert response.status == 200
        process.terminate()
        output = process.communicate(timeout=20)[0].decode("utf-8", "replace")
    connections = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    loaded = [c for c in connections if isinstance(c, dict)]
    assert any("scripts/serve.py" in " ".join(c["hook loaded in"]) for c in loaded), loaded  # the hook watched the server
    connections = [c for c in connections if not isinstance(c, dict)]
    # Not even the UDP "connect" to 8.8.8.8 that Streamlit uses to find the internal IP for its banner.
    outside = [c for c in connections if not (isinstance(c, str) or str(c[0]).startswith(LOOPBACK))]
    assert outside == [], outside
    assert "Did not auto detect external IP" not in output, output
    assert "External URL" not in output, output
