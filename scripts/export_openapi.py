"""Export each service's OpenAPI document and the merged gateway document into openapi/.

python scripts/export_openapi.py write    regenerate the files
python scripts/export_openapi.py check    fail when the files differ from the code
"""

import json
import os
import sys
from typing import Any

os.environ.setdefault("JIEBANG_LOG_LEVEL", "WARNING")

from common.settings import ROOT, SERVICES, Settings
from gateway.app import create_app as create_gateway
from gateway.app import own_openapi
from gateway.openapi import merge

OUT = ROOT / "openapi"


def specs() -> dict[str, dict[str, Any]]:
    import importlib

    settings = Settings(env="dev")
    service_specs = {
        s: importlib.import_module(f"services.{s}.app").create_app(settings).openapi()
        for s in SERVICES
    }
    gateway = merge(own_openapi(create_gateway(settings)), service_specs)
    return {**service_specs, "gateway": gateway}


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(mode: str) -> int:
    stale = []
    for name, spec in specs().items():
        path = OUT / f"{name}.json"
        text = render(spec)
        if mode == "write":
            OUT.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
    if stale:
        print(f"openapi/ is out of date ({', '.join(stale)}): run `make openapi`", file=sys.stderr)
        return 1
    print("openapi/ " + ("written" if mode == "write" else "matches the code"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
