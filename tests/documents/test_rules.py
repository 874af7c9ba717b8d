"""What a file is, read from its content: the name's extension must agree; a name is never a path."""

import pytest

from crmweb.documents.rules import Refused, check, display_name

MB = 1024 * 1024
PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\合同.pdf", "合同.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("报价单\x00.pdf", "报价单.pdf"),
        (".hidden", "hidden"),
        ("", "file"),
    ],
)
def test_a_name_is_only_shown_never_a_path(raw, shown):
    assert display_name(raw) == shown


def test_the_type_comes_from_the_content_and_the_name_must_agree():
    assert check("照片.png", PNG_HEAD, "image/png", 100, MB).content_type == "image/png"
    with pytest.raises(Refused) as wrong:
        check("发票.pdf", PNG_HEAD, "image/png", 100, MB)  # a picture called a PDF
    assert wrong.value.reason == "mismatch"
    with pytest.raises(Refused) as executable:
        check("工具.exe", b"MZ\x90\x00" + b"\x00" * 20, "application/x-msdownload", 100, MB)
    assert executable.value.reason == "type"


def test_old_office_files_by_their_container_and_text_in_either_encoding():
    assert check("报表.xls", OLE_HEAD, None, 100, MB).content_type == "application/vnd.ms-excel"
    assert check("说明.doc", OLE_HEAD, None, 100, MB).content_type == "application/msword"
    with pytest.raises(Refused):
        check("说明.pdf", OLE_HEAD, None, 100, MB)
    assert (
        check("名单.csv", "姓名,手机\n张三,139".encode("gb18030"), None, 100, MB).content_type == "text/plain"
    )


def test_empty_and_oversized_files_are_refused():
    for size, reason in ((0, "empty"), (MB + 1, "size")):
        with pytest.raises(Refused) as refused:
            check("照片.png", PNG_HEAD, "image/png", size, MB)
        assert refused.value.reason == reason
