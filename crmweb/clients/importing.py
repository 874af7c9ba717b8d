"""From a file (vCard, CSV in UTF-8 / UTF-8-BOM / GB18030, XLSX) to checked rows, before any write.

Column headers in Chinese or English are mapped by a table of aliases; each row becomes either
an ImportRow of clean values or an ImportProblem with its line number and a reason in Chinese.
"""
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zipfile import BadZipFile, ZipFile

from flask_babel import lazy_gettext as _l

from crmweb.clients.names import normalise
from crmweb.clients.rules import read_phone
from crmweb.clients.vcard import read_cards

CLIENT_FIELDS = ("stage", "tier", "main_business", "legal_representative", "general_manager",
                 "staff_count", "operating_status")
CONFIDENTIAL_FIELDS = ("banks", "loan_status", "cash_flow", "payer", "payment_attitude",
                       "cheque_notes", "total_purchases", "monthly_average_purchase",
                       "largest_purchase", "decision_makers", "development_plans",
                       "our_share_percent", "strategic_notes")
CONTACT_FIELDS = ("position", "address", "mobile", "phone", "email", "notes")
MONEY_FIELDS = {"total_purchases", "monthly_average_purchase", "largest_purchase"}

# Header (folded: lower case, no spaces or punctuation) → field. Google and Outlook exports included.
ALIASES = {
    "client": ["客户名称", "客户", "公司", "公司名称", "单位", "单位名称", "企业名称", "工作单位", "org",
               "organization", "company", "organization1name", "organizationname", "companyname"],
    "contact": ["联系人", "姓名", "名字", "联系人姓名", "name", "fullname", "displayname", "contactname"],
    "given_name": ["名", "givenname", "firstname"],
    "family_name": ["姓", "familyname", "lastname", "surname"],
    "mobile": ["手机", "手机号", "手机号码", "移动电话", "电话", "电话号码", "联系电话", "mobile",
               "mobilephone", "cell", "cellphone", "phone", "phone1value", "primaryphone"],
    "phone": ["座机", "办公电话", "固定电话", "工作电话", "其他电话", "businessphone", "workphone",
              "homephone", "otherphone", "phone2value", "phone3value", "telephone"],
    "email": ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "emailaddress", "email1value",
              "e-mailaddress", "mail"],
    "birthday": ["生日", "出生日期", "birthday", "bday", "dateofbirth"],
    "address": ["地址", "联系地址", "通讯地址", "公司地址", "address", "businessaddress", "homeaddress",
                "address1formatted", "businessstreet"],
    "unit": ["部门", "单位部门", "department"],
    "position": ["职位", "职务", "岗位", "title", "jobtitle", "organization1title", "organizationtitle"],
    "notes": ["备注", "说明", "notes", "note", "remarks"],
    "stage": ["阶段", "客户阶段", "stage"],
    "tier": ["客户等级", "等级", "客户级别", "tier", "level"],
    "main_business": ["主营业务", "经营范围", "mainbusiness", "business"],
    "legal_representative": ["法定代表人", "法人", "法人代表", "legalrepresentative"],
    "general_manager": ["总经理", "generalmanager", "gm"],
    "staff_count": ["员工人数", "员工数", "人数", "staff", "employees"],
    "operating_status": ["经营状况", "经营状态", "operatingstatus"],
    "banks": ["往来银行", "开户银行", "开户行", "banks", "bank"],
    "loan_status": ["贷款状况", "贷款情况", "loans", "loanstatus"],
    "cash_flow": ["现金流", "现金流状况", "cashflow"],
    "payer": ["付款人", "payer"],
    "payment_attitude": ["付款态度", "paymentattitude"],
    "cheque_notes": ["支票情况", "支票", "cheques"],
    "total_purchases": ["累计购买额", "累计购买金额", "购买总额", "totalpurchases"],
    "monthly_average_purchase": ["月均购买额", "月平均购买额", "monthlyaveragepurchase"],
    "largest_purchase": ["最高购买金额", "最大购买额", "单笔最高", "largestpurchase"],
    "decision_makers": ["决策人", "决策者", "decisionmakers"],
    "development_plans": ["发展计划", "developmentplans"],
    "our_share_percent": ["我方份额", "份额", "采购份额", "ourshare"],
    "strategic_notes": ["战略备注", "strategicnotes"],
}
_FIELD_BY_HEADER = {alias: name for name, aliases in ALIASES.items() for alias in aliases}

