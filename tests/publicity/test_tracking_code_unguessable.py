"""The tracking code is the only key to an objection's or repair's status page (the applicant's name, the reply):
it must be drawn from the system's cryptographic random source with enough entropy that guessing one is hopeless."""

import math
from collections import Counter

from publicity.models import Objection, RepairApplication
from publicity.models import requests as request_models
from publicity.models.requests import new_tracking_code


def test_code_has_at_least_56_bits_from_an_unambiguous_alphabet():
    code = new_tracking_code(Objection.CODE_PREFIX)
    body = code[len(Objection.CODE_PREFIX) :]
    alphabet = request_models._CODE_ALPHABET
    assert code.startswith("YY") and len(code) <= Objection._meta.get_field("tracking_code").max_length
    assert set(body) <= set(alphabet) and not set(alphabet) & set("01OIL")
    assert len(body) * math.log2(len(alphabet)) >= 56


def test_codes_come_from_the_secrets_module(monkeypatch):
    drawn = []

    def choice(seq):
        drawn.append(seq)
        return seq[0]

    monkeypatch.setattr(request_models.secrets, "choice", choice)
    assert new_tracking_code(RepairApplication.CODE_PREFIX) == "XF" + request_models._CODE_ALPHABET[0] * len(drawn)
    assert len(drawn) >= 12


def test_codes_do_not_repeat_and_use_every_symbol_in_every_position():
    codes = [new_tracking_code("YY")[2:] for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    alphabet = set(request_models._CODE_ALPHABET)
    for position in range(len(codes[0])):
        seen = Counter(code[position] for code in codes)
        assert set(seen) == alphabet  # 3000 draws of 31 symbols: a missing one is a broken or biased source
