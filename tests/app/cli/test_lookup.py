"""Every command treats an unknown region, organizer or school unit alike: a usage error
in Swedish (exit 2), as ``--user`` does; before, some commands said "no region x" in English
with exit 1 and others "okänd region x" with exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from likvard.cli.main import command_tree
from tests.app.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["completion", "region", "nowhere", "--user", "admin"], "okänd region nowhere"),
        (["completion", "incidents", "nowhere", "--user", "admin"], "okänd region nowhere"),
        (
            ["completion", "warning-list", "99999999", "--user", "admin"],
            "okänd skolenhet 99999999",
        ),
        (
            ["completion", "incident-cases", "99999999", "--user", "admin"],
            "okänd skolenhet 99999999",
        ),
        (["komvux", "region", "nowhere"], "okänd region nowhere"),
        (["surveys", "results", "gr-elev", "--region", "nowhere"], "okänd region nowhere"),
        (["surveys", "results", "nosuch", "--region", "gr"], "okänd enkät nosuch"),
        (["komvux", "organizer", "0000000000"], "okänd huvudman 0000000000"),
        (["movement", "--region", "nowhere"], "okänd region nowhere"),
        (
            ["planning", "forecast", "--region", "nowhere", "--from-year", "2024"],
            "okänd region nowhere",
        ),
        (
            ["export", "analysunderlag", "--organizer", "0000000000", "-o", "{out}"],
            "okänd huvudman 0000000000",
        ),
    ],
)
def test_an_unknown_code_is_a_swedish_usage_error(world: World, tmp_path, args, said):
    result = CliRunner().invoke(command_tree(), [a.format(out=tmp_path / "x.xlsx") for a in args])
    assert result.exit_code == 2, result.output
    assert said in result.output
