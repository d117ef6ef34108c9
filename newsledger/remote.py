"""Extract through a resident pipeline on this machine.

A new `newsledger extract` process spends seconds importing spaCy and loading its model before
it reads a word. `newsledger serve --db FILE --allow-extract` loads them once, at its start,
and answers POST /api/extract; `newsledger extract --server http://127.0.0.1:8000 FILE` reads
its inputs itself (files, URLs, HTML: the same readers as always), sends the documents it read
and prints the records the server answers: the records a local extract with the server's
settings prints, byte for byte (the server runs the same `pipeline.process` on the same
`Document`s and sends `Document.to_json()` back).

Loopback only: the client sends to 127.0.0.0/8, ::1 or localhost and nothing else, and the
server answers POST /api/extract only to a client on its own machine. The wire format is JSON
(never pickle): a request `{"last_stage": ..., "documents": [{"raw", "meta"}]}`, an answer
`{"items": [{"record": {...}} | {"failure": {...}}]}` in the order of the documents.
"""
from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .errors import NewsledgerError
from .model import Document, Failure, Meta

EXTRACT_PATH = "/api/extract"
# Documents sent per request: records come back as each group is done, and one request
# holds at most this many documents' texts.
GROUP_SIZE = 8
# How long the client waits for one group's answer (a long report takes tens of seconds).
ANSWER_TIMEOUT_SECONDS = 900.0
META_FIELDS = tuple(f.name for f in fields(Meta))


@dataclass(frozen=True)
class ExtractRequest:
    """What the client asks: these documents, through the stages up to `last_stage`
    (None: the server's setting)."""

    documents: tuple[Document | Failure, ...]   # a document the server refuses is its failure
    last_stage: str | None = None


# -- the wire format --------------------------------------------------------------------------


def document_payload(doc: Document) -> dict[str, Any]:
    """A document as read (its raw text and metadata hints) as JSON."""
    meta = {name: getattr(doc.meta, name) for name in META_FIELDS}
    meta["published"] = doc.meta.published.isoformat() if doc.meta.published else None
    return {"raw": doc.raw, "meta": meta}


def request_payload(request: ExtractRequest) -> bytes:
    return json.dumps({"last_stage": request.last_stage,
                       "documents": [document_payload(d) for d in request.documents]},
                      ensure_ascii=False).encode("utf-8")


