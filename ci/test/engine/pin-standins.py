#!/usr/bin/env python3
"""Point a copy of the repository at the lab's stand-in images.

    pin-standins.py REPO_COPY PINS_JSON

Rewrites, in the copy only, each entry of dagger/src/images.ts (repository, tag, digest) and the `ARG *_IMAGE=` defaults
of backend/Dockerfile and frontend/Dockerfile to the stand-in with the same name in PINS_JSON (written by lab.sh). Every
image of the table must be rewritten exactly once, so a new pin the lab has no stand-in for fails here, by name.
"""

import json
import re
import sys
from pathlib import Path

TABLE = re.compile(
    r'(\w+): \{(\s*)repository: "[^"]+",(\s*)tag: "[^"]+",(\s*)digest: "sha256:[0-9a-f]{64}"'
)
DOCKERFILE_ARGS = {
    "backend/Dockerfile": {"PYTHON_IMAGE": "python"},
    "frontend/Dockerfile": {"NODE_IMAGE": "node", "NGINX_IMAGE": "nginx"},
}


def split_ref(ref: str) -> tuple[str, str, str]:
    name, digest = ref.split("@", 1)
    repository, tag = name.rsplit(":", 1)
    return repository, tag, digest


def pin_table(path: Path, pins: dict[str, str]) -> list[str]:
    done: list[str] = []

    def swap(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in pins:
            sys.exit(
                f"pin-standins: no lab stand-in for image '{name}' of {path}; add one to ci/test/engine"
            )
        repository, tag, digest = split_ref(pins[name])
        done.append(name)
        return f'{name}: {{{m.group(2)}repository: "{repository}",{m.group(3)}tag: "{tag}",{m.group(4)}digest: "{digest}"'

    path.write_text(TABLE.sub(swap, path.read_text()))
    return done


def pin_dockerfile(path: Path, args: dict[str, str], pins: dict[str, str]) -> None:
    text = path.read_text()
    for arg, name in args.items():
        text, n = re.subn(
            rf"^ARG {arg}=\S+$", f"ARG {arg}={pins[name]}", text, flags=re.MULTILINE
        )
        if n != 1:
            sys.exit(f"pin-standins: {path} has {n} 'ARG {arg}=' lines, expected 1")
    path.write_text(text)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    repo, pins = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    done = pin_table(repo / "dagger/src/images.ts", pins)
    if len(done) < 4:
        sys.exit(
            f"pin-standins: found only {done} in dagger/src/images.ts; has the table's shape changed?"
        )
    for file, args in DOCKERFILE_ARGS.items():
        pin_dockerfile(repo / file, args, pins)
    print(f"pinned {len(done)} images to lab stand-ins: {', '.join(done)}")


if __name__ == "__main__":
    main()
