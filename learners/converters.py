"""URL converters of the learners' routes (registered when the app is ready)."""

import re

from .models import Certificate
from .services.certificates import CODE_ALPHABET

_CODE_LENGTH = Certificate._meta.get_field("code").max_length


class CertificateCodeConverter:
    """Certificate codes in URLs: letters of the codes' alphabet only (in either case: people type them
    from paper), at most as long as the column holds. Anything else (a NUL, a 10 kB string, punctuation)
    matches no route, a 404, and never reaches the database."""

    regex = f"[{re.escape(CODE_ALPHABET + CODE_ALPHABET.lower())}]{{1,{_CODE_LENGTH}}}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)
