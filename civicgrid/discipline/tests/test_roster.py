"""The roster of a body's reports office (posts): given by the deployment's
operator, or by the head for officers of their own body; ended the same way;
each change recorded."""

from __future__ import annotations

import pytest

from civicgrid.accounts.models import User
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.discipline import actions, permissions
from civicgrid.discipline.models import AuditEntry, Post
from conftest import make_user

K = Post.Kind


@pytest.fixture
def newcomer(db):
    return make_user("d_newcomer", "次珍")


def post_of(user, kind=K.OFFICER):
    return Post.objects.get(user=user, kind=kind, ended_at__isnull=True)


@pytest.mark.parametrize("kind", K.values)
def test_the_operator_gives_any_post(sealed, newcomer, kind):
    post = actions.post_add(body=sealed.street, user=newcomer, kind=kind)
    assert (post.body, post.user, post.kind, post.ended_at) == (
        sealed.street,
        newcomer,
        kind,
        None,
    )
    assert permissions.holds(newcomer, sealed.street, (kind,))
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.actor, entry.actor_label) == (
        "post.added",
        None,
        "system",
    )
    assert entry.detail == {"body": sealed.street.pk, "user": newcomer.pk, "kind": kind}


def test_the_head_adds_officers_to_their_own_body(sealed, newcomer):
    post = actions.post_add(
        body=sealed.district, user=newcomer, kind=K.OFFICER, acting_user=sealed["head"]
    )
    assert post.kind == K.OFFICER
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.actor == sealed["head"]


@pytest.mark.parametrize("kind", [K.HEAD, K.CUSTODIAN, K.PRINCIPAL, K.PRINCIPAL_OFFICE])
def test_the_head_adds_no_other_post(sealed, newcomer, kind):
    with pytest.raises(PermissionDeniedError):
        actions.post_add(
            body=sealed.district, user=newcomer, kind=kind, acting_user=sealed["head"]
        )
    assert not Post.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("by", "body"),
    [
        ("officer", "district"),
        ("custodian", "district"),
        ("principal", "district"),
        ("city_head", "district"),
        ("head", "street"),
        ("superuser", "district"),
    ],
)
def test_nobody_else_adds_officers(sealed, newcomer, by, body):
    with pytest.raises(PermissionDeniedError):
        actions.post_add(
            body=getattr(sealed, body),
            user=newcomer,
            kind=K.OFFICER,
            acting_user=sealed[by],
        )
    assert not Post.objects.filter(user=newcomer).exists()


def test_a_post_must_be_one_of_the_five(sealed, newcomer):
    with pytest.raises(DomainError) as refused:
        actions.post_add(body=sealed.district, user=newcomer, kind="secretary")
    assert refused.value.field == "kind"


def test_a_post_is_held_once(sealed):
    with pytest.raises(ConflictError):
        actions.post_add(body=sealed.district, user=sealed["officer"], kind=K.OFFICER)
    assert Post.objects.filter(user=sealed["officer"]).count() == 1


def test_one_person_may_hold_several_posts(sealed):
    officer = sealed["officer"]
    actions.post_add(body=sealed.district, user=officer, kind=K.CUSTODIAN)
    actions.post_add(body=sealed.street, user=officer, kind=K.OFFICER)
    assert permissions.body_ids(officer, permissions.HANDLERS) == {
        sealed.district.pk,
        sealed.street.pk,
    }
    assert permissions.body_ids(officer, (K.CUSTODIAN,)) == {sealed.district.pk}


def test_ending_a_post_ends_what_it_allowed_and_is_recorded(sealed):
    post = post_of(sealed["officer"])
    actions.post_end(post=post)
    post.refresh_from_db()
    assert post.ended_at is not None
    officer = User.objects.get(pk=sealed["officer"].pk)
    assert not permissions.in_channel(officer)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == "post.ended"
    assert entry.detail == {
        "body": sealed.district.pk,
        "user": officer.pk,
        "kind": K.OFFICER,
        "grants_ended": 0,
    }


def test_a_post_ends_once(sealed):
    post = post_of(sealed["officer"])
    actions.post_end(post=post)
    with pytest.raises(ConflictError):
        actions.post_end(post=post)


def test_an_ended_post_may_be_given_again(sealed):
    officer = sealed["officer"]
    actions.post_end(post=post_of(officer))
    actions.post_add(body=sealed.district, user=officer, kind=K.OFFICER)
    assert Post.objects.filter(user=officer, kind=K.OFFICER).count() == 2
    assert permissions.holds(officer, sealed.district, (K.OFFICER,))


def test_the_head_ends_an_officer_s_post_in_their_body(sealed):
    actions.post_end(post=post_of(sealed["officer"]), acting_user=sealed["head"])
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.actor == sealed["head"]


@pytest.mark.parametrize(
    ("by", "whose", "kind"),
    [
        ("officer2", "officer", K.OFFICER),
        ("city_head", "officer", K.OFFICER),
        ("street_head", "officer", K.OFFICER),
        ("superuser", "officer", K.OFFICER),
        ("head", "custodian", K.CUSTODIAN),
        ("head", "principal", K.PRINCIPAL),
        ("officer", "head", K.HEAD),
    ],
)
def test_nobody_else_ends_a_post(sealed, by, whose, kind):
    post = post_of(sealed[whose], kind)
    with pytest.raises(PermissionDeniedError):
        actions.post_end(post=post, acting_user=sealed[by])
    post.refresh_from_db()
    assert post.ended_at is None
