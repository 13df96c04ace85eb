"""URL converters of the column: the four public lists and the two article kinds."""

from django.urls import register_converter


class _Choice:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SectionConverter(_Choice):
    regex = "licences|penalties|red-list|black-list"


class ArticleConverter(_Choice):
    regex = "policies|news"


register_converter(SectionConverter, "section")
register_converter(ArticleConverter, "article")
