"""Container HEALTHCHECK without curl: ``python -m app.healthcheck [path]``.

Exits 0 when the local service answers 200 with a non-"fail" status, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request


def check(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed http URL
            body = json.loads(response.read() or b"{}")
            status = body.get("status", "pass") if isinstance(body, dict) else "pass"
            return response.status == 200 and status != "fail", f"{response.status} {status}"
    except urllib.error.HTTPError as error:
        return False, f"{error.code} {error.reason}"
    except (OSError, ValueError) as error:
        return False, f"unreachable: {error}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "/health"
    port = os.environ.get("PORT", "8000")
    ok, detail = check(f"http://127.0.0.1:{port}{path}")
    print(f"healthcheck {path}: {detail}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
