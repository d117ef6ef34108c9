"""Turning a coded error into the Failure record a reader yields, with a one-line message."""
from __future__ import annotations

from ..errors import NewsledgerError
from ..model import Failure

INGEST_STAGE = "ingest"


def failure_from(source: str, err: NewsledgerError) -> Failure:
    """The Failure for `source`: the error's code and its message folded onto one line.

    Every detail a reader puts in an error starts with the source, so the message alone
    says which input failed.
    """
    return Failure(source=source, code=err.code, message=" ".join(err.message.split()), stage=INGEST_STAGE)


def failure(source: str, code: str, detail: str) -> Failure:
    """A Failure for `source` built straight from a catalogue code and a detail."""
    return failure_from(source, NewsledgerError(code, detail))
