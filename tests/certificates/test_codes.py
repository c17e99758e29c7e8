from certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    generate_code,
    normalize_code,
)


def test_codes_carry_at_least_80_random_bits_without_lookalikes():
    codes = {generate_code() for _ in range(200)}
    assert len(codes) == 200
    assert CODE_LENGTH * 5 >= 80
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert not set(code) & set("ILOU")
        assert set(code) <= set(ALPHABET)


def test_typed_codes_are_forgiving():
    code = "7KQ3D0M9X2B14RTPZHWA"
    printed = format_code(code)
    assert printed == "7KQ3D-0M9X2-B14RT-PZHWA"
    assert normalize_code(printed.lower()) == code
    assert normalize_code(" 7kq3d OM9X2 bI4rt pzhwa ") == code  # O→0, I→1
    assert normalize_code("7KQ3D-0M9X2") is None
    assert normalize_code("UUUUUUUUUUUUUUUUUUUU") is None
    assert normalize_code("") is None
