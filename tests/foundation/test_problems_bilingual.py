"""Every problem has `detail` and `detail_zh`; `Accept-Language: zh-CN` answers in Chinese."""

import httpx
import pytest

from common.problem_zh import preferred_language

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("en;q=0.5, zh-Hans;q=0.7", "zh"),
        ("fr", "en"),
        (None, "en"),
        ("zh;q=bogus", "en"),
    ],
)
def test_preferred_language(header: str | None, language: str) -> None:
    assert preferred_language(header) == language


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


async def _problems(api: httpx.AsyncClient, auth, headers: dict[str, str]) -> list[httpx.Response]:
    bureau = auth("bureau")
    return [
        await api.get("/api/v1/rounds", headers=headers),  # 401 at the gateway
        await api.get("/api/v1/ledger/entries", headers={**auth("solver"), **headers}),  # 403
        await api.get(
            "/api/v1/demands/00000000-0000-0000-0000-000000000000", headers={**bureau, **headers}
        ),  # 404 from a service
        await api.delete("/api/v1/me", headers={**bureau, **headers}),  # 405
        await api.post("/api/v1/rounds", json={"title": 5}, headers={**bureau, **headers}),  # 422
    ]


async def test_every_problem_has_both_languages(api: httpx.AsyncClient, auth) -> None:
    statuses = []
    for response in await _problems(api, auth, {}):
        problem = response.json()
        statuses.append(response.status_code)
        assert problem["detail"] and not _has_chinese(problem["detail"]), problem
        assert _has_chinese(problem["detail_zh"]), problem
    assert statuses == [401, 403, 404, 405, 422]


async def test_accept_language_zh_puts_chinese_in_detail_and_title(
    api: httpx.AsyncClient, auth
) -> None:
    for response in await _problems(api, auth, ZH):
        problem = response.json()
        assert _has_chinese(problem["detail"]) and _has_chinese(problem["title"]), problem
        assert problem["detail"] == problem["detail_zh"]


async def test_validation_problem_names_the_field_in_chinese(api: httpx.AsyncClient, auth) -> None:
    response = await api.post("/api/v1/rounds", json={"title": 5}, headers={**auth("bureau"), **ZH})
    problem = response.json()
    assert "body.title" in problem["detail_zh"] and "应为字符串" in problem["detail_zh"], problem
