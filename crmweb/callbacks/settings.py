"""The callback plan's numbers, kept by a manager (/callbacks/rules)."""
from crmweb.settings import declare

declare({
    "callbacks.max_tries": 3,             # unanswered calls are tried this often, each on another day
    "callbacks.company_name": "本公司",    # said in the greeting line of every call
})
