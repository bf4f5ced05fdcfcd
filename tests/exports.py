"""Small survey exports in each vendor's layout, built the way each tool writes them.

Every builder returns the file's bytes for the same six respondents, so tests can
check that each layout yields the same statements and answers.
"""

from __future__ import annotations

import csv
import io

import openpyxl

GRID_QUESTION = "AI活用について、以下の項目にどの程度あてはまりますか。"
STATEMENTS = (
    "研修の内容は自分の業務に役立つと思う",
    "AIに自分の仕事を奪われるのではないかと不安だ",
)
FREE_QUESTION = "AI導入について、不安に思うことを自由にお書きください。"
ROWS = (
    # role, wave, department, answers to the statements, free text, e-mail, employee no.
    ("経営層", "研修前", "経営企画部", ("とてもそう思う", "まったくそう思わない"), "スピード感を持って成果を出したい。", "a.sato@example.co.jp", "E10001"),
    ("管理職", "研修前", "営業部", ("そう思う", "どちらともいえない"), "部下への説明を一人で抱えている。", "b.suzuki@example.co.jp", "E10002"),
    ("一般社員", "研修前", "営業部", ("どちらともいえない", "そう思う"), "なぜ今AIなのかがわからない。", "c.takahashi@example.co.jp", "E10003"),
    ("経営層", "研修後", "経営企画部", ("とてもそう思う", "そう思わない"), "現場の提案が増えてきた。", "a.sato@example.co.jp", "E10001"),
    ("管理職", "研修後", "営業部", ("とてもそう思う", "そう思わない"), "一人で抱え込まなくてよくなった。", "b.suzuki@example.co.jp", "E10002"),
    ("一般社員", "研修後", "営業部", ("そう思う", "どちらともいえない"), "営業日報の要約に使ってみたい。", "c.takahashi@example.co.jp", "E10003"),
)  # fmt: skip


def _csv(rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def google_forms_csv() -> bytes:
    header = ["タイムスタンプ", "メールアドレス", "社員番号", "役職", "部署", "回答時期"]
    header += [f"{GRID_QUESTION} [{s}]" for s in STATEMENTS] + [FREE_QUESTION]
    body = [
        [f"2025/04/0{i + 1} 9:00:00", mail, number, role, dept, wave, *answers, text]
        for i, (role, wave, dept, answers, text, mail, number) in enumerate(ROWS)
    ]
    return _csv([header, *body])


def plain_csv(encoding: str = "cp932", delimiter: str = ",") -> bytes:
    """Excel's "CSV" save: one header row, statements as headers."""
    header = ["社員番号", "役職", "部署", "回答時期", *STATEMENTS, FREE_QUESTION]
    body = [
        [number, role, dept, wave, *answers, text]
        for role, wave, dept, answers, text, _mail, number in ROWS
    ]
    return _csv([header, *body], encoding=encoding, delimiter=delimiter)


def microsoft_forms_xlsx() -> bytes:
    header = ["ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻"]
    header += ["役職", "部署", "回答時期", *STATEMENTS, FREE_QUESTION]
    body = []
    for i, (role, wave, dept, answers, text, mail, _number) in enumerate(ROWS):
        mail = "anonymous" if i == 2 else mail
        name = "" if i == 2 else f"回答者{i}"
        body.append([i + 1, "2025-04-01 09:00:00", "2025-04-01 09:05:00", mail, name, "",
                     role, dept, wave, *answers, text])  # fmt: skip
    return _xlsx([header, *body])


def _surveymonkey_rows() -> list[list[str]]:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name"]  # fmt: skip
    top = [*meta, "役職", "部署", "回答時期", GRID_QUESTION, "", FREE_QUESTION]
    sub = [""] * len(meta) + ["Response", "Response", "Response", *STATEMENTS]
    sub.append("Open-Ended Response")
    body = [
        [str(1000 + i), "42", "04/01/2025 09:00:00 AM", "04/01/2025 09:05:00 AM",
         f"192.168.0.{i + 1}", "", "", "", role, dept, wave, *answers, text]
        for i, (role, wave, dept, answers, text, _mail, _number) in enumerate(ROWS)
    ]  # fmt: skip
    return [top, sub, *body]


def surveymonkey_csv() -> bytes:
    return _csv(_surveymonkey_rows())


def surveymonkey_xlsx() -> bytes:
    return _xlsx(_surveymonkey_rows())


def qualtrics_csv() -> bytes:
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
            "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
            "DistributionChannel", "UserLanguage"]  # fmt: skip
    names = [*meta, "Q1", "Q2", "Q3", "Q4_1", "Q4_2", "Q5"]
    labels = [
        "Start Date", "End Date", "Response Type", "IP Address", "Progress",
        "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
        "Recipient Last Name", "Recipient First Name", "Recipient Email",
        "External Data Reference", "Location Latitude", "Location Longitude",
        "Distribution Channel", "User Language",
        "役職", "部署", "回答時期",
        f"{GRID_QUESTION} - {STATEMENTS[0]}", f"{GRID_QUESTION} - {STATEMENTS[1]}", FREE_QUESTION,
    ]  # fmt: skip
    imports = [f'{{"ImportId":"{name}"}}' for name in names]
    body = [
        ["2025-04-01 09:00:00", "2025-04-01 09:05:00", "IP Address", f"10.0.0.{i + 1}", "100",
         "300", "True", "2025-04-01 09:05:00", f"R_{i:04d}abc", "", "", "", number, "35.6",
         "139.7", "anonymous", "JA", role, dept, wave, *answers, text]
        for i, (role, wave, dept, answers, text, _mail, number) in enumerate(ROWS)
    ]  # fmt: skip
    return _csv([names, labels, imports, *body])
