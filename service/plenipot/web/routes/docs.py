"""Routes: ``/docs`` (Swagger UI over ``/openapi.json``) and ``/favicon.ico``.

Swagger UI is vendored under ``static/vendor/swagger-ui/`` (``scripts/vendor.sh swagger-ui``), so
the page loads nothing from another host and works offline. FastAPI's own ``/docs`` and
``/redoc`` load from a CDN; ``create_app`` turns them off.
"""

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from plenipot.web.routes.pages import STATIC

router = APIRouter(include_in_schema=False)
SWAGGER = "/static/vendor/swagger-ui"


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} API",
        swagger_js_url=f"{root}{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{SWAGGER}/swagger-ui.css",
        swagger_favicon_url=f"{root}/favicon.ico",
        # the validator badge would send the schema's URL to validator.swagger.io
        swagger_ui_parameters={"validatorUrl": None, "deepLinking": True},
    )


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "img" / "favicon.ico", media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400"})
