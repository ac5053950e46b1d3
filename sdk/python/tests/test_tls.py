"""TLS: the client's options, and a PDP serving TLS (once `pdp serve` has --tls-cert)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from inputs import logistics
from pdp_process import PdpProcess, serve_help

from redline_pdp import PdpClient


def test_a_tls_client_of_a_plaintext_pdp_fails_closed(pdp: PdpProcess, tmp_path: Path) -> None:
    ca = certificates(tmp_path)["ca"]
    with PdpClient(pdp.target, tls=ca, deadline=5) as client:
        decision = client.decide(logistics())

    assert decision.violation_codes == ("PDP_UNAVAILABLE",)
    assert decision.is_fail_closed


def test_an_unreadable_ca_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot read the CA certificate PEM file .*missing\.pem"):
        PdpClient("127.0.0.1:1", tls=tmp_path / "missing.pem")


def test_a_client_certificate_needs_tls() -> None:
    with pytest.raises(ValueError, match="client_cert is for mutual TLS"):
        PdpClient("127.0.0.1:1", client_cert=(b"cert", b"key"))


def certificates(directory: Path) -> dict[str, Path]:
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate, by openssl."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make test certificates")
    files = {
        n: directory / f"{n}.pem" for n in ("ca", "ca-key", "server", "server-key", "client", "client-key")
    }

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)

    run(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=redline test CA",
        "-keyout",
        str(files["ca-key"]),
        "-out",
        str(files["ca"]),
    )
    for name, extension in (
        ("server", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
        ("client", "extendedKeyUsage=clientAuth"),
    ):
        csr = directory / f"{name}.csr"
        ext = directory / f"{name}.ext"
        ext.write_text(extension + "\n")
        run(
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            f"/CN={name}",
            "-keyout",
            str(files[f"{name}-key"]),
            "-out",
            str(csr),
        )
        run(
            "x509",
            "-req",
            "-in",
            str(csr),
            "-CA",
            str(files["ca"]),
            "-CAkey",
            str(files["ca-key"]),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            str(ext),
            "-out",
            str(files[name]),
        )
    return files


@pytest.fixture(scope="module")
def tls_pdp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PdpProcess, dict[str, Path]]]:
    if "--tls-cert" not in serve_help():
        pytest.skip("`pdp serve --help` has no --tls-cert yet: the PDP serves plaintext only")
    directory = tmp_path_factory.mktemp("tls")
    files = certificates(directory)
    process = PdpProcess(
        directory / "data",
        "--tls-cert",
        str(files["server"]),
        "--tls-key",
        str(files["server-key"]),
        "--tls-client-ca",
        str(files["ca"]),
    )
    try:
        yield process, files
    finally:
        process.stop()


def test_a_client_trusting_the_ca_with_a_client_certificate_is_answered(
    tls_pdp: tuple[PdpProcess, dict[str, Path]],
) -> None:
    pdp, files = tls_pdp
    with PdpClient(
        f"localhost:{pdp.port}",
        tls=files["ca"],
        client_cert=(files["client"], files["client-key"]),
        deadline=10,
    ) as client:
        assert client.decide(logistics()).allowed


def test_a_client_trusting_another_ca_fails_closed(
    tls_pdp: tuple[PdpProcess, dict[str, Path]],
    tmp_path: Path,
) -> None:
    pdp, _ = tls_pdp
    other = certificates(tmp_path)
    with PdpClient(
        f"localhost:{pdp.port}",
        tls=other["ca"],
        client_cert=(other["client"], other["client-key"]),
        deadline=5,
    ) as client:
        assert client.decide(logistics()).violation_codes == ("PDP_UNAVAILABLE",)
