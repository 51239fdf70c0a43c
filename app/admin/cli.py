"""`flask users …` commands."""

import click
from flask.cli import AppGroup

from app.admin.accounts import AccountError, create_staff_user

users_cli = AppGroup("users", help="Staff accounts for /admin.")


@users_cli.command("create-admin")
@click.argument("email")
@click.password_option(help="Asked for when not given (twice, hidden).")
def create_admin(email: str, password: str) -> None:
    """Create a staff account that can publish schedules."""
    try:
        user = create_staff_user(email, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created staff account {user.email}.")
