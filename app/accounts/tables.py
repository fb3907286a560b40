"""People who sign in, the one-time links they sign in with, and their sessions. No passwords."""

from piccolo.columns import Array, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class User(Table, tablename="user_account"):
    id: Serial  # added by Piccolo; declared for type checkers
    email = Varchar(length=254, unique=True, required=True, help_text="Lower-cased; the only way to sign in.")
    display_name = Varchar(length=100, default="")
    locale = Varchar(length=5, default="en")
    known_devices = Array(Varchar(length=64), help_text="Keyed hashes of device cookies seen at sign-in.")
    created_at = Timestamptz(default=TimestamptzNow())
    last_sign_in_at = Timestamptz(null=True, default=None)


class SignInToken(Table, tablename="sign_in_token"):
    """A single-use link: only a keyed hash of the token is stored."""

    id: Serial
    token_hash = Varchar(length=64, unique=True, required=True)
    email = Varchar(length=254, required=True, index=True)
    next_path = Varchar(length=300, default="/")
    asked_by = Varchar(length=64, default="", help_text="Keyed hash of the asking browser's nonce cookie.")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(required=True)
    used_at = Timestamptz(null=True, default=None)


class UserSession(Table, tablename="user_session"):
    id: Serial
    token_hash = Varchar(length=64, unique=True, required=True)
    user = ForeignKey(references=User, null=False, index=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(required=True)
