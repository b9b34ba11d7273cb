from xietong.core import redact


def test_the_loaded_config_line_loses_its_secrets() -> None:
    line = (
        "Loaded Config: {'driver': '~fastapi', 'onebot_access_token': 'tok-123', 'onebot_v11_secret': \"s\", "
        "'xietong_database_url': 'postgresql+asyncpg://xt:pa55word@db:5432/xt', 'host': '0.0.0.0'}"
    )
    masked = redact.redact(line)
    assert "tok-123" not in masked and "pa55word" not in masked and "'s'" not in masked
    assert "'onebot_access_token': '***'" in masked
    assert "postgresql+asyncpg://xt:***@db:5432/xt" in masked
    assert "'host': '0.0.0.0'" in masked and "~fastapi" in masked


def test_remembered_secrets_are_masked_anywhere() -> None:
    redact.remember("s3cret-value", None, "ab")
    assert redact.redact("Authorization: Bearer s3cret-value") == "Authorization: Bearer ***"
    assert redact.redact("ab cd") == "ab cd"  # too short to be told from ordinary words


def test_a_url_without_password_is_left_alone() -> None:
    assert redact.redact("sqlite+aiosqlite:///data/xietong.db") == "sqlite+aiosqlite:///data/xietong.db"
    assert redact.redact("postgresql+asyncpg://postgres@127.0.0.1/xt") == "postgresql+asyncpg://postgres@127.0.0.1/xt"
