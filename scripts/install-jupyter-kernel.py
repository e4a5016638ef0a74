#!/usr/bin/env python3
"""Registers this repository's pinned .NET Interactive kernel as a Jupyter kernel.

Polyglot Notebooks (the VS Code extension) is deprecated; the same notebooks run through the Jupyter protocol
(VS Code's Jupyter extension, JupyterLab, `jupyter nbconvert --execute`) with the .NET kernel. The kernelspec
that `dotnet interactive jupyter install` writes calls a *global* `dotnet interactive` command; this one calls
the version pinned in .config/dotnet-tools.json, from the NuGet global-packages folder where `dotnet tool
restore` put it (NUGET_PACKAGES and NuGet.Config are honoured; the tool is restored if it is missing).

    python3 scripts/install-jupyter-kernel.py                        # your Jupyter data folder (jupyter --data-dir)
    python3 scripts/install-jupyter-kernel.py --jupyter-path DIR     # DIR/kernels/<name>; then JUPYTER_PATH=DIR

The kernel is named ".net-csharp", the kernelspec name the notebooks' metadata asks for, so JupyterLab and VS Code
pick it without asking (it replaces a `.net-csharp` kernelspec of a global dotnet-interactive in the same folder).
The kernel's working directory is the notebook's folder (Jupyter's default), so `#r "../artifacts/lib/..."` resolves.
"""

import argparse
import glob
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

TOOL_ID = "microsoft.dotnet-interactive"
APP_DLL = "Microsoft.DotNet.Interactive.App.dll"
DEFAULT_NAME = ".net-csharp"
REPOSITORY = pathlib.Path(__file__).resolve().parent.parent


def fail(message):
    print(f"install-jupyter-kernel: {message}", file=sys.stderr)
    sys.exit(1)


def pinned_version():
    manifest = REPOSITORY / ".config" / "dotnet-tools.json"
    try:
        tools = json.loads(manifest.read_text(encoding="utf-8"))["tools"]
        return tools[TOOL_ID]["version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        fail(f"{manifest} does not pin {TOOL_ID} ({error}); restore the file from git.")


def run_dotnet(*arguments):
    try:
        return subprocess.run(["dotnet", *arguments], cwd=REPOSITORY, capture_output=True, text=True)
    except FileNotFoundError:
        fail("`dotnet` is not on PATH: install the .NET 10 SDK (README, 'Set up and run').")


def global_packages_folder():
    # `dotnet nuget locals` honours NUGET_PACKAGES and NuGet.Config's globalPackagesFolder, as `dotnet tool restore` does.
    listing = run_dotnet("nuget", "locals", "global-packages", "--list")
    match = re.search(r"global-packages:\s*(.+)", listing.stdout)
    if listing.returncode != 0 or not match:
        fail(f"`dotnet nuget locals global-packages --list` failed ({listing.returncode}): {listing.stderr.strip() or listing.stdout.strip()}")
    return pathlib.Path(match.group(1).strip())


def find_app_dll(packages, version):
    tool = packages / TOOL_ID / version / "tools"
    # tools/<framework>/any/…; the highest framework wins if the package ever carries several.
    candidates = sorted(glob.glob(str(tool / "*" / "any" / APP_DLL)),
                        key=lambda p: [int(n) for n in re.findall(r"\d+", pathlib.Path(p).parent.parent.name)])
    return pathlib.Path(candidates[-1]) if candidates else None


def kernel_dll(version):
    packages = global_packages_folder()
    dll = find_app_dll(packages, version)
    if dll is None:
        restore = run_dotnet("tool", "restore")
        if restore.returncode != 0:
            fail(f"`dotnet tool restore` in {REPOSITORY} failed ({restore.returncode}): {restore.stderr.strip() or restore.stdout.strip()}")
        dll = find_app_dll(packages, version)
    if dll is None:
        fail(f"{TOOL_ID} {version} is not in {packages / TOOL_ID / version} even after `dotnet tool restore`; "
             "check NUGET_PACKAGES and the restore's output.")
    return dll


def default_kernels_folder():
    # Ask the `jupyter` command itself: its Python may not be this one (pyenv, a virtual environment).
    try:
        listing = subprocess.run(["jupyter", "--data-dir"], capture_output=True, text=True)
    except FileNotFoundError:
        listing = None
    if listing is None or listing.returncode != 0 or not listing.stdout.strip():
        fail("`jupyter --data-dir` did not answer: install Jupyter (Debian: apt-get install -y jupyter-nbconvert "
             "python3-nbclient jupyter-client python3-ipykernel), or give --jupyter-path DIR.")
    return pathlib.Path(listing.stdout.strip().splitlines()[-1]) / "kernels"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jupyter-path", metavar="DIR",
                        help="write DIR/kernels/<name>/kernel.json (then set JUPYTER_PATH=DIR); "
                             "default: your Jupyter data folder (jupyter --data-dir)")
    parser.add_argument("--name", default=DEFAULT_NAME,
                        help=f"kernelspec name (default {DEFAULT_NAME}, the name the notebooks' metadata uses)")
    arguments = parser.parse_args()
    if not re.fullmatch(r"[A-Za-z0-9._-]+", arguments.name):
        fail(f"--name {arguments.name!r}: a kernelspec name may contain only letters, digits, '.', '_' and '-'.")

    version = pinned_version()
    dll = kernel_dll(version)
    kernels = pathlib.Path(arguments.jupyter_path) / "kernels" if arguments.jupyter_path else default_kernels_folder()
    folder = kernels / arguments.name
    spec = {
        "argv": ["dotnet", str(dll), "jupyter", "--default-kernel", "csharp", "{connection_file}",
                 "--http-port-range", "2048-3000"],
        "display_name": f".NET (C#) {version}, pinned by Studying.DeepLearning",
        "language": "C#",
        "metadata": {"dotnet_interactive_version": version, "repository": str(REPOSITORY)},
    }

    folder.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed over it: never a half-written kernel.json.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".kernel.", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(spec, file, indent=2)
        file.write("\n")
    os.replace(temporary, folder / "kernel.json")
    print(f"Jupyter kernel {arguments.name!r} ({TOOL_ID} {version}, {dll}) written to {folder / 'kernel.json'}")


if __name__ == "__main__":
    main()
