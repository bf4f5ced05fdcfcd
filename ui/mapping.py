"""The one column-mapping editor: the upload page and 設定 draw the same grid.

``edit_mapping`` shows what will be analysed (a one-line summary, recomputed on
every change), the close calls inference noted, a grid of columns (meaning,
scale, reverse, confidence, reason) and, when a role column is chosen, a small
grid of its values and their tiers. It returns the schema HR chose. Its widget
keys all start with ``key``; session state holds only the editors' plain edits.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from analysis import likert
from analysis.errors import SurveyError
from analysis.load import Table
from analysis.mapping import (
    KEEP_ROLE,
    MANUAL,
    SCALE_LABELS,
    confidence_level,
    mapping_changes,
    mapping_summary,
    role_values,
    scale_label,
)
from analysis.schema import FIELD_NAMES_JA, Field, Schema, schema_from_choices
from analysis.store import StoredUpload, WaveStore
from analysis.vocab import ROLE_TIERS
from ui import columns, data, text, widgets

NO_SCALE = "—"  # the 尺度 cell of a column that is not an item
ROW_PX = 35  # a data editor row (and its header), for a height that shows every row
MAX_VISIBLE_ROWS = 30  # a file of up to 30 columns shows every row; more scroll inside
SCALE_PX, REASON_PX = 150, 210  # 870 px in all (+5 each drawn): the grid is 906 px at 1,366
MAX_TIER_ROWS = 50  # role values offered a tier; rarer ones stay as written


def _scale_labels(schema: Schema) -> dict[str, str]:
    """Every fixed scale's label, and those of coded scales (codes10-13) the schema uses."""
    coded = {i.scale: scale_label(i.scale) for i in schema.items if i.scale not in SCALE_LABELS}
    return {name: text.sentence(label) for name, label in {**SCALE_LABELS, **coded}.items()}


FIELD_BY_LABEL = {label: field for field, label in FIELD_NAMES_JA.items()} | {
    text.ENGLISH[label]: field for field, label in FIELD_NAMES_JA.items() if label in text.ENGLISH
}  # the grid shows the chosen language's names; an edit made in the other one still maps
EDITABLE = ("判定", "尺度", "逆転")  # what HR changes in the grid; the rest explains it


def editor_key(key: str, table: Table) -> str:
    """The column grid's widget key: one per file and sheet, so edits never carry over."""
    return f"{key}_{table.digest[:16]}_editor"


def tier_editor_key(key: str, table: Table, role: str) -> str:
    """The role-tier grid's widget key: one per file and role column, so values never mix."""
    return f"{key}_{table.digest[:16]}_tiers_{role}"


def edit_mapping(table: Table, proposed: Schema, *, key: str) -> Schema | None:
    """Draw the mapping editor for ``table``, starting from ``proposed``; the schema chosen.

    ``None`` (with the reason shown) when the choices do not make a mapping, e.g.
    two columns chosen as 役割.
    """
    base = proposed if proposed.sheet == table.sheet else replace(proposed, sheet=table.sheet)
    labels = _scale_labels(base)
    summary = st.empty()
    for note in base.notes:
        st.warning(widgets.plain(text.sentence(note)), icon=":material/help:")
    start = _grid(table, base)
    shown = _edited(start, st.session_state.get(editor_key(key, table)))
    explained = _explained(start, shown)
    st.caption(_row_count(len(start)))
    edited = st.data_editor(
        explained,
        key=editor_key(key, table),
        hide_index=True,
        placeholder=columns.MISSING,
        width="stretch",
        height=ROW_PX * (min(len(start), MAX_VISIBLE_ROWS) + 1) + 3,
        disabled=["列", "内容", "確信度", "理由"],
        column_config=columns.localized(_grid_config(labels)),
    )
    with st.expander(text.label("判定の理由（全文）"), icon=":material/notes:"):
        st.markdown(_reasons_in_full(explained, start))
    choices = {row.列: FIELD_BY_LABEL[row.判定] for row in edited.itertuples()}
    by_label = {label: name for name, label in labels.items()}
    likert_rows = edited[[FIELD_BY_LABEL[label] is Field.LIKERT for label in edited["判定"]]]
    scales = {
        row.列: by_label[row.尺度]
        for row in likert_rows.itertuples()
        if isinstance(row.尺度, str) and row.尺度 in by_label
    }
    known = {item.column: item.scale for item in base.items}
    scales = {c: s for c, s in scales.items() if known.get(c) != s}  # the proposal kept as is
    reverse = {row.列: bool(row.逆転) for row in likert_rows.itertuples()}
    role = next((c for c, f in choices.items() if f is Field.ROLE), None)
    tiers = _edit_tiers(table, role, base.role_tiers, key) if role else {}
    try:
        schema = schema_from_choices(
            table, choices, reverse=reverse, scales=scales, role_tiers=tiers, base=base
        )
    except SurveyError as error:
        st.error(widgets.plain(error), icon=":material/error:")
        return None
    _unfitting_scales(table, schema, set(scales))
    schema = _marked_manual(schema, _changed(start, edited))
    summary.info(
        widgets.plain(text.sentence(mapping_summary(table, schema))), icon=":material/summarize:"
    )
    return schema


