"""List pages: search, filters, sorting, pagination and Excel export of the filtered rows."""

import operator
from functools import reduce

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from core.vietnamese import fold, normalize, slug
from core.xlsx import xlsx_response


def resolve(obj, path: str):
    """Follow a dotted attribute path; call methods such as get_sex_display."""
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
        if callable(obj):
            obj = obj()
    return obj


class ListPageMixin:
    """Mix into a ListView.

    - ``search_fields``: lookups searched with ``icontains`` for ``?q=``;
      ``person_search = True`` searches the diacritic-free ``search_name`` instead and ranks
      names that match the query exactly as typed (with tone marks) first.
    - ``filter_form_class``: a plain Form read from GET; each non-empty value filters by the field
      of the same name, unless the view defines ``filter_<name>(queryset, value)``.
    - ``sort_options``: ``{"key": ("field", ...)}``; ``?sort=key`` or ``?sort=-key``.
    - ``export_columns``: ``[(header, "dotted.path" or callable)]`` for ``?export=xlsx``.
    """

    paginate_by = 25
    search_fields: tuple[str, ...] = ()
    person_search = False
    filter_form_class = None
    sort_options: dict[str, tuple[str, ...]] = {}
    default_sort = ""
    export_columns: list = []
    export_title = "Danh sách"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        return super().get_queryset()

    def get_queryset(self):
        queryset = self.get_base_queryset()
        queryset = self.apply_filters(queryset)
        queryset = self.apply_search(queryset)
        return self.apply_sort(queryset)

    # --- filters -------------------------------------------------------------------------
    def get_filter_form(self):
        if not self.filter_form_class:
            return None
        if not hasattr(self, "_filter_form"):
            self._filter_form = self.filter_form_class(self.request.GET or None, **self.get_filter_form_kwargs())
            self._filter_form.is_valid()
        return self._filter_form

    def get_filter_form_kwargs(self):
        school = getattr(self, "school", None)
        return {"school": school} if school is not None else {}

    def apply_filters(self, queryset):
        form = self.get_filter_form()
        if form is None or not form.is_bound:
            return queryset
        for name, value in getattr(form, "cleaned_data", {}).items():
            if value in (None, "", [], ()):
                continue
            custom = getattr(self, f"filter_{name}", None)
            queryset = custom(queryset, value) if custom else queryset.filter(**{name: value})
        return queryset

    # --- search --------------------------------------------------------------------------
    @property
    def search_query(self) -> str:
        return normalize(self.request.GET.get("q", "").replace("\x00", ""))[:100]  # NUL: refused by PostgreSQL

    def apply_search(self, queryset):
        query = self.search_query
        if not query:
            return queryset
        if self.person_search:
            return self.rank_exact_spelling(queryset.filter(search_name__contains=fold(query)), query)
        if not self.search_fields:
            return queryset
        condition = reduce(operator.or_, (Q(**{f"{field}__icontains": query}) for field in self.search_fields))
        return queryset.filter(condition)

    def rank_exact_spelling(self, queryset, query: str):
        """A query typed with tone marks puts the names spelt exactly so first."""
        if fold(query) == query.lower():
            return queryset
        self._rank_exact = True
        return queryset.annotate(
            exact_match=Case(When(full_name__icontains=query, then=Value(0)), default=Value(1), output_field=IntegerField())
        )

    # --- sort ----------------------------------------------------------------------------
    @property
    def current_sort(self) -> str:
        sort = self.request.GET.get("sort", self.default_sort)
        return sort if sort.lstrip("-") in self.sort_options else self.default_sort

    def apply_sort(self, queryset):
        ordering: list[str] = []
        if getattr(self, "_rank_exact", False):
            ordering.append("exact_match")
        sort = self.current_sort
        if sort:
            fields = self.sort_options[sort.lstrip("-")]
            prefix = "-" if sort.startswith("-") else ""
            ordering += [f"{prefix}{field}".replace("--", "") for field in fields]
        if ordering:
            ordering.append("-pk" if sort.startswith("-") else "pk")
            queryset = queryset.order_by(*ordering)
        return queryset

    # --- export --------------------------------------------------------------------------
    def export_rows(self, queryset):
        for obj in queryset.iterator(chunk_size=2000) if not queryset._prefetch_related_lookups else queryset:
            yield [column(obj) if callable(column) else resolve(obj, column) for _, column in self.export_columns]

    def export_xlsx(self):
        queryset = self.get_queryset()
        headers = [str(header) for header, _ in self.export_columns]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{slug(self.export_title) or 'export'}-{stamp}.xlsx"
        return xlsx_response(filename, [(str(self.export_title), headers, self.export_rows(queryset))])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter_form=self.get_filter_form(),
            search_query=self.search_query,
            current_sort=self.current_sort,
            querystring=params.urlencode(),
            has_filters=any(k for k in params if k not in {"sort"}),
            can_export=bool(self.export_columns),
            today=timezone.localdate(),
        )
        return context
