"""Client exports: XLSX and CSV of the archive, vCard of the contacts.

Every text cell that a spreadsheet could take for a formula (= + - @, tab, CR) is prefixed with
an apostrophe, so that an exported file can never run anything on the reader's machine.
"""
import csv
import io
from decimal import Decimal

from flask_babel import gettext as _

from crmweb.clients import labels
from crmweb.clients.rules import display_phone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _columns():
    # Names translated once per file, not once per row: 100,000 rows asked for them 400,000 times.
    kinds, stages, tiers, vip = ({code: str(name) for code, name in names.items()}
                                 for names in (labels.KIND, labels.STAGE, labels.TIER, labels.VIP_STATUS))
    lunar = _("农历")
    return [
        (_("客户名称"), lambda c, a, k: c.name),
        (_("类型"), lambda c, a, k: kinds[c.kind]),
        (_("阶段"), lambda c, a, k: stages[c.stage]),
        (_("等级"), lambda c, a, k: tiers[c.tier]),
        ("VIP", lambda c, a, k: vip[c.vip_status]),
        (_("负责人"), lambda c, a, k: c.owner_name or ""),
        (_("地址"), lambda c, a, k: c.address),
        (_("主营业务"), lambda c, a, k: c.main_business),
        (_("联系人"), lambda c, a, k: k.name if k else ""),
        (_("职位"), lambda c, a, k: k.position if k else ""),
        (_("手机"), lambda c, a, k: display_phone(k.mobile) if k else ""),
        (_("电话"), lambda c, a, k: "、".join(display_phone(n) for n in _other_numbers(k))),
        (_("邮箱"), lambda c, a, k: k.email if k else ""),
        (_("生日"), lambda c, a, k: _birthday(k, lunar)),
        (_("往来银行"), lambda c, a, k: a.banks if a else ""),
        (_("贷款状况"), lambda c, a, k: a.loan_status if a else ""),
        (_("付款态度"), lambda c, a, k: a.payment_attitude if a else ""),
        (_("累计购买额（元）"), lambda c, a, k: a.total_purchases if a else None),
        (_("月均购买额（元）"), lambda c, a, k: a.monthly_average_purchase if a else None),
        (_("最高购买金额（元）"), lambda c, a, k: a.largest_purchase if a else None),
        (_("决策人"), lambda c, a, k: a.decision_makers if a else ""),
    ]


def _other_numbers(contact) -> list[str]:
    if contact is None:
        return []
    return [n for n in [contact.phone, *(contact.other_phones or "").splitlines()] if n]


def _birthday(contact, lunar_word: str) -> str:
    if contact is None or not contact.birth_month:
        return ""
    lunar = contact.birthday_calendar == "lunar"
    day = f"{'闰' if contact.birthday_leap_month else ''}{contact.birth_month}-{contact.birth_day}"
    year = f"{contact.birth_year}-" if contact.birth_year else ""
    return (lunar_word if lunar else "") + year + day


def _rows(export):
    """A row per contact, the client's columns repeated; a client without contacts, one row."""
    columns = _columns()
    yield [title for title, _value in columns]
    for client in export.clients:
        archive = export.archives.get(client.id)
        for contact in export.contacts.get(client.id) or [None]:
            yield [neutralise(value(client, archive, contact)) for _title, value in columns]


# Column widths in characters (a CJK character counts two): wide enough to read, no wider.
_WIDTHS = [30, 6, 10, 10, 12, 10, 30, 20, 10, 14, 16, 24, 26, 14, 20, 14, 14, 16, 16, 16, 16]


def file_name(export_format: str, today) -> tuple[str, str]:
    """('客户档案-2026-11-23.xlsx', 'clients-2026-11-23.xlsx'): the dated Chinese name, and the
    plain one for programs that cannot read it."""
    stem = _("联系人") if export_format == "vcf" else _("客户档案")
    ascii_stem = "contacts" if export_format == "vcf" else "clients"
    return f"{stem}-{today:%Y-%m-%d}.{export_format}", f"{ascii_stem}-{today:%Y-%m-%d}.{export_format}"


def to_csv(export) -> bytes:
    """UTF-8 with a BOM: Excel in China opens it with the right characters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _rows(export):
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(export) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import: only for Excel files)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (slow to import: only for Excel files)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("客户"))
    sheet.freeze_panes = "A2"  # the header stays while scrolling
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in _rows(export):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _escape(text: str) -> str:
    """RFC 6350 text: a line break of any kind (CR too) becomes \\n, so a value cannot start a
    property of its own."""
    text = (text or "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def to_vcard(export) -> bytes:
    """vCard 3.0, which every phone and mail program reads."""
    lines = []
    for client in export.clients:
        for contact in export.contacts.get(client.id, []):
            lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(contact.name)}",
                      f"N:{_escape(contact.name)};;;;"]
            if client.kind == "company":
                lines.append(f"ORG:{_escape(client.name)}")
            if contact.position:
                lines.append(f"TITLE:{_escape(contact.position)}")
            if contact.mobile:
                lines.append(f"TEL;TYPE=CELL:{_escape(contact.mobile)}")
            for number in [contact.phone, *(contact.other_phones or "").splitlines()]:
                if number:
                    lines.append(f"TEL;TYPE=VOICE:{_escape(number)}")
            if contact.email:
                lines.append(f"EMAIL;TYPE=INTERNET:{_escape(contact.email)}")
            if contact.birthday_calendar == "solar" and contact.birth_month and contact.birth_day:
                year = f"{contact.birth_year:04d}" if contact.birth_year else "--"
                lines.append(f"BDAY:{year}{contact.birth_month:02d}{contact.birth_day:02d}")
            lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
