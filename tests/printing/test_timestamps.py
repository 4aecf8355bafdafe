"""With a timestamp authority configured, the countersigned tree head's root is
timestamped (RFC 3161, rfc3161-client); the test starts a local `openssl ts`
authority, and `openssl ts -verify` checks the stored response against the root."""

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from printing import heads
from printing.models import TreeHead

TSA_CONFIG = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def authority(tmp_path):
    """A local timestamp authority: a CA, its TSA certificate, and `openssl ts -reply`
    behind a small HTTP server. Yields (url, folder)."""
    subj = ["-subj"]
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        *subj, "/CN=cellmeet test TSA CA", "-days", "2",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
        cwd=tmp_path,
    )  # fmt: skip
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
        *subj, "/CN=cellmeet test TSA", cwd=tmp_path,
    )  # fmt: skip
    (tmp_path / "ext.cnf").write_text(
        "extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\n"
    )
    openssl(
        "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf",
        cwd=tmp_path,
    )  # fmt: skip
    (tmp_path / "serial").write_text("01\n")
    (tmp_path / "tsa.cnf").write_text(TSA_CONFIG.format(dir=tmp_path))

    class Reply(BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers["Content-Length"]))
            (tmp_path / "q.tsq").write_bytes(query)
            openssl(
                "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "q.tsq", "-out", "r.tsr",
                cwd=tmp_path,
            )  # fmt: skip
            body = (tmp_path / "r.tsr").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Reply)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", tmp_path
    server.shutdown()
    server.server_close()


def test_the_countersigned_root_is_timestamped_and_openssl_verifies_it(
    authority, settings, world, roster
):
    url, folder = authority
    settings.CELLMEET_TIMESTAMP_URL = url
    head = heads.countersign_month(world.commune, user=world.reviewer)
    head = TreeHead.objects.get(pk=head.pk)
    (folder / "head.tsr").write_bytes(bytes(head.timestamp_token))
    (folder / "root.bin").write_bytes(bytes.fromhex(head.root))
    verified = subprocess.run(
        ["openssl", "ts", "-verify", "-in", "head.tsr", "-data", "root.bin", "-CAfile", "ca.pem"]
        + ["-untrusted", "tsa.pem"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Verification: OK" in verified.stdout
    (folder / "other.bin").write_bytes(bytes(32))
    other = subprocess.run(
        ["openssl", "ts", "-verify", "-in", "head.tsr", "-data", "other.bin", "-CAfile", "ca.pem"]
        + ["-untrusted", "tsa.pem"],
        cwd=folder,
        capture_output=True,
    )
    assert other.returncode != 0


def test_an_authority_that_does_not_answer_refuses_the_countersignature(settings, world, roster):
    settings.CELLMEET_TIMESTAMP_URL = "http://127.0.0.1:9/"  # discard: nothing listens
    with pytest.raises(heads.HeadError):
        heads.countersign_month(world.commune, user=world.reviewer)
    assert not TreeHead.objects.exists()


def test_without_an_authority_no_timestamp_is_asked(settings, world, roster):
    settings.CELLMEET_TIMESTAMP_URL = ""
    head = heads.countersign_month(world.commune, user=world.reviewer)
    assert bytes(head.timestamp_token) == b""
