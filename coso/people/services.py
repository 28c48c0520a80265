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
from .dates import birth_problem
from .models import Person
from .watchers import persons_changing

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
    if problem := birth_problem(person.birth_date):
        raise ValidationError({"birth_date": problem})
    if person.national_id:
        errors = national_id_problems(person.national_id, person.gender, person.birth_date, person.birth_precision)
        if errors:
            raise ValidationError({"national_id": errors})
        if Person.objects.filter(national_id=person.national_id).exclude(pk=person.pk).exists():
            raise ValidationError({"national_id": taken_message(person.national_id)})


def taken_message(national_id: str) -> str:
    """A national ID someone else holds. The holder is not named: they may lie outside the user's
    scope, and an ID must not be a way to learn who someone is (or that they are a member)."""
    return _("Số định danh %(id)s đã có trong hồ sơ của một người khác. Nếu là cùng một người, hãy đề nghị "
             "tổ chức đảng cấp trên kiểm tra và chuyển hồ sơ đó.") % {"id": national_id}


def check_national_id(*, actor, national_id, person: Person | None = None, organization_id=None) -> None:
    """Refuse a national ID another person holds (naming no one) and audit the attempt, so that
    probing IDs leaves a trace. Call it before opening the transaction of the write it guards: the
    refusal rolls that transaction back, and the audit row must stay."""
    national_id = _normalize({"national_id": national_id})["national_id"]
    if not national_id:
        return
    holders = Person.objects.filter(national_id=national_id)
    if person is not None and person.pk:
        holders = holders.exclude(pk=person.pk)
    holder_id = holders.values_list("pk", flat=True).first()
    if holder_id is None:
        return
    # the audit row names the record by id only: its name would show in the trail to whoever reads it
    holder = Person(pk=holder_id)
    with transaction.atomic():
        audit.record(actor=actor, event_type="people.national_id.refused", target=holder, organization_id=organization_id,
                     new={"national_id": national_id, "for_person": person.pk if person is not None else None})
    raise ValidationError({"national_id": taken_message(national_id)})


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
    """A new person. A national ID someone holds is refused by _validate; the services that act
    for a user (members.services) call check_national_id first, outside their transaction, so the
    refused lookup is audited."""
    person = Person(**_normalize(fields))
    _validate(person)
    person.save()
    audit.record(actor=actor, event_type="people.person.created", target=person, organization_id=organization_id, new=_snapshot(person))
    return person


FIGURE_FIELDS = {"qualification", "theory_level"}  # the facts of a person that non-member figures read (persons_changing)


@transaction.atomic
def update_person(*, actor, person: Person, organization_id=None, **fields) -> Person:
    """Change the given fields; photo=None removes the photo, no photo key keeps it. (The
    audited national-ID check: as for create_person.)"""
    before = _snapshot(person)
    changes = _normalize(fields)
    for key, value in changes.items():
        setattr(person, key, value)
    _validate(person)
    # the given fields, and the name's derived forms that Person.save() recomputes
    # the qualification and theory level: the cadres' figures of the units where the person works
    with persons_changing.watching([person.pk] if changes.keys() & FIGURE_FIELDS else []):
        person.save(update_fields=[*changes, *(("name_folded", "name_sort", "name_order") if "full_name" in changes else ())])
    if "photo" in fields and before["photo"] != person.photo.name:
        _delete_file_on_commit(before["photo"])
    audit.record(actor=actor, event_type="people.person.changed", target=person, organization_id=organization_id, old=before, new=_snapshot(person))
    return person
