import reportgen


def test_version() -> None:
    assert reportgen.__version__.count(".") == 2
