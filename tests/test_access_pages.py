"""Each role on each page under AppTest: what it shows, what it refuses, what it logs.

The sample survey is stored as 研修2025 (``stored``); managers and trainers get grants
on it. Numbers are checked against pandas on the raw CSV (helpers of test_pages.py).
Every test here starts signed out (``signed_out``) and signs in as it needs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import sign_in
from streamlit.testing.v1 import AppTest
from test_pages import (
    ANSWERS,
    GOOGLE_CSV,
    Q2,
    chart_titled,
    charts,
    fingerprint,
    marker_traces,
    mean_of,
    page_text,
)

from analysis import access
from analysis.accounts import AccountStore
from analysis.audit import Action, AuditLog
from analysis.schema import load_survey
from analysis.store import DATABASE_URL_ENV, WaveStore

ROOT = Path(__file__).resolve().parents[1]
SURVEY = "研修2025"
PASSWORD = "正しいパスワード1234"
PAGES = [page.value for page in access.Page]  # every page, home first

pytestmark = pytest.mark.signed_out


def url() -> str:
    import os

    return os.environ[DATABASE_URL_ENV]


@pytest.fixture
def stored(data_dir: Path) -> Path:
    """The sample survey saved as 研修2025 in the test's store."""
    waves = WaveStore(url())
    waves.save(
        GOOGLE_CSV.read_bytes(),
        filename=GOOGLE_CSV.name,
        schema=load_survey(GOOGLE_CSV).schema,
        survey=SURVEY,
    )
    waves.engine.dispose()
    return data_dir


def accounts() -> AccountStore:
    return AccountStore(url())


def audit_actions() -> list[tuple[str, str]]:
    store = accounts()
    rows = AuditLog(store.engine).rows()
    store.engine.dispose()
    return list(zip(rows["actor"], rows["action"], strict=True))[::-1]  # oldest first


