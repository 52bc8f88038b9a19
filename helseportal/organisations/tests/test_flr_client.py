"""The FLR client (`FlrGpRegister`) against a fake of the service speaking the shape of NHN's data contracts:
what it sends (SOAP 1.2, WS-Addressing action, basic auth, the fødselsnummer escaped), what it reads (the list's own
GP before a substitute, the office, the municipality), and what it does with a fault, an error or a DTD. The shape
is ours, from the contracts: the client is unverified against the live service."""

import datetime
from pathlib import Path

import httpx2 as httpx
import pytest

from helseportal.core.time import today
from helseportal.organisations.gp_register import FLR_NAMESPACE, FlrGpRegister, GpRegisterUnavailable

DETAILS = (Path(__file__).parent / "data" / "flr-get-patient-gp-details.xml").read_bytes()
URL = "https://flr.test.nhn.no/v2/FlrReadOperations.svc"
FAULT = b"""<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>
<s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="nb">Fant ikke pasient</s:Text></s:Reason>
<s:Detail><GenericFault xmlns="http://register.nhn.no/Common/en"><ErrorCode>NotFound</ErrorCode></GenericFault>
</s:Detail></s:Fault></s:Body></s:Envelope>"""


def history_answer() -> bytes:
    """GetPatientGPHistory's answer: the current association and an ended one."""
    body = DETAILS.split(b"<GetPatientGPDetailsResult", 1)[1].split(b"</GetPatientGPDetailsResult>", 1)[0]
    current = b"<PatientToGPContractAssociation" + body + b"</PatientToGPContractAssociation>"
    ended = (
        current.replace(b"100101", b"100103")
        .replace(b"<b:From>2024-01-01T00:00:00</b:From><b:To i:nil=\"true\"/>",
                 b"<b:From>2019-03-01T00:00:00</b:From><b:To>2023-12-31T00:00:00</b:To>")
    )  # fmt: skip
    return (
        b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
        b'<GetPatientGPHistoryResponse xmlns="http://register.nhn.no/Flr"><GetPatientGPHistoryResult '
        b'xmlns:b="http://register.nhn.no/Common/en" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        + ended
        + current
        + b"</GetPatientGPHistoryResult></GetPatientGPHistoryResponse></s:Body></s:Envelope>"
    )


def client(answer: bytes, status: int = 200, seen: list[httpx.Request] | None = None) -> FlrGpRegister:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, content=answer, headers={"Content-Type": "application/soap+xml"})

    return FlrGpRegister(URL, "portal", "hemmelig", transport=httpx.MockTransport(handle))


@pytest.mark.dates
def test_get_patient_gp_details_reads_the_lists_own_gp_and_the_office():
    seen: list[httpx.Request] = []
    found = client(DETAILS, seen=seen).current("12839440144", today())  # today: the details operation
    assert found is not None
    assert (found.since, found.until) == (datetime.date(2024, 1, 1), None)
    gp_list = found.gp_list
    assert gp_list.doctor is not None
    assert (gp_list.doctor.name, gp_list.doctor.hpr, gp_list.doctor.gender) == ("Lars Olav Bakken", "9100023", "male")
    assert (gp_list.list_id, gp_list.office_orgnr, gp_list.office_name) == (
        "100101",
        "910000004",
        "Kirkeveien legesenter",
    )
    assert (gp_list.municipality_number, gp_list.capacity) == ("0301", 1100)
    request = seen[0]
    assert request.method == "POST"
    assert str(request.url) == URL
    action = f"{FLR_NAMESPACE}/IFlrReadOperations/GetPatientGPDetails"
    assert request.headers["Content-Type"] == f'application/soap+xml; charset=utf-8; action="{action}"'
    assert request.headers["Authorization"].startswith("Basic ")
    assert b"<flr:patientNin>12839440144</flr:patientNin>" in request.content
    assert f"<a:Action>{action}</a:Action>".encode() in request.content


def test_another_day_is_read_from_the_history():
    register = client(history_answer())
    earlier = register.current("12839440144", datetime.date(2020, 1, 1))
    assert earlier is not None
    assert (earlier.gp_list.list_id, earlier.until) == ("100103", datetime.date(2023, 12, 31))
    assert [m.gp_list.list_id for m in register.history("12839440144")] == ["100101", "100103"]


