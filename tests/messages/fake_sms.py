"""A small SMS provider on loopback that checks Aliyun's and Tencent's signatures as they do
(computed here independently of the app's code) and answers as they do: success, flow control,
a bad number, a bad signature."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALIYUN_SECRET, TENCENT_SECRET = "aliyun-test-secret", "tencent-test-secret"
RATE_LIMITED, BAD_NUMBER = "13800000429", "13800000000"


def _aliyun_expected(params: dict) -> str:
    def encode(text):
        return urllib.parse.quote(text, safe="-_.~")

    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    query = "&".join(encode(k) + "=" + encode(v) for k, v in pairs)
    string = "POST&%2F&" + encode(query)
    return base64.b64encode(
        hmac.new((ALIYUN_SECRET + "&").encode(), string.encode(), hashlib.sha1).digest()
    ).decode()


def _tencent_expected(headers, body: bytes) -> str:
    timestamp = int(headers["X-TC-Timestamp"])
    day = datetime.fromtimestamp(timestamp, UTC).date().isoformat()
    request = (
        f"POST\n/\n\ncontent-type:{headers['Content-Type']}\nhost:{headers['Host']}\n\ncontent-type;host\n"
        + hashlib.sha256(body).hexdigest()
    )
    string = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n"
        + hashlib.sha256(request.encode()).hexdigest()
    )
    key = ("TC3" + TENCENT_SECRET).encode()
    for part in (day, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string.encode(), hashlib.sha256).hexdigest()


class FakeSms(BaseHTTPRequestHandler):
    received: list  # (provider, out id, phone, template, params)

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, body: dict):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    delay = 0.0  # seconds each answer takes, as a real provider's do

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(self.delay)
        if self.headers["Content-Type"].startswith("application/x-www-form-urlencoded"):
            return self._aliyun(dict(urllib.parse.parse_qsl(body.decode())))
        return self._tencent(body)

    def _aliyun(self, params):
        if params.get("Signature") != _aliyun_expected(params):
            return self._answer(
                {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
            )
        if params["Action"] == "QuerySendDetails":  # what was sent to a number, with our ids
            found = [
                {"OutId": out_id, "PhoneNum": phone, "SendStatus": 3}
                for provider, out_id, phone, _template, _params in self.received
                if provider == "aliyun" and phone == params["PhoneNumber"]
            ]
            return self._answer(
                {"Code": "OK", "TotalCount": len(found), "SmsSendDetailDTOs": {"SmsSendDetailDTO": found}}
            )
        phone = params["PhoneNumbers"]
        if phone == RATE_LIMITED:
            return self._answer({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"})
        if phone == BAD_NUMBER:
            return self._answer({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
        self.received.append(
            ("aliyun", params["OutId"], phone, params["TemplateCode"], params["TemplateParam"])
        )
        return self._answer(
            {"Code": "OK", "Message": "OK", "BizId": f"biz-{params['OutId']}", "RequestId": "r"}
        )

    def _tencent(self, body):
        signature = self.headers["Authorization"].rsplit("Signature=", 1)[-1]
        if signature != _tencent_expected(self.headers, body):
            return self._answer(
                {
                    "Response": {
                        "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"},
                        "RequestId": "r",
                    }
                }
            )
        request = json.loads(body)
        phone = request["PhoneNumberSet"][0]
        if phone.endswith(RATE_LIMITED):
            return self._answer(
                {
                    "Response": {
                        "Error": {"Code": "RequestLimitExceeded", "Message": "请求频率超限"},
                        "RequestId": "r",
                    }
                }
            )
        code = "InvalidParameterValue.IncorrectPhoneNumber" if phone.endswith(BAD_NUMBER) else "Ok"
        if code == "Ok":
            self.received.append(
                (
                    "tencent",
                    request["SessionContext"],
                    phone,
                    request["TemplateId"],
                    json.dumps(request["TemplateParamSet"], ensure_ascii=False),
                )
            )
        return self._answer(
            {
                "Response": {
                    "SendStatusSet": [
                        {
                            "SerialNo": f"serial-{request['SessionContext']}",
                            "PhoneNumber": phone,
                            "Code": code,
                            "Message": code,
                        }
                    ],
                    "RequestId": "r",
                }
            }
        )


def start(delay: float = 0.0):
    """The server and what it received; stop with server.shutdown()."""
    handler = type("Handler", (FakeSms,), {"received": [], "delay": delay})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/", handler.received