def signed_in_app(username: str, role: str, *grants: tuple[str, str | None]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    sign_in(at, username, role=role)
    store = accounts()
    for survey, department in grants:
        store.grant(username, survey, department)
    store.engine.dispose()
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shows_data(at: AppTest) -> bool:
    return bool(at.get("plotly_chart") or at.dataframe or at.metric)


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


# --------------------------------------------------------------------------- no session


@pytest.mark.parametrize("page", PAGES)
def test_a_page_without_a_session_shows_the_form_and_no_survey_data(stored: Path, page: str):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    open_page(at, page)
    assert [t.label for t in at.text_input] == ["ユーザー名", "パスワード"]
    assert not shows_data(at)
    assert not at.sidebar.selectbox  # not even the survey names
    assert SURVEY not in page_text(at)


def test_sign_in_wrong_password_then_right_and_sign_out(stored: Path):
    accounts().create_account("佐藤", role="人事", password=PASSWORD)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.text_input[0].input("佐藤")
    at.text_input[1].input("まちがったパスワード")
    at.button[0].click().run()
    assert "ユーザー名またはパスワードが違います" in errors(at)
    assert not shows_data(at)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.metric and "佐藤（人事）" in " ".join(at.sidebar.caption.values)
    [out] = [b for b in at.sidebar.button if b.label == "サインアウト"]
    out.click().run()
    assert "サインアウトしました。" in [i.value for i in at.info]
    assert not shows_data(at)
    assert audit_actions() == [
        ("佐藤", Action.SIGN_IN_FAILED),
        ("佐藤", Action.SIGN_IN),
        ("佐藤", Action.SIGN_OUT),
    ]


def test_first_sign_in_asks_for_a_new_password(stored: Path):
    one_time = accounts().bootstrap()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.text_input[0].input("admin")
    at.text_input[1].input(one_time)
    at.button[0].click().run()
    assert any("新しいパスワードを設定" in w.value for w in at.warning)
    assert not shows_data(at)
    current, new, again = at.text_input
    current.input(one_time)
    new.input("新しいパスワード5678")
    again.input("新しいパスワード5678")
    at.button[0].click().run()
    assert not at.exception and at.metric
    assert ("admin", Action.PASSWORD_CHANGE) in audit_actions()


def test_an_expired_session_shows_a_japanese_message_and_nothing_else(stored: Path):
    store = accounts()
    store.create_account("佐藤", role="人事", password=PASSWORD)
    past = AccountStore(engine=store.engine, clock=lambda: dt.datetime(2020, 1, 1))
    token = past.open_session("佐藤")  # a session that ended in 2020
    store.engine.dispose()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["auth_token"] = token
    open_page(at, "pages/2_gaps.py")
    assert any("有効期限が切れました" in i.value for i in at.info)
    assert not shows_data(at)


def test_a_tampered_token_is_no_session(stored: Path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    token = sign_in(at, "佐藤")
    at.session_state["auth_token"] = token[:-2] + "xx"
    open_page(at, "app.py")
    assert [t.label for t in at.text_input] == ["ユーザー名", "パスワード"]
    assert not shows_data(at)


# --------------------------------------------------------------------------- roles x pages

# (role, grants, page) -> the refusal the page shows, or None when it opens.
REFUSALS = [
    ("管理職", [(SURVEY, None)], "pages/1_upload.py", "管理職のアカウントでは"),
    ("管理職", [(SURVEY, None)], "pages/5_export.py", "管理職のアカウントでは"),
    ("管理職", [(SURVEY, None)], "pages/6_settings.py", "管理職のアカウントでは"),
    ("管理職", [(SURVEY, "営業部")], "pages/2_gaps.py", "営業部の結果だけ"),
    ("管理職", [(SURVEY, "営業部")], "pages/3_trends.py", "営業部の結果だけ"),
    ("管理職", [(SURVEY, "営業部")], "pages/4_free_text.py", "営業部の結果だけ"),
    ("研修講師", [(SURVEY, None)], "pages/2_gaps.py", "研修講師のアカウントで使えるのは"),
    ("研修講師", [(SURVEY, None)], "pages/6_settings.py", "研修講師のアカウントで使えるのは"),
]


@pytest.mark.parametrize(("role", "grants", "page", "message"), REFUSALS)
def test_a_refused_page_says_why_and_shows_nothing(
    stored: Path, role: str, grants: list, page: str, message: str
):
    at = open_page(signed_in_app("鈴木", role, *grants), page)
    assert message in errors(at)
    assert not shows_data(at)
    assert not at.file_uploader and not at.number_input


def test_a_manager_sees_the_analysis_pages_of_the_granted_survey_only(stored: Path):
    at = open_page(signed_in_app("鈴木", "管理職", (SURVEY, None)), "pages/2_gaps.py")
    assert not at.error
    assert [s.options for s in at.sidebar.selectbox if s.label == "アンケート"] == [[SURVEY]]
    dumbbell = marker_traces(chart_titled(at, "役割ごとの平均"))
    shown = dict(zip(dumbbell["管理職"]["y"], dumbbell["管理職"]["x"], strict=True))
    assert shown[Q2] == pytest.approx(mean_of(回答時期="研修前", 役職="管理職", item=Q2))
    links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert links == ["", "gaps", "trends", "free_text"]
    open_page(at, "app.py")
    assert at.metric and not at.error
    assert "読み取った列" not in [s.value for s in at.subheader]  # no file internals


def test_a_trainer_signing_in_on_home_lands_on_the_export_page(stored: Path):
    """Home is not a trainer's page: they used to land on a refusal after signing in."""
    at = open_page(signed_in_app("田中", "研修講師", (SURVEY, None)), "app.py")
    assert not at.error and not at.exception
    assert "書き出し" in [t.value for t in at.title]
    assert [link.proto.page for link in at.sidebar.get("page_link")] == ["export"]


def test_a_trainer_gets_the_deck_and_aggregate_tables(stored: Path):
    at = open_page(signed_in_app("田中", "研修講師", (SURVEY, None)), "pages/5_export.py")
    assert not at.error
    assert [b.label for b in at.main.button] == ["スライドを作成"]
    assert [b.label for b in at.sidebar.button] == ["サインアウト"]
    assert at.dataframe  # the aggregate table preview
    links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert links == ["export"]


@pytest.mark.parametrize("asked", ["サンプルデータ（デモ）", "他社の調査", "研修2025'--"])
def test_a_manager_asking_for_another_survey_by_query_parameter_sees_nothing(
    stored: Path, asked: str
):
    at = signed_in_app("鈴木", "管理職", (SURVEY, None))
    at.query_params["survey"] = asked
    open_page(at, "pages/2_gaps.py")
    assert "このアンケートを閲覧する権限がありません。" in errors(at)
    assert not shows_data(at)


def test_a_manager_without_grants_is_told_so(stored: Path):
    at = open_page(signed_in_app("鈴木", "管理職"), "app.py")
    assert any("閲覧できるアンケートがありません" in i.value for i in at.info)
    assert not shows_data(at)
    assert SURVEY not in page_text(at)


# --------------------------------------------------------------------------- department scope


def _numbers(**where: str) -> set[str]:
    """Fingerprints of each role x item mean and favourable share (4-5 of 5, as 0-1 and %)."""
    rows = ANSWERS
    for column, value in where.items():
        rows = rows[rows[column] == value]
    cells = rows.groupby(["役職", "item"])["value"]
    found = list(cells.mean())
    for band in ((4, 5), (3, 3), (1, 2)):  # favourable, neutral, unfavourable
        shares = cells.apply(lambda v, band=band: float(v.between(*band).mean()))
        found += [*shares, *(shares * 100)]
    return {f for f in map(fingerprint, found) if f}


def _in(fingerprint: str, text: str) -> bool:
    """Whether a number starting with ``fingerprint`` is in ``text`` (not 40.9090 for 0.9090)."""
    return re.search(rf"(?<![\d.]){re.escape(fingerprint)}", text) is not None


def _means(**where: str) -> list[str]:
    return sorted(_numbers(**where))


def test_a_manager_scoped_to_sales_never_receives_another_departments_numbers(stored: Path):
    at = open_page(signed_in_app("高橋", "管理職", (SURVEY, "営業部")), "app.py")
    assert not at.error and not at.metric and not at.dataframe  # no whole-survey counts
    dumbbell = marker_traces(chart_titled(at, "役割ごとの平均"))
    assert list(dumbbell) == ["管理職", "一般社員"]  # 営業部 has no 経営層
    for role in dumbbell:
        shown = dict(zip(dumbbell[role]["y"], dumbbell[role]["x"], strict=True))
        assert shown[Q2] == pytest.approx(
            mean_of(回答時期="研修前", 部署="営業部", 役職=role, item=Q2), abs=1e-9
        )
    others = sorted(set(ANSWERS["部署"]) - {"営業部"})
    waves = [s for s in at.selectbox if s.label == "回答時期"][0].options
    assert waves == ["研修前", "研修後", "3か月後"]
    cuts = [{}, *({"回答時期": w} for w in waves)]  # each wave, and all waves pooled
    sales = set().union(*(_numbers(**c, 部署="営業部") for c in cuts))  # 営業部's: no leak
    foreign = (
        set().union(
            *(_numbers(**c, 部署=d) for c in cuts for d in others), *(_numbers(**c) for c in cuts)
        )
        - sales
    )
    assert len(foreign) > 100  # the check has something to find
    for wave in waves:  # every element of every wave's view, as sent to the browser
        [box] = [s for s in at.selectbox if s.label == "回答時期"]
        box.set_value(wave).run()
        assert not at.exception and len(charts(at)) == 2
        text = page_text(at)
        assert not [d for d in others if d in text], wave
        assert not sorted(f for f in foreign if _in(f, text)), wave  # nor the whole survey's
        own = [f for f in _numbers(回答時期=wave, 部署="営業部") if _in(f, text)]
        assert own, wave  # the check sees numbers: 営業部's own are there


def test_a_department_view_keeps_complementary_suppression(stored: Path):
    """経理部: 管理職 has 4 people, so 一般社員 (14) is hidden too, as on the whole survey."""
    at = open_page(signed_in_app("高橋", "管理職", (SURVEY, "経理部")), "app.py")
    assert any("経理部は人数が少ないため" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    text = page_text(at)
    assert not [f for f in _means(回答時期="研修前", 部署="経理部") if f in text]


# --------------------------------------------------------------------------- HR actions, logged


def _hr_app() -> AppTest:
    return signed_in_app("佐藤", "人事")


def test_thresholds_have_a_floor_and_every_change_is_logged(stored: Path):
    at = open_page(_hr_app(), "pages/6_settings.py")
    scores, comments = (b for b in at.number_input if "最小人数" in b.label)
    assert (scores.min, comments.min) == (3, 5)
    scores.set_value(3)
    comments.set_value(5).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    assert "数値は3人以上、コメントは5人以上" in " ".join(at.sidebar.caption.values)
    [row] = [r for r in audit_rows() if r[1] == Action.THRESHOLD]
    assert row == ("佐藤", Action.THRESHOLD, SURVEY, "数値 5→3人、コメント 10→5人")


def audit_rows() -> list[tuple[str, str, str, str]]:
    store = accounts()
    rows = AuditLog(store.engine).rows()
    store.engine.dispose()
    return list(zip(rows["actor"], rows["action"], rows["survey"], rows["detail"], strict=True))


def test_wave_rename_and_delete_are_logged(stored: Path):
    at = open_page(_hr_app(), "pages/6_settings.py")
    [name] = [t for t in at.text_input if t.label == "名前" and t.value == "研修前"]
    name.input("研修前（4月）")
    [rename] = [b for b in at.button if b.label == "名前を変更" and b.key == f"rename_button_{name.key.split('_')[-1]}"]  # fmt: skip
    rename.click().run()
    wave_id = name.key.split("_")[-1]
    at.checkbox(key=f"confirm_{wave_id}").check().run()
    at.button(key=f"delete_{wave_id}").click().run()
    assert not at.exception
    logged = [
        (r[1], r[3]) for r in audit_rows() if r[1] in (Action.WAVE_RENAME, Action.WAVE_DELETE)
    ]
    assert logged == [
        (Action.WAVE_DELETE, f"研修前（4月）（{GOOGLE_CSV.name}）"),
        (Action.WAVE_RENAME, "研修前 → 研修前（4月）"),
    ]


def test_hr_adds_a_manager_grants_a_department_and_reads_the_log(stored: Path):
    at = open_page(_hr_app(), "pages/6_settings.py")
    at.text_input(key="new_account_name").input("高橋")
    at.selectbox(key="new_account_role").set_value("管理職")
    [add] = [b for b in at.button if b.label == "追加"]
    add.click().run()
    [shown] = [s.value for s in at.success if "一度だけ使うパスワード" in s.value]
    password = shown.rsplit(": ", 1)[-1]
    at.selectbox(key="account_chosen").set_value("高橋").run()
    at.selectbox(key="grant_survey_高橋").set_value(SURVEY)
    at.text_input(key="grant_department_高橋").input("営業部")
    at.button(key="grant_高橋").click().run()
    assert not at.exception
    account = accounts().account("高橋")
    assert (account.role, account.must_change) == ("管理職", True)
    assert [(g.survey, g.department) for g in account.grants] == [(SURVEY, "営業部")]
    store = accounts()
    assert store.session_account(store.sign_in("高橋", password)).username == "高橋"
    store.engine.dispose()
    details = [r[3] for r in audit_rows() if r[1] == Action.ACCOUNT]
    assert details == ["許可: 高橋 営業部", "追加: 高橋（管理職）"]
    [download] = [d for d in at.get("download_button") if "監査ログ" in d.proto.label]
    assert download is not None


def test_upload_mapping_change_and_deck_export_log_one_row_each(data_dir: Path):
    import exports

    from analysis.store import DEFAULT_SURVEY
    from ui.mapping import editor_key

    content = exports.google_forms_csv()
    at = open_page(_hr_app(), "pages/1_upload.py")
    at.file_uploader[0].set_value(("google.csv", content, "text/csv")).run()
    [save] = [b for b in at.button if b.label == "保存する"]
    save.click().run()
    assert not at.exception and not at.error
    open_page(at, "pages/6_settings.py")
    waves = WaveStore(url())
    [upload] = waves.uploads(DEFAULT_SURVEY)
    at.session_state[f"remap_open_{upload.id}"] = True
    at.run()
    key = editor_key(f"remap_{upload.id}_0", waves.upload_table(upload.id)[0])
    waves.engine.dispose()
    grid = at.data_editor(key=key).value
    row = int(grid.index[grid["列"] == "部署"][0])
    at.session_state[key] = {
        "edited_rows": {row: {"判定": "その他（分析しない）"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    [remap] = [b for b in at.button if b.label == "この対応付けで再分析する"]
    remap.click().run()
    assert not at.exception and any("再分析しました" in t.value for t in at.toast)
    open_page(at, "pages/5_export.py")
    [create] = [b for b in at.button if b.label == "スライドを作成"]
    create.click().run()
    assert not at.exception
    open_page(at, "pages/6_settings.py")  # pages run again: no action, no row
    open_page(at, "pages/1_upload.py")
    logged = [
        r for r in audit_rows() if r[1] in (Action.UPLOAD, Action.MAPPING, Action.DECK_EXPORT)
    ]
    assert [(r[0], r[1], r[2]) for r in logged] == [
        ("佐藤", Action.DECK_EXPORT, DEFAULT_SURVEY),
        ("佐藤", Action.MAPPING, DEFAULT_SURVEY),
        ("佐藤", Action.UPLOAD, DEFAULT_SURVEY),
    ]
    assert logged[1][3] == "google.csv" and logged[2][3].startswith("google.csv: ")
    assert logged[0][3].endswith("_deck.pptx")


# (scores, comments) sent by the browser -> what is kept: Streamlit drops a number outside
# the input's range (the page's own max() with the floor is a second guard).
SENT = [((1, 1), None), ((2, 7), (5, 7)), ((4, 4), (4, 10)), ((3, 5), (3, 5)), ((5, 10), None)]


@pytest.mark.parametrize(("sent", "kept"), SENT)
def test_a_threshold_below_its_floor_is_never_kept_and_each_change_is_logged_once(
    stored: Path, sent: tuple[int, int], kept: tuple[int, int] | None
):
    at = open_page(_hr_app(), "pages/6_settings.py")
    scores, comments = (b for b in at.number_input if "最小人数" in b.label)
    scores.set_value(sent[0])
    comments.set_value(sent[1]).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    assert not at.exception
    caption = " ".join(at.sidebar.caption.values)
    shown = tuple(
        map(int, re.search(r"数値は(\d+)人以上、コメントは(\d+)人以上", caption).groups())
    )
    assert shown == (kept or (5, 10))
    logged = [r[3] for r in audit_rows() if r[1] == Action.THRESHOLD]
    assert logged == ([f"数値 5→{kept[0]}人、コメント 10→{kept[1]}人"] if kept else [])


# --------------------------------------------------------------------------- single sign-on

SSO_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "テスト用の秘密の文字列-0123456789",
    "microsoft": {
        "client_id": "00000000-0000-0000-0000-000000000001",
        "client_secret": "テスト用",
        "server_metadata_url": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0/.well-known/openid-configuration",
    },
}


def sso_app(**claims: object) -> AppTest:
    """An app with an ``[auth]`` section whose provider has signed in the person of ``claims``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": True, **claims}
    return at


def test_sso_signs_in_the_account_of_that_address_in_any_case(stored: Path):
    store = accounts()
    store.create_account("suzuki@example.co.jp", role="管理職")  # no password: SSO only
    store.grant("suzuki@example.co.jp", SURVEY)
    store.engine.dispose()
    at = sso_app(email="Suzuki@Example.co.jp", name="鈴木")
    open_page(at, "pages/2_gaps.py")
    assert not at.error and at.get("plotly_chart")
    assert "suzuki@example.co.jp（管理職）" in " ".join(at.sidebar.caption.values)
    open_page(at, "app.py")
    assert audit_actions() == [("suzuki@example.co.jp", Action.SIGN_IN)]  # once per session


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        (
            {"email": "yamada@example.co.jp"},
            "yamada@example.co.jp には架け橋のアカウントがありません",
        ),
        (
            {"preferred_username": "other@tenant.example"},
            "other@tenant.example には架け橋のアカウント",
        ),
        (
            {"email": "suzuki@example.co.jp", "email_verified": False},
            "確認済みのメールアドレスではない",
        ),
        ({"name": "メールなし"}, "（メールアドレスなし） には架け橋のアカウント"),
    ],
)
def test_sso_without_a_matching_account_is_refused_in_japanese(
    stored: Path, claims: dict, message: str
):
    store = accounts()
    store.create_account("suzuki@example.co.jp", role="人事")
    store.engine.dispose()
    at = open_page(sso_app(**claims), "pages/2_gaps.py")
    assert message in errors(at)
    assert not shows_data(at) and not at.sidebar.selectbox
    assert SURVEY not in page_text(at)
    assert [a for _, a in audit_actions()] == [Action.SIGN_IN_FAILED]


def test_an_expired_sso_session_asks_for_a_new_sign_in(stored: Path):
    from sqlalchemy import text as sql

    store = accounts()
    store.create_account("suzuki@example.co.jp", role="人事")
    at = open_page(sso_app(email="suzuki@example.co.jp"), "app.py")
    assert at.metric
    with store.engine.begin() as connection:
        connection.execute(sql("UPDATE auth_sessions SET expires_at = '2000-01-01 00:00:00'"))
    store.engine.dispose()
    for _ in range(2):  # the provider's cookie alone does not open a new session
        open_page(at, "pages/2_gaps.py")
        assert not shows_data(at)
        assert [b.label for b in at.button][:1] == ["Microsoft でサインイン"]
    assert audit_actions() == [("suzuki@example.co.jp", Action.SIGN_IN)]
