"""Each student's kernel in a bubblewrap sandbox (https://github.com/containers/bubblewrap).

`SandboxedKernelManager` is a jupyter_client kernel manager that nbgrader's Execute
preprocessor uses when the configuration says so (`Execute.kernel_manager_class`, set by the
course's autograde; see trusted.TrustedExecute). It starts the same kernel command inside
`bwrap` with:

* no network: new network, IPC, PID, UTS and cgroup namespaces (`--unshare-all` where the
  grader is an ordinary user). The kernel talks to nbgrader over ZeroMQ IPC sockets in a private
  runtime folder that is bound into the sandbox (transport "ipc"), not over TCP;
* the system read-only: /usr, the libraries, the Python installation and venv, the course
  package and its data folder, a few files of /etc; nothing else of the machine;
* a private /tmp and home (empty, discarded with the sandbox);
* of the course folder only the student's own submission copy: the files nbgrader put in the
  student's autograded folder, minus every notebook (the notebook being graded there already
  holds the hidden tests), copied into the kernel's working folder when it starts; what the
  student writes there is discarded;
* a bounded disk: the working folder, home and /tmp are tmpfs mounts of `disk_limit` bytes
  each, and no file the kernel writes may grow past it (RLIMIT_FSIZE, which also bounds each
  file in the one folder on the grader's disk the kernel can write: the runtime folder of its
  sockets); a student who writes gigabytes gets "No space left on device", not the grader;
* limits: address space (memory), number of processes, CPU seconds, open files, file size, no
  core files (prlimit), and one thread for numerical libraries;
* a clean environment: only what the kernel needs (no JPY_PARENT_PID: in a new PID namespace
  ipykernel's parent poller would see PID 1 and stop the kernel).

When the grader runs as root, bwrap would map the sandbox to the outer root user, which Linux
exempts from the process limit; the sandbox then creates no user namespace and drops to an
unprivileged uid of its own (setpriv) inside, one uid per grading process so that one
student's fork bomb does not count against another student's kernel, graded at the same time.

`SANDBOX=auto|require|off` chooses: `auto` sandboxes where bwrap works, `require` refuses to
grade without it, `off` grades unsandboxed (with a warning).

The course's nbgrader_config.py names this manager for nbgrader's own Autograde too, so the
formgrader's Autograde button (one student at a time) sandboxes the kernel as well; there
`SandboxedKernelManager.mode` is "auto", and a machine without bubblewrap gets the warning in
the button's log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Enum, Integer, Unicode, default

from trafficking_course import paths
from trafficking_course.errors import GradingError

MODES = ("auto", "require", "off")
HOME = "/home/student"
SEED = "/run/course-seed"  # read-only copies of the student's files and home, inside
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("alternatives", "fonts", "group", "host.conf", "ld.so.cache", "ld.so.conf",
        "ld.so.conf.d", "localtime", "mime.types", "nsswitch.conf", "os-release", "passwd",
        "ssl", "ca-certificates", "timezone")
_PASS_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND", "NBGRADER_EXECUTION",
             "NBGRADER_VALIDATING", "PYDEVD_DISABLE_FILE_VALIDATION")
_UID_BASE = 100_000  # above every account a system creates (nobody is 65534)


#: Linux allows a Unix socket path of 107 bytes; jupyter_client adds "-N" to the kernel's.
SOCKET_PATH_MAX = 100


def fits_socket(path: Path | str) -> bool:
    """Whether `path` can name a kernel's IPC sockets."""
    return len(os.fsencode(str(path))) + 3 <= SOCKET_PATH_MAX


def runtime_folder(root: str | None) -> Path:
    """A new folder for one sandboxed kernel under `root` (default: the system's temp), or
    under /tmp where `root` is too deep for the kernel's sockets (a long TMPDIR)."""
    for base in (root, "/tmp"):
        path = Path(tempfile.mkdtemp(prefix="course-sandbox-", dir=base))
        if fits_socket(path / "kernel"):
            return path
        path.rmdir()
    raise GradingError("no folder short enough for the kernel's sockets (at most "
                       f"{SOCKET_PATH_MAX} bytes)", file=root or tempfile.gettempdir())


def bwrap() -> str | None:
    return shutil.which("bwrap")


