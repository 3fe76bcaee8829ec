"""Launch buttons: where the repository comes from, and what the links open."""

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from exhibit.site import sphinxext

NO_GIT = Path("/")  # a folder that is not a git checkout


@pytest.mark.parametrize("environ, expected", [
    ({"GITHUB_REPOSITORY": "someone/somerepo"}, ("https://github.com/someone/somerepo", "main")),
    ({"GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://github.example.org", "EXHIBIT_BRANCH": "trunk",
      "GITHUB_REF_NAME": "12/merge"}, ("https://github.example.org/o/r", "trunk")),
    ({"EXHIBIT_REPOSITORY": "git@github.com:a/b.git", "GITHUB_REPOSITORY": "o/r"}, ("https://github.com/a/b", "main")),
    ({"EXHIBIT_REPOSITORY": "a/b"}, ("https://github.com/a/b", "main")),
    ({}, None),
])
def test_repository_from_environment(environ, expected):
    assert sphinxext.repository(environ, NO_GIT) == expected


@pytest.mark.parametrize("origin, expected", [
    ("https://github.com/owner/exhibit.git", "https://github.com/owner/exhibit"),
    ("git@github.com:owner/exhibit.git", "https://github.com/owner/exhibit"),
    ("/srv/mirrors/exhibit.git", None),
    ("https://gitlab.com/owner/exhibit.git", None),
])
def test_repository_from_git_origin(tmp_path, origin, expected):
    subprocess.run(["git", "init", "-q", "-b", "work", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", origin], check=True)
    found = sphinxext.repository({}, tmp_path)
    assert (found[0] if found else None) == expected
    if found:
        assert found[1] == "work"  # the checked-out branch when origin's default is unknown


def configured(environ, monkeypatch):
    for key in ("EXHIBIT_REPOSITORY", "EXHIBIT_BRANCH", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    config = SimpleNamespace(html_theme_options={"launch_buttons": {"binderhub_url": "https://mybinder.org",
                                                                    "notebook_interface": "jupyterlab"}})
    sphinxext._config_inited(SimpleNamespace(srcdir=str(NO_GIT)), config)
    return config.html_theme_options


def test_known_repository_turns_launch_buttons_on(monkeypatch):
    options = configured({"GITHUB_REPOSITORY": "someone/somerepo"}, monkeypatch)
    assert options["repository_url"] == "https://github.com/someone/somerepo"
    assert options["repository_branch"] == "main" and options["path_to_docs"] == ""
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_unknown_repository_shows_no_launch_button(monkeypatch):
    options = configured({}, monkeypatch)
    assert options["launch_buttons"]["binderhub_url"] == ""
    assert "repository_url" not in options


def test_launch_links_open_the_generated_notebook_and_drop_the_source_download():
    buttons = [
        {"type": "group", "buttons": [{"url": "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/chapters/x.md"}]},
        {"type": "group", "buttons": [{"url": "../_sources/chapters/x.md"}, {"url": "../_sources/chapters/x.ipynb"},
                                      {"url": "print", "type": "javascript"}]},
    ]
    out = sphinxext._retarget_buttons(buttons, "chapters/x")
    assert out[0]["buttons"][0]["url"] == "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/chapters/x.ipynb"
    assert [b["url"] for b in out[1]["buttons"]] == ["../_sources/chapters/x.ipynb", "print"]

