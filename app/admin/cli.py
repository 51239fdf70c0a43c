"""`flask users …` commands: staff accounts for /admin."""

from collections.abc import Callable

import click
from flask.cli import AppGroup

from app.admin.accounts import AccountError, create_staff_user, set_staff_active, set_staff_password
from app.admin.models import StaffUser

users_cli = AppGroup("users", help="Staff accounts for /admin.")


def _change_account(change: Callable[..., StaffUser], *args, **kwargs) -> StaffUser:
    """Run an account change; an AccountError becomes the command's one-line error (exit 1)."""
    try:
        return change(*args, **kwargs)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@users_cli.command("create-admin")
@click.argument("email")
@click.password_option(help="Asked for when not given (twice, hidden).")
def create_admin(email: str, password: str) -> None:
    """Create a staff account that can publish schedules."""
    user = _change_account(create_staff_user, email, password)
    click.echo(f"Created staff account {user.email}.")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option(help="Asked for when not given (twice, hidden).")
def set_password(email: str, password: str) -> None:
    """Give a staff account a new password; its open sessions end."""
    user = _change_account(set_staff_password, email, password)
    click.echo(f"New password set for {user.email}; its sessions have ended.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop a staff account: it can no longer sign in and its open sessions end (its audit entries stay)."""
    user = _change_account(set_staff_active, email, active=False)
    click.echo(f"{user.email} can no longer sign in.")


@users_cli.command("activate")
@click.argument("email")
def activate(email: str) -> None:
    """Let a stopped staff account sign in again."""
    user = _change_account(set_staff_active, email, active=True)
    click.echo(f"{user.email} can sign in again.")
