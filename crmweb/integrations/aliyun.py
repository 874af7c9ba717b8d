"""Aliyun SMS (dysmsapi 2017-05-25, SendSms): the RPC API signed with HMAC-SHA1 (signature v1),
spoken over HTTP with the standard library. ALIYUN_SMS_ENDPOINT lets a private gateway or a test
server stand in."""
import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from crmweb.integrations import Busy, Refused, national_mobile

TIMEOUT_SECONDS = 15
PROVIDER_ZONE = ZoneInfo("Asia/Shanghai")  # the days Aliyun files messages under
# Codes that mean "not now" rather than "never": the provider's flow control.
BUSY_CODES = ("isv.BUSINESS_LIMIT_CONTROL", "Throttling", "ServiceUnavailable", "InternalError")


def percent_encode(text: str) -> str:
    """RFC 3986 as Aliyun's RPC signature wants it: space %20, * %2A, ~ kept."""
    return urllib.parse.quote(str(text), safe="~")


def rpc_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(key)}={percent_encode(value)}"
                         for key, value in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    def __init__(self, config: dict):
        self.key_id = config["ALIYUN_ACCESS_KEY_ID"]
        self.secret = config["ALIYUN_ACCESS_KEY_SECRET"]
        self.endpoint = config["ALIYUN_SMS_ENDPOINT"]
        self.sign_name = config["SMS_SIGN_NAME"]

    def _call(self, action: str, business: dict) -> dict:
        params = {
            "AccessKeyId": self.key_id, "Action": action, "Format": "JSON",
            "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": secrets.token_hex(16), "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            **business,
        }
        params["Signature"] = rpc_signature(params, self.secret)
        request = urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(params).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured endpoint)
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            answer = _json_or_none(error.read())
            if answer is None:
                raise Busy(f"Aliyun HTTP {error.code}") from None
            return answer
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                raise Busy("Aliyun unreachable") from None
            raise

    def lookup(self, message) -> str | None:
        """Whether Aliyun has this message (found by our id, OutId, among the day's messages to its
        number): an id for it, or None when it never arrived."""
        day = (message.claimed_at or datetime.now(UTC)).astimezone(PROVIDER_ZONE)
        answer = self._call("QuerySendDetails", {
            "PhoneNumber": national_mobile(message.recipient), "SendDate": day.strftime("%Y%m%d"),
            "PageSize": "50", "CurrentPage": "1"})
        if answer.get("Code") != "OK":
            raise Busy(f"{answer.get('Code', '')} {answer.get('Message', '')}")
        details = (answer.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
        found = any(str(detail.get("OutId")) == str(message.id) for detail in details)
        return f"aliyun-outid-{message.id}" if found else None

    def send(self, message) -> str:
        if not message.provider_template:
            raise Refused("短信模板未填写阿里云模板编号（Aliyun sends only registered templates）")
        answer = self._call("SendSms", {
            "PhoneNumbers": national_mobile(message.recipient), "SignName": self.sign_name,
            "TemplateCode": message.provider_template, "TemplateParam": message.params or "{}",
            "OutId": str(message.id)})
        code = answer.get("Code", "")
        if code == "OK":
            return answer["BizId"]
        if code.startswith(BUSY_CODES):
            raise Busy(f"{code} {answer.get('Message', '')}")
        raise Refused(f"{code} {answer.get('Message', '')}"[:300])


def _json_or_none(body: bytes):
    try:
        return json.loads(body)
    except ValueError:
        return None