def _grid_config(labels: dict[str, str]) -> dict:
    meanings = _GRID_CONFIG["判定"]
    shown = [text.label(name) for name in FIELD_NAMES_JA.values()]  # as the grid's cells
    meanings = meanings | {"type_config": meanings["type_config"] | {"options": shown}}
    return {**_GRID_CONFIG, "判定": meanings, "尺度": st.column_config.SelectboxColumn(
        "尺度",
        options=[NO_SCALE, *labels.values()],
        width=SCALE_PX,
        help="尺度項目の列だけ使います。回答の選択肢に合う尺度を選んでください。",
    )}  # fmt: skip


_GRID_CONFIG = {
    "列": st.column_config.TextColumn("列", width=90),
    "内容": st.column_config.TextColumn("内容", width=140),
    "判定": st.column_config.SelectboxColumn(
        "判定",
        options=list(FIELD_NAMES_JA.values()),
        required=True,
        width=165,
        help="分析での使い方（尺度項目・自由記述・役割など）を選びます",
    ),
    "逆転": st.column_config.CheckboxColumn(
        "逆転", width=54, help="否定的な文（例: 不安だ）は、そう思うほど好ましくない"
    ),
    "確信度": st.column_config.TextColumn("確信度", width=56),
    "理由": st.column_config.TextColumn(
        "理由", width=REASON_PX, help="全文は表の下の「判定の理由（全文）」にあります"
    ),
}


def _grid(table: Table, schema: Schema) -> pd.DataFrame:
    """One row per column, as ``schema`` understands it."""
    columns = list(table.frame.columns)
    items = {item.column: item for item in schema.items}
    return pd.DataFrame(
        {
            "列": columns,
            "内容": [table.label(c) for c in columns],
            "判定": [text.label(FIELD_NAMES_JA[schema.field_of(c)]) for c in columns],
            "尺度": pd.Series(
                [
                    text.sentence(scale_label(items[c].scale)) if c in items else NO_SCALE
                    for c in columns
                ],
                dtype="string",  # a string column even when no column is an item
            ),
            "逆転": [c in items and items[c].reverse for c in columns],
            "確信度": [text.label(confidence_level(schema.confidence.get(c))) for c in columns],
            "理由": [schema.reasons.get(c, "") for c in columns],
        }
    )


def _edited(start: pd.DataFrame, state: object) -> pd.DataFrame:
    """The grid with the edits the editor holds in session state (before it is drawn)."""
    if isinstance(state, str):
        state = json.loads(state)
    shown = start.copy()
    rows = state.get("edited_rows", {}) if isinstance(state, dict) else {}
    for row, cells in rows.items():
        for column, value in cells.items():
            if column in EDITABLE and 0 <= int(row) < len(shown):
                shown.loc[int(row), column] = value
    return shown


def _row_count(rows: int) -> str:
    """The line above the grid: how many columns, and whether the grid scrolls inside."""
    if rows <= MAX_VISIBLE_ROWS:
        return text.label("全{rows}列を表示しています。", rows=rows)
    return text.label(
        "全{rows}列のうち{shown}行分を表示しています（枠内をスクロールすると残りの列）。",
        rows=rows,
        shown=MAX_VISIBLE_ROWS,
    )


def _changed(start: pd.DataFrame, edited: pd.DataFrame) -> list[str]:
    """Columns whose meaning, scale or reverse HR changed."""

    def cells(frame: pd.DataFrame) -> pd.DataFrame:
        chosen = frame[list(EDITABLE)].astype(object)
        return chosen.where(chosen.notna(), "")  # a blank scale is "" on both sides

    differs = (cells(start) != cells(edited)).any(axis=1).to_numpy()
    return start.loc[differs, "列"].tolist()


