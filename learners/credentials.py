"""Portable, signed credentials: each certificate as an Open Badges 3.0 credential in VC-JWT form.

Signed with the portal's Ed25519 key (EdDSA). The key comes from `CERTIFICATE_SIGNING_KEY` (a PEM in
the environment) or, on the default setup, from a PEM file made on first use
(`CERTIFICATE_SIGNING_KEY_FILE`). The public key is published as a JWKS at
`/.well-known/jwks.json`, so anyone can check a credential without trusting our web page.

Each credential names its entry in the portal's revocation list (W3C Bitstring Status List v1.0), a
credential signed with the same key and published at `/certificates/status/revocation/`: a verifier
who holds a credential and fetches the list learns whether the certificate was revoked since.
"""

import base64
import gzip
import hashlib
import json
import os
import threading
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.urls import reverse

_lock = threading.Lock()
STATUS_LIST_VALIDITY = timedelta(days=1)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@lru_cache(maxsize=4)
def _load_key(pem: str | None, path: str) -> Ed25519PrivateKey:
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    else:
        file = Path(path)
        with _lock:
            if not file.exists():
                file.parent.mkdir(parents=True, exist_ok=True)
                generated = Ed25519PrivateKey.generate().private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
                # Created with owner-only permissions: this is the portal's signing secret.
                descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(generated)
            key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("CERTIFICATE_SIGNING_KEY must be an Ed25519 private key.")
    return key


def signing_key() -> Ed25519PrivateKey:
    return _load_key(settings.CERTIFICATE_SIGNING_KEY or None, str(settings.CERTIFICATE_SIGNING_KEY_FILE))


def public_jwk(public_key: Ed25519PublicKey | None = None) -> dict:
    public_key = public_key or signing_key().public_key()
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    # RFC 7638 thumbprint as the key id.
    thumbprint = hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    return {**jwk, "kid": _b64url(thumbprint), "use": "sig", "alg": "EdDSA"}


def jwks() -> dict:
    return {"keys": [public_jwk()]}


def _issuer(base_url: str) -> dict:
    issuer_id = f"{base_url}/"
    return {"id": issuer_id, "type": ["Profile"], "name": settings.WAGTAIL_SITE_NAME, "url": issuer_id}


def status_list_url(base_url: str) -> str:
    return f"{base_url}{reverse('certificate-status-list')}"


def achievement_id(certificate, *, base_url: str, verify_url: str) -> str:
    """The course's API address while anyone may see the course, else the certificate's own page.

    The credential is public: it must not point to (and so reveal) a course that is private (the admin's
    Privacy settings, `courses.visibility`), a draft, or deleted. The certificate stays verifiable.
    """
    from courses.visibility import can_view

    course = certificate.course
    if course is not None and course.live and can_view(course, None):
        return f"{base_url}/api/v1/courses/{course.pk}/"
    return verify_url


def credential_claims(certificate, *, base_url: str) -> dict:
    """The OpenBadgeCredential (Open Badges 3.0) of a certificate, with the VC-JWT registered claims."""
    issuer = _issuer(base_url)
    verify_url = f"{base_url}/certificates/{certificate.code}/"
    status_url = status_list_url(base_url)
    issued = certificate.issued_at.replace(microsecond=0)
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": issued.isoformat(),
        "credentialStatus": {
            "id": f"{status_url}#{certificate.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_list_index),
            "statusListCredential": status_url,
        },
        "name": certificate.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.learner_name,
            "achievement": {
                "id": achievement_id(certificate, base_url=base_url, verify_url=verify_url),
                "type": ["Achievement"],
                "name": certificate.course_title,
                "description": f"Completed every lesson of “{certificate.course_title}”.",
                "criteria": {"narrative": "Complete every lesson of the course, passing each lesson's quiz."},
                "achievementType": "Certificate",
            },
        },
    }
    return {
        "iss": issuer["id"],
        "sub": f"{base_url}/learners/{certificate.learner_id}",
        "jti": verify_url,
        "nbf": int(issued.timestamp()),
        "iat": int(issued.timestamp()),
        "vc": credential,
        **credential,
    }


def encode_bitstring(set_bits, length: int) -> str:
    """A Bitstring Status List `encodedList`: the bits GZIP-compressed, base64url without padding, with the
    multibase prefix `u`. Index 0 is the most significant bit of the first byte."""
    bits = bytearray(length // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_claims(*, revoked, length: int, base_url: str, now, ttl_seconds: int) -> dict:
    """The BitstringStatusListCredential of the portal's revocations (bit set: revoked), as VC-JWT claims.

    Valid for a day from `now`, so that a copy kept longer is not taken for the current list; `ttl` tells
    verifiers how long they may cache it (milliseconds, as the specification counts).
    """
    url = status_list_url(base_url)
    issued = now.replace(microsecond=0)
    until = issued + STATUS_LIST_VALIDITY
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": _issuer(base_url),
        "validFrom": issued.isoformat(),
        "validUntil": until.isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked, length),
            "ttl": ttl_seconds * 1000,
        },
    }
    return {
        "iss": credential["issuer"]["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(issued.timestamp()),
        "iat": int(issued.timestamp()),
        "exp": int(until.timestamp()),
        "vc": credential,
        **credential,
    }


def sign(claims: dict) -> str:
    key = signing_key()
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": public_jwk(key.public_key())["kid"], "typ": "JWT"})


def verify(token: str, jwk_set: dict | None = None) -> dict:
    """The claims of a credential whose signature checks out against the published keys; raises otherwise."""
    jwk_set = jwk_set or jwks()
    header = jwt.get_unverified_header(token)
    matching = [key for key in jwk_set["keys"] if key.get("kid") == header.get("kid")]
    if not matching:
        raise jwt.InvalidSignatureError("No published key matches this credential.")
    public_key = jwt.PyJWK(matching[0]).key
    return jwt.decode(token, public_key, algorithms=["EdDSA"], options={"verify_aud": False})
