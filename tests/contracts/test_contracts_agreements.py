"""The licence agreement state machine, fixed fees and open-licence offers."""

import itertools
from datetime import date
from typing import Any

import pytest
from contracts_testkit import make_terms

from contracts import (
    AgreementState,
    FeeKind,
    IllegalTransition,
    InvalidOffer,
    LicenceAgreement,
    LicenceType,
    fixed_fees,
    parse_offer,
)

S = AgreementState
# The moves the issue allows, written out independently of the implementation's table.
LEGAL = {
    (S.DRAFT, S.ACTIVE),
    (S.ACTIVE, S.SUSPENDED),
    (S.ACTIVE, S.TERMINATED),
    (S.ACTIVE, S.EXPIRED),
    (S.SUSPENDED, S.ACTIVE),
    (S.SUSPENDED, S.TERMINATED),
}
# A path of legal moves from draft to each state, so any state can be set up honestly.
ROUTE = {
    S.DRAFT: [],
    S.ACTIVE: [S.ACTIVE],
    S.SUSPENDED: [S.ACTIVE, S.SUSPENDED],
    S.TERMINATED: [S.ACTIVE, S.TERMINATED],
    S.EXPIRED: [S.ACTIVE, S.EXPIRED],
}
START = date(2024, 1, 1)


def agreement_in(state: AgreementState) -> LicenceAgreement:
    agreement = LicenceAgreement(licence_type=LicenceType.ORDINARY, created_on=START)
    for day, step in enumerate(ROUTE[state], start=1):
        agreement = agreement.move(step, on=date(2024, 1, day))
    return agreement


@pytest.mark.parametrize(("source", "target"), sorted(itertools.product(S, S)))
def test_every_move_is_allowed_or_refused(source: AgreementState, target: AgreementState) -> None:
    agreement = agreement_in(source)
    later = date(2024, 6, 1)
    if (source, target) in LEGAL:
        moved = agreement.move(target, on=later, reason="test")
        assert (moved.state, moved.history[-1].from_state, moved.history[-1].on) == (
            target,
            source,
            later,
        )
    else:
        with pytest.raises(IllegalTransition) as caught:
            agreement.move(target, on=later)
        assert (caught.value.path, agreement.state) == ("$.state", source)


def test_a_move_dated_before_the_previous_one_is_refused() -> None:
    active = agreement_in(S.ACTIVE)  # activated on 1 January
    with pytest.raises(IllegalTransition) as caught:
        active.move(S.SUSPENDED, on=date(2023, 12, 31))
    assert caught.value.path == "$.on"


def test_activation_cannot_predate_creation() -> None:
    draft = LicenceAgreement(licence_type=LicenceType.SOLE, created_on=date(2024, 3, 1))
    with pytest.raises(IllegalTransition, match="before the previous move"):
        draft.move(S.ACTIVE, on=date(2024, 2, 1))


def test_moves_on_the_same_day_are_allowed_and_recorded_in_order() -> None:
    agreement = agreement_in(S.ACTIVE).move(S.SUSPENDED, on=date(2024, 1, 1), reason="unpaid")
    agreement = agreement.move(S.ACTIVE, on=date(2024, 1, 1))
    assert [(step.from_state, step.to_state, step.reason) for step in agreement.history] == [
        (S.DRAFT, S.ACTIVE, ""),
        (S.ACTIVE, S.SUSPENDED, "unpaid"),
        (S.SUSPENDED, S.ACTIVE, ""),
    ]


def test_a_move_returns_a_new_agreement() -> None:
    draft = agreement_in(S.DRAFT)
    draft.move(S.ACTIVE, on=START)
    assert (draft.state, draft.history, draft.last_moved_on) == (S.DRAFT, (), START)


