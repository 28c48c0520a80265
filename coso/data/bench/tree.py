"""Child process of `make bench`: build a 5,000-organization tree, time the tree pages."""

import datetime as dt
import json
import statistics
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from coso.access.models import Role, User  # noqa: E402
from coso.organizations import services  # noqa: E402
from coso.organizations.models import Kind, Sector  # noqa: E402

START = dt.date(2020, 1, 1)
DISTRICTS, COMMITTEES, CELLS, GRASSROOTS_CELLS = 30, 20, 7, 169
REPEATS = 30


def build() -> dict:
    def make(parent, name, kind):
        return services.create_organization(actor=None, parent=parent, name=name, kind=kind, sector=Sector.OTHER, valid_from=START)

    t0 = time.perf_counter()
    province = make(None, "Đảng bộ tỉnh Đo lường", Kind.PROVINCE_COMMITTEE)
    count = 1
    first_district = first_committee = None
    for d in range(DISTRICTS):
        district = make(province, f"Đảng bộ huyện Số {d + 1}", Kind.DISTRICT_COMMITTEE)
        first_district = first_district or district
        count += 1
        for c in range(COMMITTEES):
            committee = make(district, f"Đảng bộ xã {d + 1}-{c + 1}", Kind.GRASSROOTS_COMMITTEE)
            first_committee = first_committee or committee
            count += 1
            for k in range(CELLS):
                make(committee, f"Chi bộ thôn {d + 1}-{c + 1}-{k + 1}", Kind.SUBORDINATE_CELL)
                count += 1
        for k in range(GRASSROOTS_CELLS // DISTRICTS + (1 if d < GRASSROOTS_CELLS % DISTRICTS else 0)):
            make(district, f"Chi bộ cơ quan {d + 1}-{k + 1}", Kind.GRASSROOTS_CELL)
            count += 1
    return {
        "province": province,
        "district": first_district,
        "committee": first_committee,
        "count": count,
        "seconds": time.perf_counter() - t0,
    }


def timed(client: Client, url: str) -> dict:
    client.get(url)  # warm-up
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return {"median": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}


def main() -> None:
    call_command("migrate", verbosity=0)
    setup_test_environment()
    tree = build()
    staff = User.objects.create_user("bench", password="x" * 12, role=Role.ORG_STAFF, scope=tree["province"])
    client = Client()
    client.force_login(staff)
    day = "?ngay=01/06/2024"
    timings = {
        "tree, first level (province scope)": timed(client, f"/to-chuc/{day}"),
        "expand the province (30 districts)": timed(client, f"/to-chuc/{tree['province'].pk}/con/{day}"),
        "expand a district (25 children)": timed(client, f"/to-chuc/{tree['district'].pk}/con/{day}"),
        "organization page: province": timed(client, f"/to-chuc/{tree['province'].pk}/{day}"),
        "organization page: grassroots committee": timed(client, f"/to-chuc/{tree['committee'].pk}/{day}"),
        "filter by name without diacritics": timed(client, f"/to-chuc/tim/{day}&q=chi+bo+thon+7-1"),
    }
    print(json.dumps({"organizations": tree["count"], "build_seconds": tree["seconds"], "repeats": REPEATS, "timings": timings}))


if __name__ == "__main__":
    main()
