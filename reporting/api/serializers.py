from rest_framework import serializers

from reporting.models import ExportBatch, ImportJob, ImportMode


class ImportCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=10, help_text="事项编号")
    office = serializers.CharField(max_length=32, help_text="报送处室代码")
    file = serializers.FileField(help_text="填写好的上传模板 .xlsx")
    submit = serializers.BooleanField(
        default=False, help_text="导入后直接提交审核（更新模式下只对草稿、已退回记录生效）"
    )
    mode = serializers.ChoiceField(
        choices=ImportMode.choices,
        default=ImportMode.CREATE,
        help_text="create 新增记录；update 更新已有记录（按“记录编号”列或查重关键字段匹配，全部或全不）",
    )


class ImportJobSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item.no")
    office = serializers.CharField(source="office.code")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "item",
            "office",
            "mode",
            "status",
            "progress",
            "total_rows",
            "created_count",
            "updated",
            "message",
            "errors",
            "created_at",
            "finished_at",
        ]


class ExportBatchSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item.no", allow_null=True, help_text="事项编号；更正报送批次为空")

    class Meta:
        model = ExportBatch
        fields = [
            "id",
            "item",
            "kind",
            "format",
            "scope",
            "row_count",
            "sha256",
            "created_at",
            "status",
            "attempts",
            "delivered_at",
            "delivered_via",
            "outcome",
            "receipt",
        ]
