"""Known-answer tests of the chip protocol: the worked examples of ICAO Doc 9303 Part 11.

Sources of the values (each checked in two independent places before use):
- Appendix D (BAC, 3DES secure messaging): the example MRZ L898902C< 690806 940623, its keys,
  the mutual authentication and the protected SELECT / READ BINARY of EF.COM; quoted alike by
  gmrtd (Go, iso7816 tests), the rust emrtd tests, liblogicalaccess' epass tests and others.
- Appendix D.2, long TD1 document number D23145890734 (check digit 9) with 340712 / 950712.
- Appendix G.1 (PACE, ECDH generic mapping, brainpoolP256r1, AES-128), MRZ T22000129 640812
  101031: the full APDU transcript and intermediate values, quoted alike by gmrtd
  (pace_test.go, TestDoPace_GM_ECDH) and jcexpress' IcaoAppendixG1PaceTest.
AES secure messaging has no worked example in Part 11; the two AES checks below are vectors
other implementations computed (labelled so), not the document's.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec

from screening.chip import kdf, lds, pace
from screening.chip.access import AccessKey
from screening.chip.apdu import Command
from screening.chip.bac import establish_bac, terminal_cryptogram
from screening.chip.channel import Channel
from screening.chip.ec import CURVES
from screening.chip.errors import GarbageResponse
from screening.chip.reader import read_file
from screening.chip.sm import SecureMessaging

H = bytes.fromhex


class ScriptedChip:
    """A transport that expects exactly the given commands and plays back the given answers."""

    def __init__(self, exchanges: list[tuple[str, str]]):
        self.exchanges = [(H(c.replace(" ", "")), H(r.replace(" ", ""))) for c, r in exchanges]
        self.sent = 0

    def transmit(self, apdu: bytes, timeout_s: float) -> bytes:
        expected, answer = self.exchanges[self.sent]
        assert apdu.hex().upper() == expected.hex().upper(), f"command {self.sent}"
        self.sent += 1
        return answer

    @property
    def finished(self) -> bool:
        return self.sent == len(self.exchanges)


# --- Appendix D: BAC --------------------------------------------------------------------------

D_KEY = AccessKey("L898902C<", "690806", "940623")
D_KS_ENC = H("979EC13B1CBFE9DCD01AB0FED307EAE5")
D_KS_MAC = H("F1CB1F1FB5ADF208806B89DC579DC1F8")
D_SSC = 0x887022120C06C226


def test_bac_keys_from_the_mrz_appendix_d2():
    assert D_KEY.mrz_information == "L898902C<369080619406236"
    assert D_KEY.k_seed == H("239AB9CB282DAF66231DC5A4DF6BFBAE")
    k_enc, k_mac = D_KEY.bac_keys
    assert k_enc == H("AB94FDECF2674FDFB9B391F85D7F76F2")
    assert k_mac == H("7962D9ECE03D1ACD4C76089DCE131543")


def test_a_short_number_given_without_its_fillers_makes_the_same_key():
    assert AccessKey("L898902C", "690806", "940623").k_seed == D_KEY.k_seed


def test_long_td1_document_number_appendix_d2():
    lines = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]
    key = AccessKey.from_mrz_lines(lines)
    assert key.document_number == "D23145890734"
    # The full number and the check digit of the full number (9), not the 9 printed characters.
    assert key.mrz_information == "D23145890734934071279507122"
    assert AccessKey("D23145890734", "340712", "950712") == key


def test_session_keys_appendix_d3():
    k_enc, k_mac = D_KEY.bac_keys
    cryptogram = terminal_cryptogram(k_enc, k_mac, H("781723860C06C226"), H("4608F91988702212"),
                                     H("0B795240CB7049B01C19B33E32804F0B"))
    assert cryptogram == H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" "5F1448EEA8AD90A7")
    assert kdf.derive_key(H("0036D272F5C350ACAC50C3F572D23600"), 1, kdf.TDES) == D_KS_ENC
    assert kdf.derive_key(H("0036D272F5C350ACAC50C3F572D23600"), 2, kdf.TDES) == D_KS_MAC


def test_bac_and_secure_messaging_transcript_appendix_d3_d4():
    chip = ScriptedChip([
        ("0084000008", "4608F91988702212 9000"),
        ("0082000028 72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2 5F1448EEA8AD90A7 28",
         "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F 2F2D235D074D7449 9000"),
        ("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000"),
        ("0CB000000D9701048E08ED6705417E96BA5500", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"),
        ("0CB000040D9701128E082EA28A70F3C7B53500",
         "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"),
    ])
    terminal_random = iter([H("781723860C06C226"), H("0B795240CB7049B01C19B33E32804F0B")])
    channel = Channel(chip, 1.0)
    session = establish_bac(channel, D_KEY, lambda n: next(terminal_random))
    assert (session.k_enc, session.k_mac, session.ssc) == (D_KS_ENC, D_KS_MAC, D_SSC)
    assert read_file(channel, lds.EF_COM) == H("60145F0104303130365F36063034303030305C026175")
    assert chip.finished
    assert session.ssc == 0x887022120C06C22C


def test_protected_apdus_appendix_d4_one_by_one():
    sm = SecureMessaging(kdf.TDES, D_KS_ENC, D_KS_MAC, D_SSC)
    assert sm.wrap(Command(0x00, 0xA4, 0x02, 0x0C, H("011E"))) == H("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert sm.ssc == 0x887022120C06C227
    assert sm.unwrap(H("990290008E08FA855A5D4C50A8ED9000")).sw == 0x9000
    assert sm.wrap(Command(0x00, 0xB0, 0x00, 0x00, le=4)) == H("0CB000000D9701048E08ED6705417E96BA5500")
    assert sm.unwrap(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000")).data == H("60145F01")


def test_a_wrong_mac_in_the_appendix_d4_answer_is_garbage():
    sm = SecureMessaging(kdf.TDES, D_KS_ENC, D_KS_MAC, D_SSC)
    sm.wrap(Command(0x00, 0xA4, 0x02, 0x0C, H("011E")))
    with pytest.raises(GarbageResponse):
        sm.unwrap(H("990290008E08FA855A5D4C50A8EE9000"))


# --- Appendix G.1: PACE ECDH generic mapping ----------------------------------------------------

G_KEY = AccessKey("T22000129", "640812", "101031")
G_CARD_ACCESS = H("31143012060A04007F0007020204020202010202010D")
G_SK_MAP_IFD = 0x7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99
G_SK_DH_IFD = 0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595
G_PK_MAP_IC = H("04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
                "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54")
G_PK_DH_IFD = H("042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
                "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462")
G_PK_DH_IC = H("049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
               "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094")


def test_pace_intermediate_values_appendix_g1():
    option = lds.parse_security_infos(G_CARD_ACCESS).pace[0]
    assert (option.protocol, option.version, option.parameter_id) == ("0.4.0.127.0.7.2.2.4.2.2", 2, 13)
    assert G_KEY.pace_password == H("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD")
    k_pi = kdf.derive_key(G_KEY.pace_password, kdf.COUNTER_PACE, kdf.AES)
    assert k_pi == H("89DED1B26624EC1E634C1989302849DD")
    nonce = pace.decrypt_nonce(kdf.AES, k_pi, H("95A3A016522EE98D01E76CB6B98B42C3"))
    assert nonce == H("3F00C4D39D153F2B2A214A078D899B22")
    curve = CURVES[13]
    chip_mapping = curve.decode(G_PK_MAP_IC)
    assert curve.encode(curve.multiply(G_SK_MAP_IFD, chip_mapping)) == H(
        "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
        "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181")
    generator = pace.mapped_generator(curve, nonce, G_SK_MAP_IFD, chip_mapping)
    assert curve.encode(generator) == H("048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
                                        "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522")
    assert curve.encode(curve.multiply(G_SK_DH_IFD, generator)) == G_PK_DH_IFD
    secret = pace.shared_x(curve, G_SK_DH_IFD, curve.decode(G_PK_DH_IC))
    assert secret == H("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925")
    ks_mac = kdf.derive_key(secret, kdf.COUNTER_MAC, kdf.AES)
    assert kdf.derive_key(secret, kdf.COUNTER_ENC, kdf.AES) == H("F5F0E35C0D7161EE6724EE513A0D9A7F")
    assert ks_mac == H("FE251C7858B356B24514B3BD5F4297D1")
    assert pace.authentication_token(kdf.AES, ks_mac, option.protocol, G_PK_DH_IC) == H("C2B0BD78D94BA866")
    assert pace.authentication_token(kdf.AES, ks_mac, option.protocol, G_PK_DH_IFD) == H("3ABB9674BCE93C08")


def test_pace_transcript_appendix_g1():
    chip = ScriptedChip([
        ("0022C1A40F800A04007F00070202040202830101", "9000"),
        ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
        ("10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
         "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
         "7C438241" + G_PK_MAP_IC.hex() + "9000"),
        ("10860000457C438341" + G_PK_DH_IFD.hex() + "00", "7C438441" + G_PK_DH_IC.hex() + "9000"),
        ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"),
    ])
    keys = iter([G_SK_MAP_IFD, G_SK_DH_IFD])
    option = lds.parse_security_infos(G_CARD_ACCESS).pace[0]
    session = pace.establish_pace(Channel(chip, 1.0), G_KEY, option, private_scalar=lambda curve: next(keys))
    assert chip.finished
    assert (session.cipher, session.ssc) == (kdf.AES, 0)
    assert session.k_enc == H("F5F0E35C0D7161EE6724EE513A0D9A7F")
    assert session.k_mac == H("FE251C7858B356B24514B3BD5F4297D1")


def test_a_wrong_chip_token_in_the_appendix_g1_transcript_is_garbage():
    chip = ScriptedChip([
        ("0022C1A40F800A04007F00070202040202830101", "9000"),
        ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
        ("10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
         "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
         "7C438241" + G_PK_MAP_IC.hex() + "9000"),
        ("10860000457C438341" + G_PK_DH_IFD.hex() + "00", "7C438441" + G_PK_DH_IC.hex() + "9000"),
        ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C099000"),
    ])
    keys = iter([G_SK_MAP_IFD, G_SK_DH_IFD])
    option = lds.parse_security_infos(G_CARD_ACCESS).pace[0]
    with pytest.raises(GarbageResponse):
        pace.establish_pace(Channel(chip, 1.0), G_KEY, option, private_scalar=lambda curve: next(keys))


# --- AES secure messaging: other implementations' vectors (not in Doc 9303) -------------------

def test_aes_select_after_the_g1_session_matches_jcexpress():
    # jcexpress' icao_ref.py vector: SELECT of the eMRTD application with the G.1 keys, SSC 0.
    sm = SecureMessaging(kdf.AES, H("F5F0E35C0D7161EE6724EE513A0D9A7F"), H("FE251C7858B356B24514B3BD5F4297D1"), 0)
    assert sm.wrap(Command(0x00, 0xA4, 0x04, 0x0C, lds.EMRTD_AID)) == H(
        "0CA4040C1D871101752F676B09FAC86A87D632749A49C7CC8E08C18BA1FCE707BD9F00")
    assert sm.unwrap(H("990290008E08BEA7B381C494A0799000")).sw == 0x9000


def test_aes_select_and_read_match_gmrtd():
    # gmrtd's PACE-CAM test (Appendix I keys), its own encoding of SELECT / READ BINARY.
    sm = SecureMessaging(kdf.AES, H("0A9DA4DB03BDDE39FC5202BC44B2E89E"), H("4B1C06491ED5140CA2B537D344C6C0B1"), 0)
    assert sm.wrap(Command(0x00, 0xA4, 0x02, 0x0C, H("011D"))) == H(
        "0ca4020c1d8711013824f3cb16caa40ddff8459c215cc4988e08158449671fcc718300")
    assert sm.unwrap(H("990290008E085e007ca87260a77f9000")).sw == 0x9000
    assert sm.wrap(Command(0x00, 0xB0, 0x00, 0x00, le=4)) == H("0cb000000d9701048e081049244eed15563d00")
    assert sm.unwrap(H("8711017B0085CFF0A3845B7F1B02E72BBE6395990290008E083cf26fad48f7888b9000")).data == H("31643062")


# --- curve constants -------------------------------------------------------------------------

@pytest.mark.parametrize("parameter_id", sorted(CURVES))
def test_curve_constants_agree_with_cryptography(parameter_id):
    curve = CURVES[parameter_id]
    assert curve.contains(curve.generator)
    assert curve.multiply(curve.n, curve.generator) is None
    for k in (1, 2, 3, 0xC0FFEE, curve.n - 1):
        expected = crypto_ec.derive_private_key(k, curve.crypto_curve()).public_key().public_numbers()
        assert curve.multiply(k, curve.generator) == (expected.x, expected.y)