def parse_request(body: bytes, max_documents: int, max_input_bytes: int) -> ExtractRequest:
    """The request in `body`, or E402 saying what is wrong with its envelope. A document the
    server refuses (too long, malformed) is that document's failure: the others are processed."""
    try:
        payload = json.loads(body or b"null")
    except ValueError:
        raise NewsledgerError("E402", "the extract request's body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("documents"), list):
        raise NewsledgerError("E402", "the extract request must be an object with a 'documents' list")
    last_stage = payload.get("last_stage")
    if last_stage is not None and not isinstance(last_stage, str):
        raise NewsledgerError("E402", "'last_stage' must be a stage name or null")
    if len(payload["documents"]) > max_documents:
        raise NewsledgerError("E402", f"at most {max_documents} documents per extract request")
    return ExtractRequest(tuple(_document(item, max_input_bytes) for item in payload["documents"]), last_stage)


def _document(item: Any, max_input_bytes: int) -> Document | Failure:
    if not isinstance(item, dict) or not isinstance(item.get("raw"), str) or not isinstance(item.get("meta"), dict):
        raise NewsledgerError("E402", "each document must be an object with 'raw' text and 'meta'")
    meta = item["meta"]
    source = meta.get("source") if isinstance(meta.get("source"), str) else "<extract request>"
    if len(item["raw"].encode("utf-8")) > max_input_bytes:
        return Failure(source, "E104", f"the document has more than {max_input_bytes} bytes", "read")
    unknown = sorted(set(meta) - set(META_FIELDS))
    if unknown or not all(value is None or isinstance(value, str) for value in meta.values()):
        return Failure(source, "E402", f"the document's meta holds unknown keys or non-text values ({', '.join(unknown)})", "read")
    try:
        published = date.fromisoformat(meta["published"]) if meta.get("published") else None
    except ValueError:
        return Failure(source, "E402", f"meta.published {meta['published']!r} is not YYYY-MM-DD", "read")
    return Document(raw=item["raw"], meta=Meta(**{**meta, "published": published}))


def answer_item(result: Document | Failure) -> dict[str, Any]:
    """One processed document as the client will print it: its record, or its failure (a
    record that cannot be made is the output failure a local extract reports)."""
    if isinstance(result, Document):
        try:
            return {"record": result.to_json()}
        except Exception as err:  # noqa: BLE001 - this document's failure, not the request's
            result = Failure(result.meta.source, "E301",
                             f"output: {type(err).__name__}: {' '.join(str(err).split())[:200]}", "output")
    return {"failure": {"source": result.source, "code": result.code, "message": result.message,
                        "stage": result.stage}}


# -- the server's side ------------------------------------------------------------------------


def extract_answer(request: ExtractRequest, settings: Any) -> dict[str, Any]:
    """Run the pipeline (loaded once per process) on the request's documents. A long body is
    parsed and its stages run in this process alone (`nlp_processes` 1: a server's threads are
    not forked; the records are those of several processes, as `stages.nlp` and `aside` test)."""
    from .pipeline import process

    wanted = replace(settings, nlp_processes=1, last_stage=request.last_stage or settings.last_stage)
    return {"items": [answer_item(result) for result in process(list(request.documents), wanted)]}


def is_loopback_client(host: str | None) -> bool:
    """Whether a request's peer address is this machine."""
    try:
        address = ipaddress.ip_address((host or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)   # an IPv4 peer of a dual-stack socket
    return (mapped or address).is_loopback


# -- the client's side ------------------------------------------------------------------------


def server_url(url: str) -> str:
    """The extract route of the server at `url` (http://HOST:PORT), which must be on this
    machine: 127.0.0.0/8, ::1 or localhost (E208 otherwise; nothing is sent)."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    if parts.scheme != "http" or not host:
        raise NewsledgerError("E208", f"{url}: give the server as http://127.0.0.1:PORT")
    if host != "localhost" and not is_loopback_client(host):
        raise NewsledgerError("E208", f"{url}: only a server on this machine (127.0.0.1, ::1, localhost) is used")
    try:
        port = parts.port
    except ValueError:
        raise NewsledgerError("E208", f"{url}: the port is not a number from 0 to 65535") from None
    shown = f"[{host}]" if ":" in host else host       # the address alone: no user or password
    return f"http://{shown}{f':{port}' if port else ''}{EXTRACT_PATH}"


def extract_remotely(url: str, items: Iterable[Document | Failure],
                     last_stage: str | None) -> Iterator[dict[str, Any] | Failure]:
    """The records (dicts) and failures of `items`, processed by the server at `url`, in
    order; failures of reading pass through as they are. E208 when no server answers."""
    target = server_url(url)
    group: list[Document | Failure] = []
    documents = 0
    for item in items:
        group.append(item)
        documents += isinstance(item, Document)
        if documents == GROUP_SIZE:
            yield from _send_group(target, group, last_stage)
            group, documents = [], 0
    yield from _send_group(target, group, last_stage)


def _send_group(target: str, group: list[Document | Failure], last_stage: str | None,
                ) -> Iterator[dict[str, Any] | Failure]:
    documents = tuple(item for item in group if isinstance(item, Document))
    answers = iter(_post(target, ExtractRequest(documents, last_stage)) if documents else [])
    for item in group:
        if isinstance(item, Failure):
            yield item
            continue
        answer = next(answers, None)
        if not isinstance(answer, dict):
            raise NewsledgerError("E208", f"{target} answered fewer items than documents sent")
        if "record" in answer:
            yield answer["record"]
        else:
            found = answer.get("failure") or {}
            yield Failure(str(found.get("source") or item.meta.source), str(found.get("code") or "E301"),
                          str(found.get("message") or "failed on the server"), found.get("stage"))


def _post(target: str, request: ExtractRequest) -> list[Any]:
    """The answer's items, or E208 saying why there is none."""
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # never through a proxy
    sent = urllib.request.Request(target, data=request_payload(request), method="POST",
                                  headers={"Content-Type": "application/json"})
    try:
        with opener.open(sent, timeout=ANSWER_TIMEOUT_SECONDS) as response:
            body = response.read()
    except urllib.error.HTTPError as err:
        raise NewsledgerError("E208", f"{target} answered {err.code}: {_error_message(err.read())}"
                              + (" (a serve without --allow-extract?)" if err.code in (404, 405) else "")) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise NewsledgerError("E208", f"no server answers at {target} ({reason}): start one, or extract without --server") from None
    try:
        items = json.loads(body)["items"]
    except (ValueError, KeyError, TypeError):
        raise NewsledgerError("E208", f"{target} did not answer a newsledger extract") from None
    if not isinstance(items, list) or len(items) != len(request.documents):
        raise NewsledgerError("E208", f"{target} answered {len(items) if isinstance(items, list) else 'no'} items "
                                      f"for {len(request.documents)} documents")
    return items


def _error_message(body: bytes) -> str:
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return " ".join(body.decode("utf-8", "replace").split())[:200] or "no message"
