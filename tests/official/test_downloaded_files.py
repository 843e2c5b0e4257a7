"""The files ``fichegen donnees-ouvertes`` saves are read as they are by ``--donnees``: the
download command run against a local server on 127.0.0.1 serving files shaped like the
official ones (made-up values), then ``render`` given every file of its folder."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from support_donnees import write_csv
from support_official import census_rows, populations_rows, txcouv_rows

from fichegen.download.fetch import MANIFEST
from fichegen.download.sources import BASE_URL_VARIABLE

CAF = "/api/explore/v2.1/catalog/datasets/{}/exports/csv"


def _csv(tmp: Path, rows: list[list[Any]]) -> bytes:
    return write_csv(tmp / "x.csv", rows, encoding="utf-8-sig").read_bytes()


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    files = {
        CAF.format("txcouv_pe_com"): _csv(
            tmp_path, txcouv_rows("com", [("90010", "Belfort", 2023, 71.4)])
        ),
        CAF.format("txcouv_pe_epci"): _csv(
            tmp_path, txcouv_rows("epci", [("200069052", "CA", 2023, 66.0)])
        ),
        CAF.format("txcouv_pe_nat"): _csv(tmp_path, txcouv_rows("nat", [("", "", 2023, 61.5)])),
        CAF.format("nbpla_pe_com"): _csv(
            tmp_path, [["numcom", "annee", "tot_offre_com"], ["90010", "2023", "1 234"]]
        ),
        CAF.format("nbpla_pe_epci"): _csv(
            tmp_path, [["numepci", "annee", "tot_offre_epci"], ["200069052", "2023", "2 000"]]
        ),
        "/fr/statistiques/fichier/8680726/ensemble.zip": _zip(
            "donnees_communes.csv", write_csv(tmp_path / "p.csv", populations_rows()).read_bytes()
        ),
        "/fr/statistiques/fichier/8581696/base-cc-evol-struct-pop-2022_csv.zip": _zip(
            "base-cc-evol-struct-pop-2022.CSV",
            write_csv(tmp_path / "c.csv", census_rows(2022, {"90010": 1100.6})).read_bytes(),
        ),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(urlsplit(self.path).path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(BASE_URL_VARIABLE, f"http://127.0.0.1:{httpd.server_address[1]}")
    yield files
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_render_with_every_downloaded_file(
    served: dict[str, bytes], run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "donnees-ouvertes"
    folder.mkdir()
    fetched = run_cli("donnees-ouvertes", "-d", "90", "-o", folder)
    assert fetched.code == 0, fetched.err
    given = sorted(p for p in folder.iterdir() if p.name != MANIFEST)
    assert len(given) == 7
    args = [a for p in given for a in ("--donnees", p)]
    out = tmp_path / "out"
    result = run_cli("render", "--commune", "90010", *args, "-f", "html", "-o", out)
    assert result.code == 0, result.err
    html = " ".join((out / "fiche15_90010_belfort.html").read_text("utf-8").split())
    assert "base-cc-evol-struct-pop-2022_csv.zip" in html  # the file as the user has it
    assert "71,4 places pour 100 enfants" in html and "contre 61,5 en France la même année" in html
    assert "recensement 2022" in html and "<td>1 101</td>" in html  # children 0-2, rounded
    assert "La Caf compte 1 234 places offertes dans la commune en 2023" in html
    assert "population totale 2023 publiée par l’Insee" in html
