"""Tencent Cloud SMS (SendSms 2021-01-11), signed with TC3-HMAC-SHA256, spoken over HTTP with the
standard library. TENCENT_SMS_ENDPOINT lets a private gateway or a test server stand in."""
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from crmweb.integrations import Busy, Refused

TIMEOUT_SECONDS = 15
SERVICE, VERSION, ACTION, REGION = "sms", "2021-01-11", "SendSms", "ap-guangzhou"
CONTENT_TYPE = "application/json; charset=utf-8"
BUSY_CODES = ("RequestLimitExceeded", "InternalError", "LimitExceeded.DeliveryFrequencyLimit")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_authorization(secret_id: str, secret_key: str, host: str, payload: str, timestamp: int,
                      service: str = SERVICE) -> str:
    """The Authorization header of a JSON POST to Tencent Cloud API 3.0."""
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(["POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n",
                           "content-type;host", hashlib.sha256(payload.encode()).hexdigest()])
    scope = f"{day}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    signing = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    signature = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, "
            f"Signature={signature}")


class TencentSms:
    def __init__(self, config: dict):
        self.secret_id = config["TENCENT_SECRET_ID"]
        self.secret_key = config["TENCENT_SECRET_KEY"]
        self.app_id = config["TENCENT_SMS_SDK_APP_ID"]
        self.endpoint = config["TENCENT_SMS_ENDPOINT"]
        self.sign_name = config["SMS_SIGN_NAME"]

    def send(self, message) -> str:
        if not message.provider_template:
            raise Refused("短信模板未填写腾讯云模板 ID（Tencent sends only registered templates）")
        values = json.loads(message.params or "{}")
        payload = json.dumps({"PhoneNumberSet": [message.recipient], "SmsSdkAppId": self.app_id,
                              "SignName": self.sign_name, "TemplateId": message.provider_template,
                              "TemplateParamSet": [str(value) for value in values.values()],
                              "SessionContext": str(message.id)}, ensure_ascii=False)
        host = urllib.parse.urlsplit(self.endpoint).netloc
        timestamp = int(time.time())
        authorization = tc3_authorization(self.secret_id, self.secret_key, host, payload, timestamp)
        headers = {"Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": ACTION, "X-TC-Version": VERSION,
                   "X-TC-Timestamp": str(timestamp), "X-TC-Region": REGION, "Authorization": authorization}
        request = urllib.request.Request(self.endpoint, data=payload.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured endpoint)
                answer = json.loads(response.read()).get("Response", {})
        except urllib.error.HTTPError as error:
            raise Busy(f"Tencent HTTP {error.code}") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                raise Busy("Tencent unreachable") from None
            raise
        error = answer.get("Error")
        if error:
            code = error.get("Code", "")
            if code.startswith(BUSY_CODES):
                raise Busy(f"{code} {error.get('Message', '')}")
            raise Refused(f"{code} {error.get('Message', '')}"[:300])
        status = (answer.get("SendStatusSet") or [{}])[0]
        if status.get("Code") == "Ok":
            return status["SerialNo"]
        if status.get("Code", "").startswith(BUSY_CODES):
            raise Busy(f"{status.get('Code')} {status.get('Message', '')}")
        raise Refused(f"{status.get('Code', '')} {status.get('Message', '')}"[:300])
