"""Persons: create and correct records, audited. One record per human (keyed by national ID).

A photo is written to MEDIA_ROOT when the person is saved (inside the transaction); a replaced
or removed photo is deleted from disk only once the change is committed. A transaction that
rolls back after the save leaves its new file behind, unreferenced: no page can reach it, since
photos are served only through a person's own record (members:photo).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.text import clean

from .checks import national_id_problems
from .models import Person

TEXT_FIELDS = ("full_name", "other_names", "origin_text", "residence_text", "education", "qualification_field", "occupation", "job_title")


def _normalize(fields: dict) -> dict:
    data = dict(fields)
    for name in TEXT_FIELDS:
        if name in data and data[name] is not None:
            data[name] = clean(data[name])
    if "national_id" in data and data["national_id"] in ("", None):
        data["national_id"] = None  # only when given: an edit without the field keeps the ID
    return data


def _validate(person: Person) -> None:
    if not person.full_name:
        raise ValidationError({"full_name": _("Chưa nhập họ và tên.")})
    if person.national_id:
        errors = national_id_problems(person.national_id, person.gender, person.birth_date, person.birth_precision)
        if errors:
            raise ValidationError({"national_id": errors})
        clash = Person.objects.filter(national_id=person.national_id).exclude(pk=person.pk).first()
        if clash:
            raise ValidationError({"national_id": _("Số định danh %(id)s đã thuộc về %(name)s.") % {"id": person.national_id, "name": clash.full_name}})


def _snapshot(person: Person) -> dict:
    data = model_to_dict(person, exclude=["photo"])
    data["photo"] = person.photo.name or ""
    return data


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = Person._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def create_person(*, actor, organization_id=None, **fields) -> Person:
    person = Person(**_normalize(fields))
    _validate(person)
    person.save()
    audit.record(actor=actor, event_type="people.person.created", target=person, organization_id=organization_id, new=_snapshot(person))
    return person


@transaction.atomic
def update_person(*, actor, person: Person, organization_id=None, **fields) -> Person:
    """Change the given fields; photo=None removes the photo, no photo key keeps it."""
    before = _snapshot(person)
    changes = _normalize(fields)
    for key, value in changes.items():
        setattr(person, key, value)
    _validate(person)
    # the given fields, and the name's derived forms that Person.save() recomputes
    person.save(update_fields=[*changes, *(("name_folded", "name_sort") if "full_name" in changes else ())])
    if "photo" in fields and before["photo"] != person.photo.name:
        _delete_file_on_commit(before["photo"])
    audit.record(actor=actor, event_type="people.person.changed", target=person, organization_id=organization_id, old=before, new=_snapshot(person))
    return person
