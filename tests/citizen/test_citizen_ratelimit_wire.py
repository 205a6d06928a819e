"""The lookup gate writes its Redis command itself (ratelimit._resp): the bytes must be exactly what
redis-py's own `pack_command` sends, for any keys and arguments."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from redis.connection import Connection

from congvu.citizen import ratelimit

_part = st.one_of(st.text(max_size=80), st.binary(max_size=80), st.integers(min_value=-(10**12), max_value=10**12))


@given(st.from_regex(r"[A-Z]{3,12}", fullmatch=True), st.lists(_part, max_size=8))
def test_resp_is_what_redis_py_packs(name, args):
    assert ratelimit._resp((name, *args)) == b"".join(Connection().pack_command(name, *args))


def test_gate_command():
    command = ("EVALSHA", ratelimit._GATE_SHA, 2, ":1:citizen:rl:" + "a" * 32, ":1:citizen:code:" + "b" * 32, 605)
    assert ratelimit._resp(command).startswith(b"*6\r\n$7\r\nEVALSHA\r\n$40\r\n")
