"""Shapes of input for the client archive (no database queries here)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from crmweb.clients import labels, rules
from crmweb.clients.rules import InvalidPhone, normalise_phone
from crmweb.clients.settings import RHYTHM_DEFAULT_DAYS, RHYTHM_TIERS
from crmweb.forms import Form
from crmweb.ids import coerce_id

PHONE_PROBLEMS = {
    "unparseable": _l("无法识别的电话号码。"),
    "invalid": _l("电话号码无效，请检查位数。"),
}


def optional_text(max_length: int = 200):
    return [Optional(), Length(max=max_length, message=_l("最多 %(max)d 个字符。"))]


def optional_choice(label, mapping) -> SelectField:
    """A select whose blank option ("—") is a valid answer, also when the field is not sent."""
    return SelectField(label, choices=labels.choices(mapping, blank=True), default="")


def _blank_to_none(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


class ArchiveForm(Form):
    """A form whose text fields give None for blanks, so that clearing a field clears it."""

    def values(self) -> dict:
        result = {}
        for name, field in self._fields.items():
            if name == "csrf_token":
                continue
            data = field.data
            result[name] = _blank_to_none(data) if isinstance(data, str) else data
        return result


class BasicsForm(ArchiveForm):
    name = StringField(_l("客户名称"), validators=[DataRequired(_l("请输入客户名称。")),
                                                   Length(max=200)], filters=[lambda v: v and v.strip()])
    kind = SelectField(_l("类型"), choices=labels.choices(labels.KIND))
    stage = SelectField(_l("阶段"), choices=labels.choices(labels.STAGE))
    lost_reason = optional_choice(_l("流失原因（流失客户）"), labels.LOST_REASON)
    address = StringField(_l("地址"), validators=optional_text())
    legal_representative = StringField(_l("法定代表人"), validators=optional_text(64))
    general_manager = StringField(_l("总经理"), validators=optional_text(64))
    main_business = StringField(_l("主营业务"), validators=optional_text())
    staff_count = IntegerField(_l("员工人数"), validators=[Optional(), NumberRange(
        min=0, max=10_000_000, message=_l("请输入 0 到 1000 万之间的整数。"))])
    operating_status = StringField(_l("经营状况"), validators=optional_text())
    founded_on = DateField(_l("成立日期"), validators=[Optional()])


class CommunicationForm(ArchiveForm):
    communication_channel = optional_choice(_l("沟通渠道"), labels.CHANNEL)
    contact_frequency = optional_choice(_l("沟通频率"), labels.FREQUENCY)
    relationship_potential = optional_choice(_l("关系潜力"), labels.POTENTIAL)
    satisfaction = IntegerField(_l("满意度（1–5）"), validators=[Optional(), NumberRange(
        min=1, max=5, message=_l("满意度为 1 到 5。"))])


class KeyClientForm(ArchiveForm):
    production_scale = StringField(_l("生产规模"), validators=optional_text())
    product_structure = StringField(_l("产品结构"), validators=optional_text())


class FinancialForm(ArchiveForm):
    banks = StringField(_l("往来银行"), validators=optional_text())
    loan_status = StringField(_l("贷款状况"), validators=optional_text())
    cash_flow = StringField(_l("现金流"), validators=optional_text())


class PaymentForm(ArchiveForm):
    payer = StringField(_l("付款人"), validators=optional_text(64))
    payment_attitude = StringField(_l("付款态度"), validators=optional_text())
    cheque_notes = StringField(_l("支票情况"), validators=optional_text())


def money_field(label, maximum=rules.MONEY_MAX):
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(
        min=0, max=maximum, message=_l("金额须在 0 到 %(max)s 元之间。", max=f"{maximum:,.2f}"))])


class DealingsForm(ArchiveForm):
    total_purchases = money_field(_l("累计购买额（元）"))
    monthly_average_purchase = money_field(_l("月均购买额（元）"))
    largest_purchase = money_field(_l("最高购买金额（元）"))


class StrategyForm(ArchiveForm):
    decision_makers = StringField(_l("决策人"), validators=optional_text())
    development_plans = TextAreaField(_l("发展计划"), validators=optional_text(2000))
    our_share_percent = IntegerField(_l("我方所占采购份额（%）"), validators=[Optional(), NumberRange(
        min=0, max=100, message=_l("份额为 0 到 100。"))])
    strategic_notes = TextAreaField(_l("战略备注"), validators=optional_text(2000))


class NewClientForm(BasicsForm):
    tier = SelectField(_l("等级"), choices=labels.choices(labels.TIER))


class ContactForm(ArchiveForm):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请输入姓名。")), Length(max=64)])
    position = StringField(_l("职位"), validators=optional_text(64))
    unit = StringField(_l("单位/部门"), validators=optional_text())
    mobile = StringField(_l("手机"), validators=optional_text(40))
    phone = StringField(_l("其他电话"), validators=optional_text(40))
    other_phones = TextAreaField(_l("更多电话（每行一个）"), validators=optional_text(2000))
    email = StringField(_l("邮箱"), validators=[Optional(), Email(_l("邮箱格式不正确。")), Length(max=254)],
                        filters=[lambda v: v.strip().lower() if v else v])
    address = StringField(_l("地址"), validators=optional_text())
    birthday_calendar = optional_choice(_l("生日历法"), labels.BIRTHDAY_CALENDAR)
    birth_year = IntegerField(_l("出生年份"), validators=[Optional(), NumberRange(
        min=1900, max=2100, message=_l("请输入四位年份。"))])
    birth_month = IntegerField(_l("月"), validators=[Optional(), NumberRange(
        min=1, max=12, message=_l("月份为 1 到 12。"))])
    birth_day = IntegerField(_l("日"), validators=[Optional(), NumberRange(
        min=1, max=31, message=_l("日期为 1 到 31。"))])
    birthday_leap_month = BooleanField(_l("闰月"))
    preferred_channel = optional_choice(_l("偏好渠道"), labels.CHANNEL)
    contact_frequency = optional_choice(_l("希望联系频率"), labels.FREQUENCY)
    greetings_opt_out = BooleanField(_l("不接收问候"))
    is_key_person = BooleanField(_l("关键人物"))
    notes = TextAreaField(_l("备注"), validators=optional_text(2000))

    def _normalised(self, field):
        if field.data:
            try:
                field.data = normalise_phone(field.data)
            except InvalidPhone as problem:
                raise ValidationError(PHONE_PROBLEMS.get(str(problem), PHONE_PROBLEMS["invalid"])) from None

    def validate_mobile(self, field):
        self._normalised(field)

    def validate_phone(self, field):
        # Landlines, service numbers and numbers abroad: normalised where they can be, else kept
        # as written and shown flagged, as an import keeps them.
        number = rules.read_phone(field.data or "")
        field.data = number.number if number else None

    def validate_other_phones(self, field):
        numbers = [rules.read_phone(line) for line in (field.data or "").splitlines()]
        field.data = "\n".join(number.number for number in numbers if number) or None

    def validate_birth_day(self, field):
        calendar, month, day = self.birthday_calendar.data, self.birth_month.data, field.data
        if bool(month) != bool(day):
            raise ValidationError(_l("请同时填写生日的月和日。"))
        if month and day and not calendar:
            raise ValidationError(_l("请选择公历或农历。"))
        if calendar == "solar" and month and day:
            try:
                date(self.birth_year.data or 2000, month, day)  # 2000: a leap year allows 2-29
            except ValueError:
                raise ValidationError(_l("公历没有这一天。")) from None
        if calendar == "lunar" and day and day > 30:
            raise ValidationError(_l("农历每月最多 30 天。"))


class InteractionForm(ArchiveForm):
    kind = SelectField(_l("类型"), choices=labels.choices(labels.INTERACTION_KIND))
    channel = optional_choice(_l("渠道"), labels.CHANNEL)
    contact_id = SelectField(_l("联系人"), coerce=lambda v: int(v) if v else None, validate_choice=False)
    occurred_at = DateTimeLocalField(_l("时间"), format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(_l("请填写时间。"))])
    content = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写交流内容。")), Length(max=2000)])
    satisfaction = IntegerField(_l("满意度（1–5）"), validators=[Optional(), NumberRange(
        min=1, max=5, message=_l("满意度为 1 到 5。"))])
    next_follow_up = DateField(_l("下次跟进日期"), validators=[Optional()])


class EventForm(ArchiveForm):
    kind = SelectField(_l("事件"), choices=labels.choices(labels.EVENT_KIND))
    occurred_at = DateTimeLocalField(_l("时间"), format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(_l("请填写时间。"))])
    product = StringField(_l("产品"), validators=optional_text())
    high_end = BooleanField(_l("高端产品"))
    amount = money_field(_l("金额（元）"), rules.SALE_MAX)
    notes = TextAreaField(_l("备注"), validators=optional_text(2000))


def _with_reason(form_class):
    class Correction(form_class):
        reason = StringField(_l("更正原因"), validators=[DataRequired(_l("请填写更正原因。")),
                                                      Length(max=200)])

    Correction.__name__ = f"{form_class.__name__[:-4]}CorrectionForm"
    return Correction


InteractionCorrectionForm = _with_reason(InteractionForm)
EventCorrectionForm = _with_reason(EventForm)


class MergeForm(Form):
    """Only the CSRF token: which client to merge comes as other_id."""


class TierForm(Form):
    tier = SelectField(_l("等级"), choices=labels.choices(labels.TIER))


class OwnerForm(Form):
    owner_id = SelectField(_l("负责人"), coerce=coerce_id, validate_choice=False)


class LabelsForm(Form):
    groups = StringField(_l("分组（用逗号分隔）"), validators=optional_text(500))
    tags = StringField(_l("标签（用逗号分隔）"), validators=optional_text(500))


class ReasonForm(Form):
    reason = StringField(_l("理由"), validators=[DataRequired(_l("请填写理由。")), Length(max=200)])


class AccessDecisionForm(Form):
    days = IntegerField(_l("授权天数"), default=7, validators=[Optional(), NumberRange(
        min=1, max=90, message=_l("授权天数为 1 到 90 天。"))])
    note = StringField(_l("备注"), validators=optional_text())


class ImportForm(Form):
    file = FileField(_l("文件"), validators=[FileRequired(_l("请选择要导入的文件。"))])
    owner_id = SelectField(_l("负责人"), coerce=coerce_id, validate_choice=False)


class ArchiveSettingsForm(Form):
    single_purchase_min = DecimalField(_l("单笔高端产品购买满（元）即符合 VIP"), places=2, validators=[
        DataRequired(_l("请填写金额。")), NumberRange(min=1, max=1e10, message=_l("请输入大于 0 的金额。"))])
    monthly_purchase_min = DecimalField(_l("同一自然月累计购买满（元）即符合 VIP"), places=2, validators=[
        DataRequired(_l("请填写金额。")), NumberRange(min=1, max=1e10, message=_l("请输入大于 0 的金额。"))])
    grant_days = IntegerField(_l("查阅授权默认天数"), validators=[
        DataRequired(_l("请填写天数。")), NumberRange(min=1, max=90, message=_l("授权天数为 1 到 90 天。"))])


# The stay-in-touch rhythm of each (stage, tier), a field each: "customer_days_key" …
RHYTHM_FIELDS = {(stage, tier): f"{stage}_days_{tier}"
                 for stage in RHYTHM_DEFAULT_DAYS for tier in RHYTHM_TIERS}
for (_stage, _tier), _name in RHYTHM_FIELDS.items():
    setattr(ArchiveSettingsForm, _name, IntegerField(labels.TIER[_tier], validators=[
        DataRequired(_l("请填写天数。")), NumberRange(min=1, max=365, message=_l("天数为 1 到 365。"))]))