@lru_cache(maxsize=1)
def probe() -> str:
    """"" when a sandbox can be made here, else why not (cached per process)."""
    exe = bwrap()
    if exe is None:
        return "bubblewrap (bwrap) is not installed"
    cmd = [exe, *_namespaces(), "--ro-bind", "/", "/", "--proc", "/proc", "--", "true"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap cannot start: {exc}"
    if proc.returncode != 0:
        return f"bwrap cannot create a sandbox here: {proc.stderr.strip()[:200]}"
    return ""


def resolve(mode: str) -> bool:
    """Whether to sandbox for SANDBOX=mode; GradingError for `require` without bwrap."""
    mode = (mode or "auto").lower()
    if mode not in MODES:
        raise GradingError(f"unknown sandbox mode {mode!r} (use auto, require or off)",
                           field="sandbox")
    if mode == "off":
        return False
    why = probe()
    if why and mode == "require":
        raise GradingError(f"SANDBOX=require but {why}; install the `bubblewrap` package",
                           field="sandbox")
    return not why


def describe(mode: str, active: bool) -> str:
    """One line for the progress bar and the report."""
    if active:
        return "students' kernels sandboxed (bubblewrap)"
    if (mode or "auto").lower() == "off":
        return "WARNING: not sandboxed (SANDBOX=off): students' code runs with your rights"
    return f"WARNING: not sandboxed ({probe()}): students' code runs with your rights"


def _privileged() -> bool:
    return os.geteuid() == 0


def _namespaces() -> list[str]:
    if _privileged():
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try"]
    return ["--unshare-all"]


def _parents(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if str(p) != "/"]


def _read_only_paths() -> list[Path]:
    """What the kernel needs to read: Python, the venv, the course package and its data."""
    package = Path(paths.__file__).resolve().parent
    # Site folders a .pth file adds (a hub account's venv reads the course environment's
    # packages so): the package folders only, never the working folder on sys.path.
    sites = [Path(p).resolve() for p in sys.path
             if p and ("site-packages" in p or "dist-packages" in p)]
    found = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), package.parent,
             paths.data_dir().resolve(), *sites]
    unique: list[Path] = []
    for p in found:
        if p.exists() and not any(p == q or q in p.parents for q in unique):
            unique = [q for q in unique if p not in q.parents] + [p]
    return unique


def _system_args(disk: int) -> list[str]:
    args: list[str] = []
    for name in _SYSTEM:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    for name in _ETC:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args + ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(disk),
                   "--tmpfs", "/tmp"]


def _bind_args(read_only: list[Path], writable: list[tuple[Path, Path]],
               mounts: tuple[Path, ...] = ()) -> list[str]:
    """Binds of `read_only` (at their own paths) and `writable` (src, dest), and the parent
    folders of these and of `mounts` (mounted by the caller)."""
    args: list[str] = []
    made: set[Path] = {Path("/tmp")}
    targets = read_only + [dest for _, dest in writable] + list(mounts)
    for target in targets:
        for parent in _parents(target):
            if parent not in made and not any(parent == t or t in parent.parents
                                              for t in read_only):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
    for path in read_only:
        args += ["--ro-bind", str(path), str(path)]
    for src, dest in writable:
        args += ["--bind", str(src), str(dest)]
    return args