@pytest.mark.dates
def test_a_fault_is_a_person_the_register_does_not_know():
    register = client(FAULT, status=500)
    assert register.current("12839440144", datetime.date(2026, 6, 10)) is None
    assert register.history("12839440144") == []


@pytest.mark.dates
@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (b"<html>Service Unavailable</html>", 503),
        (b"not xml", 200),
        (b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', 200),
    ],
)
def test_no_answer_or_one_we_cannot_read_is_unavailable(answer: bytes, status: int):
    with pytest.raises(GpRegisterUnavailable):
        client(answer, status).current("12839440144", datetime.date(2026, 6, 10))


@pytest.mark.dates
def test_a_transport_error_is_unavailable():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    register = FlrGpRegister(URL, "portal", "hemmelig", transport=httpx.MockTransport(refuse))
    with pytest.raises(GpRegisterUnavailable):
        register.current("12839440144", today())


def test_the_person_id_is_escaped_into_the_envelope():
    seen: list[httpx.Request] = []
    client(FAULT, 500, seen).history("<x>&")
    assert b"<flr:patientNin>&lt;x&gt;&amp;</flr:patientNin>" in seen[0].content


def test_lists_of_a_municipality_by_query_gp_contracts():
    contract = DETAILS.split(b"<GetPatientGPDetailsResult", 1)[1].split(b"<GPContractId>", 1)[0].split(b">", 1)[1]
    answer = (
        b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><QueryGPContractsResponse '
        b'xmlns="http://register.nhn.no/Flr" xmlns:b="http://register.nhn.no/Common/en"><QueryGPContractsResult>'
        b"<Results>"
        + contract
        + b"</Results></QueryGPContractsResult></QueryGPContractsResponse></s:Body></s:Envelope>"
    )
    seen: list[httpx.Request] = []
    lists = client(answer, seen=seen).lists("0301")
    assert [(item.list_id, item.doctor.name if item.doctor else "") for item in lists] == [
        ("100101", "Lars Olav Bakken")
    ]
    assert b"<flr:MunicipalityId>0301</flr:MunicipalityId>" in seen[0].content


def contract_answer(operation: str, contract: bytes) -> bytes:
    """An answer to `operation` whose result is one GPContract (its children), in the shape of DETAILS."""
    return (
        b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><' + operation.encode()
        + b'Response xmlns="http://register.nhn.no/Flr" xmlns:b="http://register.nhn.no/Common/en"><'
        + operation.encode() + b"Result>" + contract + b"</" + operation.encode() + b"Result></"
        + operation.encode() + b"Response></s:Body></s:Envelope>"
    )  # fmt: skip


CONTRACT = DETAILS.split(b"<GPContract>", 1)[1].split(b"</GPContract>", 1)[0]


def test_a_list_from_the_register_is_not_counted_so_no_place_is_offered_on_it():
    """Finding 8: the read service says nothing of members or waiting: the list is marked, not shown as empty."""
    found = client(contract_answer("GetGPContract", CONTRACT)).gp_list("100101")
    assert found is not None
    assert (found.capacity, found.counted) == (1100, False)
    assert not FlrGpRegister.tells_switches


@pytest.mark.dates
@pytest.mark.parametrize(
    ("old", "new"),
    [(b"<MaxPatients>1100</MaxPatients>", b"<MaxPatients>mange</MaxPatients>"),
     (b"<b:From>2024-01-01T00:00:00</b:From>", b"<b:From>01.01.2024</b:From>")],
)  # fmt: skip
def test_a_number_or_a_date_we_cannot_read_is_unavailable_not_a_500(old: bytes, new: bytes):
    register = client(DETAILS.replace(old, new))
    with pytest.raises(GpRegisterUnavailable):
        register.current("12839440144", today())
    with pytest.raises(GpRegisterUnavailable):
        client(history_answer().replace(old, new)).history("12839440144")
    if b"MaxPatients" in old:
        broken = CONTRACT.replace(old, new)
        with pytest.raises(GpRegisterUnavailable):
            client(contract_answer("GetGPContract", broken)).gp_list("100101")
        with pytest.raises(GpRegisterUnavailable):
            client(contract_answer("QueryGPContracts", b"<GPContract>" + broken + b"</GPContract>")).lists("0301")
