"""Fixtures of the batch tests: a small fake reference and picklable fake task functions.

The fake task is driven by ``RenderOptions.extra`` (the only channel that reaches a
worker process): ``crash`` (codes that segfault), ``crash_once`` (segfault on the first
attempt only), ``hang`` (codes that sleep forever), ``base`` (codes raising a
``BaseException`` subclass, as WeasyPrint's ``FatalURLFetchingError`` does), ``slow``
(seconds per fiche) and ``log`` (a file where each call appends ``code pid attempt``).

Run as a script, it starts a batch with the fake task (used by the signal tests):
``python support_batch.py OUTPUT_DIR SLOW_SECONDS [JOBS]``.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from pathlib import Path

from fichegen.batch.worker import CommuneTask, TaskOutput
from fichegen.errors import ProfileError, UnknownCommuneError
from fichegen.options import RenderOptions
from fichegen.reference.types import Commune

DEP = "90"
NAMES = (
    "Aube-sur-Rive",
    "Bel<b>Air</b> & Co",
    "Clairval",
    "Dunes",
    "Étang-Vieux",
    "Fontaine",
    "Grandval",
    "Hauteroche",
)
CODES = tuple(f"900{i:02d}" for i in range(1, len(NAMES) + 1))
OTHER_CODE = "25001"  # a commune of another département
PAYLOAD = 48 * 1024


def _commune(code: str, nom: str, dep: str, population: int) -> Commune:
    return Commune(
        code_insee=code,
        nom=nom,
        departement=dep,
        departement_nom="Territoire test" if dep == DEP else "Autre",
        region="27",
        region_nom="Région test",
        zone="metro",
        epci_code=None,
        epci_nom=None,
        population_municipale=population,
        population_totale=population + 10,
        latitude=47.6,
        longitude=6.8,
        superficie_km2=10.0,
    )


class FakeReference:
    """A département of eight communes plus one commune elsewhere."""

    def __init__(self) -> None:
        self.communes = {
            code: _commune(code, nom, DEP, 100 * (i + 1))
            for i, (code, nom) in enumerate(zip(CODES, NAMES, strict=True))
        }
        self.communes[OTHER_CODE] = _commune(OTHER_CODE, "Ailleurs", "25", 500)

    def communes_of(self, departement: str) -> list[Commune]:
        found = [c for c in self.communes.values() if c.departement == departement]
        if not found:
            raise UnknownCommuneError(f"Département inconnu : « {departement} ».")
        return sorted(found, key=lambda c: c.code_insee)

    def get(self, code: str) -> Commune:
        try:
            return self.communes[code.strip().upper()]
        except KeyError:
            raise UnknownCommuneError(f"Le code INSEE « {code} » est inconnu.") from None


class FakeFatal(BaseException):
    """Stands for weasyprint.urls.FatalURLFetchingError (a BaseException)."""


def expected_bytes(code: str, fmt: str, profile: bytes | None) -> bytes:
    """The exact content the fake task renders: header, payload, end marker."""
    seed = hashlib.sha256(code.encode() + fmt.encode() + (profile or b"-")).digest()
    body = (seed * (PAYLOAD // len(seed) + 1))[:PAYLOAD]
    return b"FAKE|" + code.encode() + b"|" + fmt.encode() + b"|" + body + b"|END"


def _codes(task: CommuneTask, name: str) -> set[str]:
    return set(task.options.extra.get(name, "").split(","))


def fake_task(task: CommuneTask) -> TaskOutput:
    """Render fake bytes for a commune, misbehaving as the options ask."""
    extra = task.options.extra
    if extra.get("log"):
        with open(extra["log"], "a", encoding="utf-8") as log:
            log.write(f"{task.code_insee} {os.getpid()} {task.attempt}\n")
    if extra.get("slow"):
        time.sleep(float(extra["slow"]))
    code = task.code_insee
    if code in _codes(task, "crash") or (code in _codes(task, "crash_once") and task.attempt == 1):
        os.kill(os.getpid(), signal.SIGSEGV)
    if code in _codes(task, "hang"):
        time.sleep(3600)
    if code in _codes(task, "base"):
        raise FakeFatal("URL refusée")
    profile = Path(task.profile_path).read_bytes() if task.profile_path else None
    if profile is not None and b"INVALIDE" in profile:
        raise ProfileError(
            "clé inconnue « INVALIDE » ; clés possibles : commune, petite_enfance",
            file=task.profile_path,
            line=3,
            column=1,
            field="INVALIDE",
        )
    return TaskOutput(
        outputs=tuple((fmt, expected_bytes(code, fmt, profile)) for fmt in task.options.formats),
        levers=("locaux", "creation") if int(code[-1]) % 2 else ("cooperation",),
        examples=(f"exemple-{code[-1]}",),
    )


def options(**extra: str) -> RenderOptions:
    return RenderOptions(formats=("html", "docx"), extra=dict(extra))


def main() -> None:
    from fichegen.batch.report import run_batch

    output_dir = Path(sys.argv[1])
    slow = sys.argv[2]
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    extra = {"slow": slow, "log": str(output_dir.parent / "calls.log")} if slow != "0" else {}
    summary = run_batch(
        DEP,
        output_dir=output_dir,
        options=options(**extra),
        jobs=jobs,
        progress=True,
        task=fake_task,
        reference=FakeReference(),
    )
    sys.exit(summary.exit_code)


if __name__ == "__main__":
    main()
