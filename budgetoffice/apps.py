"""The libraries' apps under Chinese names in the admin (their models' names: locale/zh_Hans)."""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = "登录保护"


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = "后台任务"
