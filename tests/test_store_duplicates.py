"""Issue 15: the same people saved twice into one survey were counted twice.

Saving an export and then the same export re-saved by Excel (other bytes: CP932,
CRLF, columns moved) doubled every count with no warning. The store now refuses
a file whose people are already stored in the same wave, naming the overlap, or
replaces that wave when HR asks; different people in the same wave (two
departments' exports of 研修前) are still joined.
"""

from __future__ import annotations

import csv
import io

import pytest

from analysis.load import read_survey
from analysis.schema import load_survey
from analysis.store import DuplicatePeopleError, WaveStore

HEADER = ["社員番号", "役職", "部署", "回答時期", "AIで仕事が楽になると思う", "AIについて相談できる相手がいる",
          "研修の感想をお書きください"]  # fmt: skip
ANSWERS = ["そう思う", "どちらともいえない", "とてもそう思う", "そう思わない"]


@pytest.fixture
def store(url: str) -> WaveStore:
    return WaveStore(url)


def _rows(people: range, *, ids: bool = True) -> list[list[str]]:
    rows = []
    for p in people:
        role = ["経営層", "管理職", "一般社員", "一般社員"][p % 4]
        answers = [ANSWERS[p % 4], ANSWERS[(p // 2) % 4]]
        text = f"部署での使い方を考えたい（{p}番目の回答）"
        rows.append([f"E{p:04d}" if ids else "", role, "営業部", "研修前", *answers, text])
    return rows


def _csv(rows: list[list[str]], *, header=HEADER, encoding="utf-8", order=None) -> bytes:
    order = order or list(range(len(header)))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n" if encoding == "cp932" else "\n")
    writer.writerow([header[i] for i in order])
    writer.writerows([[row[i] for i in order] for row in rows])
    return buffer.getvalue().encode(encoding)


def _save(store: WaveStore, data: bytes, name: str, **kwargs):
    schema = load_survey(data, name=name).schema
    return store.save(data, filename=name, schema=schema, **kwargs)


def _count(store: WaveStore) -> int:
    survey = store.survey()
    return 0 if survey is None else len(survey.frame)


def test_the_same_export_resaved_by_excel_is_refused_with_the_overlap(store):
    first = _csv(_rows(range(40)))
    again = _csv(_rows(range(40)), encoding="cp932", order=[3, 2, 1, 0, 6, 5, 4])  # Excel's CSV
    assert first != again and read_survey(again).encoding == "cp932"
    _save(store, first, "forms.csv")
    with pytest.raises(DuplicatePeopleError) as error:
        _save(store, again, "forms_excel.csv")
    message = str(error.value)
    assert "研修前に40人" in message and "forms.csv" in message and "回答者ID" in message
    assert "置き換える" in message
    assert _count(store) == 40  # nothing half-stored, nobody counted twice


def test_hr_may_replace_the_wave_with_the_new_file(store):
    _save(store, _csv(_rows(range(40))), "forms.csv")
    again = _csv(_rows(range(40)), encoding="cp932", order=[3, 2, 1, 0, 6, 5, 4])
    saved = _save(store, again, "forms_excel.csv", replace_waves=True)
    assert [(w.label, w.n_responses) for w in saved] == [("研修前", 40)]
    assert _count(store) == 40
    assert [w.filename for w in store.waves()] == ["forms_excel.csv"]


def test_without_ids_identical_sheets_with_written_answers_are_the_same_people(store):
    header = HEADER[1:]
    rows = [row[1:] for row in _rows(range(30), ids=False)]
    _save(store, _csv(rows, header=header), "a.csv")
    with pytest.raises(DuplicatePeopleError, match="研修前に30人"):
        _save(store, _csv(rows, header=header, encoding="cp932"), "a_excel.csv")


def test_other_people_in_the_same_wave_are_joined(store):
    """Two departments' exports of 研修前 are one wave with everyone in it."""
    _save(store, _csv(_rows(range(0, 20))), "sales.csv")
    _save(store, _csv(_rows(range(20, 45))), "admin.csv")
    assert _count(store) == 45


def test_the_same_bytes_twice_are_stored_once_without_an_error(store):
    data = _csv(_rows(range(12)))
    _save(store, data, "forms.csv")
    _save(store, data, "forms.csv")
    assert _count(store) == 12
