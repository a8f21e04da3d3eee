"""Article identity: the canonical form of a URL and the id derived from it.

The same announcement reaches us through several feeds, with tracking parameters, with
or without `www.`, over http or https; all of those must map to one id.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from monitor.models import article_id

# Query parameters that say how a reader arrived, never which page it is.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|spm|scm|from|"
    r"share_token|sharer?|share_from|isappinstalled|wfr|tt_from|timestamp|ref|ref_src|"
    r"_ga|_gl|s_cid|cmpid|ito|xtor)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str | None:
    """The identity form of `url`, or None when it is not an absolute http(s) URL.

    Scheme folded to https and `www.` dropped: publishers serve the same page under
    both, and feeds of one site disagree on which they link to.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    host = host.removeprefix("www.")
    if port and not (port == 80 and parts.scheme.lower() == "http") and port != 443:
        host = f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def entry_id(feed_id: str, link: str, guid: str) -> str:
    """The article id: the canonical URL's hash, else the feed id and GUID's.

    A GUID that is itself a permalink counts as the URL.
    """
    canonical = canonical_url(link) or canonical_url(guid)
    return article_id(canonical, feed_id, guid)


def fallback_guid(*parts: str) -> str:
    """A stand-in GUID for an entry with neither link nor GUID, from what it shows."""
    return "content:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