@pytest.mark.parametrize(
    ("fields", "start", "end", "expected"),
    [
        pytest.param(
            {"entry_fee_minor": 500000, "annual_fee_minor": 100000},
            date(2024, 2, 29),
            date(2027, 3, 1),
            # entry fee at signature; the annual fee at the start of each licence year, 29 Feb
            # falling on the 28th in common years
            [
                ("entry_fee", date(2024, 2, 29), 500000),
                ("annual_fee", date(2024, 2, 29), 100000),
                ("annual_fee", date(2025, 2, 28), 100000),
                ("annual_fee", date(2026, 2, 28), 100000),
                ("annual_fee", date(2027, 2, 28), 100000),
            ],
            id="entry-and-annual",
        ),
        pytest.param(
            {"annual_fee_minor": 100000},
            date(2024, 1, 1),
            date(2026, 1, 1),
            # [2024-01-01, 2026-01-01) holds two licence years
            [("annual_fee", date(2024, 1, 1), 100000), ("annual_fee", date(2025, 1, 1), 100000)],
            id="annual-only",
        ),
        pytest.param({"entry_fee_minor": 1}, START, START, [], id="empty-term"),
        pytest.param({}, START, date(2030, 1, 1), [], id="no-fixed-fees"),
    ],
)
def test_fixed_fees(
    fields: dict[str, Any], start: date, end: date, expected: list[tuple[str, date, int]]
) -> None:
    fees = fixed_fees(make_terms(**fields), start=start, end=end)
    assert [(str(fee.kind), fee.due_on, fee.amount_minor) for fee in fees] == expected
    assert all(isinstance(fee.kind, FeeKind) for fee in fees)


def offer_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "terms": {
            "terms_version": "open-2024",
            "currency": "CNY",
            "minor_unit_exponent": 2,
            "categories": [
                {"category": "module", "rate": "1.20"},
                {"category": "software", "basis": "percent_of_net_sales", "percent": "20"},
            ],
        },
        "payment": {"grace": {"months": 12}},
        "term_months": 36,
        "jurisdiction": "CN",
    }
    data.update(fields)
    return data


def test_chinese_open_licence_accepts_20_percent() -> None:
    offer = parse_offer(offer_data())
    assert offer.terms.categories[1].percent == 20


def test_chinese_open_licence_refuses_more_than_20_percent() -> None:
    data = offer_data()
    data["terms"]["categories"][1]["percent"] = "20.01"
    with pytest.raises(InvalidOffer) as caught:
        parse_offer(data)
    assert caught.value.path == "$.terms.categories[1].percent"


def test_the_20_percent_ceiling_is_chinese() -> None:
    data = offer_data(jurisdiction="DE")
    data["terms"]["categories"][1]["percent"] = "25"
    assert parse_offer(data).jurisdiction == "DE"


@pytest.mark.parametrize("licence_type", ["exclusive", "sole"])
def test_an_open_licence_cannot_be_exclusive_or_sole(licence_type: str) -> None:
    with pytest.raises(InvalidOffer) as caught:
        parse_offer(offer_data(licence_type=licence_type))
    assert caught.value.path == "$.licence_type"


def test_bad_terms_inside_an_offer_are_reported_with_their_path() -> None:
    data = offer_data()
    data["terms"]["currency"] = "yuan"
    with pytest.raises(InvalidOffer) as caught:
        parse_offer(data)
    assert caught.value.path == "$.terms.currency"


def test_every_acceptor_gets_the_same_terms() -> None:
    offer = parse_offer(offer_data())
    respelled = offer_data()
    respelled["terms"]["categories"][0]["rate"] = "1.2000"
    first = offer.accept(accepted_on=date(2024, 3, 1))
    second = parse_offer(respelled).accept(accepted_on=date(2024, 9, 15))
    assert (first.state, first.licence_type, first.terms_sha256) == (
        S.ACTIVE,
        LicenceType.ORDINARY,
        offer.sha256(),
    )
    assert second.terms_sha256 == first.terms_sha256


def test_an_accepted_licence_ends_after_the_term() -> None:
    offer = parse_offer(offer_data())
    assert offer.ends_on(date(2024, 3, 31)) == date(2027, 3, 31)
