"""Running the real CLI against a project directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.fixtures_pg import external_server_url


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_")
           or k in ("PGMT_GIT_CACHE_DIR", "PGMT_GIT_TEST_DSN")}
    url = external_server_url()
    if url:
        env["PGMT_SHADOW_URL"] = url
    return env


def command(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pgmt_git", "-C", str(project), *args]


def pgmt_git(project: Path, *args: str, check: int | None = 0,
             timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``pgmt-git -C project ARGS`` in a process of its own."""
    result = subprocess.run(command(project, *args), capture_output=True, text=True,
                            env=cli_env(), timeout=timeout)
    if check is not None and result.returncode != check:
        raise AssertionError(f"pgmt-git {' '.join(args)} exited {result.returncode}, "
                             f"expected {check}:\n{result.stdout}\n{result.stderr}")
    return result


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(command(project, *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env())


def finish(process: subprocess.Popen[str], timeout: float = 300) -> tuple[str, str]:
    """Wait for a started process: its stdout and stderr (killed if it outlives timeout)."""
    try:
        return process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def console_script() -> str:
    """The `pgmt-git` command this environment installed (what a user types)."""
    script = Path(sys.executable).parent / "pgmt-git"
    if not script.exists():
        raise AssertionError(f"no pgmt-git console script next to {sys.executable}")
    return str(script)


def _interruptible() -> None:
    """Ctrl-C as at an interactive shell: a shell starts background jobs (as CI may run
    this suite) with SIGINT ignored, and Python then installs no KeyboardInterrupt
    handler in the program."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """``pgmt-git -C project ARGS`` with stdin, stdout and stderr on a pseudo-terminal, as
    when a user runs it by hand. What the program writes is read as it comes (a thread), so
    it never blocks on a full terminal buffer."""

    def __init__(self, project: Path, *args: str) -> None:
        master, slave = os.openpty()
        try:
            self.process = subprocess.Popen(
                [console_script(), "-C", str(project), *args], stdin=slave, stdout=slave,
                stderr=slave, env=cli_env(), start_new_session=True,
                preexec_fn=_interruptible)
        finally:
            os.close(slave)
        self._master = master
        self._received = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 4096)
            except OSError:  # EIO: every process holding the terminal has ended
                return
            if not chunk:
                return
            with self._lock:
                self._received += chunk

    @property
    def output(self) -> str:
        """Everything the terminal received so far, as written (escape sequences kept)."""
        with self._lock:
            return self._received.decode("utf-8", "replace")

    def type(self, text: str) -> None:
        """Keys typed at the terminal (a line is ended with "\\n", as Enter does)."""
        os.write(self._master, text.encode())

    def finish(self, timeout: float = 300) -> int:
        """Wait for the process and everything it wrote; its exit code. A process still
        running after ``timeout`` fails the test with what it wrote."""
        try:
            try:
                code = self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                raise AssertionError(f"still running after {timeout} s; the terminal shows:"
                                     f"\n{self.output}") from None
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._reader.join(timeout=60)
            os.close(self._master)
        return code


def screen(output: str) -> list[str]:
    """The lines a terminal shows after ``output``: a carriage return goes back to the start
    of the line, ``ESC[K`` erases from there to its end. Any other escape sequence fails."""
    lines = [""]
    column = 0
    rest = output
    while rest:
        if rest.startswith("\x1b[K"):
            lines[-1] = lines[-1][:column]
            rest = rest[3:]
            continue
        char, rest = rest[0], rest[1:]
        if char == "\x1b":
            raise AssertionError(f"unexpected escape sequence in {output!r}")
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append("")
            column = 0
        else:
            line = lines[-1]
            lines[-1] = line[:column] + char + line[column + 1:]
            column += 1
    return lines
