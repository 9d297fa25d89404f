"""Every command treats --user alike: an unknown name is a usage error, never nobody."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from likvard.cli.main import command_tree
from tests.app.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "args",
    [
        ["import", "enrolments", "{file}", "--user", "finns-inte"],
        ["movement", "--region", "gr", "--user", "finns-inte"],
        [
            "export",
            "analysunderlag",
            "--organizer",
            "2120001256",
            "-o",
            "{out}",
            "--user",
            "finns-inte",
        ],
    ],
)
def test_an_unknown_user_is_a_usage_error(world: World, tmp_path, args):
    data = tmp_path / "elever.csv"
    data.write_text("personnummer\n", encoding="utf-8")
    result = CliRunner().invoke(
        command_tree(), [a.format(file=data, out=tmp_path / "x.xlsx") for a in args]
    )
    assert result.exit_code == 2, result.output
    assert "okänd användare: finns-inte" in result.output


def test_a_known_user_is_the_viewer(world: World):
    from likvard.access.people import viewer_named

    viewer = viewer_named("analytiker")
    assert viewer.is_authenticated
    assert not viewer_named(None).is_authenticated
