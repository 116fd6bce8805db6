from .requests import ApprovalRequest, ApprovalStep
from .rules import ApprovalRule

__all__ = ["ApprovalRequest", "ApprovalRule", "ApprovalStep"]