FIELD_LABELS = {
    "client": _l("客户名称"), "contact": _l("联系人"), "given_name": _l("名"), "family_name": _l("姓"),
    "mobile": _l("手机"), "phone": _l("其他电话"), "email": _l("邮箱"), "birthday": _l("生日"),
    "address": _l("地址"), "unit": _l("单位/部门"), "position": _l("职位"), "notes": _l("备注"),
    "stage": _l("阶段"),
    "tier": _l("等级"), "main_business": _l("主营业务"), "legal_representative": _l("法定代表人"),
    "general_manager": _l("总经理"), "staff_count": _l("员工人数"), "operating_status": _l("经营状况"),
    "banks": _l("往来银行"), "loan_status": _l("贷款状况"), "cash_flow": _l("现金流"),
    "payer": _l("付款人"), "payment_attitude": _l("付款态度"), "cheque_notes": _l("支票情况"),
    "total_purchases": _l("累计购买额（元）"), "monthly_average_purchase": _l("月均购买额（元）"),
    "largest_purchase": _l("最高购买金额（元）"), "decision_makers": _l("决策人"),
    "development_plans": _l("发展计划"), "our_share_percent": _l("我方所占采购份额（%）"),
    "strategic_notes": _l("战略备注"),
}

TIER_WORDS = {"一般": "general", "一般客户": "general", "general": "general", "重要": "important",
              "重要客户": "important", "important": "important", "大客户": "key", "重点客户": "key",
              "key": "key"}
STAGE_WORDS = {"意向": "prospect", "意向客户": "prospect", "潜在客户": "prospect", "prospect": "prospect",
               "成交": "customer", "成交客户": "customer", "客户": "customer", "customer": "customer",
               "流失": "lost", "流失客户": "lost", "lost": "lost"}


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message says why, in Chinese."""


@dataclass
class ImportRow:
    line: int
    client_name: str | None
    contact: dict
    client: dict = field(default_factory=dict)
    confidential: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # what was kept but needs a look


@dataclass
class ImportProblem:
    line: int
    message: str


@dataclass
class ParsedFile:
    kind: str                                 # vcard | csv | xlsx
    mapping: list[tuple[str, str | None]]     # (header as written, field or None if ignored)
    rows: list[ImportRow]
    problems: list[ImportProblem]
    warnings: list[ImportProblem] = field(default_factory=list)


def fold_header(header: str) -> str:
    return re.sub(r"[\s_\-:：()（）/.]+", "", normalise(str(header or "")))


def map_headers(headers: list[str]) -> list[str | None]:
    """The field each column feeds, or None; the first column claiming a field wins."""
    taken, result = set(), []
    for header in headers:
        name = _FIELD_BY_HEADER.get(fold_header(header)) or _FIELD_BY_HEADER.get(
            fold_header(header).replace("e-mail", "email"))
        if name in taken and name == "mobile":
            name = "phone"  # a second phone column: keep it as the other phone
        if name in taken:
            name = None
        if name:
            taken.add(name)
        result.append(name)
    return result


# --- reading files ----------------------------------------------------------------------------
# Limits that keep one upload from taking the server down: a phone's whole address book is far
# below them, and anything larger gets a message instead of the memory of the machine.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Excel in China writes and which covers GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_l("无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的 CSV。"))


def is_vcard(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".vcf", ".vcard")) or data.lstrip()[:11].upper() == b"BEGIN:VCARD"


def parse_file(data: bytes, filename: str) -> ParsedFile:
    name = filename.lower()
    if not data.strip():
        raise UnreadableFile(_l("文件是空的。"))
    check_size(len(data))
    if is_vcard(data, name):
        return _parse_vcard(data)
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _parse_table("xlsx", _xlsx_rows(data))
    if name.endswith((".csv", ".txt")):
        return _parse_table("csv", _csv_rows(decode_text(data)))
    raise UnreadableFile(_l("不支持的文件类型：请上传 .vcf、.csv 或 .xlsx 文件。"))


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(_l("文件超过 %(size)s MB，请拆分后分批导入。",
                                size=MAX_FILE_BYTES // 1024 // 1024))


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(_l("文件超过 %(rows)s 行，请拆分后分批导入。", rows=f"{MAX_ROWS:,}"))


def _csv_rows(text: str):
    """Rows as the reader yields them, never the whole table at once."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), dialect)
    try:
        for number, row in enumerate(reader):
            if number > MAX_ROWS:
                raise _too_many_rows()
            yield row[:MAX_COLUMNS]
    except csv.Error as error:
        raise UnreadableFile(_l("第 %(line)s 行无法读取（单元格过长或引号不配对），请检查文件。",
                                line=reader.line_num)) from error


