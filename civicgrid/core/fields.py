from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import models

from . import crypto, pii


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. It cannot be searched or ordered in the database;
    keep a :func:`crypto.blind_index` beside it where equality lookups are needed."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


# --- texts where a person may type a phone or ID number (号码脱敏) ------------------

SEALED_SUFFIX = "_sealed"


class SealedOriginalField(EncryptedTextField):
    """The encrypted original of a :class:`SealedTextField` (``<name>_sealed``),
    set only when the text held a number. Added by the text field itself; a
    migration's copy of it is the same column, so it steps aside for it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        if any(field.name == name for field in cls._meta.local_fields):
            return  # the text field added it already
        super().contribute_to_class(cls, name, private_only)


class _Sealed:
    """What the text and char fields share: the clear column holds the text
    masked (so every page, list, export, message and API shows it masked unless
    it asks), the companion ``<name>_sealed`` the original, encrypted."""

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)  # type: ignore[misc]
        companion = name + SEALED_SUFFIX
        if cls._meta.abstract or any(
            field.name == companion for field in cls._meta.local_fields
        ):
            return
        cls.add_to_class(companion, SealedOriginalField())

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)  # type: ignore[misc]
        model = getattr(self, "model", None)
        if model is not None and not issubclass(model, SealedTextsModel):
            errors.append(
                checks.Error(
                    f"{model.__name__} has a sealed text but is no SealedTextsModel: "
                    "save(update_fields=[...]) would leave its original unwritten.",
                    obj=self,
                    id="civicgrid.E010",
                )
            )
        return errors

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        # The text's column comes before its companion's in every INSERT and
        # UPDATE (fields in creation order; the companion is made after it), so
        # the companion's value set here is the one written.
        value = getattr(model_instance, self.attname)  # type: ignore[attr-defined]
        companion = self.attname + SEALED_SUFFIX  # type: ignore[attr-defined]
        original = getattr(model_instance, companion, "") or ""
        if value and original:
            # An edit of the masked text as read keeps the numbers it still shows.
            value = pii.unmask_text(value, original)
        if value and pii.has_numbers(value):
            setattr(model_instance, companion, value)
            value = pii.mask_text(value)
            setattr(model_instance, self.attname, value)  # type: ignore[attr-defined]
        elif original and pii.mask_text(original) == value:
            pass  # the masked text as read: the original stays
        else:
            setattr(model_instance, companion, "")
        return value

    def get_prep_value(self, value: Any) -> Any:
        # The last guard: a queryset's update() or a save that forgets the
        # companion loses the original but never writes a number in clear.
        value = super().get_prep_value(value)  # type: ignore[misc]
        if isinstance(value, str) and value:
            return pii.mask_text(value)
        return value


class SealedTextField(_Sealed, models.TextField):
    """Free text where a person may type a phone or ID number: stored masked,
    the original encrypted in ``<name>_sealed`` for who may reveal it
    (:func:`full_text`). Its model saves through :class:`SealedTextsModel`."""


class SealedCharField(_Sealed, models.CharField):
    """:class:`SealedTextField` for a short text (masking never lengthens it)."""


def sealed_fields(model: Any) -> list[str]:
    """The names of a model's sealed texts."""
    sealed = (SealedTextField, SealedCharField)
    return [f.name for f in model._meta.concrete_fields if isinstance(f, sealed)]


def full_text(instance: Any, name: str) -> str:
    """The text as it was typed, numbers in full; only for a recorded reveal."""
    return getattr(instance, name + SEALED_SUFFIX, "") or getattr(instance, name)


class SealedTextsModel(models.Model):
    """A model with sealed texts: a ``save(update_fields=[...])`` naming a text
    writes its companion too, which the text's ``pre_save`` sets."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            kwargs["update_fields"] = names | {
                name + SEALED_SUFFIX
                for name in sealed_fields(type(self))
                if name in names
            }
        super().save(*args, **kwargs)


def seal_existing_rows(model: Any, names: list[str], *, batch: int = 500) -> int:
    """Mask and seal the texts of rows written before they were sealed (a data
    migration's step, on its historical model); returns how many rows changed."""
    changed = 0
    columns = ["pk", *names]
    rows = model._base_manager.values_list(*columns).order_by("pk").iterator(batch)
    for pk, *texts in rows:
        values: dict[str, str] = {}
        for name, text in zip(names, texts, strict=True):
            if text and pii.has_numbers(text):
                values[name] = pii.mask_text(text)
                values[name + SEALED_SUFFIX] = text
        if values:
            model._base_manager.filter(pk=pk).update(**values)
            changed += 1
    return changed


def seal_in_data(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A JSON column's texts (``keys``) masked, each original encrypted under
    ``<key>_sealed``: as :class:`SealedTextField` keeps a column."""
    data = dict(data)
    for key in keys:
        text = data.get(key)
        if isinstance(text, str) and pii.has_numbers(text):
            data[key] = pii.mask_text(text)
            data[key + SEALED_SUFFIX] = crypto.encrypt(text)
    return data


def full_data_text(data: dict[str, Any], key: str) -> str:
    """A text sealed by :func:`seal_in_data` in full; only for a recorded reveal."""
    sealed = data.get(key + SEALED_SUFFIX)
    return crypto.decrypt(sealed) if sealed else str(data.get(key, ""))


def sealed_values(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` for a queryset's ``update()``, each sealed text masked and its
    companion set beside it (``update()`` runs no ``pre_save``)."""
    out = dict(values)
    for name in sealed_fields(model):
        text = values.get(name)
        if isinstance(text, str) and name + SEALED_SUFFIX not in values:
            found = pii.has_numbers(text)
            out[name] = pii.mask_text(text) if found else text
            out[name + SEALED_SUFFIX] = text if found else ""
    return out


def sealed_row(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` for a raw INSERT or COPY, which run no field of the model: each
    sealed text masked and its companion encrypted, as a save would write them."""
    out = sealed_values(model, values)
    for name in sealed_fields(model):
        original = out.get(name + SEALED_SUFFIX)
        if original:
            out[name + SEALED_SUFFIX] = crypto.encrypt(original)
    return out
