"""Saved searches in the web app: the `/saved` page with its forms (save from the search page,
rename, email on or off, delete) and the JSON API under `/api/saved`.

Saved searches hold email addresses, so with a token set security.py's guard asks for it on
reads here too, as on the operators' views. Like the operators' API, these routes stay out
of the OpenAPI document of the search API.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from monitor.errors import MonitorError
from monitor.saved.base import (
    SavedSearch,
    SavedSearchDraft,
    SavedSearches,
    draft_from_pairs,
    problem,
    valid_id,
)
from monitor.source_names import SourceNames, label

Clock = Callable[[], float]
#: Bytes a form or JSON body may have: a saved search is a name, a query and a few filters.
MAX_BODY = 64_000
DELIVERY_WORDS = {"immediate": "each match at once", "daily": "a daily digest"}
_DONE = {"saved": "Saved.", "changed": "Changed.", "deleted": "Deleted."}


def _back(done: str, search_id: str) -> str:
    """The /saved page after a change, at the search changed. Its id is in the query as well:
    a script that posts the form sees where it was sent without the fragment (fetch drops it),
    and puts the fragment back (saved.js)."""
    return f"/saved?done={done}&id={search_id}#saved-{search_id}"


def filter_words(search: SavedSearch, sources: SourceNames) -> list[tuple[str, str]]:
    """A saved search's filters as the page says them: each facet's name and its values by
    their labels ("source: China Daily or Xinhua", not the sources' ids)."""
    return [
        (field.replace("_", " "), " or ".join(label(field, v, sources) for v in values))
        for field, values in search.filters.items()
    ]


class _Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def saved_router(
    store: SavedSearches | None,
    templates: Jinja2Templates,
    sources: SourceNames | None = None,
    clock: Clock = time.time,
) -> APIRouter:
    names = sources if sources is not None else SourceNames(None)
    router = APIRouter()

    def the_store() -> SavedSearches:
        if store is None:
            raise _Refused(503, "saved searches are not available in this app")
        return store

    async def body(request: Request) -> bytes:
        """The body, read no further than `MAX_BODY` bytes."""
        too_big = _Refused(413, f"the request body is larger than {MAX_BODY:,} bytes")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            raise too_big
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY:
                raise too_big
        return bytes(raw)

    def checked_id(search_id: str) -> str:
        if not valid_id(search_id):
            raise _Refused(400, "a saved search's id is 32 hex digits")
        return search_id

    def draft(fields: Any) -> SavedSearchDraft:
        if not isinstance(fields, dict):
            raise _Refused(400, "send a JSON object with at least a name")
        try:
            return SavedSearchDraft.model_validate(fields)
        except ValidationError as exc:
            raise _Refused(400, problem(exc)) from None

    async def call(function: Callable[..., Any], *args: Any, changing: bool = False) -> Any:
        try:
            return await run_in_threadpool(function, *args)
        except MonitorError as exc:
            # a write the store took before the answer was lost is not undone: say so, so
            # that a retry does not make a second copy unseen
            maybe = "; the change may have been made: look at /saved before trying again"
            detail = f"saved searches cannot be reached: {exc}{maybe if changing else ''}"
            raise _Refused(503, detail) from None

    # -- the JSON API ------------------------------------------------------------------
    def answer(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        async def wrapped(request: Request, **kwargs: Any) -> Response:
            try:
                return await function(request, **kwargs)
            except _Refused as exc:
                # worded as the search API words a bad request
                detail = f"bad request: {exc.detail}" if exc.status == 400 else exc.detail
                return JSONResponse({"detail": detail}, status_code=exc.status)

        return wrapped

    async def json_body(request: Request) -> Any:
        try:
            return json.loads(await body(request) or b"null")
        except ValueError:
            raise _Refused(400, "the body is not JSON") from None

    async def found(search_id: str) -> SavedSearch:
        saved = await call(the_store().get, checked_id(search_id))
        if saved is None:
            raise _Refused(404, f"there is no saved search with id {search_id}")
        return saved

    @router.get("/api/saved", include_in_schema=False)
    @answer
    async def list_saved(request: Request) -> Response:
        """Every saved search, oldest first, each with its `url` on the search page, and in
        `unreadable` the ids of stored searches that cannot be read (saved by another version
        of the monitor): they can be deleted, or replaced with PUT."""
        listing = await call(the_store().listing)
        return JSONResponse(
            {
                "saved_searches": [s.public() for s in listing.searches],
                "unreadable": listing.unreadable,
            }
        )

    @router.post("/api/saved", status_code=201, include_in_schema=False)
    @answer
    async def create_saved(request: Request) -> Response:
        """Body: `name` (1 to 100 characters), the search page's parameters (`q`, `filters`
        such as `{"campaign": ["Clean Internet 2021"]}`, `date_from` and `date_to` or a `preset`:
        `24h`, `7d`, `30d`, `year`, `sort`) and
        optionally `email`: `{"to": "a@example.org", "delivery": "immediate"}` or `"daily"`
        (with `at`, HH:MM, and `timezone`)."""
        new = draft(await json_body(request))
        saved = await call(the_store().create, new, clock(), changing=True)
        return JSONResponse(saved.public(), status_code=201)

    @router.get("/api/saved/{search_id}", include_in_schema=False)
    @answer
    async def get_saved(request: Request, search_id: str) -> Response:
        return JSONResponse((await found(search_id)).public())

    @router.put("/api/saved/{search_id}", include_in_schema=False)
    @answer
    async def put_saved(request: Request, search_id: str) -> Response:
        """The whole saved search as POST takes it: what is left out is reset."""
        new = draft(await json_body(request))
        saved = await call(the_store().update, checked_id(search_id), new, clock(), changing=True)
        if saved is None:
            raise _Refused(404, f"there is no saved search with id {search_id}")
        return JSONResponse(saved.public())

    @router.delete("/api/saved/{search_id}", include_in_schema=False)
    @answer
    async def delete_saved(request: Request, search_id: str) -> Response:
        if not await call(the_store().delete, checked_id(search_id), changing=True):
            raise _Refused(404, f"there is no saved search with id {search_id}")
        return Response(status_code=204)

    # -- the page and its forms --------------------------------------------------------
    def page_error(request: Request, exc: _Refused) -> Response:
        return templates.TemplateResponse(
            request, "error.html", {"status": exc.status, "message": exc.detail}, exc.status
        )

    async def form(request: Request) -> dict[str, str]:
        pairs = parse_qsl((await body(request)).decode("utf-8", "replace"))
        return {k: v for k, v in pairs}

    def email_of(fields: dict[str, str]) -> dict[str, str] | None:
        delivery = fields.get("delivery", "off")
        if delivery in ("", "off"):
            return None
        email = {"to": fields.get("email", ""), "delivery": delivery}
        for key in ("at", "timezone"):
            if fields.get(key):
                email[key] = fields[key]
        return email

    @router.get("/saved", response_class=HTMLResponse, include_in_schema=False)
    async def saved_page(request: Request) -> Response:
        try:
            listing = await call(the_store().listing)
        except _Refused as exc:
            return page_error(request, exc)
        done = _DONE.get(request.query_params.get("done", ""), "")
        return templates.TemplateResponse(
            request,
            "saved.html",
            {
                "searches": listing.searches,
                "unreadable": listing.unreadable,
                "done": done,
                "delivery_words": DELIVERY_WORDS,
                "filter_words": {s.id: filter_words(s, names) for s in listing.searches},
            },
        )

    @router.post("/saved", include_in_schema=False)
    async def save_form(request: Request) -> Response:
        """From the search page: `name`, `search` (its query string) and optionally
        `email` with `delivery`."""
        try:
            fields = await form(request)
            pairs = parse_qsl(fields.get("search", ""))
            now = datetime.fromtimestamp(clock(), UTC)
            new = draft(
                draft_from_pairs(fields.get("name", ""), pairs, now, email=email_of(fields))
            )
            saved = await call(the_store().create, new, clock(), changing=True)
        except _Refused as exc:
            return page_error(request, exc)
        return RedirectResponse(_back("saved", saved.id), status_code=303)

    @router.post("/saved/{search_id}", include_in_schema=False)
    async def change_form(request: Request, search_id: str) -> Response:
        """The page's form for one search: a new `name`, and the email on or off."""
        try:
            fields = await form(request)
            current = await found(search_id)
            update = {"name": fields.get("name", ""), "email": email_of(fields)}
            keep = current.model_dump(include=set(SavedSearchDraft.model_fields))
            new = draft({**keep, **update})
            await call(the_store().update, search_id, new, clock(), changing=True)
        except _Refused as exc:
            return page_error(request, exc)
        return RedirectResponse(_back("changed", search_id), status_code=303)

    @router.post("/saved/{search_id}/delete", include_in_schema=False)
    async def delete_form(request: Request, search_id: str) -> Response:
        try:
            if not await call(the_store().delete, checked_id(search_id), changing=True):
                raise _Refused(404, f"there is no saved search with id {search_id}")
        except _Refused as exc:
            return page_error(request, exc)
        return RedirectResponse("/saved?done=deleted", status_code=303)

    return router
