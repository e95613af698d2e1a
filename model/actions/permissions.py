"""Recording a permission by hand: an opt-out, a consent or an objection.

The one place that decides what a permission recorded by hand needs (DOMAIN.md
section 3); the command line (``record``) and the contact page both call
:func:`record_permission`, and the page's dialog asks :func:`permission_problem`
while the user types, so both front ends refuse the same input with the same words:

- an opt-out that names no channels stops every channel (the cautious reading: a
  person who says "stop" is not asked "stop what?"); a list given that names no
  channel (``";;"``) is refused, since it says something was meant and nothing is
  understood;
- an objection always covers every channel (UK GDPR Art 21);
- a consent names its channels, the wording the person was shown (``--wording``)
  and the staff member who recorded it (``--staff``, or the ``default_staff``
  setting when one is set);
- the date is ``YYYY-MM-DD``, not after today (a permission is recorded once given).

Opt-outs and objections are never refused for want of a staff member: an opt-out
must be honoured whoever takes it (the staff member is recorded when known).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from model.actions.staff import Task, credited, require
from model.contacts import find_contact
from model.contacts import record_permission as _write_permission
from model.errors import InputError
from model.normalise import (
    ALL_CHANNELS_MASK,
    CHANNEL_BIT,
    clean_text,
    format_channels,
    parse_channels,
    parse_date,
)
from model.normalise import today as today_date
from model.store import Store
from model.vocab import Channel, Permission

#: how the contact told us (stored on the event as "received via ...")
PERMISSION_ROUTES: tuple[str, ...] = ("phone call", "email", "letter", "in person")

#: the refusals, word for word in both front ends (each names the option at fault)
CONSENT_NEEDS_CHANNELS = "a consent needs its channels: email, sms, post, phone or all (--channels)"
CONSENT_NEEDS_WORDING = "a consent needs the wording the contact was shown or heard (--wording)"
CONSENT_NEEDS_STAFF = (
    "a consent needs the staff member who recorded it (--staff, or set default_staff "
    "in the settings)"
)


def names_no_channel(kind: Permission) -> str:
    """The refusal of a channel list that names no channel (e.g. ``";;"``)."""
    what = kind.replace("_", "-")
    return f"the {what} names no channel: give email, sms, post, phone or all (--channels)"


@dataclass(frozen=True)
class Recorded:
    """A permission written: which event, for whom, covering what."""

    event_id: int
    contact_id: int
    contact_name: str
    kind: Permission
    channels: int  # the channel mask recorded (all four for an objection)
    date: str
    staff: str | None

    @property
    def channels_text(self) -> str:
        """'email;sms', or 'all channels' when it covers every one."""
        if self.channels == ALL_CHANNELS_MASK:
            return "all channels"
        return format_channels(self.channels)

    def sentence(self) -> str:
        """'opt-out recorded for contact 3 (Jane Smith): all channels on 2026-02-01'."""
        who = self.contact_name or "no name"
        return (
            f"{self.kind.replace('_', '-')} recorded for contact {self.contact_id} ({who}): "
            f"{self.channels_text} on {self.date}"
        )


Channels = str | Iterable[str] | None


def channel_mask(kind: Permission, channels: Channels) -> int:
    """The channels a permission covers; InputError when they cannot be understood.

    ``None`` means none given: every channel for an opt-out or an objection, refused
    for a consent. A text (``"email;sms"``, ``"all"``) or a list of channel names
    must name at least one channel.
    """
    if kind == Permission.OBJECTION:
        return ALL_CHANNELS_MASK  # an objection covers every channel (DOMAIN.md 3)
    if channels is None:
        if kind == Permission.OPT_OUT:
            return ALL_CHANNELS_MASK
        raise InputError(CONSENT_NEEDS_CHANNELS)
    if isinstance(channels, str):
        try:
            mask = parse_channels(channels)
        except ValueError as exc:
            raise InputError(f"--channels {channels!r}: {exc}") from None
    else:
        mask = 0
        for name in channels:
            if name not in CHANNEL_BIT:
                raise InputError(
                    f"--channels {name!r}: unknown channel: expected email, sms, post, phone or all"
                )
            mask |= CHANNEL_BIT[Channel(name)]
    if not mask:
        if kind == Permission.CONSENT and (isinstance(channels, str) and not channels.strip()):
            raise InputError(CONSENT_NEEDS_CHANNELS)
        raise InputError(names_no_channel(kind))
    return mask


def permission_problem(
    kind: Permission, *, channels: Channels, wording: str | None, staff: str | None
) -> str | None:
    """What is wrong with a permission as entered so far (None when it can be recorded).

    ``staff`` is the staff member after the default (see :func:`staff_or_default`).
    """
    try:
        channel_mask(kind, channels)
    except InputError as exc:
        return exc.message
    if kind == Permission.CONSENT:
        if not clean_text(wording):
            return CONSENT_NEEDS_WORDING
        if not clean_text(staff):
            return CONSENT_NEEDS_STAFF
    return None


def staff_or_default(store: Store, staff: str | None) -> str | None:
    """The staff member given, else the ``default_staff`` setting (None when neither)."""
    return clean_text(staff) or clean_text(store.setting("default_staff")) or None


def permission_date(date: str | None, today: str | None = None) -> str:
    """A permission's date: ``YYYY-MM-DD``, today when omitted, never after today."""
    day = today or today_date()
    if date is None or not date.strip():
        return day
    try:
        when = parse_date(date, allow_uk=False)
    except ValueError as exc:
        raise InputError(f"--date {date!r}: {exc}") from None
    if when > day:
        raise InputError(f"--date {when}: in the future (today is {day})")
    return when


def record_permission(
    store: Store,
    contact_id: int | str,
    kind: Permission | str,
    *,
    channels: Channels = None,
    date: str | None = None,
    via: str | None = None,
    wording: str | None = None,
    staff: str | None = None,
    today: str | None = None,
) -> Recorded:
    """Record an opt-out, a consent or an objection for one contact, in one transaction.

    Everything is checked first (contact, channels, date, wording, staff); an
    InputError names what is wrong and nothing is written.
    """
    try:
        kind = Permission(str(kind).replace("-", "_"))
    except ValueError:
        raise InputError(
            f"unknown permission event {kind!r}: expected opt-out, consent or objection"
        ) from None
    require(store, Task.RECORD)
    staff = credited(store, staff)
    contact = find_contact(store, contact_id=contact_id)
    mask = channel_mask(kind, channels)
    when = permission_date(date, today)
    who = staff_or_default(store, staff)
    problem = permission_problem(kind, channels=channels, wording=wording, staff=who)
    if problem:
        raise InputError(problem)
    event_id = _write_permission(
        store,
        contact,
        kind.value,
        channels=mask,
        date=when,
        via=via,
        wording=wording,
        staff=who,
        source="record",
    )
    return Recorded(
        event_id=event_id,
        contact_id=int(contact["id"]),
        contact_name=str(contact.get("name") or ""),
        kind=kind,
        channels=mask,
        date=when,
        staff=who,
    )
