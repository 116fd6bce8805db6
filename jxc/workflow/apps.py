from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "jxc.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self) -> None:
        from jxc.core.modules import register_module
        from jxc.workflow import events
        from jxc.workflow.approval_alerts import register_approval_alerts
        from jxc.workflow.approval_notices import announce_approval_event
        from jxc.workflow.event_types import register_approval_event_types
        from jxc.workflow.services import alerts, notifications, webhooks  # noqa: F401 (jobs)

        register_module("workflow")
        register_approval_event_types()
        events.subscribe(announce_approval_event)
        register_approval_alerts()
