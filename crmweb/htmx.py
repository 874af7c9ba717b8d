"""htmx conventions: one URL serves a page or its fragment (STYLE.md rule 1)."""
from flask import make_response, render_template, request


def is_htmx_request() -> bool:
    return request.headers.get("HX-Request") == "true"


def is_fragment_request() -> bool:
    """An htmx request that swaps part of a page; boosted and history-restore requests get pages."""
    return (
        is_htmx_request()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str | None = None, /, *, status_code: int = 200, **context):
    """Render `fragment` for htmx fragment requests and `page` (which includes it) otherwise."""
    if fragment and is_fragment_request():
        # Messages flashed by this request travel with the fragment, out of band.
        body = render_template(fragment, **context) + render_template("_flashes.html", oob=True)
    else:
        body = render_template(page, **context)
    return make_response(body, status_code)


def vary_on_htmx(response):
    """after_request: every answer may differ for htmx (page or fragment, redirect or HX-Redirect),
    so every answer says so to caches, whichever view or handler made it."""
    response.vary.add("HX-Request")
    return response
