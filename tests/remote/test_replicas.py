"""Replicas: three ``plenipot serve`` processes behind nginx (deploy/nginx.conf, with this
test's ports), over one SPARQL engine and over one shared on-disk embedded store. A bounded
load (200 requests over 8 connections) must spread over every replica with no error."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from plenipot.config import Settings

ROOT = Path(__file__).parents[2]
REPLICAS = 3
REQUESTS, CONNECTIONS = 200, 8
PATHS = ("/api/resolutions/pp/102", "/queries/proposals-for-resolution?number=102",
         "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D",
         "/health", "/api/conferences")
pytestmark = [pytest.mark.slow, pytest.mark.remote]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server on port {port} stopped: "
                                 f"{process.stderr.read().decode()[-1500:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")


def nginx_config(listen: int, upstreams: list[int]) -> str:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    text = re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{listen};", text)
    servers = iter(upstreams)
    text = re.sub(r"server 127\.0\.0\.1:\d+", lambda _: f"server 127.0.0.1:{next(servers)}",
                  text)
    assert text.count("server 127.0.0.1:") == len(upstreams)
    return text


class Cluster:
    def __init__(self, folder: Path):
        self.folder, self.processes = folder, []

    def serve(self, name: str, store: str, extra_env: dict) -> int:
        port = free_port()
        env = {**os.environ, "PLENIPOT_REPLICA": name, "PLENIPOT_VALIDATE_ON_START": "0",
               "PLENIPOT_QUERY_WORKERS": "1", **extra_env}
        process = subprocess.Popen([sys.executable, "-m", "plenipot", "serve", "--port",
                                    str(port), "--store", store], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.processes.append(process)
        wait_until_up(port, process)
        return port

    def nginx(self, upstreams: list[int]) -> int:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            message = "nginx is not installed (bash scripts/engines.sh install)"
            if os.environ.get("CI") == "true" or os.environ.get("PLENIPOT_REQUIRE_ENGINES"):
                pytest.fail(message)
            pytest.skip(message)
        prefix = self.folder / "nginx"
        for sub in ("logs", "temp"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(prefix / "temp", 0o777)
        port = free_port()
        config = prefix / "nginx.conf"
        config.write_text(nginx_config(port, upstreams))
        process = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(config), "-g",
                                    "daemon off;"], stderr=subprocess.PIPE)
        self.processes.append(process)
        wait_until_up(port, process)
        return port

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


def bounded_load(port: int) -> tuple[Counter, Counter, list]:
    """REQUESTS requests over CONNECTIONS kept-alive connections; (replicas, upstreams, errors)."""
    def worker(index: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        seen = []
        for number in range(index, REQUESTS, CONNECTIONS):
            path = PATHS[number % len(PATHS)]
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            seen.append((path, response.status, response.getheader("X-Plenipot-Replica"),
                         response.getheader("X-Upstream")))
        connection.close()
        return seen

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        answers = [item for chunk in pool.map(worker, range(CONNECTIONS)) for item in chunk]
    assert len(answers) == REQUESTS
    errors = [a for a in answers if a[1] != 200]
    return Counter(a[2] for a in answers), Counter(a[3] for a in answers), errors


@pytest.fixture
def cluster(tmp_path):
    made = Cluster(tmp_path)
    yield made
    made.stop()


def check_spread(port: int) -> None:
    replicas, upstreams, errors = bounded_load(port)
    assert errors == [], errors[:5]
    assert set(replicas) == {f"r{i}" for i in range(REPLICAS)}, replicas
    assert all(count >= 5 for count in replicas.values()), replicas
    assert len(upstreams) == REPLICAS, upstreams


def test_replicas_over_one_engine_share_the_load(cluster, engines):
    settings = engines.settings("oxigraph", Settings(validate_on_start=False))
    ports = [cluster.serve(f"r{i}", f"sparql:{settings.endpoint}", {}) for i in range(REPLICAS)]
    check_spread(cluster.nginx(ports))


def test_replicas_over_one_shared_on_disk_store_share_the_load(cluster, tmp_path):
    store = tmp_path / "store"
    ports = [cluster.serve("r0", str(store), {})]  # the first loads the store
    ports += [cluster.serve(f"r{i}", str(store), {}) for i in range(1, REPLICAS)]  # the others
    check_spread(cluster.nginx(ports))
