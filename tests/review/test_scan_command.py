"""`manage.py scan`: JSON lines with offsets into the extracted text, the negative list from the
database, and clear errors."""

import io
import json

import docx
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from review.models import NegativeListTerm
from review.scanner import extract_text
from workflow.models import District, Unit

TEXT = (
    "机密★10年\n"
    "申请人宋佳怡，身份证号码440305194601272449，手机13907551234。\n"
    "住址：上海市徐汇区漕溪北路100弄5号602室。\n"
    "研究了2024年度维稳工作方案和信访老户稳控工作。\n"
)


@pytest.fixture
def places(db):
    district = District.objects.create(name="清溪区", code="QX")
    other = District.objects.create(name="江南区", code="JN")
    civil = Unit.objects.create(district=district, name="清溪区民政局", code="QXMZ")
    edu = Unit.objects.create(district=district, name="清溪区教育局", code="QXJY")
    NegativeListTerm.objects.create(term="维稳", note="敏感表述", district=district)
    NegativeListTerm.objects.create(term="信访老户", note="不当称谓", unit=civil)
    NegativeListTerm.objects.create(term="工作方案", note="江南区清单", district=other)
    NegativeListTerm.objects.create(term="申请人", note="停用", district=district, active=False)
    return {"civil": civil, "edu": edu}


def run(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("scan", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_with_offsets_into_the_extracted_text(places, tmp_path):
    path = tmp_path / "item.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    rows = run(str(path))
    assert all(set(row) == {"kind", "start", "end", "text"} for row in rows)
    text = extract_text(path.read_bytes(), path.name)
    assert all(text[row["start"] : row["end"]] == row["text"] for row in rows)
    assert [(row["kind"], row["text"]) for row in rows] == [
        ("classification_mark", "机密★10年"),
        ("id_number", "440305194601272449"),
        ("mobile", "13907551234"),
        ("address", "上海市徐汇区漕溪北路100弄5号602室"),
        ("negative_list", "维稳"),
        ("negative_list", "工作方案"),
        ("negative_list", "信访老户"),
    ]


def test_offsets_into_a_word_document(places, tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "工作秘密"
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "item.pdf"  # misnamed on purpose: the content decides
    document.save(path)
    rows = run(str(path))
    text = extract_text(path.read_bytes(), path.name)
    assert all(text[row["start"] : row["end"]] == row["text"] for row in rows)
    assert rows[0] == {"kind": "work_secret", "start": 0, "end": 4, "text": "工作秘密"}


def test_unit_selects_its_own_and_its_districts_terms(places, tmp_path):
    path = tmp_path / "item.txt"
    path.write_text(TEXT, encoding="utf-8")

    def terms(*args: str) -> list[str]:
        return [row["text"] for row in run(str(path), *args) if row["kind"] == "negative_list"]

    assert terms("--unit", "QXMZ") == ["维稳", "信访老户"]
    assert terms("--unit", "QXJY") == ["维稳"]


def test_unknown_unit(places, tmp_path):
    path = tmp_path / "item.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="NOPE"):
        run(str(path), "--unit", "NOPE")


def test_verbose_adds_confidence_and_detail(places, tmp_path):
    path = tmp_path / "item.txt"
    path.write_text(TEXT, encoding="utf-8")
    rows = run(str(path), "--verbose")
    assert all(set(row) == {"kind", "start", "end", "text", "confidence", "detail"} for row in rows)
    assert rows[0]["detail"] == "机密"
    assert rows[0]["confidence"] >= 0.9
    assert {row["detail"] for row in rows if row["kind"] == "negative_list"} == {
        "敏感表述",
        "江南区清单",
        "不当称谓",
    }


def test_nothing_found_prints_nothing(places, tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text("会议采取无记名秘密投票方式进行民主推荐。", encoding="utf-8")
    assert run(str(path)) == []


def test_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.txt"))


def test_unreadable_content(db, tmp_path):
    # A damaged picture named .txt: the content decides, and the message names the file (its
    # wording is translated).
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(CommandError, match=r"picture\.txt"):
        run(str(path))


def test_error_exit_code_and_message_on_stderr(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "scan", str(tmp_path / "missing.txt")])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "missing.txt" in captured.err
    assert "No such file" in captured.err
    assert captured.out == ""
