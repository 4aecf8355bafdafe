"""The message log in the admin: a commune's administrator sees the messages of her
subtree only, cannot change them, and can send the failed ones again."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from members.models import RoleKind
from notifications.models import Kind, Message, MessageStatus
from tests.factories import RoleFactory


def logged(world, cell, **fields):
    return Message.objects.create(
        key=f"{Kind.GUIDANCE}:{cell.pk}:{fields.get('recipient', 'x')}",
        kind=Kind.GUIDANCE,
        organization=cell,
        content_type=ContentType.objects.get_for_model(cell),
        object_id=cell.pk,
        subject=f"Hướng dẫn tháng 12 — {cell.name}",
        body_text="Nội dung",
        **fields,
    )


@pytest.fixture
def commune_admin(world, login):
    user = RoleFactory(organization=world.commune, kind=RoleKind.ADMIN).user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="notifications"))
    return login(user)


def test_the_log_keeps_to_the_administrators_subtree(world, commune_admin):
    ours = logged(world, world.cell, recipient="bithu@example.org")
    theirs = logged(world, world.far_cell, recipient="bithu-bac@example.org")
    page = commune_admin.get(reverse("admin:notifications_message_changelist")).content.decode()
    assert "bithu@example.org" in page
    assert "bithu-bac@example.org" not in page
    url = reverse("admin:notifications_message_change", args=[ours.pk])
    assert commune_admin.get(url).status_code == 200
    far = reverse("admin:notifications_message_change", args=[theirs.pk])
    assert commune_admin.get(far).status_code in {302, 404}
    # Read-only: no form fields to change a message.
    assert 'name="subject"' not in commune_admin.get(url).content.decode()


def test_failed_messages_can_be_sent_again(world, commune_admin, smtp):
    failed = logged(
        world,
        world.cell,
        recipient="bithu@example.org",
        status=MessageStatus.FAILED,
        attempts=6,
        reason="451 busy",
    )
    response = commune_admin.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MessageStatus.DELIVERED, 1)
    assert smtp.recipients() == ["bithu@example.org"]
