"""Logistics services (SPEC §3 after the slip, regulation steps 4 and 6): vehicle, shipping, delivery,
exceptions, cash on delivery, freight. Each is one state change in the caller's :class:`Work`, on an
order row-locked by :func:`xietong.orders.service.load`, so the shipment row changes under that lock too.
"""

from __future__ import annotations

from collections.abc import Sequence

from xietong.core import clock, roster
from xietong.core.errors import DomainError
from xietong.core.messages import SYSTEM
from xietong.core.numbers import format_fen, parse_money_fen, split_quantity
from xietong.core.phone import normalize_phone
from xietong.core.roles import Role
from xietong.core.work import Work
from xietong.orders import service as orders
from xietong.orders.enums import Department, PaymentMethod, Stage, TaskState
from xietong.orders.models import Order

from . import messages as msg
from .models import Shipment
from .plate import looks_like_plate_start, normalize_plate
from .shipments import shipment_of

LOGISTICS_ROLES = (Role.logistics,)
EXCEPTION_ROLES = (Role.logistics, Role.cs)
CLEAR_EXCEPTION_ROLES = (Role.logistics, Role.cs, Role.director)
AFTER_SHIPPING = (Stage.shipped, Stage.delivered, Stage.settled)
MAX_DRIVER = 30  # Shipment.driver
MAX_WAYBILL = 50  # Shipment.waybill
MAX_EXCEPTION = 500  # Order.exception_note
MAX_PACKAGES = 99_999


async def _open_order(w: Work, number: str) -> Order:
    order = await orders.load(w.session, number)
    if order.stage == Stage.cancelled:
        raise DomainError(msg.cancelled(order))
    return order


# ---------------------------------------------------------------- /派车


def split_dispatch(words: Sequence[str], number: str) -> tuple[str, str, str, str | None]:
    """The words after the number: 车牌 司机 电话 [运费]. A plate typed apart (皖A 12345) is joined."""
    words = list(words)
    if len(words) >= 2 and looks_like_plate_start(words[0]):
        words = [words[0] + words[1], *words[2:]]
    if len(words) not in (3, 4):
        raise DomainError(msg.dispatch_incomplete(number))
    plate, driver, phone = words[:3]
    return plate, driver, phone, words[3] if len(words) == 4 else None


async def dispatch(
    w: Work, number: str, plate: str, driver: str, phone: str, freight: str | None = None
) -> Shipment:
    """/派车: vehicle, driver and phone (and freight) for the order; before or after the slip, not after
    shipping. The first dispatch completes the 物流 派车 task; a later one changes the vehicle."""
    await roster.require(w.session, w.actor, *LOGISTICS_ROLES)
    order = await _open_order(w, number)
    if order.stage in AFTER_SHIPPING:
        raise DomainError(msg.already_shipped(order))
    problems: list[str] = []
    try:
        plate = normalize_plate(plate)
    except ValueError as exc:
        problems.append(str(exc))
    driver = driver.strip()
    if not driver or any(ch.isdigit() for ch in driver) or len(driver) > MAX_DRIVER:
        problems.append(msg.bad_driver(MAX_DRIVER, driver))
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        problems.append(str(exc))
    freight_fen = None
    if freight is not None:
        try:
            freight_fen = parse_money_fen(freight, label=msg.FREIGHT_FIELD)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise DomainError(msg.refused(msg.NOT_DISPATCHED, problems, msg.DISPATCH_USAGE.format(number=number)))

    shipment = await shipment_of(w.session, order)
    if freight_fen is not None and shipment is not None and shipment.freight_settled_at is not None:
        raise DomainError(msg.freight_settled(order, shipment))
    previous = msg.vehicle(shipment) if shipment is not None else None
    now = clock.now()
    if shipment is None:
        shipment = Shipment(
            order_id=order.id,
            plate=plate,
            driver=driver,
            driver_phone=phone,
            dispatched_by=_qq(w),
            dispatched_at=now,
        )
        w.session.add(shipment)
    else:
        shipment.plate, shipment.driver, shipment.driver_phone = plate, driver, phone
        shipment.dispatched_by, shipment.dispatched_at = _qq(w), now
    if freight_fen is not None:
        shipment.freight_fen = freight_fen
    note = msg.dispatch_note(plate, driver, phone, freight_fen)

    current = await orders.view(w.session, order)
    task = current.tasks[Department.logistics]
    if task.state != TaskState.done:
        await orders.answer_task(
            w, number, Department.logistics, state=TaskState.done, note=note, action="派车", quiet=True
        )
    else:  # a change of vehicle: the task stays done, with the new vehicle and who arranged it
        task.note, task.actor_qq, task.answered_at = note, _qq(w) or None, now
        orders.touch(order, now)
        w.audit("改派", number, f"{note}（原 {previous}）")
    w.reply(msg.dispatched(order, shipment, previous), subject=number)
    return shipment