def _xlsx_rows(data: bytes):

    from openpyxl import load_workbook  # noqa: PLC0415 (slow to import: only for Excel files)

    try:
        with ZipFile(io.BytesIO(data)) as archive:
            # The sizes zipfile stops reading at, whatever the compressed data would unpack to.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(_l("无法读取 Excel 文件，请确认是 .xlsx 格式。")) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile(_l("Excel 文件解压后过大，请只保留需要导入的工作表和数据。"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)):
                if number > MAX_ROWS:
                    raise _too_many_rows()
                yield [_clean_cell(cell) for cell in row]
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception as error:  # openpyxl raises many kinds (defusedxml's refusals among them)
        raise UnreadableFile(_l("无法读取 Excel 文件，请确认是 .xlsx 格式，且不含外部实体等特殊内容。")) \
            from error


def _clean_cell(cell):
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.replace("\x00", "")  # no database stores a NUL in text
    return cell


def _parse_table(kind: str, rows) -> ParsedFile:
    rows = iter(rows)
    headers, header_line = None, 0
    for number, row in enumerate(rows, start=1):
        if any(str(c).strip() for c in row):
            headers, header_line = [str(c).strip() for c in row], number
            break
    if headers is None:
        raise UnreadableFile(_l("文件里没有数据。"))
    fields = map_headers(headers)
    if not {"client", "contact", "given_name", "family_name"} & set(filter(None, fields)):
        raise UnreadableFile(_l("找不到“客户名称”或“联系人/姓名”列，请检查表头。"))
    parsed = ParsedFile(kind=kind, mapping=list(zip(headers, fields, strict=True)), rows=[], problems=[])
    for offset, row in enumerate(rows, start=header_line + 1):
        values = {}
        for name, cell in zip(fields, row, strict=False):
            if name and cell not in ("", None):
                values[name] = cell
        if values:
            _add_row(parsed, offset, values)
    return parsed


def _parse_vcard(data: bytes) -> ParsedFile:

    cards = read_cards(data)
    if not cards:
        raise UnreadableFile(_l("文件里没有联系人：vCard 文件应由 BEGIN:VCARD 和 END:VCARD 包围每位联系人，"
                                "请从手机或邮箱重新导出 .vcf 文件。"))
    if len(cards) > MAX_ROWS:
        raise UnreadableFile(_l("文件超过 %(rows)s 位联系人，请拆分后分批导入。", rows=f"{MAX_ROWS:,}"))
    parsed = ParsedFile(kind="vcard", mapping=[], rows=[], problems=[])
    for card in cards:
        values = {"contact": card.name or _join_name(card.family, card.given), "client": card.org,
                  "unit": card.unit, "position": card.title, "phones": card.phones,
                  "email": card.emails[0] if card.emails else "", "birthday": card.birthday,
                  "address": card.address, "notes": card.note}
        _add_row(parsed, card.line, {k: v for k, v in values.items() if v})
    return parsed


