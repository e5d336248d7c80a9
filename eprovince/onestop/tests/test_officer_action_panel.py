"""The officer's dossier page (issue 12, "Processing"): one action panel offering what the process allows, the usual
next action first and preselected, destructive ones last behind a confirmation; refused input answered with the
error summary at the top (400, what was typed kept); each file listed once, saying when and by which step it came."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from eprovince.onestop import workflow
from eprovince.onestop.errors import ActionNotAllowed
from eprovince.onestop.models import Dossier
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.online import dossier_supplement_submit
from eprovince.onestop.services.results import result_template_save

from .factories import PDF_BYTES, World, act, pdf, receive, submit_online, upload

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def detail(d: Dossier) -> str:
    return f"/can-bo/mot-cua/ho-so/{d.pk}/"


def offered(d: Dossier, user: object) -> list[str]:
    """The action codes the panel offers `user`, in page order."""
    page = client_for(user).get(detail(d)).content.decode()
    return re.findall(r'<input type="radio" name="panel-action" value="([a-z_]+)"', page)


def checked(d: Dossier, user: object) -> list[str]:
    page = client_for(user).get(detail(d)).content.decode()
    return re.findall(r'name="panel-action" value="([a-z_]+)" id="[^"]+" checked', page)


def post(d: Dossier, user: object, **fields: object) -> object:
    data = {"panel-version": Dossier.objects.get(pk=d.pk).version, **{f"panel-{k}": v for k, v in fields.items()}}
    return client_for(user).post(f"{detail(d)}thao-tac/", data)


# --- Which actions, in which order ------------------------------------------------------------------------------------


def test_the_usual_next_action_comes_first_and_is_chosen_destructive_ones_last(world: World) -> None:
    online = submit_online(world)
    assert offered(online, world.clerk) == ["accept", "request_supplement", "refuse", "withdraw"]
    assert checked(online, world.clerk) == ["accept"]
    d = receive(world)
    assert offered(d, world.specialist) == ["forward", "request_supplement"]
    assert offered(d, world.clerk) == ["withdraw"]  # the clerk may only withdraw it at appraisal
    act(d, "forward", world.specialist)
    assert offered(d, world.head) == ["forward", "return"]  # forward before sending back, whatever the codes' order
    act(d, "forward", world.head)
    assert offered(d, world.leader) == ["issue_result", "return", "refuse"]
    assert checked(d, world.leader) == ["issue_result"]


def test_one_panel_with_one_reason_box_and_one_file_input(world: World) -> None:
    online = submit_online(world)
    page = client_for(world.clerk).get(detail(online)).content.decode()
    assert page.count('class="card action-panel"') == 1
    assert page.count('name="panel-reason"') == 1 and page.count('name="panel-attachments"') == 1
    # The hints say which actions need a reason; the confirmation is offered with the destructive ones.
    assert "Bắt buộc với: “Yêu cầu bổ sung hồ sơ”, “Từ chối tiếp nhận”, “Rút hồ sơ theo đề nghị của người nộp”." in page
    assert 'name="panel-confirm"' in page and "Tôi xác nhận" in page
    specialist_page = client_for(world.specialist).get(detail(receive(world))).content.decode()
    assert 'name="panel-confirm"' not in specialist_page  # nothing destructive offered: no confirmation asked


def test_withdrawal_is_not_offered_once_the_result_is_issued(world: World) -> None:
    d = receive(world)
    for code, user in (("forward", world.specialist), ("forward", world.head)):
        act(d, code, user)
    act(d, "issue_result", world.leader, uploads=[Upload(file=pdf("ket-qua.pdf"))])
    assert Dossier.objects.get(pk=d.pk).status == "result_ready"
    assert offered(d, world.clerk) == ["return_result"]
    assert [a.code for a in workflow.available_actions(Dossier.objects.get(pk=d.pk), world.clerk)] == ["return_result"]


def test_the_service_refuses_a_withdrawal_after_the_result(world: World) -> None:
    d = receive(world)
    for code, user in (("forward", world.specialist), ("forward", world.head)):
        act(d, code, user)
    act(d, "issue_result", world.leader, uploads=[Upload(file=pdf("ket-qua.pdf"))])
    with pytest.raises(ActionNotAllowed):
        act(Dossier.objects.get(pk=d.pk), "withdraw", world.clerk, reason="Người nộp xin rút")
    assert Dossier.objects.get(pk=d.pk).status == "result_ready"
    response = post(d, world.clerk, action="withdraw", reason="Người nộp xin rút", confirm="on")
    assert response.status_code == 400 and Dossier.objects.get(pk=d.pk).status == "result_ready"  # type: ignore[attr-defined]


def test_a_closed_dossier_offers_nothing(world: World) -> None:
    d = act(receive(world), "withdraw", world.clerk, reason="Người nộp xin rút")
    assert offered(d, world.clerk) == []
    assert 'class="card action-panel"' not in client_for(world.clerk).get(detail(d)).content.decode()


# --- Errors -------------------------------------------------------------------------------------------------------------


def test_an_empty_reason_answers_400_with_the_summary_at_the_top_and_keeps_the_choice(world: World) -> None:
    d = receive(world)
    response = post(d, world.specialist, action="request_supplement", reason="  ")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    summary = page.index("data-error-summary")
    assert summary < page.index("<h1") and summary < page.index('class="card action-panel"')
    assert 'href="#id_panel-reason"' in page and "Vui lòng nêu lý do" in page
    assert re.search(r'value="request_supplement" id="[^"]+" checked', page)  # the choice is kept, not the default
    assert Dossier.objects.get(pk=d.pk).status == "processing"


def test_what_was_typed_is_kept_when_another_field_is_refused(world: World) -> None:
    d = receive(world)
    act(d, "forward", world.specialist)
    act(d, "forward", world.head)
    response = post(d, world.leader, action="refuse", reason="Vị trí lắp đặt không phù hợp quy hoạch")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400 and "Vị trí lắp đặt không phù hợp quy hoạch</textarea>" in page  # type: ignore[attr-defined]


def test_a_missing_reason_and_a_missing_file_are_named_at_once(world: World) -> None:
    d = receive(world, procedure=world.bts)
    act(d, "forward", world.specialist)  # to the Department of Construction
    response = post(d, world.builder, action="return")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'href="#id_panel-reason"' in page and 'href="#id_panel-attachments"' in page
    assert "cần đính kèm ít nhất một tệp" in page


def test_issuing_a_generated_result_needs_no_file(world: World) -> None:
    result_template_save(procedure=world.procedure, acting_user=None, title="GIẤY PHÉP", body="Cấp cho: {applicant_name}.")
    d = receive(world)
    act(d, "forward", world.specialist)
    act(d, "forward", world.head)
    page = client_for(world.leader).get(detail(d)).content.decode()
    assert "hệ thống tạo văn bản kết quả từ mẫu" in page and "Bắt buộc với: “Phê duyệt" not in page
    assert post(d, world.leader, action="issue_result").status_code == 302  # type: ignore[attr-defined]
    assert Dossier.objects.get(pk=d.pk).status == "result_ready"


# --- Confirmation of destructive actions -----------------------------------------------------------------------------


def test_a_destructive_action_needs_the_confirmation(world: World) -> None:
    d = receive(world)
    response = post(d, world.clerk, action="withdraw", reason="Người nộp xin rút")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400 and 'href="#id_panel-confirm"' in page  # type: ignore[attr-defined]
    assert Dossier.objects.get(pk=d.pk).status == "processing"
    assert post(d, world.clerk, action="withdraw", reason="Người nộp xin rút", confirm="on").status_code == 302  # type: ignore[attr-defined]
    assert Dossier.objects.get(pk=d.pk).status == "withdrawn"


def test_a_usual_action_needs_no_confirmation(world: World) -> None:
    d = receive(world)
    assert post(d, world.specialist, action="forward").status_code == 302  # type: ignore[attr-defined]
    assert Dossier.objects.get(pk=d.pk).current_step.code == "truong-phong"


# --- Files, each once, saying when and from which step ------------------------------------------------------------------


def test_a_supplements_files_are_listed_once_marked_with_their_day(world: World) -> None:
    d = submit_online(world)
    act(d, "request_supplement", world.clerk, reason="Thiếu bản vẽ", uploads=[Upload(file=upload("yeu-cau.pdf", PDF_BYTES))])
    d = Dossier.objects.get(pk=d.pk)
    dossier_supplement_submit(dossier=d, acting_user=world.citizen, uploads=[Upload(file=upload("ban-ve.pdf", PDF_BYTES))])
    page = client_for(world.clerk).get(detail(d)).content.decode()
    assert page.count(">ban-ve.pdf</a>") == 1 and page.count(">yeu-cau.pdf</a>") == 1  # once each, not again in the history
    files = page[page.index('id="files-title"') : page.index('id="history-title"')]
    assert re.search(r"Bổ sung ngày \d\d/\d\d/\d{4}", files) and "bởi Nguyễn Thị Lan" in files
    assert "Yêu cầu bổ sung hồ sơ, ngày" in files and "Tại bước “Tiếp nhận hồ sơ”" in files
    assert files.index("Hồ sơ nộp ngày") < files.index("yeu-cau.pdf") < files.index("ban-ve.pdf")
    assert "1 tệp kèm theo (xem ở mục Tệp hồ sơ)" in page