def _qq(w: Work) -> int:
    return w.actor.qq if w.actor else 0


# ---------------------------------------------------------------- /发货 /到货


def split_ship(words: Sequence[str], number: str) -> tuple[int | None, str | None]:
    """[件数] [运单号] in either order: a count (30、30件、三十箱) is the packages, anything else the waybill."""
    packages: int | None = None
    waybill: str | None = None
    problems: list[str] = []
    for word in words:
        count = _package_count(word)
        if count is not None and packages is None:
            if count <= 0 or count > MAX_PACKAGES:
                problems.append(msg.bad_packages(word, MAX_PACKAGES))
            packages = count
        elif waybill is None and count is None:
            if (
                not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in word)
                or len(word) > MAX_WAYBILL
            ):
                problems.append(msg.bad_waybill(word))
            waybill = word.upper()
        else:
            problems.append(msg.extra_word(word))
    if problems:
        raise DomainError(msg.refused(msg.NOT_SHIPPED, problems, msg.SHIP_USAGE.format(number=number)))
    return packages, waybill


def _package_count(word: str) -> int | None:
    """The number of packages when ``word`` is one (at most 5 digits, optionally with a unit); else None."""
    try:
        number, unit = split_quantity(word)
    except ValueError:
        return None
    digits = sum(ch.isdigit() for ch in word)
    if unit not in msg.PACKAGE_UNITS or digits > 5 or number != number.to_integral_value():
        return None
    return int(number)


async def ship(w: Work, number: str, packages: int | None = None, waybill: str | None = None) -> Shipment:
    """/发货: needs the slip and the vehicle; → 已发货, and cs is asked to tell the customer."""
    await roster.require(w.session, w.actor, *LOGISTICS_ROLES)
    order = await _open_order(w, number)
    if order.stage in AFTER_SHIPPING:
        raise DomainError(msg.shipped_already(order))
    shipment = await shipment_of(w.session, order)
    problems = []
    if order.stage != Stage.slipped:
        problems.append(msg.no_slip_yet(order))
    if shipment is None:
        problems.append(msg.no_vehicle_yet(order))
    if problems or shipment is None:
        raise DomainError(msg.not_ready_to_ship(order, problems))
    if packages is not None:
        shipment.packages = packages
    if waybill is not None:
        shipment.waybill = waybill
    detail = msg.ship_detail(shipment.plate, packages, waybill)
    orders.mark_shipped(w, order, detail)
    await orders.notify_roles(w, order, msg.shipped_notice(order, shipment), Role.cs)
    cs_told = bool(await roster.holders(w.session, Role.cs))
    w.reply(msg.shipped_reply(order, cs_told), subject=number)
    return shipment


async def deliver(w: Work, number: str, default_credit_days: int) -> Order:
    """/到货: → 已到货; the receivable falls due (SPEC §4) and a paid-up order is 已结清 at once."""
    await roster.require(w.session, w.actor, *LOGISTICS_ROLES)
    order = await _open_order(w, number)
    if order.stage in (Stage.delivered, Stage.settled):
        raise DomainError(msg.delivered_already(order))
    if order.stage != Stage.shipped:
        raise DomainError(msg.not_shipped(order))
    await orders.mark_delivered(w, order, default_credit_days)
    settled = orders.settle_if_covered(w, order)
    await orders.notify_roles(w, order, msg.delivered_notice(order, settled), Role.cs)
    w.reply(msg.delivered_reply(order), subject=number)
    return order


# ---------------------------------------------------------------- /异常 /异常解除


