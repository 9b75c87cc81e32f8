"""Reading the pool's bank statements: the credits of a camt.053 and an MT940 file (the same
month in both formats), what is skipped, and every malformed file refused with its line."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import mt940
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pool.errors import InvalidInput
from pool.services.billing.bank import (
    BankCredit,
    amount_minor,
    read_bank_statement,
    read_camt053,
    read_mt940,
)

HERE = Path(__file__).parent
CAMT = (HERE / "statement.camt053.xml").read_bytes()
MT940 = (HERE / "statement.mt940.sta").read_bytes()


def faults(content: bytes) -> list[dict[str, object]]:
    with pytest.raises(InvalidInput) as refused:
        read_bank_statement(content)
    return [fault.as_dict() for fault in refused.value.errors]


def test_camt053_credits_booked_and_not_reversed_one_per_batched_transaction() -> None:
    statement = read_bank_statement(CAMT)
    assert (statement.format, statement.statement_id) == ("camt.053", "STMT-2026-03")
    assert (statement.account, statement.currency) == ("110000123456789", "CNY")
    assert statement.entries_skipped == 3  # a debit, a pending credit, a reversal
    assert statement.credits == (
        BankCredit(
            bank_reference="BOC-0001",
            booked_on=date(2026, 3, 2),
            value_on=date(2026, 3, 2),
            amount_minor=200_000_00,
            currency="CNY",
            remittance="PP-INV-2026-0012 royalty Q4",
            payer_name="深圳编解码有限公司",
            payer_account="4403000011112222",
            line=15,
            source="line 15 (Stmt[1]/Ntry[1])",
        ),
        BankCredit(
            bank_reference="BATCH-7/1",  # no reference of its own: the entry's, and its place
            booked_on=date(2026, 3, 10),  # the date of a DtTm
            value_on=date(2026, 3, 11),
            amount_minor=10_000_50,
            currency="CNY",
            remittance="PP-INV-2026-0031",  # a structured creditor reference
            payer_name="Hangzhou Video Co",
            payer_account="",
            line=44,
            source="line 44 (Stmt[1]/Ntry[4]/NtryDtls/TxDtls[1])",
        ),
        BankCredit(
            bank_reference="BOC-0004-B",
            booked_on=date(2026, 3, 10),
            value_on=date(2026, 3, 11),
            amount_minor=5_000_00,
            currency="CNY",
            remittance="",  # NOTPROVIDED is not a reference
            payer_name="",
            payer_account="",
            line=49,
            source="line 49 (Stmt[1]/Ntry[4]/NtryDtls/TxDtls[2])",
        ),
    )


def test_mt940_credits_with_free_and_structured_details() -> None:
    statement = read_bank_statement(MT940)
    assert (statement.format, statement.statement_id) == ("MT940", "STMT20260331")
    assert (statement.account, statement.currency) == ("110000123456789", "CNY")
    assert statement.entries_skipped == 2  # a debit and a reversed credit
    first, second = statement.credits
    assert first == BankCredit(
        bank_reference="BOC-0001",
        booked_on=date(2026, 3, 2),
        value_on=date(2026, 3, 2),
        amount_minor=200_000_00,
        currency="CNY",
        remittance="PP-INV-2026-0012 Shenzhen Codec royalty Q4",
        payer_name="",
        payer_account="",
        line=6,
        source="line 6",
    )
    assert (second.booked_on, second.value_on) == (date(2026, 3, 10), date(2026, 3, 11))
    assert (second.amount_minor, second.remittance) == (10_000_50, "PP-INV-2026-0031 Q4")
    assert (second.payer_name, second.payer_account) == (
        "Hangzhou Video Co",
        "DE02100100100006820101",
    )
    assert second.bank_reference.startswith("sha256:")  # the bank gave none: a stable digest
    assert read_mt940(MT940).credits[1].bank_reference == second.bank_reference


def test_the_mt940_reader_agrees_with_the_mt940_package_on_a_well_formed_file() -> None:
    ours = read_mt940(MT940)
    theirs = [t.data for t in mt940.parse(MT940.decode()) if t.data["status"] == "C"]
    assert [(c.amount_minor, c.value_on, c.booked_on) for c in ours.credits] == [
        (int(t["amount"].amount * 100), t["date"], t["entry_date"]) for t in theirs
    ]


@given(
    st.lists(
        st.tuples(
            st.dates(date(2001, 1, 1), date(2098, 12, 31)),
            st.integers(0, 20),
            st.integers(1, 10**13),
            st.sampled_from(["C", "D"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_well_formed_mt940_reads_as_the_package_reads_it(
    lines: list[tuple[date, int, int, str]],
) -> None:
    body = [":20:REF", ":25:ACCOUNT", ":60F:C010101CNY0,00"]
    for number, (value_on, delay, minor, mark) in enumerate(lines):
        booked = value_on + timedelta(days=delay)
        amount = f"{minor // 100},{minor % 100:02d}"
        body.append(f":61:{value_on:%y%m%d}{booked:%m%d}{mark}{amount}NTRFREF{number}//B{number}")
        body.append(f":86:payment {number}")
    text = "\n".join(body) + "\n"
    ours = read_mt940(text.encode())
    theirs = [t.data for t in mt940.parse(text) if t.data["status"] == "C"]
    assert [(c.amount_minor, c.value_on, c.booked_on) for c in ours.credits] == [
        (int(t["amount"].amount * 100), t["date"], t["entry_date"]) for t in theirs
    ]
    assert ours.entries_skipped == sum(1 for *_, mark in lines if mark == "D")


@given(st.integers(0, 10**15), st.sampled_from(["CNY", "JPY", "KWD"]))
def test_amounts_are_read_exactly_in_minor_units(minor: int, currency: str) -> None:
    exponent = {"CNY": 2, "JPY": 0, "KWD": 3}[currency]
    text = str(Decimal(minor).scaleb(-exponent))
    assert amount_minor(text, currency) == minor
    assert amount_minor(text.replace(".", ","), currency, decimal_comma=True) == minor


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("1.005", "CNY", "more than 2 decimals"),
        ("-5.00", "CNY", "not a positive"),
        ("1e3", "CNY", "not a positive decimal"),
        ("NaN", "CNY", "not a positive decimal"),
        ("1.2.3", "CNY", "not a positive decimal"),
        ("", "CNY", "not a positive"),
        ("5.00", "XXX", "unknown currency"),
    ],
)
def test_an_amount_that_is_not_exact_money_is_refused(
    text: str, currency: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        amount_minor(text, currency)


def camt(
    entry: str, account: str = "<Acct><Id><IBAN>CN00X</IBAN></Id><Ccy>CNY</Ccy></Acct>"
) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
        f"<BkToCstmrStmt><Stmt><Id>S1</Id>{account}\n{entry}\n</Stmt></BkToCstmrStmt>\n"
        "</Document>\n"
    ).encode()


BOOKED = "<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt>"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"<?xml version='1.0'?>\n<Document>\n<Stmt>\n</Document>\n",
            {"message": "not well-formed XML at column 3", "line": 4},
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>',
            {
                "message": "the root element is not a "
                "urn:iso:std:iso:20022:tech:xsd:camt.053.* Document",
                "line": 1,
            },
        ),
        (
            camt(f"<Ntry><Amt Ccy='CNY'>12.345</Amt>{BOOKED}</Ntry>"),
            {
                "message": "amount '12.345' has more than 2 decimals for CNY",
                "field": "Stmt[1]/Ntry[1]/Amt",
                "line": 4,
            },
        ),
        (
            camt(f"<Ntry><Amt Ccy='USD'>12.34</Amt>{BOOKED}</Ntry>"),
            {"message": "USD on an account in CNY", "field": "Stmt[1]/Ntry[1]/Amt", "line": 4},
        ),
        (
            camt(f"<Ntry>{BOOKED}</Ntry>"),
            {"message": "Amt is missing", "field": "Stmt[1]/Ntry[1]/Amt", "line": 4},
        ),
        (
            camt(
                "<Ntry><Amt Ccy='CNY'>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                "<BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>"
            ),
            {
                "message": "'2026-02-30' is not a date (YYYY-MM-DD)",
                "field": "Stmt[1]/Ntry[1]/BookgDt",
                "line": 4,
            },
        ),
        (
            camt(f"<Ntry><Amt Ccy='CNY'>1.00</Amt>{BOOKED}</Ntry>", account="<Acct/>"),
            {
                "message": "the account's IBAN or Othr/Id is missing",
                "field": "Stmt[1]/Acct/Id",
                "line": 3,
            },
        ),
    ],
)
def test_a_camt053_file_that_cannot_be_read_names_the_line_and_element(
    content: bytes, expected: dict[str, object]
) -> None:
    assert expected in faults(content)


def test_xml_entities_are_refused_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<Document>&b;</Document>'
    )
    assert faults(bomb) == [{"message": "DTDForbidden", "line": 1}]


def mt(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            mt(
                ":20:R",
                ":25:A",
                ":60F:C260301CNY0,00",
                ":61:26030X0302C200,00NTRFREF",
                ":62F:C260331CNY0,00",
            ),
            {
                "message": "a statement line is YYMMDD[MMDD], C/D/RC/RD, amount, type code, "
                "reference[//bank reference]",
                "line": 4,
                "column": ":61:",
            },
        ),
        (
            mt(":20:R", ":25:A", ":60F:C260301CNY0,00", ":61:2602300302C200,00NTRFREF"),
            {"message": "not a date", "line": 4, "column": ":61:"},
        ),
        (
            mt(":20:R", ":25:A", ":60F:C260301CNY0,00", ":61:2603020302C2,005NTRFREF"),
            {
                "message": "amount '2,005' has more than 2 decimals for CNY",
                "line": 4,
                "column": ":61:",
            },
        ),
        (
            mt(":20:R", ":25:A", ":61:2603020302C200,00NTRFREF"),
            {
                "message": "a statement line before the opening balance (:60F:)",
                "line": 3,
                "column": ":61:",
            },
        ),
        (
            mt(":20:R", ":25:A", ":60F:C260301CNY0,00", ":99:whatever"),
            {"message": "unknown tag :99:", "line": 4, "column": ":99:"},
        ),
        (
            mt(":20:R", ":60F:C260301CNY0,00"),
            {"message": "exactly one account (:25:) per file", "line": 1, "column": ":25:"},
        ),
        (
            mt(":20:R", ":25:A", ":60F:C260301CNY0,00", ":61:2603020302C1.000,00NTRFREF"),
            {
                "message": "a statement line is YYMMDD[MMDD], C/D/RC/RD, amount, type code, "
                "reference[//bank reference]",
                "line": 4,
                "column": ":61:",
            },
        ),
        (
            b"\xff\xfe:20:R",
            {"message": "expected ISO 20022 camt.053 (XML) or SWIFT MT940", "line": 1},
        ),
    ],
)
def test_an_mt940_file_that_cannot_be_read_names_the_line_and_tag(
    content: bytes, expected: dict[str, object]
) -> None:
    assert expected in faults(content)


def test_every_fault_of_a_file_is_listed_not_only_the_first() -> None:
    found = faults(mt(":20:R", ":25:A", ":60F:C260301CNY0,00", ":61:bad", ":61:worse", ":88:x"))
    assert [(f["line"], f["column"]) for f in found] == [(6, ":88:")]  # tags first
    found = faults(mt(":20:R", ":25:A", ":60F:C260301CNY0,00", ":61:bad", ":61:worse"))
    assert [f["line"] for f in found] == [4, 5]


def test_read_camt053_and_read_mt940_refuse_each_others_files() -> None:
    with pytest.raises(InvalidInput):
        read_camt053(MT940)
    with pytest.raises(InvalidInput):
        read_mt940(CAMT)
