"""Properties of the chip protocol: secure messaging round trips, parsers that meet random
bytes raise only the chip's own errors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from screening.chip import kdf, lds, tlv
from screening.chip.apdu import Command, Response
from screening.chip.errors import ChipError, GarbageResponse
from screening.chip.sm import SecureMessaging

ciphers = st.sampled_from([(kdf.TDES, 16), (kdf.AES, 16), (kdf.AES, 24), (kdf.AES, 32)])


@settings(max_examples=150, deadline=None)
@given(cipher=ciphers, keys=st.binary(min_size=64, max_size=64), ssc=st.integers(0, 2**64 - 2),
       ins=st.sampled_from([0xA4, 0xB0, 0xB1, 0x88, 0xD6]), data=st.binary(max_size=400),
       le=st.none() | st.integers(1, 65536), answer=st.binary(max_size=300),
       sw=st.sampled_from([0x9000, 0x6282, 0x6A82, 0x6982]))
def test_secure_messaging_round_trip(cipher, keys, ssc, ins, data, le, answer, sw):
    name, size = cipher
    k_enc, k_mac = keys[:size], keys[32:32 + size]
    terminal, chip = SecureMessaging(name, k_enc, k_mac, ssc), SecureMessaging(name, k_enc, k_mac, ssc)
    command = Command(0x00, ins, 0x01, 0x02, data, le)
    received = chip.unwrap_command(terminal.wrap(command))
    assert received == command
    response = Response(answer, sw)
    assert terminal.unwrap(chip.wrap_response(response, odd_ins=bool(ins & 1))) == response
    assert terminal.ssc == chip.ssc == ssc + 2


@settings(max_examples=100, deadline=None)
@given(keys=st.binary(min_size=32, max_size=32), raw=st.binary(max_size=120), use_aes=st.booleans())
def test_unwrapping_random_bytes_raises_only_garbage(keys, raw, use_aes):
    sm = SecureMessaging(kdf.AES if use_aes else kdf.TDES, keys[:16], keys[16:], 7)
    try:
        response = sm.unwrap(raw)
    except GarbageResponse:
        return
    # Only an unprotected error status is taken without a MAC, and it carries no data.
    assert response.data == b"" and response.sw not in (0x9000, 0x6282)


@settings(max_examples=100, deadline=None)
@given(cipher=ciphers, keys=st.binary(min_size=64, max_size=64), data=st.binary(max_size=200),
       flip=st.integers(0, 10_000))
def test_any_flipped_bit_of_a_protected_answer_is_caught(cipher, keys, data, flip):
    name, size = cipher
    terminal = SecureMessaging(name, keys[:size], keys[32:32 + size], 0)
    chip = SecureMessaging(name, keys[:size], keys[32:32 + size], 0)
    chip.unwrap_command(terminal.wrap(Command(0x00, 0xB0, 0, 0, le=max(1, len(data)))))
    protected = bytearray(chip.wrap_response(Response(data, 0x9000)))
    position = flip % (8 * (len(protected) - 2))  # any bit before the outer status word
    protected[position // 8] ^= 1 << (position % 8)
    try:
        response = terminal.unwrap(bytes(protected))
    except GarbageResponse:
        return
    raise AssertionError(f"a tampered answer was accepted: {response}")


PARSERS = [lds.parse_com, lds.parse_dg1, lds.parse_dg2, lds.parse_dg14, lds.parse_dg15,
           lds.parse_security_infos, lambda d: lds.parse_details(d, 11), lambda d: lds.parse_details(d, 12),
           tlv.decode_all, tlv.total_length]


def _random_files():
    # Raw noise, and noise behind each file's real outer tag so the parsers get past it.
    tags = st.sampled_from([0x60, 0x61, 0x75, 0x6B, 0x6C, 0x6E, 0x6F, 0x31, 0x30])
    wrapped = st.builds(lambda tag, body: tlv.encode(tag, body), tags, st.binary(max_size=200))
    return st.binary(max_size=200) | wrapped


@settings(max_examples=300, deadline=None)
@given(data=_random_files())
def test_file_parsers_on_random_bytes_raise_only_chip_errors(data):
    for parse in PARSERS:
        try:
            parse(data)
        except ChipError:
            pass


@settings(max_examples=100, deadline=None)
@given(lines=st.sampled_from([3 * [30], 2 * [36], 2 * [44]]).flatmap(
    lambda widths: st.tuples(*[st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=w, max_size=w)
                               for w in widths])))
def test_dg1_round_trip(lines):
    assert lds.parse_dg1(lds.build_dg1(lines)) == lines
