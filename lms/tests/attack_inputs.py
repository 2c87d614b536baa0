"""The bad-input corpus of the attack tests (test_attacks.py, test_site_attacks.py, test_upload_attacks.py)."""

# What the API's fields may receive: every JSON type, out-of-range numbers, NUL, 1 MB strings, markup, SQL.
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
BIG = "x" * 1_000_000
VALUES = [
    None,
    True,
    -1,
    0,
    2**63,
    -(2**63) - 1,
    1.5,
    "",
    "\x00",
    "a\x00b",
    BIG,
    XSS,
    "'; DROP TABLE learners_user; --",
    "<svg onload=alert(1)>",
    [],
    [1, 2],
    {},
    {"nested": {"deep": [1, {"x": None}]}},
]


def deep(level):
    value = 1
    for _ in range(level):
        value = [value]
    return value


# JSON nested far deeper than any parser should follow.
DEEP_JSON = "[" * 5000 + "]" * 5000


# What a form field may receive besides what it expects: NUL, numbers too big for any column or for int(),
# other scripts' digits (str.isdigit() says yes to "²"; int() reads "٣" as 3), very long strings, markup,
# deep JSON as text.
HOSTILE = [
    "",
    "  ",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "1.5",
    "1e9",
    "abc",
    str(2**63),
    "9" * 5000,
    "²",
    "٣",
    "x" * 100_000,
    XSS,
    "'; DROP TABLE learners_user; --",
    DEEP_JSON,
    "\u202e🙂",
]
HOSTILE_KEYS = ["\x00", "q", "q²", "q٣", "q" + "9" * 5000, "q" + str(2**70), "q-1", "qx\x00", "x" * 10_000]
# Bodies no browser sends: invalid UTF-8 (raw and percent-encoded), JSON where a form is expected, broken
# multipart.
RAW_BODIES = [
    (b"rating=%FF%FE&text=%C0%AF&email=\xff\xfe&q1=%ED%A0%80&name=%00", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00\x01=\xc3", "application/x-www-form-urlencoded"),
    (DEEP_JSON.encode(), "application/json"),
    (b'{"rating": [1, 2], "email": {"a": 1}, "q1": null}', "application/json"),
    (
        b'--x\r\nContent-Disposition: form-data; name="text"\r\n\r\n\xff\xfe\x00\r\n--x--\r\n',
        "multipart/form-data; boundary=x",
    ),
    (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
]
