"""The demo's client systems, with keys printed in the README (demo only: a
real client's key is random and shown once)."""

from __future__ import annotations

from civicgrid.accounts.models import Role
from civicgrid.core.demo import demo_seed
from civicgrid.org.models import Department

from .clients import api_client_create, api_client_issue_key
from .models import ApiClient

DEMO_CLIENTS = (
    # name, key, the department whose case system it is (or none)
    ("12345 市民服务热线平台", "cg_demo-12345-hotline", None),
    ("城管案件系统", "cg_demo-chengguan-cases", "chengguan"),
    # Texts to the street's number come in as this client (短信报事; it signs
    # what it posts, its key is not used).
    ("短信网关", "cg_demo-sms-gateway", None),
)


@demo_seed("api.clients", after=("org.street",))
def seed_api_clients() -> int:
    from civicgrid.accounts.actions import membership_add

    for name, key, department_code in DEMO_CLIENTS:
        if ApiClient.objects.filter(name=name).exists():
            continue
        client, _random = api_client_create(name=name)
        api_client_issue_key(client=client, key=key)
        department = Department.objects.filter(code=department_code).first()
        if department is not None:
            membership_add(
                user=client.user,
                role=Role.DEPARTMENT_HANDLER,
                department=department,
                acting_user=None,
            )
    return len(DEMO_CLIENTS)
