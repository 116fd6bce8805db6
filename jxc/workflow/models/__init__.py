from .alerts import Alert, AlertSetting
from .notifications import Notification, NotificationPreference
from .requests import ApprovalRequest, ApprovalStep
from .rules import ApprovalRule
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Alert",
    "AlertSetting",
    "ApprovalRequest",
    "ApprovalRule",
    "ApprovalStep",
    "Notification",
    "NotificationPreference",
    "WebhookDelivery",
    "WebhookEndpoint",
]
