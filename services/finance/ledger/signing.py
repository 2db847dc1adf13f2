"""The key that signs ledger checkpoints: Ed25519 from ``JIEBANG_LEDGER_SIGNING_KEY`` (PEM),
held by the finance process and never stored in the database.

Dev and test mode fall back to a fixed, published key (so a fresh clone runs); in production
without a key of its own nothing is signed (checkpoint requests answer 503) and verify runs
from the genesis line. An auditor verifies an
exported checkpoint with the public key in the export (or the one the bureau published):
``Ed25519(public_key).verify(signature, message(city, seq, hash, signed_at))``.
"""

import base64
import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from common.settings import Settings

ALGORITHM = "Ed25519"
DEV_SEED = hashlib.sha256(b"jiebang-dev-ledger-key-not-for-production").digest()


def message(city: str, seq: int, chain_hash: str, signed_at: datetime) -> bytes:
    """What is signed: the canonical JSON of the checkpoint's four facts."""
    payload = {
        "city": city,
        "seq": seq,
        "hash": chain_hash,
        "signed_at": signed_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


class Signer:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key
        self.public = key.public_key()
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]
        self.public_pem = self.public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.key.sign(data)).decode()

    def valid(self, data: bytes, signature: str) -> bool:
        return verify_with(self.public, data, signature)


def verify_with(public: Ed25519PublicKey, data: bytes, signature: str) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def load_public(pem: str) -> Ed25519PublicKey | None:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError:
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


@lru_cache(maxsize=4)
def _signer(pem: str | None) -> Signer:
    if pem is None:
        return Signer(Ed25519PrivateKey.from_private_bytes(DEV_SEED))
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("JIEBANG_LEDGER_SIGNING_KEY must be an Ed25519 private key (PEM)")
    return Signer(key)


def signer(settings: Settings) -> Signer | None:
    key = settings.ledger_signing_key
    if key is None and not settings.dev_mode:
        return None
    return _signer(key.get_secret_value() if key else None)
