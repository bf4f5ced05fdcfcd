"""Who may open which page and see which survey: the one place roles are decided.

Three roles (:class:`Role`):

- 人事 (HR): every page and survey, uploads, mappings, thresholds, waves, accounts.
- 管理職 (manager): the analysis pages of the surveys granted. A manager whose grant
  for a survey names departments sees only those departments, through the home
  page's department view, which reads the role x department cells of the whole
  survey (suppressed jointly, :func:`analysis.gaps.item_scores`); pages that show
  whole-survey numbers are refused to them.
- 研修講師 (trainer): the export page (deck and aggregate tables) of the surveys granted.

The CLI reads files on its own machine and runs as HR. Pages ask :func:`page_refusal`
and :func:`may`; they never test a role themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from analysis.accounts import Account, Grant


class Role(StrEnum):
    HR = "人事"
    MANAGER = "管理職"
    TRAINER = "研修講師"


class Page(StrEnum):
    HOME = "app.py"
    UPLOAD = "pages/1_upload.py"
    GAPS = "pages/2_gaps.py"
    TRENDS = "pages/3_trends.py"
    FREE_TEXT = "pages/4_free_text.py"
    EXPORT = "pages/5_export.py"
    SETTINGS = "pages/6_settings.py"


class Permission(StrEnum):
    UPLOAD = "upload"  # save files as waves
    SETTINGS = "settings"  # thresholds, mappings, rename and delete waves
    ACCOUNTS = "accounts"  # accounts, grants and the audit log
    COLUMNS = "columns"  # how each column of a file was read (home page)
    EVERY_SURVEY = "every_survey"  # no grant needed


PAGES: dict[Role, frozenset[Page]] = {
    Role.HR: frozenset(Page),
    Role.MANAGER: frozenset({Page.HOME, Page.GAPS, Page.TRENDS, Page.FREE_TEXT}),
    Role.TRAINER: frozenset({Page.EXPORT}),
}
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.HR: frozenset(Permission),
    Role.MANAGER: frozenset(),
    Role.TRAINER: frozenset(),
}
# Pages that can be cut to one department without showing another's numbers.
DEPARTMENT_PAGES = frozenset({Page.HOME})

SCORE_THRESHOLD_FLOOR = 3  # nobody sets the score threshold lower in the UI
COMMENT_THRESHOLD_FLOOR = 5  # nor the comment threshold

REFUSED_PAGE = {
    Role.MANAGER: "管理職のアカウントでは、この画面（アップロード・設定・書き出し）は使えません。",
    Role.TRAINER: "研修講師のアカウントで使えるのは「書き出し」画面（スライドと集計表）だけです。",
}
REFUSED_DEPARTMENT = (
    "このアカウントは{department}の結果だけを閲覧できます。この画面は全社の数値を含むため表示できません。"
    "ホーム画面で{department}の結果をご覧ください。"
)
REFUSED_SURVEY = "このアンケートを閲覧する権限がありません。"


@dataclass(frozen=True)
class User:
    """A signed-in person: a name, a role, and the grants of their account."""

    name: str
    role: Role
    grants: tuple[Grant, ...] = ()

    @classmethod
    def from_account(cls, account: Account) -> User:
        return cls(account.username, Role(account.role), account.grants)


def may(user: User, permission: Permission) -> bool:
    """Whether ``user`` holds ``permission``.

    >>> may(User("佐藤", Role.HR), Permission.SETTINGS), may(User("鈴木", Role.MANAGER), Permission.SETTINGS)
    (True, False)
    """
    return permission in PERMISSIONS[user.role]


def visible_surveys(user: User, surveys: Iterable[str]) -> list[str]:
    """The surveys ``user`` may choose, in the order given.

    >>> visible_surveys(User("鈴木", Role.MANAGER, (Grant("研修2025", "営業部"),)), ["研修2024", "研修2025"])
    ['研修2025']
    """
    if may(user, Permission.EVERY_SURVEY):
        return list(surveys)
    granted = {g.survey for g in user.grants}
    return [s for s in surveys if s in granted]


def departments(user: User, survey: str) -> tuple[str, ...] | None:
    """The departments ``user`` sees of ``survey``; ``None`` for the whole survey.

    A grant without a department wins over department grants of the same survey;
    only managers are ever cut to departments (HR sees everything, a trainer's
    deck is the whole survey's).

    >>> scoped = User("鈴木", Role.MANAGER, (Grant("研修", "営業部"),))
    >>> departments(scoped, "研修"), departments(User("佐藤", Role.HR), "研修")
    (('営業部',), None)
    """
    if user.role is not Role.MANAGER:
        return None
    named = [g.department for g in user.grants if g.survey == survey]
    if not named or None in named:
        return None
    return tuple(dict.fromkeys(d for d in named if d is not None))


def page_refusal(user: User, page: Page, survey: str | None = None) -> str | None:
    """Why ``user`` may not open ``page`` (with ``survey`` chosen), in Japanese; None if they may.

    >>> scoped = User("鈴木", Role.MANAGER, (Grant("研修", "営業部"),))
    >>> page_refusal(scoped, Page.HOME, "研修") is None
    True
    >>> page_refusal(scoped, Page.GAPS, "研修").startswith("このアカウントは営業部の結果だけ")
    True
    >>> page_refusal(User("田中", Role.TRAINER), Page.GAPS).startswith("研修講師のアカウント")
    True
    """
    if page not in PAGES[user.role]:
        return REFUSED_PAGE[user.role]
    if survey is None:
        return None
    scope = departments(user, survey)
    if scope is not None and page not in DEPARTMENT_PAGES:
        return REFUSED_DEPARTMENT.format(department="・".join(scope))
    return None


def threshold_floor(key_is_comments: bool) -> int:
    """The lowest threshold the UI accepts: 5 for comments, 3 for scores."""
    return COMMENT_THRESHOLD_FLOOR if key_is_comments else SCORE_THRESHOLD_FLOOR


def allowed_pages(user: User) -> Sequence[Page]:
    """The pages to list in ``user``'s sidebar, in the order of :class:`Page`."""
    return [page for page in Page if page in PAGES[user.role]]
