"""``/docs`` (Swagger UI) and ``/redoc`` with no network: the assets are served by the gateway.

Government networks are often offline, so nothing is loaded from a CDN. The JavaScript and CSS
come from the ``fastapi-offline`` package (maintained, pinned in requirements.lock), which ships
Swagger UI's and ReDoc's standalone builds; only those four files are served.
"""

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from common.errors import NotFound

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
_PREFIX = "/docs/assets"


def _asset(name: str) -> bytes:
    return resources.files("fastapi_offline").joinpath("static", name).read_bytes()


def add_doc_pages(app: FastAPI) -> None:
    cache: dict[str, bytes] = {}

    @app.get(f"{_PREFIX}/{{name}}", include_in_schema=False)
    async def asset(name: str) -> Response:
        if name not in ASSETS:
            raise NotFound(f"No documentation asset {name}", code="not_found")
        if name not in cache:
            cache[name] = _asset(name)
        return Response(
            cache[name],
            media_type=ASSETS[name],
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="jiebang API",
            swagger_js_url=f"{_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{_PREFIX}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="jiebang API",
            redoc_js_url=f"{_PREFIX}/redoc.standalone.js",
            redoc_favicon_url=f"{_PREFIX}/favicon.png",
            with_google_fonts=False,
        )
