"""``fichegen donnees-ouvertes`` against a local HTTP server on 127.0.0.1 (never the internet).

The server serves small files shaped like the official ones (headers from public readers);
their values are made up and serve these tests only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT

from fichegen.download.fetch import MANIFEST, download_all
from fichegen.download.meter import Meter, size_text
from fichegen.download.sources import BASE_URL_VARIABLE, sources_for
from fichegen.errors import DownloadError

CAF = "/api/explore/v2.1/catalog/datasets/{}/exports/csv"


def _zip(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


def fixture_files() -> dict[str, bytes]:
    """Path on the server -> body (made-up values under the real headers)."""
    bom = "\ufeff"
    com = f"{bom}numcom;nomcom;numepci;nomepci;annee;txcouv_com\n07010;A;200071413;CA;2023;50.0\n"
    epci = (
        f"{bom}numepci;nomepci;numdep;nomdep;annee;txcouv_epci\n200071413;CA;07;Ardèche;2023;55.0\n"
    )
    nat = f"{bom}national;annee;txcouv_nat\nFRANCE ENTIERE HORS MAYOTTE;2023-01-01;60.0\n"
    places = f"{bom}numcom;nomcom;annee;tot_offre_com\n07010;Annonay;2023;500\n"
    places_epci = f"{bom}numepci;nomepci;annee;tot_offre_epci\n200071413;CA;2023;900\n"
    populations = "REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT\n"
    census = "CODGEO;P22_POP;P22_POP0002\n07010;1000;30\n"
    return {
        CAF.format("txcouv_pe_com"): com.encode(),
        CAF.format("txcouv_pe_epci"): epci.encode(),
        CAF.format("txcouv_pe_nat"): nat.encode(),
        CAF.format("nbpla_pe_com"): places.encode(),
        CAF.format("nbpla_pe_epci"): places_epci.encode(),
        "/fr/statistiques/fichier/8680726/ensemble.zip": _zip("donnees_communes.csv", populations),
        "/fr/statistiques/fichier/8581696/base-cc-evol-struct-pop-2022_csv.zip": _zip(
            "base-cc-evol-struct-pop-2022.CSV", census
        ),
    }


class Server:
    """A local server: ``files`` by path, ``cut`` paths answer half a body then hang up."""

    def __init__(self) -> None:
        self.files = fixture_files()
        self.cut: set[str] = set()
        self.refuse_filters = False  # answer 400 to an export filtered with ``where``
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                path = urlsplit(self.path).path
                body = owner.files.get(path)
                if owner.refuse_filters and "where" in parse_qs(urlsplit(self.path).query):
                    self.send_error(400)
                    return
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if path in owner.cut:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def paths(self) -> list[str]:
        return [urlsplit(r).path for r in self.requests]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    running = Server()
    monkeypatch.setenv(BASE_URL_VARIABLE, running.url)
    yield running
    running.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_downloads_every_file_with_a_manifest(server: Server, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("donnees-ouvertes", "-d", "07", "-o", tmp_path)
    assert result.code == 0, result.err
    assert "7\u00a0fichiers téléchargés" in result.out
    served = server.files
    for name, path in [
        ("txcouv_pe_com.csv", CAF.format("txcouv_pe_com")),
        ("txcouv_pe_epci_07.csv", CAF.format("txcouv_pe_epci")),
        ("ensemble.zip", "/fr/statistiques/fichier/8680726/ensemble.zip"),
    ]:
        assert (tmp_path / name).read_bytes() == served[path]
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    entries = {e["fichier"]: e for e in manifest["fichiers"]}
    assert len(entries) == 7
    for name, entry in entries.items():
        assert entry["sha256"] == _sha(tmp_path / name)
        assert entry["octets"] == (tmp_path / name).stat().st_size
        assert entry["url"].startswith(server.url)
        assert entry["date"][:2] == "20"
    assert not list(tmp_path.glob(".*.part"))


def test_departement_filters_the_intercommunal_exports_only(
    server: Server, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from fichegen.reference import load_reference

    assert run_cli("donnees-ouvertes", "-d", "07", "-o", tmp_path).code == 0
    queries = {urlsplit(r).path: parse_qs(urlsplit(r).query) for r in server.requests}
    where = queries[CAF.format("txcouv_pe_epci")]["where"][0]
    privas = load_reference().get("07186")  # Privas, préfecture of the Ardèche
    assert privas.epci_code and f'numepci="{privas.epci_code}"' in where
    annonay = load_reference().get("07010")
    assert f'numepci="{annonay.epci_code}"' in where
    assert "where" not in queries[CAF.format("txcouv_pe_com")]
    assert queries[CAF.format("txcouv_pe_com")]["delimiter"] == [";"]


def test_a_refused_filter_falls_back_to_the_whole_file(
    server: Server, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    server.refuse_filters = True
    result = run_cli("donnees-ouvertes", "-d", "07", "-o", tmp_path)
    assert result.code == 0, result.err
    assert "Filtre refusé pour txcouv_pe_epci_07.csv" in result.err
    epci = server.files[CAF.format("txcouv_pe_epci")]
    assert (tmp_path / "txcouv_pe_epci_07.csv").read_bytes() == epci
    entries = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["fichiers"]
    url = next(e["url"] for e in entries if e["fichier"] == "txcouv_pe_epci_07.csv")
    assert "where" not in url
    again = run_cli("donnees-ouvertes", "-d", "07", "-o", tmp_path)  # complete: skipped
    assert "7\u00a0fichiers déjà complets" in again.out


def test_a_second_run_skips_complete_files_and_refetches_a_changed_one(
    server: Server, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("donnees-ouvertes", "--france", "-o", tmp_path).code == 0
    first = len(server.requests)
    (tmp_path / "txcouv_pe_nat.csv").write_bytes(b"tronque")
    again = run_cli("donnees-ouvertes", "--france", "-o", tmp_path)
    assert again.code == 0, again.err
    assert server.paths()[first:] == [CAF.format("txcouv_pe_nat")]
    assert "1\u00a0fichier téléchargé, 6\u00a0fichiers déjà complets" in again.out
    assert (tmp_path / "txcouv_pe_nat.csv").read_bytes() == server.files[
        CAF.format("txcouv_pe_nat")
    ]


def test_a_missing_file_names_the_page_to_download_it_from(
    server: Server, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    del server.files["/fr/statistiques/fichier/8680726/ensemble.zip"]
    result = run_cli("donnees-ouvertes", "--france", "-o", tmp_path)
    assert result.code == 1
    assert "ensemble.zip : le serveur a répondu 404" in result.err
    assert "https://www.insee.fr/fr/statistiques/8680726" in result.err
    assert not (tmp_path / "ensemble.zip").exists()
    assert (tmp_path / "txcouv_pe_com.csv").exists()  # the others were fetched
    entries = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["fichiers"]
    assert "ensemble.zip" not in {e["fichier"] for e in entries}


def test_connection_refused_names_the_portal(
    monkeypatch: pytest.MonkeyPatch, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(BASE_URL_VARIABLE, f"http://127.0.0.1:{port}")
    result = run_cli("donnees-ouvertes", "-d", "2A", "-o", tmp_path)
    assert result.code == 1
    assert "txcouv_pe_com.csv : connexion refusée" in result.err
    assert "jeu de données « txcouv_pe_com »" in result.err
    assert (
        "https://data.caf.fr/api/explore/v2.1/catalog/datasets/txcouv_pe_com/exports/csv"
        in result.err
    )
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_cut_connection_leaves_no_file_under_its_name(server: Server, tmp_path: Path) -> None:
    path = CAF.format("nbpla_pe_com")
    server.cut.add(path)
    with pytest.raises(DownloadError) as caught:
        download_all(sources_for(None), tmp_path)
    assert "nbpla_pe_com.csv : " in str(caught.value)
    assert not (tmp_path / "nbpla_pe_com.csv").exists()
    assert not list(tmp_path.glob(".*.part"))
    assert (tmp_path / "nbpla_pe_epci.csv").exists()


def test_ctrl_c_mid_file_leaves_no_partial_file(server: Server, tmp_path: Path) -> None:
    class Interrupting(Meter):
        def advance(self, count: int) -> None:
            raise KeyboardInterrupt

    (tmp_path / "txcouv_pe_com.csv").write_bytes(b"ancien")  # an earlier copy stays whole
    with pytest.raises(KeyboardInterrupt):
        download_all(sources_for(None), tmp_path, meter=Interrupting(mode=False))
    assert (tmp_path / "txcouv_pe_com.csv").read_bytes() == b"ancien"
    assert not list(tmp_path.glob(".*.part"))
    assert not (tmp_path / MANIFEST).exists()


def test_bad_usage_exits_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    neither = run_cli("donnees-ouvertes", "-o", tmp_path)
    assert neither.code == 2 and "--departement" in neither.err
    both = run_cli("donnees-ouvertes", "--france", "-d", "07", "-o", tmp_path)
    assert both.code == 2
    unknown = run_cli("donnees-ouvertes", "-d", "99", "-o", tmp_path)
    assert unknown.code == 2 and "Département inconnu" in unknown.err
    assert not tmp_path.joinpath(MANIFEST).exists()


def test_french_progress_bar_on_a_terminal(server: Server, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    download_all(sources_for(None)[:1], tmp_path, meter=Meter(stream=screen))
    shown = screen.getvalue()
    assert "txcouv_pe_com.csv :" in shown and " sur " in shown and "\u00a0o" in shown
    assert "Téléchargé : txcouv_pe_com.csv" in shown
    assert size_text(1_234_567) == "1,2\u00a0Mo" and size_text(850_000) == "850\u00a0ko"


@pytest.mark.slow
def test_whole_process_run(server: Server, tmp_path: Path) -> None:
    env = {**os.environ, BASE_URL_VARIABLE: server.url}
    if os.environ.get("FICHEGEN_EXPECT_INSTALLED") != "1":
        env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "fichegen", "donnees-ouvertes", "-d", "90", "-o", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Téléchargé : ensemble.zip" in done.stderr  # plain lines: stderr is not a terminal
    assert "\r" not in done.stderr
    assert (tmp_path / "txcouv_pe_epci_90.csv").exists()
    names = {e["fichier"] for e in json.loads((tmp_path / MANIFEST).read_text())["fichiers"]}
    assert "base-cc-evol-struct-pop-2022_csv.zip" in names


def test_a_planted_fifo_or_link_in_the_folder_is_not_followed(
    server: Server,
    run_cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """Found by the attack of issue 20: a named pipe under the manifest's name blocked the
    command for ever, and a link planted under a temporary name was written through."""
    os.mkfifo(tmp_path / MANIFEST)
    victim = tmp_path / "ailleurs.txt"
    victim.write_text("intact", encoding="utf-8")
    (tmp_path / ".txcouv_pe_com.csv.part").symlink_to(victim)
    result = run_cli("donnees-ouvertes", "-d", "07", "-o", tmp_path)
    assert result.code == 0, result.err
    assert victim.read_text(encoding="utf-8") == "intact"
    assert (tmp_path / "txcouv_pe_com.csv").read_bytes() == server.files[
        CAF.format("txcouv_pe_com")
    ]
    assert (tmp_path / MANIFEST).is_file()  # the manifest replaced the pipe


def test_a_body_over_the_size_bound_is_refused(
    server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fichegen.download import fetch

    server.files[CAF.format("txcouv_pe_nat")] = b"x" * (256 * 1024)
    monkeypatch.setattr(fetch, "MAX_BYTES", 100 * 1024)
    with pytest.raises(DownloadError) as caught:
        download_all(sources_for(None), tmp_path)
    assert "txcouv_pe_nat.csv : fichier trop gros ou trop lent" in str(caught.value)
    assert not (tmp_path / "txcouv_pe_nat.csv").exists()
    assert not list(tmp_path.glob(".*.part"))
    assert (tmp_path / "txcouv_pe_com.csv").exists()  # the others were fetched


def test_a_redirect_from_https_to_http_is_refused() -> None:
    import urllib.error
    import urllib.request
    from email.message import Message

    from fichegen.download.fetch import _NoDowngrade

    handler = _NoDowngrade()
    secure = urllib.request.Request("https://data.caf.fr/x")
    with pytest.raises(urllib.error.HTTPError) as caught:
        handler.redirect_request(secure, io.BytesIO(), 302, "Found", Message(), "http://x.test/")
    assert caught.value.msg == "redirection https vers http"
    plain = urllib.request.Request("http://127.0.0.1/x")
    followed = handler.redirect_request(
        plain, io.BytesIO(), 302, "Found", Message(), "http://127.0.0.1/y"
    )
    assert followed is not None and followed.full_url == "http://127.0.0.1/y"
