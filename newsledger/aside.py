"""Stages run aside: for a long body, a stage whose layer the next stage does not read runs in
a forked child while this process goes on with the stages after it.

The stages declare what they read (`Stage.needs`) and add (`Stage.adds`). Most of them form a
chain, each reading the layer of the one before (places -> actors -> quotes -> events); a stage
outside the chain (time: only events reads its timexes) need not hold the others up. For a body
of `nlp.SPREAD_MIN_CHARS` characters or more, when this process may fork (`nlp.spread_processes`),
such a stage runs in a forked child, which inherits the document, its spaCy Doc and every
loaded resource, so it starts in milliseconds; its layer comes back pickled (plain dataclasses)
and is stored before the first stage that reads it runs (`Aside.take`). The child runs the
stage's own `run` on the same document, so the layer is the one this process would have made
(tested). One child at a time: the machine this is tuned for has two cores.

Inputs: a `Stage`, a `Document` with the stage's needs set, the `Settings`.
Output: the stage's layer, or the child's error raised again here as a `NewsledgerError`.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

from .errors import NewsledgerError
from .model import Document
from .settings import Settings
from .stages import Stage, nlp

log = logging.getLogger(__name__)


class AsideResult(NamedTuple):
    """What the child sends back: the layer, or the error (code, detail) it met instead; and
    the CPU seconds it spent on the stage."""
    layer: Any
    error: tuple[str, str | None] | None
    cpu_seconds: float


def worth_running_aside(stage: Stage, later: tuple[Stage, ...], doc: Document, settings: Settings) -> bool:
    """Whether `stage` should run in a child: the body is long, this process may fork, and the
    next stage does not read what `stage` adds (else this process would only wait for it)."""
    return (len(doc.body or "") >= nlp.SPREAD_MIN_CHARS and bool(later)
            and stage.adds not in later[0].needs and nlp.spread_processes(settings) > 1)


def _run_in_child(stage: Stage, doc: Document, settings: Settings, sender: Connection) -> None:
    """In the forked child: run the stage, send back its layer or its error."""
    cpu = time.process_time()
    try:
        result = AsideResult(stage.run(doc, settings), None, 0.0)
    except NewsledgerError as err:
        result = AsideResult(None, (err.code, err.detail), 0.0)
    except Exception as err:  # noqa: BLE001 - sent back as this document's failure
        result = AsideResult(None, ("E301", f"{stage.name}: {type(err).__name__}: {' '.join(str(err).split())[:200]}"), 0.0)
    sender.send(result._replace(cpu_seconds=time.process_time() - cpu))
    sender.close()


class Aside:
    """One stage running in a forked child on `doc`; `take` waits for its layer."""

    def __init__(self, stage: Stage, doc: Document, settings: Settings):
        self.stage = stage
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._started = time.monotonic()
        self._process = context.Process(target=_run_in_child, args=(stage, doc, settings, sender), daemon=True)
        gc.freeze()   # the child's collector leaves the inherited objects alone: their pages stay shared
        try:
            self._process.start()
        except BaseException:
            self._receiver.close()
            raise
        finally:
            gc.unfreeze()
            sender.close()

    @classmethod
    def start(cls, stage: Stage, doc: Document, settings: Settings) -> Aside | None:
        """`stage` running aside on `doc`, or None when no child could be forked (out of memory,
        a process limit): the caller then runs the stage itself."""
        try:
            return cls(stage, doc, settings)
        except OSError as err:
            log.debug("%s not run aside: %s", stage.name, err)
            return None

    def take(self) -> Any:
        """The stage's layer, once the child has sent it; the child's error raised here."""
        try:
            result: AsideResult = self._receiver.recv()
        except EOFError:   # the child died without a word (killed, out of memory)
            raise NewsledgerError("E301", f"{self.stage.name}: the process running it aside ended "
                                          f"with exit code {self._wait()}") from None
        finally:
            self._receiver.close()
        self._wait()
        log.debug("%s ran aside in a child: %.1f s wall, CPU %.1f s", self.stage.name,
                  time.monotonic() - self._started, result.cpu_seconds)
        if result.error is not None:
            raise NewsledgerError(*result.error)
        return result.layer

    def stop(self) -> None:
        """End the child unread (another stage failed first)."""
        if self._process.is_alive():
            self._process.terminate()
        self._receiver.close()
        self._wait()

    def _wait(self) -> int | None:
        self._process.join()
        return self._process.exitcode