def _join_name(family: str, given: str) -> str:
    family, given = (family or "").strip(), (given or "").strip()
    if re.search(r"[\u4e00-\u9fff]", family + given):
        return family + given
    return " ".join(p for p in (given, family) if p)


# --- checking one row ---------------------------------------------------------------------------

class RowError(ValueError):
    pass


def _add_row(parsed: ParsedFile, line: int, values: dict) -> None:
    try:
        row = check_row(line, values)
    except RowError as problem:
        parsed.problems.append(ImportProblem(line, str(problem.args[0])))
        return
    parsed.rows.append(row)
    parsed.warnings += [ImportProblem(line, warning) for warning in row.warnings]


def _text(value, limit: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel gives phone numbers and counts as floats
    return str(value).strip()[:limit]


def check_row(line: int, values: dict) -> ImportRow:
    """Clean one row's values or raise RowError with the reason."""
    contact_name = _text(values.get("contact") or _join_name(
        str(values.get("family_name", "")), str(values.get("given_name", ""))), 64)
    client_name = _text(values.get("client", ""), 200) or None
    if not contact_name and not client_name:
        raise RowError(_l("缺少客户名称和联系人姓名。"))
    contact: dict = {"name": contact_name or None}
    warnings: list[str] = []
    for name in ("unit", "position", "address", "notes"):
        if values.get(name):
            contact[name] = _text(values[name], 2000 if name == "notes" else 200)
    if values.get("email"):
        email = _text(values["email"], 254).lower()
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            contact["email"] = email
        else:
            warnings.append(str(_l("邮箱格式不正确，已记入备注：%(value)s", value=email)))
            contact["notes"] = _with_note(contact.get("notes"), _l("邮箱"), email)
    contact.update(_phones(_phones_of(values), warnings))
    if values.get("birthday"):
        text = _text(values["birthday"], 40)
        try:
            contact.update(parse_birthday(text))
        except RowError as problem:
            warnings.append(str(_l("%(problem)s，已记入备注。", problem=str(problem.args[0]).rstrip("。"))))
            contact["notes"] = _with_note(contact.get("notes"), _l("生日"), text)
    client: dict = {}
    if values.get("tier"):
        tier = TIER_WORDS.get(fold_header(values["tier"]))
        if tier is None:
            raise RowError(_l("无法识别的客户等级：%(value)s", value=values["tier"]))
        client["tier"] = tier
    if values.get("stage"):
        stage = STAGE_WORDS.get(fold_header(values["stage"]))
        if stage is None:
            raise RowError(_l("无法识别的客户阶段：%(value)s", value=values["stage"]))
        client["stage"] = stage
    for name in ("main_business", "legal_representative", "general_manager", "operating_status"):
        if values.get(name):
            client[name] = _text(values[name], 64 if name in ("legal_representative", "general_manager")
                                 else 200)
    if values.get("staff_count"):
        client["staff_count"] = _whole_number(values["staff_count"], 0, 10_000_000)
    confidential: dict = {}
    for name in CONFIDENTIAL_FIELDS:
        if values.get(name) in (None, ""):
            continue
        if name in MONEY_FIELDS:
            confidential[name] = parse_amount(values[name])
        elif name == "our_share_percent":
            confidential[name] = _whole_number(str(values[name]).rstrip("%％"), 0, 100)
        else:
            confidential[name] = _text(values[name], 2000 if name.endswith(("plans", "notes")) else 200)
    return ImportRow(line=line, client_name=client_name, contact=contact, client=client,
                     confidential=confidential, warnings=warnings)


def _with_note(notes: str | None, label, value: str) -> str:
    return "\n".join(filter(None, [notes, f"{label}：{value}"]))[:2000]


def _phones_of(values: dict) -> list[tuple[bool, str]]:
    """(typed as a mobile, as written) for every number of the row, vCard or table."""
    if "phones" in values:
        return values["phones"]
    return [(name == "mobile", _text(values[name], 80)) for name in ("mobile", "phone") if values.get(name)]


def _phones(numbers: list[tuple[bool, str]], warnings: list[str]) -> dict:
    """Every number kept: the first mobile as the mobile, the next as the phone, the rest as
    other phones; one that cannot be normalised is kept as written and named in a warning."""
    found, odd = [], []
    for typed_mobile, raw in numbers:
        number = read_phone(raw, typed_mobile)
        if number is None or any(number.number == kept.number for _typed, kept in found):
            continue
        found.append((typed_mobile, number))
        if not number.normalised:
            odd.append(number.number)
    if odd:
        warnings.append(str(_l("电话号码无法规范化，已按原样保存，请核对：%(numbers)s",
                               numbers="、".join(odd))))
    # The number the file calls a mobile first, else any mobile number.
    mobile = next((number for typed, number in found if typed and number.mobile), None) or next(
        (number for _typed, number in found if number.mobile), None)
    others = [number.number for _typed, number in found if number is not mobile]
    result = {}
    if mobile:
        result["mobile"] = mobile.number
    if others:
        result["phone"] = others[0]
    if len(others) > 1:
        result["other_phones"] = "\n".join(others[1:])[:2000]
    return result


def _whole_number(value, low: int, high: int) -> int:
    try:
        number = int(Decimal(str(value).replace(",", "").strip()))
    except (InvalidOperation, ValueError):
        raise RowError(_l("不是整数：%(value)s", value=value)) from None
    if not low <= number <= high:
        raise RowError(_l("数值超出范围：%(value)s", value=value))
    return number


def parse_amount(value) -> Decimal:
    """'12,345.00', '¥12345', '1.2万', 12345.0 → Decimal; anything else is a row error."""
    text = normalise(str(value)).replace(",", "").replace("¥", "").replace("￥", "").removesuffix("元")
    factor = Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10000)
    try:
        amount = (Decimal(text) * factor).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RowError(_l("金额无法识别：%(value)s", value=value)) from None
    if amount < 0 or amount > Decimal("999999999999"):
        raise RowError(_l("金额超出范围：%(value)s", value=value))
    return amount


