"""The pipeline loaded once, before worker processes are forked from it.

Imported by the fork server of local worker processes (`parallel.worker_context`) and of a
Dask LocalCluster's workers, with the run's settings in the environment variable
`SETTINGS_VARIABLE` (pickled, base64): it loads the spaCy model and the dictionaries
(`pipeline.prepare`), runs the pipeline once on a sentence of its own so that what the first
document would load lazily (the gazetteer's index, lexicons, spaCy's vectors and tables) is
loaded too, then freezes the garbage collector's view of all that (`gc.freeze`): a worker forked
from this process shares those pages copy-on-write and starts in milliseconds instead of loading
the model again (about 4 s of CPU each). Imported without the variable, it loads nothing.

A setup error (E201...) is not raised here (the fork server would die): `parallel.start_worker`
keeps it and the first batch raises it, with its code.
"""
from __future__ import annotations

import base64
import gc
import os
import pickle

from .settings import Settings

SETTINGS_VARIABLE = "NEWSLEDGER_WORKER_SETTINGS"


def encoded(settings: Settings) -> str:
    """`settings` as the value of SETTINGS_VARIABLE."""
    return base64.b64encode(pickle.dumps(settings)).decode("ascii")


def settings_of_environment() -> Settings | None:
    """The settings this process was started with, or None."""
    value = os.environ.get(SETTINGS_VARIABLE)
    if not value:
        return None
    try:
        settings = pickle.loads(base64.b64decode(value))  # noqa: S301 - written by our own parent process
    except Exception:  # noqa: BLE001 - a stale or foreign value: load nothing, workers load for themselves
        return None
    return settings if isinstance(settings, Settings) else None


def load(settings: Settings) -> None:
    """Load everything a batch needs in this process and warm it up on one short document;
    an error is kept by `parallel.start_worker` for the first batch."""
    from .parallel import start_worker, startup_error
    from .pipeline import warm_up

    start_worker(settings)
    if startup_error() is None:
        try:
            warm_up(settings)
        except Exception:  # noqa: BLE001 - a document's failure is the batch's to report, not this one's
            pass
    gc.collect()
    gc.freeze()  # what is loaded stays out of the collector's passes: its pages stay shared


_settings = settings_of_environment()
os.environ.pop(SETTINGS_VARIABLE, None)  # the workers forked from here start with what is loaded, not again
if _settings is not None:
    load(_settings)
