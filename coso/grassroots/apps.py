from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrassrootsConfig(AppConfig):
    name = "coso.grassroots"
    label = "grassroots"
    verbose_name = _("Hệ thống chính trị cơ sở")

    def ready(self):
        from coso.audit import registry
        from coso.training import holders

        from .permissions import get_body_for_user, get_post_for_user
        from .selectors import training_holders

        registry.register("grassroots.body", get_body_for_user)
        registry.register("grassroots.post", get_post_for_user)
        registry.register_events({
            "grassroots.body.created": _("Thêm cơ quan, tổ chức trong hệ thống chính trị"),
            "grassroots.body.closed": _("Kết thúc cơ quan, tổ chức trong hệ thống chính trị"),
            "grassroots.post.appointed": _("Giao chức vụ (bầu, bổ nhiệm, chỉ định, công nhận)"),
            "grassroots.post.ended": _("Thôi giữ chức vụ"),
            "grassroots.posts.imported": _("Nhập danh sách chức vụ từ tệp Excel"),
        })
        # the posts held are posts for training's lists (who lacks the required level, who is due)
        holders.register("grassroots", training_holders)
