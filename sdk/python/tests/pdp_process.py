"""The real PDP of this repository (server/target/pdp-server.jar) as a child process on loopback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[3]
JAR = Path(os.environ.get("REDLINE_PDP_JAR", REPO / "server" / "target" / "pdp-server.jar"))
START_TIMEOUT = 120.0


class PdpProcess:
    """``java -jar pdp-server.jar serve --port 0 ...`` on a temporary data directory."""

    def __init__(self, data_dir: Path, *extra_args: str) -> None:
        if not JAR.is_file():
            raise RuntimeError(
                f"{JAR} is missing: build it first (mvn -B -pl server -am package -DskipTests)"
            )
        java = shutil.which("java") or "java"
        command = [
            java,
            "-jar",
            str(JAR),
            "serve",
            "--port",
            "0",
            "--admin-port",
            "0",
            "--instances",
            "1",
            "--data-dir",
            str(data_dir),
            "--audit-dir",
            str(data_dir / "audit"),
            # Served cold: the warm-up would add up to its timeout (10 s) to every start.
            "--warmup-timeout",
            "0s",
            # A loaded test machine and a cold JVM: the first evaluations may take seconds.
            "--queue-timeout",
            "30s",
            "--eval-timeout",
            "10s",
            *extra_args,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self.start_line = self._await_start(self.process.stdout)
        self.port = int(str(self.start_line["address"]).rsplit(":", 1)[1])
        self.target = f"127.0.0.1:{self.port}"

    def _await_start(self, out: IO[str] | None) -> dict[str, Any]:
        assert out is not None
        seen: list[str] = []
        started: dict[str, Any] = {}
        done = threading.Event()

        def read() -> None:
            for line in out:
                if not done.is_set():
                    seen.append(line)
                    if line.startswith("{") and '"pdp serving"' in line:
                        started.update(json.loads(line))
                        done.set()
            done.set()  # exited; keep draining so the child never blocks on a full pipe

        threading.Thread(target=read, name="pdp-stdout", daemon=True).start()
        if not done.wait(START_TIMEOUT) or not started:
            self.stop()
            raise RuntimeError("the PDP did not start; it said:\n" + "".join(seen))
        return started

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections, but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def unused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_help() -> str:
    return subprocess.run(
        ["java", "-jar", str(JAR), "serve", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
