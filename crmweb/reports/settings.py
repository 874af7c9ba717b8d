"""The at-risk limits a manager keeps."""

from crmweb.settings import declare

declare(
    {
        "reports.quiet_days": 90,  # no purchase or contact this long: at risk
        "reports.unhappy_below": 3,  # the latest satisfaction below this: at risk
    }
)
