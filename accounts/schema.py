"""The API schema's description of the portal's token authentication (drf-spectacular extension, registered by
``AccountsConfig.ready``): ``Authorization: Token <key>``, as django-rest-knox's own extension describes it."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class PortalTokenScheme(KnoxTokenScheme):
    target_class = "accounts.authentication.PortalTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "API 令牌：请求头 Authorization: Token <令牌>。令牌由 manage.py create_api_token 生成，只显示一次，"
            "默认 90 天到期；修改密码、密码过期、账号停用或被强制下线后失效。"
        )
        return definition