async def report_exception(w: Work, number: str, note: str) -> Order:
    """/异常: the 异常 flag with its description; cs and the director are @-mentioned."""
    await roster.require(w.session, w.actor, *EXCEPTION_ROLES)
    note = " ".join(note.split())
    if not note:
        raise DomainError(msg.NEED_EXCEPTION_NOTE.format(number=number))
    if len(note) > MAX_EXCEPTION:
        raise DomainError(msg.NOTE_TOO_LONG.format(limit=MAX_EXCEPTION))
    order = await _open_order(w, number)
    with w.because(order, "异常", note, always=True):  # a report repeated word for word is news too
        updated = orders.flag_exception(order, note) is not None
    reporter = w.actor.display if w.actor else SYSTEM
    if w.actor:
        reporter = (await roster.names(w.session, [w.actor.qq])).get(w.actor.qq) or reporter
    await orders.notify_roles(
        w, order, msg.exception_notice(order, note, reporter, updated), Role.cs, Role.director
    )
    w.reply(msg.exception_reply(order), subject=number)
    return order


async def clear_exception(w: Work, number: str, note: str | None = None) -> Order:
    """/异常解除: allowed on a cancelled order too, so a flag left over can always be cleared."""
    await roster.require(w.session, w.actor, *CLEAR_EXCEPTION_ROLES)
    if note and len(note) > MAX_EXCEPTION:
        raise DomainError(msg.NOTE_TOO_LONG.format(limit=MAX_EXCEPTION))
    order = await orders.load(w.session, number)
    if order.exception_note is None:
        raise DomainError(msg.no_exception(order))
    with w.because(order, "异常解除", note or ""):
        old = orders.flag_exception(order, None)
    w.reply(msg.exception_cleared(order, old), subject=number)
    return order


# ---------------------------------------------------------------- /代收 /运费


async def collect_cod(w: Work, number: str, amount: str) -> Shipment:
    """/代收: the carrier or driver collected cash on delivery; finance is asked to book it (/代收入账).
    Until finance has booked it, a second /代收 corrects the amount."""
    await roster.require(w.session, w.actor, *LOGISTICS_ROLES)
    order = await _open_order(w, number)
    if order.payment != PaymentMethod.cod:
        raise DomainError(msg.cod_not_applicable(order))
    if order.stage not in AFTER_SHIPPING:
        raise DomainError(msg.cod_before_shipping(order))
    amount_fen = _money(amount, msg.COD_FIELD)
    shipment = await shipment_of(w.session, order)
    if shipment is None:  # shipped orders always have one; a hand-edited database might not
        raise DomainError(msg.no_vehicle_for_freight(order))
    if shipment.cod_booked_at is not None:
        raise DomainError(msg.cod_booked(order, shipment))
    if amount_fen > order.outstanding_fen:
        raise DomainError(msg.cod_too_much(order, amount_fen))
    previous = shipment.cod_collected_fen if shipment.cod_collected_at is not None else None
    shipment.cod_collected_fen, shipment.cod_collected_at = amount_fen, clock.now()
    orders.touch(order, shipment.cod_collected_at)
    w.audit(
        "代收",
        number,
        f"{format_fen(amount_fen)}元" + (f"（更正，原 {format_fen(previous)}元）" if previous else ""),
    )
    await orders.notify_roles(w, order, msg.cod_notice(order, amount_fen, previous), Role.finance)
    w.reply(msg.cod_reply(order, amount_fen), subject=number)
    return shipment


async def set_freight(w: Work, number: str, amount: str) -> Shipment:
    """/运费: what the carrier charges; finance settles it later (/运费结算)."""
    await roster.require(w.session, w.actor, *LOGISTICS_ROLES)
    order = await _open_order(w, number)
    amount_fen = _money(amount, msg.FREIGHT_FIELD)
    shipment = await shipment_of(w.session, order)
    if shipment is None:
        raise DomainError(msg.no_vehicle_for_freight(order))
    if shipment.freight_settled_at is not None:
        raise DomainError(msg.freight_settled(order, shipment))
    previous = shipment.freight_fen
    shipment.freight_fen = amount_fen
    orders.touch(order)
    w.audit(
        "运费",
        number,
        f"{format_fen(amount_fen)}元" + (f"（原 {format_fen(previous)}元）" if previous else ""),
    )
    w.reply(msg.freight_recorded(order, amount_fen, previous), subject=number)
    return shipment


def _money(text: str, label: str) -> int:
    try:
        return parse_money_fen(text, label=label)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
