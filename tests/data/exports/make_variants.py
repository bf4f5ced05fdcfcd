"""Write the hand-made variants of the export zoo (``tests/data/exports/ja_*``).

Each variant is a small AI-adoption-training survey export laid out the way one
tool writes it, deliberately unlike ``sample_data/``: other wording, column
order, scales, encodings and locales. The expected column meanings live beside
each file in ``<file>.expected.json`` (written by hand, not by this script).

    .venv/bin/python tests/data/exports/make_variants.py

Deterministic: the same bytes every run (fixed seed, fixed workbook timestamps).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 4, 1, 9, 0, 0)

AGREE4 = ("そう思わない", "あまりそう思わない", "ややそう思う", "そう思う")
AGREE5 = (
    "まったくそう思わない",
    "そう思わない",
    "どちらともいえない",
    "そう思う",
    "とてもそう思う",
)
AGREE6 = ("まったくそう思わない", "そう思わない", "あまりそう思わない", "ややそう思う", "そう思う",
          "とてもそう思う")  # fmt: skip
AGREE7 = ("まったくそう思わない", "そう思わない", "あまりそう思わない", "どちらともいえない",
          "ややそう思う", "そう思う", "非常にそう思う")  # fmt: skip
SATISFY5 = ("不満", "やや不満", "どちらともいえない", "やや満足", "満足")
NUMBERED5 = ("1: まったくそう思わない", "2: そう思わない", "3: どちらともいえない", "4: そう思う",
             "5: とてもそう思う")  # fmt: skip
FULLWIDTH5 = ("１", "２", "３", "４", "５")

FREE_TEXTS = (
    "正直、何から始めればいいのかわからない…",
    "議事録の要約に使えたら助かる",
    "特になし",
    "部下にどう説明するか悩んでいます&hellip;",
    "マニュアル作成を任せたい",
    "ＰｏＣばかりで現場は疲れている",
    "営業日報の要約→すぐにでも試したい",
    "上からの指示だけで、理由がよく分からない",
    "研修で他部署の人と話せたのがよかった！",
    "ＡＩに仕事を取られそうで不安です",
    "問い合わせ対応の下書きに使えそう",
    "結局また実験で終わりそう&rarr;定着するか心配",
    "一人で抱え込まなくてよくなった",
    "まだ使ったことがない",
    "会議の準備が楽になりそう（資料の叩き台など）",
    "セキュリティ面が気になる",
)
DEPARTMENTS = ("営業部", "製造部", "総務部", "開発部", "経理部", "人事部")
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
            "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "斎藤")  # fmt: skip
GIVEN = ("翔太", "美咲", "大輔", "陽子", "健一", "彩", "直樹", "由美", "誠", "愛", "拓也", "恵",
         "亮", "麻衣", "隆", "千尋", "学", "真由美", "剛", "香織")  # fmt: skip
ROMAN = ("sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura",
         "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue",
         "kimura", "hayashi", "shimizu", "saito")  # fmt: skip


def _answer(rng: random.Random, labels: tuple[str, ...], lean: float = 0.0) -> str:
    """One answer, biased towards the top (lean > 0) or bottom (lean < 0) of the scale."""
    n = len(labels)
    centre = (n - 1) / 2 + lean * (n - 1) / 2
    index = round(rng.gauss(centre, n / 4))
    return labels[min(max(index, 0), n - 1)]


def _person(i: int) -> tuple[str, str]:
    """A fictional full name and e-mail address (example.co.jp)."""
    s, g = i % len(SURNAMES), (i * 7) % len(GIVEN)
    return f"{SURNAMES[s]} {GIVEN[g]}", f"{ROMAN[s]}.{i:02d}@example.co.jp"


def _write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8",
               newline: str = "\r\n") -> None:  # fmt: skip
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _write_xlsx(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy/m/d h:mm:ss"
    workbook.properties.created = FIXED
    workbook.properties.modified = FIXED
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed member timestamps, so reruns give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 4, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2025-04-01T09:00:00Z",
                    content,
                )
            target.writestr(fixed, content)
    return out.getvalue()


def _ampm(moment: dt.datetime) -> str:
    """Google Forms (Japanese UI) as Sheets writes it: 2025/04/07 10:08:14 午前 GMT+9."""
    hour = moment.hour % 12 or 12
    half = "午前" if moment.hour < 12 else "午後"
    return f"{moment:%Y/%m/%d} {hour}:{moment:%M:%S} {half} GMT+9"


# --- 1. Google Forms, Japanese UI, 4-point scale, job titles, a linking 社員番号 ------------------


def google_forms_ja_4point() -> None:
    rng = random.Random(101)
    grid = "研修を受けて、以下の項目についてどう感じますか。"
    statements = (
        "他部署のメンバーとの相互理解が深まったと思う",
        "自分の役職に求められる役割が明確だ",
        "AIに仕事を奪われるのではないかと不安だ",
        "AIへの不安はない",
        "研修の資料は読みやすかった",  # everyone answered そう思う
    )
    titles = ("部長", "課長", "係長", "主任", "一般", "一般", "役員", "一般", "課長", "主任", "一般",
              "一般")  # fmt: skip
    header = ["タイムスタンプ", "メールアドレス", "社員番号", "氏名", "役職", "部署", "回答時期"]
    header += [f"{grid} [{s}]" for s in statements]
    header += ["研修で印象に残ったこと、今後やってみたいことを自由にお書きください。"]
    rows = [header]
    for w, wave in enumerate(("研修前", "研修後")):
        for i, title in enumerate(titles):
            name, mail = _person(i)
            when = dt.datetime(2025, 4, 7 + 21 * w, 9 + i % 5, 8 + 3 * i, 14 + i)
            lean = 0.4 * w - (0.3 if title == "一般" else 0.0)
            answers = [_answer(rng, AGREE4, lean), _answer(rng, AGREE4, lean),
                       _answer(rng, AGREE4, -lean), _answer(rng, AGREE4, lean), "そう思う"]  # fmt: skip
            text = FREE_TEXTS[(i + 5 * w) % len(FREE_TEXTS)] if (i + w) % 4 else ""
            rows.append([_ampm(when), mail, f"K{2301 + i:05d}", name, title,
                         DEPARTMENTS[i % 4], wave, *answers, text])  # fmt: skip
    _write_csv(HERE / "ja_google_forms_4point.csv", rows, newline="\n")


# --- 2. Google Forms, English UI, Japanese questions, 5-point + 満足, traps in the wording ----


def google_forms_en_ui() -> None:
    rng = random.Random(202)
    grid = "AI導入について"
    statements = (
        "AI導入の時期は適切だと思う",
        "名前を知らない同僚とも話せた",
        "生成AIの操作は難しいと感じる",
        "AIで残業が減ると思う",
        "なぜ今AIを導入するのか理解している",
    )
    waves = ("研修前", "研修後", "3か月後")
    roles = ("経営層", "管理職", "管理職", "一般社員", "一般社員", "一般社員", "一般社員", "管理職")
    header = ["Timestamp", "Email Address"]
    header += [f"{grid} [{statements[0]}]", f"{grid} [{statements[1]}]"]
    header += ["役割", "部署名"]
    header += [f"{grid} [{s}]" for s in statements[2:]]
    header += ["今回の研修に満足している", "タイミング", "ご意見・ご感想"]
    rows = [header]
    for w, wave in enumerate(waves):
        for i, role in enumerate(roles):
            _, mail = _person(40 + i + 8 * w)  # anonymous waves: no ID links them
            when = dt.datetime(2025, 4 + 3 * w if w < 2 else 10, 7 + i, 10 + i % 6, 8, 14)
            lean = 0.3 * w
            answers = [_answer(rng, AGREE5, lean) for _ in statements]
            answers[2] = _answer(rng, AGREE5, -lean)
            text = FREE_TEXTS[(3 * i + w) % len(FREE_TEXTS)] if i % 3 else ""
            rows.append([f"{when.month}/{when.day}/{when.year} {when:%H:%M:%S}", mail,
                         answers[0], answers[1], role, DEPARTMENTS[(i + w) % 5], *answers[2:],
                         _answer(rng, SATISFY5, 0.4), wave, text])  # fmt: skip
    _write_csv(HERE / "ja_google_forms_en_ui.csv", rows, newline="\n")


# --- 3. Microsoft Forms (Japanese UI), 7-point labels, 3 waves linked by 社員番号 ---------------


def microsoft_forms_7point() -> None:
    rng = random.Random(303)
    statements = (
        "今回の研修に満足している",
        "Hotel予約の方法を生成AIで調べられる",
        "AI導入を自分ひとりで抱え込んでいると感じる",
        "AIで無駄な作業がなくなると思う",
        "AIについて相談できる相手がいる",
    )
    titles = ("取締役", "部長", "課長", "一般職", "スタッフ")
    header = ["ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻", "社員番号", "所属",
              "役職", "回答時期", *statements, "AIを使ってみたい業務があれば教えてください"]  # fmt: skip
    rows = [header]
    n = 0
    for w, wave in enumerate(("研修前", "研修後", "3か月後")):
        for i, title in enumerate(titles):
            n += 1
            name, mail = _person(60 + i)
            start = dt.datetime(2025, (4, 5, 8)[w], 10 + i, 13, 2 * i, 11)
            answers = [_answer(rng, AGREE7, 0.3 * w) for _ in statements]
            answers[2] = _answer(rng, AGREE7, -0.3 * w)
            rows.append([n, start, start + dt.timedelta(minutes=4, seconds=17 * i + 3), mail,
                         name, None, f"{7100 + i}", DEPARTMENTS[i % 3], title, wave, *answers,
                         FREE_TEXTS[(2 * i + w) % len(FREE_TEXTS)]])  # fmt: skip
    _write_xlsx(HERE / "ja_microsoft_forms_7point.xlsx", [("Sheet1", rows)])


# --- 4. Microsoft Forms with a cover sheet first; numeric 1-5 and a 6-point item -------------


def microsoft_forms_cover_sheet() -> None:
    rng = random.Random(404)
    cover = [
        ["対話型AI導入研修 事後アンケート 集計"],
        [],
        ["作成：人事部 人材開発課"],
        ["※ このファイルには個人情報が含まれます。取り扱いに注意してください。"],
        ["※ 回答データは「回答」シートにあります。"],
    ]
    header = ["ID", "開始時刻", "完了時刻", "メール", "名前", "部署", "役職",
              "研修の内容は自分の業務に役立つと思う", "AIに仕事を奪われるのではないかと不安だ",
              "AIで残業が減ると思う", "職場でAIについて率直に話せる",
              "今後、AIを業務で積極的に使いたい", "研修の感想"]  # fmt: skip
    roles = ("経営層", "管理職", "管理職", "一般社員", "一般社員", "一般社員", "一般社員")
    rows = [header]
    for i in range(14):
        name, mail = _person(80 + i)
        start = dt.datetime(2025, 6, 2 + i // 5, 15, 3 * i, 40)
        role = roles[i % len(roles)]
        nums = [int(_answer(rng, ("1", "2", "3", "4", "5"), 0.3)) for _ in range(3)]
        nums[1] = int(_answer(rng, ("1", "2", "3", "4", "5"), -0.2))
        rows.append([i + 1, start, start + dt.timedelta(minutes=6, seconds=9 * i), mail, name,
                     DEPARTMENTS[i % 4], role, *nums, _answer(rng, AGREE6, 0.2),
                     _answer(rng, AGREE6, 0.4), FREE_TEXTS[(i + 7) % len(FREE_TEXTS)]])  # fmt: skip
    _write_xlsx(HERE / "ja_microsoft_forms_cover_sheet.xlsx", [("表紙", cover), ("回答", rows)])


# --- 5. SurveyMonkey, English metadata, Japanese statements, numbered labels ---------------


def surveymonkey_numbered() -> None:
    rng = random.Random(505)
    grid = "AI活用について、以下の各項目にどの程度あてはまりますか。"
    statements = (
        "研修の内容は自分の業務に役立つと思う",
        "AIに仕事を奪われるのではないかと不安だ",
        "AI導入後に誰が何を担当するのかが明確だ",
        "AIで無駄な作業がなくなると思う",
    )
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip
    top = [*meta, "あなたの役職を教えてください。", "所属部署", grid, "", "", "",
           "AI導入について、不安に思うことを自由にお書きください。", "回答時期"]  # fmt: skip
    sub = [""] * len(meta) + ["Response", "Response", *statements, "Open-Ended Response",
                              "Response"]  # fmt: skip
    titles = (
        "部長",
        "課長",
        "マネージャー",
        "一般",
        "スタッフ",
        "一般",
        "課長",
        "一般",
        "スタッフ",
    )
    rows = [top, sub]
    for w, (wave, collector) in enumerate((("研修前", "431870255"), ("研修後", "431870262"))):
        for i, title in enumerate(titles):
            if w == 1 and i == 5:
                continue  # one person skipped the second wave
            first, last = GIVEN[i], SURNAMES[i]
            start = dt.datetime(2025, 4 + 2 * w, 8 + i, 9 + i % 4, 15, 30)
            end = start + dt.timedelta(minutes=5, seconds=11 * i)
            answers = [_answer(rng, NUMBERED5, 0.3 * w) for _ in statements]
            answers[1] = _answer(rng, NUMBERED5, -0.3 * w)
            rows.append([str(114682930000 + 97 * i + 5000 * w), collector,
                         start.strftime("%m/%d/%Y %I:%M:%S %p"), end.strftime("%m/%d/%Y %I:%M:%S %p"),
                         f"203.0.113.{10 + i}", f"{ROMAN[i]}@example.co.jp", first, last,
                         f"EMP-{3300 + i}", title, DEPARTMENTS[i % 3], *answers,
                         FREE_TEXTS[(i + 3 * w) % len(FREE_TEXTS)] if i % 4 else "", wave])  # fmt: skip
    _write_csv(HERE / "ja_surveymonkey_numbered.csv", rows)


# --- 6. Qualtrics, three header rows, numeric 1-7, an empty ExternalReference -------------


def qualtrics_numeric7() -> None:
    rng = random.Random(606)
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
            "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
            "DistributionChannel", "UserLanguage"]  # fmt: skip
    meta_labels = ["Start Date", "End Date", "Response Type", "IP Address", "Progress",
                   "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
                   "Recipient Last Name", "Recipient First Name", "Recipient Email",
                   "External Data Reference", "Location Latitude", "Location Longitude",
                   "Distribution Channel", "User Language"]  # fmt: skip
    imports = ['{"ImportId":"startDate","timeZone":"Asia/Tokyo"}',
               '{"ImportId":"endDate","timeZone":"Asia/Tokyo"}', '{"ImportId":"status"}',
               '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
               '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"Asia/Tokyo"}',
               '{"ImportId":"_recordId"}', '{"ImportId":"recipientLastName"}',
               '{"ImportId":"recipientFirstName"}', '{"ImportId":"recipientEmail"}',
               '{"ImportId":"externalDataReference"}', '{"ImportId":"locationLatitude"}',
               '{"ImportId":"locationLongitude"}', '{"ImportId":"distributionChannel"}',
               '{"ImportId":"userLanguage"}']  # fmt: skip
    grid = "以下の各項目について、1（まったくそう思わない）〜7（非常にそう思う）でお答えください。"
    statements = (
        "なぜ今AIを導入するのか理解している",
        "生成AIの操作は難しいと感じる",
        "AIの試行が実際の業務の変化につながると思う",
        "他部署のメンバーとの相互理解が深まったと思う",
    )
    codes = ["Q1", "Q2", "Q3", "Q4_1", "Q4_2", "Q4_3", "Q4_4", "Q5", "Q6"]
    labels = ["あなたの役職を選んでください。", "所属部署を選んでください。", "回答時期",
              *(f"{grid} - {s}" for s in statements),
              "研修を通じて変わったこと、感じたことをお書きください。", "年齢"]  # fmt: skip
    q_imports = ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}', '{"ImportId":"QID3"}',
                 *(f'{{"ImportId":"QID4_{k}"}}' for k in range(1, 5)),
                 '{"ImportId":"QID5_TEXT"}', '{"ImportId":"QID6_TEXT"}']  # fmt: skip
    roles = ("経営層", "管理職", "管理職", "一般社員", "一般社員", "一般社員", "一般社員",
             "管理職", "一般社員", "一般社員")  # fmt: skip
    rows = [[*meta, *codes], [*meta_labels, *labels], [*imports, *q_imports]]
    for w, wave in enumerate(("研修前", "研修後")):
        for i, role in enumerate(roles):
            start = dt.datetime(2025, 4 + 3 * w, 14 + i // 4, 13 + i % 5, 5 * i, 9)
            end = start + dt.timedelta(seconds=180 + 23 * i)
            nums = [_answer(rng, tuple("1234567"), 0.25 * w) for _ in statements]
            nums[1] = _answer(rng, tuple("1234567"), -0.25 * w)
            rows.append([start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"),
                         "0", f"198.51.100.{20 + i + 10 * w}", "100", str(180 + 23 * i), "1",
                         end.strftime("%Y-%m-%d %H:%M:%S"), f"R_{rng.getrandbits(48):012x}",
                         "", "", "", "", f"35.{6800 + i}", f"139.{7600 + i}", "anonymous", "JA",
                         role, DEPARTMENTS[(i + w) % 4], wave, *nums,
                         FREE_TEXTS[(5 * i + w) % len(FREE_TEXTS)] if i % 3 != 1 else "",
                         str(28 + 3 * i)])  # fmt: skip
    _write_csv(HERE / "ja_qualtrics_numeric7.csv", rows, encoding="utf-8-sig")


# --- 7. Excel "CSV" in CP932 whose first header is 回答者ID (one header row) -----------------


def excel_cp932_respondent_first() -> None:
    rng = random.Random(707)
    titles = ("取締役", "マネージャー", "マネージャー", "スタッフ", "スタッフ", "スタッフ", "部長",
              "スタッフ", "一般職", "スタッフ", "課長", "スタッフ")  # fmt: skip
    header = ["回答者ID", "実施日", "AIで自分の仕事が楽になると思う", "研修で印象に残ったこと",
              "AIに仕事を奪われるのではないかと不安だ", "部門", "今後、自分の業務でAIを積極的に使いたい",
              "職位"]  # fmt: skip
    rows = [header]
    for w, day in enumerate(("2025/4/10", "2025/7/10")):
        for i, title in enumerate(titles):
            rows.append([str(1001 + i), day, _answer(rng, FULLWIDTH5, 0.3 * w),
                         FREE_TEXTS[(i + 2 * w) % len(FREE_TEXTS)] if (i + w) % 3 else "",
                         _answer(rng, FULLWIDTH5, -0.3 * w), DEPARTMENTS[i % 3],
                         _answer(rng, FULLWIDTH5, 0.3 * w), title])  # fmt: skip
    _write_csv(HERE / "ja_excel_cp932_respondent_first.csv", rows, encoding="cp932")


# --- 8. Google Forms, numeric 1-5 linear scale, 3 waves linked by 社員ID ---------------------


def google_forms_numeric5() -> None:
    rng = random.Random(808)
    statements = (
        "AIについての不安や疑問を職場で率直に話せる",
        "また実験で終わるのではないかと感じる",
        "AIで無駄な作業がなくなると思う",
        "AI導入後に誰が何を担当するのかが明確だ",
    )
    roles = ("経営層", "管理職", "管理職", "一般社員", "一般社員", "一般社員", "一般社員",
             "一般社員")  # fmt: skip
    header = ["タイムスタンプ", "社員ID", "所属部署", "役職区分", "研修フェーズ",
              *(f"次の設問について1〜5で評価してください。 [{s}]" for s in statements),
              "AIを活用できそうな業務やアイデアがあればお書きください。"]  # fmt: skip
    rows = [header]
    for w, wave in enumerate(("研修前", "研修後", "3か月後")):
        for i, role in enumerate(roles):
            when = dt.datetime(2025, (4, 4, 7)[w], (7, 28, 14)[w], 9 + i, 2 * i, 5)
            nums = [_answer(rng, tuple("12345"), 0.3 * w) for _ in statements]
            nums[1] = _answer(rng, tuple("12345"), -0.3 * w)
            rows.append([f"{when:%Y/%m/%d} {when.hour}:{when:%M:%S}", f"S-{5200 + i}",
                         DEPARTMENTS[(2 * i) % 5], role, wave, *nums,
                         FREE_TEXTS[(i + 4 * w) % len(FREE_TEXTS)] if (i * w) % 5 != 1 else ""])  # fmt: skip
    _write_csv(HERE / "ja_google_forms_numeric5.csv", rows, newline="\n")


def main() -> None:
    google_forms_ja_4point()
    google_forms_en_ui()
    microsoft_forms_7point()
    microsoft_forms_cover_sheet()
    surveymonkey_numbered()
    qualtrics_numeric7()
    excel_cp932_respondent_first()
    google_forms_numeric5()


if __name__ == "__main__":
    main()