def _environment(env: dict[str, str], data: Path) -> list[str]:
    package_parent = Path(paths.__file__).resolve().parents[1]
    values = {k: env[k] for k in _PASS_ENV if k in env}
    values.update({
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME, "USER": "student", "TMPDIR": "/tmp",
        "IPYTHONDIR": f"{HOME}/.ipython", "MPLCONFIGDIR": f"{HOME}/.config/matplotlib",
        "JUPYTER_CONFIG_DIR": f"{HOME}/.jupyter", "JUPYTER_DATA_DIR": f"{HOME}/.local/jupyter",
        "JUPYTER_RUNTIME_DIR": f"{HOME}/.local/jupyter/runtime",
        "PYTHONPATH": str(package_parent), "TRAFFICKING_COURSE_DATA": str(data),
        "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    })
    args = ["--clearenv"]
    for key, value in sorted(values.items()):
        args += ["--setenv", key, value]
    return args


def _matplotlib_cache() -> Path:
    if os.environ.get("MPLCONFIGDIR"):
        return Path(os.environ["MPLCONFIGDIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"


def _seed_home(home: Path) -> None:
    """An empty home, with a copy of matplotlib's font list so it is not rebuilt per kernel."""
    mpl = home / ".config" / "matplotlib"
    mpl.mkdir(parents=True, exist_ok=True)
    for fontlist in _matplotlib_cache().glob("fontlist-*.json"):
        shutil.copyfile(fontlist, mpl / fontlist.name)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel inside bubblewrap (see the module docstring)."""

    memory_limit = Integer(2 * 1024 ** 3, help="address space per process, bytes"
                           ).tag(config=True)
    process_limit = Integer(256, help="processes and threads of one kernel").tag(config=True)
    cpu_limit = Integer(3600, help="CPU seconds per process").tag(config=True)
    file_limit = Integer(1024, help="open files per process").tag(config=True)
    disk_limit = Integer(256 * 1024 ** 2, help="bytes: the size of each of the kernel's "
                         "writable folders (working folder, home, /tmp: tmpfs mounts) and of "
                         "any one file it writes (RLIMIT_FSIZE)").tag(config=True)
    runtime_root = Unicode("", help="where runtime folders go (default: the system's temp)"
                           ).tag(config=True)
    mode = Enum(["auto", "require"], "auto", help=(
        "auto: start the kernel unsandboxed, with a warning in the log, where bubblewrap cannot "
        "run here (the formgrader's Autograde button); require: refuse to start it then (the "
        "course's autograde, which has already chosen)")).tag(config=True)

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime_folder(self.runtime_root or None)
        self.runtime.chmod(0o755)
        self.transport = "ipc"
        self.ip = str(self.runtime / "kernel")
        self.connection_file = str(self.runtime / "kernel.json")
        # one uid per kernel: the grading process's pid, unique among the running workers
        # (a counter would be copied into every forked worker and collide)
        self.uid = _UID_BASE + os.getpid() % 900_000 if _privileged() else os.getuid()

    def _workdir(self, cwd: Path) -> Path:
        """A private copy of the student's folder without notebooks, copied at the kernel's
        start into its working folder (a size-limited tmpfs)."""
        work = self.runtime / "work"
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(cwd, work, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_*"),
                        symlinks=False)
        _seed_home(self.runtime / "home")
        return work

    def _limits(self) -> list[str]:
        return ["prlimit", f"--as={self.memory_limit}", f"--nproc={self.process_limit}",
                f"--cpu={self.cpu_limit}", f"--nofile={self.file_limit}", "--core=0",
                f"--fsize={self.disk_limit}", "--"]

    def _drop_privileges(self) -> list[str]:
        if not _privileged():
            return []
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]

    def _give_to_sandbox(self) -> None:
        if not _privileged():
            return
        for path in [self.runtime, *self.runtime.rglob("*")]:
            os.lchown(path, self.uid, self.uid)

    def sandbox_command(self, cmd: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
        work = self._workdir(cwd)
        self._give_to_sandbox()
        size = str(self.disk_limit)
        disks = ["--perms", "0777", "--size", size, "--tmpfs", str(cwd),
                 "--perms", "0777", "--size", size, "--tmpfs", HOME,
                 "--ro-bind", str(work), f"{SEED}/work",
                 "--ro-bind", str(self.runtime / "home"), f"{SEED}/home"]
        # the student's files and the seeded home are copied into the tmpfs mounts as the
        # sandbox's own user, before the kernel starts
        seed = ["/bin/sh", "-c", f'cp -R {SEED}/work/. . && cp -R {SEED}/home/. "$HOME" && '
                'exec "$@"', "seed"]
        exe = bwrap() or "bwrap"
        return [exe, *_namespaces(), "--die-with-parent", *_system_args(self.disk_limit),
                *_bind_args(_read_only_paths(), [(self.runtime, self.runtime)],
                            (cwd, Path(HOME), Path(SEED) / "work", Path(SEED) / "home")),
                *disks, *_environment(env, paths.data_dir().resolve()), "--chdir", str(cwd),
                "--", *self._drop_privileges(), *self._limits(), *seed, *cmd]

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if not resolve(self.mode):  # GradingError for require without bubblewrap
            self.log.warning(describe(self.mode, False))
            return cmd, kw
        cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
        cmd = self.sandbox_command(cmd, cwd, dict(kw.get("env") or os.environ))
        kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        kw["cwd"] = str(self.runtime)
        return cmd, kw

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt by message: a SIGINT to the process group would stop bwrap itself."""
        if not self.has_kernel:
            await super()._async_interrupt_kernel()
            return
        msg = self.session.msg("interrupt_request", content={})
        self._connect_control_socket()
        self.session.send(self._control_socket, msg)

    interrupt_kernel = _async_interrupt_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.runtime, ignore_errors=True)
