# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS material for the emulator: a throw-away test CA, a server certificate signed
by it, and client certificates on demand.

Everything lives in one directory (``<state-dir>/tls/`` when the CLI runs):

``ca.pem``      the test CA certificate -- give this to clients as their CA bundle
``ca.key``      the test CA private key (PEM, unencrypted, mode 0600)
``server.pem``  the server certificate (localhost, 127.0.0.1, ::1 and this host's name)
``server.key``  its private key (PEM, unencrypted, mode 0600)

The files are created on first use and reused afterwards, so a client that
trusts ``ca.pem`` keeps working across emulator restarts on the same state
directory.  Keys are ECDSA P-256: generating them takes well under a
millisecond, so a fresh emulator per test costs nothing noticeable.
"""

import datetime
import ipaddress
import os
import secrets
import socket
import ssl
import tempfile
import threading

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT = "ca.pem"
CA_KEY = "ca.key"
SERVER_CERT = "server.pem"
SERVER_KEY = "server.key"

#: Certificates are valid from a day ago (clock skew) for ten years.
VALIDITY = datetime.timedelta(days=3650)

# One process may create material from several threads (server start and an
# application issuing client certificates); files are also replaced atomically
# so another process never reads half a file.
_generation_lock = threading.Lock()


def tls_paths(tls_dir):
    """The four file paths, as a dict with keys ca_cert, ca_key, server_cert, server_key."""
    return {
        "ca_cert": os.path.join(tls_dir, CA_CERT),
        "ca_key": os.path.join(tls_dir, CA_KEY),
        "server_cert": os.path.join(tls_dir, SERVER_CERT),
        "server_key": os.path.join(tls_dir, SERVER_KEY),
    }


def _write_atomically(path, data, private=False):
    directory = os.path.dirname(path) or "."
    handle, temp_path = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        if private:
            os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _new_key():
    return ec.generate_private_key(ec.SECP256R1())


def _random_serial():
    # Positive, 62 bits, below 2**63: fits a signed 64-bit database column (the
    # C5 application looks admins up by certificate serial).
    return secrets.randbits(62) | (1 << 61)


def _builder(subject, issuer, public_key, serial):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _load_ca(paths):
    with open(paths["ca_cert"], "rb") as stream:
        ca_cert = x509.load_pem_x509_certificate(stream.read())
    with open(paths["ca_key"], "rb") as stream:
        ca_key = serialization.load_pem_private_key(stream.read(), password=None)
    return ca_cert, ca_key


def ensure_ca(tls_dir):
    """Create the test CA in ``tls_dir`` unless it is there; return :func:`tls_paths`."""
    paths = tls_paths(tls_dir)
    with _generation_lock:
        if os.path.exists(paths["ca_cert"]) and os.path.exists(paths["ca_key"]):
            return paths
        os.makedirs(tls_dir, exist_ok=True)
        key = _new_key()
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "voip-emulator"),
            # A random suffix tells CAs of different state directories apart in
            # verification errors.
            x509.NameAttribute(NameOID.COMMON_NAME, "voip-emulator test CA %s" % secrets.token_hex(4)),
        ])
        cert = (
            _builder(name, name, key.public_key(), _random_serial())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                    key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        _write_atomically(paths["ca_key"], _key_pem(key), private=True)
        _write_atomically(paths["ca_cert"], _cert_pem(cert))
        # A new CA invalidates any server certificate signed by an old one.
        for stale in (paths["server_cert"], paths["server_key"]):
            if os.path.exists(stale):
                os.unlink(stale)
    return paths


def _issue(ca_cert, ca_key, common_name, usage, alt_names=None):
    key = _new_key()
    builder = (
        _builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]), ca_cert.subject, key.public_key(), _random_serial())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            critical=False,
        )
    )
    if alt_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


def _server_cert_is_current(paths, ca_cert):
    if not (os.path.exists(paths["server_cert"]) and os.path.exists(paths["server_key"])):
        return False
    with open(paths["server_cert"], "rb") as stream:
        cert = x509.load_pem_x509_certificate(stream.read())
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def ensure_server_cert(tls_dir):
    """Create (or reuse) the CA and a server certificate signed by it; return :func:`tls_paths`."""
    paths = ensure_ca(tls_dir)
    with _generation_lock:
        ca_cert, ca_key = _load_ca(paths)
        if _server_cert_is_current(paths, ca_cert):
            return paths
        alt_names = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
        hostname = socket.gethostname()
        if hostname and hostname != "localhost":
            alt_names.append(x509.DNSName(hostname))
        key, cert = _issue(ca_cert, ca_key, "localhost", ExtendedKeyUsageOID.SERVER_AUTH, alt_names)
        _write_atomically(paths["server_key"], _key_pem(key), private=True)
        _write_atomically(paths["server_cert"], _cert_pem(cert))
    return paths


def issue_client_cert(ca_dir, common_name):
    """Issue a client certificate signed by the test CA in ``ca_dir`` (created if
    missing). Return ``(serial, pem)``: the certificate's serial number (int) and
    one PEM blob holding the private key followed by the certificate -- the
    ``.pem`` a C5 ``POST /api/admincerts/`` ZIP carries."""
    paths = ensure_ca(ca_dir)
    with _generation_lock:
        ca_cert, ca_key = _load_ca(paths)
    key, cert = _issue(ca_cert, ca_key, common_name, ExtendedKeyUsageOID.CLIENT_AUTH)
    return cert.serial_number, _key_pem(key) + _cert_pem(cert)


def server_context(tls_dir, client_certs=False):
    """An ``ssl.SSLContext`` for the server. With ``client_certs`` the server asks
    for a client certificate and verifies it against the test CA, but lets
    clients without one in (CERT_OPTIONAL): the application decides what an
    unauthenticated request gets."""
    paths = ensure_server_cert(tls_dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(paths["server_cert"], paths["server_key"])
    if client_certs:
        context.verify_mode = ssl.CERT_OPTIONAL
        context.load_verify_locations(cafile=paths["ca_cert"])
    return context


def describe_peer_cert(der):
    """``{"serial": int, "subject": "CN=...", "issuer": "CN=..."}`` of a DER
    certificate, names in RFC 4514 form (as nginx's ``$ssl_client_s_dn``)."""
    cert = x509.load_der_x509_certificate(der)
    return {
        "serial": cert.serial_number,
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
    }
