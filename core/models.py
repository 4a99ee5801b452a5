"""Shared model building blocks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.vietnamese import fold, normalize, sort_key


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SchoolScopedQuerySet(models.QuerySet):
    """The tenancy layer's queryset: ``for_school`` is the only way views read tenant rows.

    Each tenant model names the path from itself to its owning school in ``school_path``
    (``"school"``, ``"klass__school"`` …).
    """

    def for_school(self, school):
        return self.filter(**{self.model.school_path: school})


class PersonName(models.Model):
    """A person's full name plus the keys that make search and ordering Vietnamese-aware.

    ``search_name`` is the name without tones or diacritics, lower-case ("nguyen van duc"), so a
    query typed without accents finds accented names on any database. ``name_sort_key`` orders by
    given name, then middle and family names, in Vietnamese alphabetical order.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True, default="")
    name_sort_key = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name", "name_sort_key"}
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        self.full_name = normalize(self.full_name)
        self.search_name = fold(self.full_name)
        self.name_sort_key = sort_key(self.full_name)