_LUNAR_MONTHS = {"正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                 "九": 9, "十": 10, "冬": 11, "十一": 11, "腊": 12, "十二": 12}


def parse_birthday(text: str) -> dict:
    """'1980-05-06', '1980/5/6', '19800506', '--0506', '5月6日', '农历八月十五', '农历闰4-8'."""

    text = normalise(text)
    lunar = text.startswith(("农历", "阴历"))
    if lunar:
        text = text[2:]
    leap = text.startswith("闰")
    if leap:
        text = text[1:]
    year = month = day = None
    if lunar and (match := re.fullmatch(r"(正|腊|冬|十一|十二|[一二三四五六七八九十])月(.+)", text)):
        month = _LUNAR_MONTHS[match[1]]
        day = _chinese_day(match[2])
    elif match := re.fullmatch(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:t.*)?", text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := re.fullmatch(r"(?:--)?(\d{1,2})[-/.月]?(\d{1,2})日?", text):
        month, day = int(match[1]), int(match[2])
    if not month or not day:
        raise RowError(_l("生日格式无法识别：%(value)s", value=text))
    if lunar:
        if not (1 <= month <= 12 and 1 <= day <= 30):
            raise RowError(_l("农历生日无效：%(value)s", value=text))
    else:
        try:
            dt.date(year or 2000, month, day)
        except ValueError:
            raise RowError(_l("生日日期无效：%(value)s", value=text)) from None
    return {"birthday_calendar": "lunar" if lunar else "solar", "birth_year": year,
            "birth_month": month, "birth_day": day, "birthday_leap_month": leap}


def _chinese_day(text: str) -> int:
    text = text.removesuffix("日")
    if text.isdigit():
        return int(text)
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text.startswith("初"):
        rest = text[1:]
        return 10 if rest == "十" else digits.get(rest, 0)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0)
    if text.startswith(("二十", "廿")):
        rest = text[2:] if text.startswith("二十") else text[1:]
        return 20 + (digits.get(rest, 0) if rest else 0)
    if text in ("三十", "卅"):
        return 30
    return 0