def _explained(start: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """The grid to draw: short reasons, and a changed row's reason and confidence say what HR chose.

    ``shown`` is the grid with HR's edits, so the reason follows each change on the rerun
    it causes (and returns to inference's once a cell is set back).
    """
    frame = start.copy()
    frame["理由"] = [
        text.sentence(_short_reason(r, FIELD_NAMES_JA[FIELD_BY_LABEL[f]]))
        for r, f in zip(start["理由"], start["判定"], strict=True)
    ]
    for row in frame.index[frame["列"].isin(_changed(start, shown))]:
        frame.loc[row, "理由"] = _manual_reason(start.loc[row], shown.loc[row])
        frame.loc[row, "確信度"] = text.label("手動")
    return frame


def _short_reason(reason: str, field: str) -> str:
    """A reason without the 判定 it repeats: 「尺度項目: 回答が…」 -> 「回答が…」."""
    head, colon, rest = reason.partition(": ")
    return rest if colon and head == field.partition("（")[0] else reason


def _cell(value: object) -> str:
    """A grid cell as text; a cleared cell (NA) is blank."""
    return "" if pd.isna(value) else str(value)


def _scale_word(label: str, other: str) -> str:
    """A scale in a reason: its points (「5件法」), or the whole label when both have as many."""
    label, other = label or NO_SCALE, other or NO_SCALE
    short, short_other = label.partition("（")[0], other.partition("（")[0]
    return label if short == short_other else short


def _manual_reason(before: pd.Series, after: pd.Series) -> str:
    """「手動で変更: 尺度項目 → 自由記述」: each cell HR changed, from the proposal to now."""
    changes = []
    if before["判定"] != after["判定"]:
        changes.append(f"{before['判定']} → {after['判定']}")
    item = FIELD_BY_LABEL.get(after["判定"]) is Field.LIKERT
    old, new = _cell(before["尺度"]), _cell(after["尺度"])
    if item and old != new:
        changes.append(
            text.label("尺度 {old} → {new}", old=_scale_word(old, new), new=_scale_word(new, old))
        )
    if item and bool(before["逆転"]) != bool(after["逆転"]):
        yes_no = {True: text.label("あり"), False: text.label("なし")}
        changes.append(
            text.label(
                "逆転 {old} → {new}",
                old=yes_no[bool(before["逆転"])],
                new=yes_no[bool(after["逆転"])],
            )
        )
    manual = text.label(MANUAL)
    return (
        text.label("{manual}: {changes}", manual=manual, changes=text.label("、").join(changes))
        if changes
        else manual
    )


def _reasons_in_full(explained: pd.DataFrame, start: pd.DataFrame) -> str:
    """Every column's whole reason as a Markdown list (the grid's 理由 is short)."""
    lines = []
    for row in explained.index:
        reason = explained.loc[row, "理由"]
        if not str(reason).startswith((MANUAL, text.label(MANUAL))):
            reason = start.loc[row, "理由"]
        column = widgets.plain(explained.loc[row, "列"])
        field, reason = text.label(start.loc[row, "判定"]), widgets.plain(text.sentence(reason))
        lines.append(f"- **{column}**（{field}）: {reason or '—'}")
    return "\n".join(lines)


def _marked_manual(schema: Schema, changed: list[str]) -> Schema:
    if not changed:
        return schema
    reasons = {**schema.reasons, **dict.fromkeys(changed, MANUAL)}
    confidence = {**schema.confidence, **dict.fromkeys(changed, 1.0)}
    return replace(schema, reasons=reasons, confidence=confidence)


def _unfitting_scales(table: Table, schema: Schema, chosen: set[str]) -> None:
    """A warning for each scale HR chose that the column's answers do not fit."""
    for item in schema.items:
        if item.column not in chosen:
            continue
        fitting = [s.name for s in likert.fitting_scales(table.frame[item.column])]
        if item.scale not in fitting:
            offer = text.label("、").join(
                text.label("「{item}」", item=text.sentence(scale_label(name)))
                for name in fitting[:3]
            ) or text.label("なし")
            st.warning(
                widgets.plain(
                    text.label(
                        "列「{column}」の回答は「{scale}」に合いません（合う尺度: {offer}）。"
                        "合わない回答は未回答として扱います。",
                        column=item.column,
                        scale=text.sentence(scale_label(item.scale)),
                        offer=offer,
                    )
                ),
                icon=":material/warning:",
            )


def _edit_tiers(table: Table, role: str, tiers: dict[str, str], key: str) -> dict[str, str]:
    """The tier of each value of the role column, as HR sets it (経営層・管理職・一般社員)."""
    values = role_values(table, role)
    st.markdown(text.label("**役割の区分**（列「{role}」の値ごと）", role=widgets.plain(role)))
    st.caption(
        text.label(
            "部長・課長などを経営層・管理職・一般社員にまとめると、役割間の比較ができます。"
            "「そのまま」は書かれた値のまま分析します。"
        )
    )
    offered = values.head(MAX_TIER_ROWS)
    start = pd.DataFrame(
        {
            "値": offered["value"],
            "件数": offered["n"],
            "区分": [tiers.get(v, v if v in ROLE_TIERS else KEEP_ROLE) for v in offered["value"]],
        }
    )
    edited = st.data_editor(
        start,
        key=tier_editor_key(key, table, role),
        hide_index=True,
        placeholder=columns.MISSING,
        disabled=["値", "件数"],
        height=ROW_PX * (min(len(start), MAX_VISIBLE_ROWS) + 1) + 3,
        column_config=columns.localized(
            {
                "値": st.column_config.TextColumn("値", width=200),
                "件数": st.column_config.NumberColumn("件数", width=70),
                "区分": st.column_config.SelectboxColumn(
                    "区分", options=[*ROLE_TIERS, KEEP_ROLE], required=True, width=130
                ),
            }
        ),
    )
    rarer = set(values["value"]) - set(offered["value"])
    if rarer:
        st.caption(
            text.label("ほか{n}種類の値は、提案どおりか書かれたまま分析します。", n=len(rarer))
        )
    chosen = {row.値: row.区分 for row in edited.itertuples()}
    chosen |= {v: t for v, t in tiers.items() if v in rarer}
    return {v: t for v, t in chosen.items() if t in ROLE_TIERS and t != v}


def review_upload(upload: StoredUpload, revision: int) -> None:
    """設定: reopen a stored file's mapping, re-analyse it under the one HR edits, list its history.

    ``revision`` (the upload's latest history entry) is part of the editor's key, so a
    re-analysed file opens afresh on its new mapping. The file is read only while the
    expander is open.
    """
    store = data.wave_store()
    box = st.expander(
        text.label("列の対応付けを見直す（{file}）", file=widgets.plain(upload.filename)),
        key=f"remap_open_{upload.id}",
        on_change="rerun",
        icon=":material/table_edit:",
    )
    if box.open:
        with box:
            _remap_form(store, upload, revision)
    history = store.mapping_history(upload.id)
    if history:
        st.caption(text.label("{file} の対応付けの変更履歴", file=widgets.plain(upload.filename)))
        st.dataframe(
            pd.DataFrame(
                {
                    text.label("日時"): [f"{h.replaced_at:%Y-%m-%d %H:%M}" for h in history],
                    text.label("変更"): [
                        "、".join(mapping_changes(h.before, h.after)) or text.label("変更なし")
                        for h in history
                    ],  # fmt: skip
                    text.label("メモ"): [h.note for h in history],
                }
            ),
            hide_index=True,
            placeholder=columns.MISSING,
            width="stretch",
            column_config={
                text.label("変更"): st.column_config.TextColumn(text.label("変更"), width="large")
            },
        )


def _remap_form(store: WaveStore, upload: StoredUpload, revision: int) -> None:
    try:
        table, stored = data.stored_upload(upload.id, revision)
    except SurveyError as error:
        st.error(widgets.plain(error), icon=":material/error:")
        return
    schema = edit_mapping(table, stored, key=f"remap_{upload.id}_{revision}")
    changes = mapping_changes(stored, schema) if schema is not None else []
    if schema is not None:
        st.caption(
            text.label("変更: {changes}", changes=widgets.plain("、".join(changes)))
            if changes
            else text.label("変更はありません。")
        )
    note = st.text_input(text.label("変更のメモ（任意）"), key=f"remap_note_{upload.id}")
    if st.button(
        text.label("この対応付けで再分析する"),
        key=f"remap_button_{upload.id}",
        type="primary",
        icon=":material/refresh:",
        disabled=not changes,
    ):
        try:
            waves = store.remap(upload.id, schema, note=note)
        except SurveyError as error:
            st.error(widgets.plain(error), icon=":material/error:")
            return
        shown = "、".join(f"{w.label}（{w.n_responses}件）" for w in waves)
        st.toast(
            widgets.plain(f"「{upload.filename}」を新しい対応付けで再分析しました: {shown}"),
            icon=":material/check_circle:",
        )
        st.rerun()  # every page reads the survey again: its mapping revision changed
