from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "jxc.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self) -> None:
        from jxc.core.modules import register_module

        register_module("workflow")
