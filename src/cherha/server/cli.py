"""cherha-server: serve, migrate, init --sample, load-centre, add-user, add-device, purge,
revoke-device, disable-user, enable-user, set-password, set-role, webhook add|list|remove|log,
notify, simulate, reports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cherha.commandline import BilingualParser
from cherha.core.errors import DomainError, Invalid

from .roles import DeviceKind, Role
from .webhook_events import WEBHOOK_EVENTS

# Each command imports what it needs when it runs: `--help` and the small administrative
# commands start in a fraction of the time the whole server takes to import (tests start them
# by the hundred; tests/api/test_cli_imports.py checks what each loads).
if TYPE_CHECKING:
    from .settings import Settings
    from .store.accounts import Accounts
    from .store.db import Database


def build_parser() -> argparse.ArgumentParser:
    parser = BilingualParser(
        prog="cherha-server", description="Сервер черги Cherha / the Cherha queue server"
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="файл TOML з налаштуваннями (таблиця [server]) / TOML file with settings",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="запустити сервер / run the HTTP server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    demo = sub.add_parser(
        "demo",
        help="зразковий центр із демо-обліковками, і сервер / sample centre with demo accounts, then serve",
    )
    demo.add_argument("--port", type=int)
    demo.add_argument(
        "--no-apps",
        action="store_true",
        help="лише сервер, без вікон кіоску й робочого місця / only the server (no kiosk and desk windows)",
    )

    sub.add_parser(
        "notify",
        help="бот Telegram і розсилка сповіщень в окремому процесі / the Telegram bot and "
        "notification senders in their own process (servers with CHERHA_NOTIFY_IN_SERVER=false)",
    )

    sub.add_parser("migrate", help="оновити схему бази / bring the database schema up to date")

    init = sub.add_parser(
        "init",
        help="створити базу; з --sample — зразковий центр / create the database; with --sample, the sample centre",
    )
    init.add_argument(
        "--sample", action="store_true", help="завантажити зразковий ЦНАП / load the sample ЦНАП"
    )
    init.add_argument(
        "--always-open",
        action="store_true",
        help="зразок відкритий щодня цілодобово / sample open every day around the clock",
    )

    load = sub.add_parser(
        "load-centre",
        help="створити чи оновити центр із файлу TOML / create or update a centre from a TOML file",
    )
    load.add_argument("file", type=Path)
    load.add_argument("--always-open", action="store_true")

    export = sub.add_parser(
        "export-centre",
        help="вивести центр як TOML для load-centre / print the centre as the TOML load-centre reads",
    )
    export.add_argument("--branch", help="centre code (default: the first centre)")

    user = sub.add_parser(
        "add-user",
        help="додати користувача; пароль читається зі stdin / add a user; the password is read from stdin",
    )
    user.add_argument("name")
    user.add_argument("--role", choices=list(Role), required=True)
    user.add_argument("--display-name", default="")
    user.add_argument(
        "--may-call-out-of-order",
        action="store_true",
        help="дозволити виклик поза чергою / allow calling a ticket out of order",
    )

    backup = sub.add_parser(
        "backup",
        help="резервна копія бази, поки сервер працює / copy the database now, while the server runs",
    )
    backup.add_argument("folder", type=Path, help="де зберігати копії / where the copies are kept")
    backup.add_argument(
        "--keep",
        type=int,
        default=0,
        help="лишати лише N найновіших копій / keep only the newest N copies",
    )

    sub.add_parser(
        "purge",
        help="стерти імена й телефони старих записів зараз (сервер робить це й сам) / blank old bookings' names and phones now (the server also does it by itself)",
    )

    revoke = sub.add_parser(
        "revoke-device", help="ключ пристрою перестає діяти / the device's key stops working"
    )
    revoke.add_argument("name")
    disable = sub.add_parser(
        "disable-user",
        help="користувач більше не може увійти; сеанси завершуються / the user can no longer log in; sessions end",
    )
    disable.add_argument("name")
    enable = sub.add_parser(
        "enable-user",
        help="вимкнений користувач знову може входити / a disabled user may log in again",
    )
    enable.add_argument("name")
    password = sub.add_parser(
        "set-password",
        help="новий пароль зі stdin; сеанси користувача завершуються / a new password, read from stdin; the user's sessions end",
    )
    password.add_argument("name")
    set_role = sub.add_parser(
        "set-role",
        help="змінити роль (не останнього адміністратора) / a user's role (never the last administrator's)",
    )
    set_role.add_argument("name")
    set_role.add_argument("--role", choices=[r.value for r in Role])
    set_role.add_argument(
        "--may-call-out-of-order",
        action=argparse.BooleanOptionalAction,
        help="allow (or, with --no-…, forbid) calling a ticket out of order",
    )

    _webhook_parser(sub)
    sim = sub.add_parser(
        "simulate",
        help="змоделювати цілий день на віртуальному годиннику / a whole day on a virtual clock (docs/reports.md)",
    )
    sim.add_argument("--seed", type=int, default=1, help="the same seed gives the same day")
    sim.add_argument("--day", help="YYYY-MM-DD (default 2026-11-24, a Tuesday)")
    sim.add_argument("--scale", type=float, default=1.0, help="arrivals × this (a busier day)")
    sim.add_argument(
        "--database", help="keep the simulated centre in this (new) database; default: temporary"
    )
    sim.add_argument("--json", action="store_true", help="print the figures as JSON")

    reports = sub.add_parser(
        "reports", help="оновити таблиці звітів / bring the reports' tables up to date"
    )
    reports.add_argument(
        "--rebuild",
        action="store_true",
        help="перерахувати всі події знову / fold every event again",
    )

    device = sub.add_parser(
        "add-device",
        help="додати кіоск чи табло; виводить його ключ / add a kiosk or display; prints its key",
    )
    device.add_argument("name")
    device.add_argument("--kind", choices=list(DeviceKind), required=True)
    device.add_argument("--branch", help="centre code (default: the first centre)")
    return parser


def _branch_id(db: Database, code: str | None) -> int:
    from sqlalchemy import select

    from .store.models import Branch

    with db.read() as session:
        query = select(Branch.id).order_by(Branch.id)
        found = session.scalar(query.where(Branch.code == code) if code else query)
    if found is None:
        raise Invalid(
            f"Центру «{code or ''}» немає: cherha-server init --sample або load-centre",
            f"No centre '{code or ''}': cherha-server init --sample or load-centre",
        )
    return found


def _webhook_parser(sub: argparse._SubParsersAction[BilingualParser]) -> None:
    webhook = sub.add_parser(
        "webhook",
        help="підписані доставки подій іншим системам / signed event deliveries to other systems (docs/notifications.md)",
    )
    commands = webhook.add_subparsers(dest="webhook_command", required=True)
    add = commands.add_parser(
        "add",
        help="зареєструвати URL; виводить його id і секрет / register a URL; prints its id and signing secret",
    )
    add.add_argument("url")
    add.add_argument(
        "--events",
        required=True,
        help="comma-separated, or * for all: " + ", ".join(WEBHOOK_EVENTS),
    )
    add.add_argument("--secret", help="16-100 characters (default: a new random one)")
    add.add_argument("--description", default="")
    commands.add_parser("list", help="зареєстровані вебхуки / registered webhooks")
    remove = commands.add_parser(
        "remove",
        help="припинити доставки (журнал лишається) / stop deliveries to a webhook (keeps its log)",
    )
    remove.add_argument("id", type=int)
    log = commands.add_parser(
        "log", help="журнал доставок, найновіші спершу / the delivery log, newest first"
    )
    log.add_argument("--webhook", type=int, help="only this webhook's deliveries")
    log.add_argument("--limit", type=int, default=50)


def _webhook_command(db: Database, args: argparse.Namespace) -> None:
    from .notify.webhooks import WebhookRegistry

    registry = WebhookRegistry(db)
    if args.webhook_command == "add":
        hook, secret = registry.add(
            args.url, args.events.split(","), secret=args.secret, description=args.description
        )
        print(f"Вебхук додано / webhook added: {hook.id} → {hook.url}", file=sys.stderr)
        print(f"id {hook.id}\nsecret {secret}")
    elif args.webhook_command == "list":
        for hook in registry.webhooks():
            state = "active" if hook.active else "removed"
            print(f"{hook.id}\t{state}\t{hook.url}\t{','.join(hook.events)}\t{hook.description}")
    elif args.webhook_command == "remove":
        hook = registry.remove(args.id)
        print(f"Вебхук вимкнено / webhook removed: {hook.id} ({hook.url})")
    elif args.webhook_command == "log":
        print("id\twebhook\tevent\tstate\tattempts\tlast status\tcreated\tnext try/sent\terror")
        for d in registry.deliveries(args.webhook, max(1, min(args.limit, 1000))):
            when = d.sent_at or d.due_at
            status = "" if d.last_status is None else str(d.last_status)
            print(
                f"{d.id}\t{d.webhook_id}\t{d.event}\t{d.state}\t{d.attempts}\t{status}\t"
                f"{d.created_at:%Y-%m-%d %H:%M:%S}\t{when:%Y-%m-%d %H:%M:%S}\t{d.last_error}"
            )


def _database(settings: Settings) -> Database:
    from .store.db import Database
    from .store.migrate import upgrade

    db = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    upgrade(db.engine)
    return db


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Пароль / password: ")
    return sys.stdin.readline().rstrip("\r\n")


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # `--help` and mistakes end here, before any import
    from .settings import load_settings

    overrides = {k: v for k in ("host", "port") if (v := getattr(args, k, None)) is not None}
    settings = load_settings(args.config, **overrides)
    if args.command == "serve":
        return _serve(settings)
    if args.command == "demo":
        return _demo(settings, with_apps=not args.no_apps)
    if args.command == "notify":
        return _notify(settings)
    if args.command == "backup":
        from datetime import UTC, datetime

        from .backup import backup

        made = backup(settings.database_url, args.folder, now=datetime.now(UTC), keep=args.keep)
        print(f"Копію збережено / backup written: {made}")
        return 0
    if args.command == "simulate":
        return _simulate(args)
    new_file = _new_sqlite_file(settings.database_url)
    db = _database(settings)
    completed = False
    try:
        if args.command == "migrate":
            print("Схема бази даних актуальна / database schema is up to date")
        elif args.command == "init":
            _secret_key(settings)
            if args.sample:
                from .store.centre import load_centre
                from .store.centre_file import SAMPLE_CENTRE, always_open, read_centre_file

                spec = read_centre_file(SAMPLE_CENTRE)
                load_centre(db, always_open(spec) if args.always_open else spec)
                print(f"Зразковий центр завантажено / sample centre loaded: {spec.centre.name_uk}")
            print(f"База даних готова / database ready: {db.engine.url.render_as_string()}")
        elif args.command == "load-centre":
            from .store.centre import load_centre
            from .store.centre_file import always_open, read_centre_file

            spec = read_centre_file(args.file)
            load_centre(db, always_open(spec) if args.always_open else spec)
            print(f"Центр завантажено / centre loaded: {spec.centre.name_uk}")
        elif args.command == "export-centre":
            from .store.centre import export_centre
            from .store.centre_file import centre_toml

            sys.stdout.write(centre_toml(export_centre(db, _branch_id(db, args.branch))))
        elif args.command in ACCOUNT_COMMANDS:
            _account_command(_accounts(db, settings), args)
        elif args.command == "add-user":
            accounts = _accounts(db, settings)
            accounts.add_user(
                args.name,
                _read_password(),
                Role(args.role),
                display_name=args.display_name,
                may_call_out_of_order=args.may_call_out_of_order,
            )
            print(f"Користувача додано / user added: {args.name} ({args.role})", file=sys.stderr)
        elif args.command == "purge":
            from .store.bookings import BookingOps

            ops = BookingOps(db, hash_key=settings.phone_hash_key())
            marked = ops.sweep_all()
            purged = ops.purge()
            print(
                f"Неявок позначено / no-shows marked: {marked}; "
                f"записів знеособлено / bookings purged: {purged}"
            )
        elif args.command == "webhook":
            _webhook_command(db, args)
        elif args.command == "reports":
            from .store.report_fold import rebuild, refresh_all

            folded = rebuild(db, _branch_id(db, None)) if args.rebuild else refresh_all(db)
            print(f"Подій враховано / events folded: {folded}")
        elif args.command == "add-device":
            accounts = _accounts(db, settings)
            _device, key = accounts.add_device(args.name, DeviceKind(args.kind), args.branch)
            print(f"Пристрій додано / device added: {args.name} ({args.kind})", file=sys.stderr)
            print(key)
        completed = True
    finally:
        db.dispose()
        if not completed and new_file is not None:
            # A command that failed on a database it created leaves nothing behind: the next
            # attempt starts clean instead of finding an empty, half-made centre.
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{new_file}{suffix}").unlink(missing_ok=True)
    return 0


ACCOUNT_COMMANDS = ("revoke-device", "disable-user", "enable-user", "set-password", "set-role")


def _account_command(accounts: Accounts, args: argparse.Namespace) -> None:
    """The same operations the administrator console calls, audited as `cli`."""
    if args.command == "revoke-device":
        accounts.revoke_device(args.name)
        print(f"Ключ пристрою відкликано / device key revoked: {args.name}", file=sys.stderr)
    elif args.command == "disable-user":
        accounts.disable_user(args.name)
        print(f"Користувача вимкнено / user disabled: {args.name}", file=sys.stderr)
    elif args.command == "enable-user":
        accounts.enable_user(args.name)
        print(f"Користувача увімкнено / user enabled: {args.name}", file=sys.stderr)
    elif args.command == "set-role":
        changed = accounts.change_user(
            args.name, role=args.role, may_call_out_of_order=args.may_call_out_of_order
        )
        state = "змінено / changed" if changed else "без змін / unchanged"
        print(f"Користувач / user {args.name}: {state}", file=sys.stderr)
    else:
        accounts.set_password(args.name, _read_password())
        print(f"Пароль змінено / password set: {args.name}", file=sys.stderr)


def _secret_key(settings: Settings) -> None:
    """Make the server's secret key (phone hashes) if missing, and say where it is."""
    from .auth import load_or_create_secret

    if settings.booking_hash_key:
        return
    path = settings.secret_key_path
    _key, made = load_or_create_secret(path)
    state = "створено / created" if made else "уже є / already there"
    print(
        f"Секретний ключ / secret key: {path} ({state}). Зберігайте його копію окремо від бази "
        "/ back it up apart from the database",
        file=sys.stderr,
    )


def _simulate(args: argparse.Namespace) -> int:
    import json
    import tempfile
    from dataclasses import replace
    from datetime import date

    from .simulate import Profile, as_json, describe, simulate

    profile = Profile(scale=args.scale)
    if args.day:
        try:
            profile = replace(profile, day=date.fromisoformat(args.day))
        except ValueError:
            raise Invalid(
                f"«{args.day}» — не дата (РРРР-ММ-ДД)", f"'{args.day}' is not a date (YYYY-MM-DD)"
            ) from None
    with tempfile.TemporaryDirectory(prefix="cherha-sim-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'simulated.db'}"
        result = simulate(url, profile, args.seed)
    print(
        json.dumps(as_json(result), ensure_ascii=False, indent=1) if args.json else describe(result)
    )
    return 0


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file this command is about to create, or None (exists, or not SQLite)."""
    from sqlalchemy.engine.url import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def _accounts(db: Database, settings: Settings) -> Accounts:
    from .store.accounts import Accounts

    return Accounts(db, token_ttl=timedelta(hours=settings.token_ttl_hours))


def _serve(settings: Settings) -> int:
    import gc
    import logging

    # Importing and building the app makes objects that live as long as the process, and no
    # garbage: the collector's passes over that growing heap were ~15 % of start-up's CPU.
    gc.disable()
    from . import heap
    from .app import create_app
    from .serving import serve

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(settings)
    heap.started()
    print(f"Cherha: {settings.base_url}/display  (API: {settings.base_url}/docs)", flush=True)
    serve(app, settings)
    return 0


def _notify(settings: Settings) -> int:
    import asyncio
    import logging

    from .notify.standalone import run_notifier

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(run_notifier(settings))
    return 0


def _demo(settings: Settings, *, with_apps: bool) -> int:
    """The sample centre, demo accounts, the server and (with a screen) a kiosk and a desk."""
    import subprocess
    import threading

    from .demo import (
        apps_line,
        banner,
        free_port_near,
        has_screen,
        port_taken,
        prepare,
        start_apps,
        write_kiosk_config,
    )

    if port_taken(settings.host, settings.port):
        suggestion = free_port_near(settings.host, settings.port)
        print(
            f"Порт {settings.port} на {settings.host} уже зайнятий (інший сервер?). "
            f"Спробуйте: ./scripts/demo --port {suggestion}\n"
            f"Port {settings.port} on {settings.host} is already in use (another server?). "
            f"Try: ./scripts/demo --port {suggestion}",
            file=sys.stderr,
        )
        return 2
    setup = prepare(settings)
    kiosk_config = write_kiosk_config(settings, setup)
    print(banner(settings, setup), flush=True)
    apps: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        apps.extend(start_apps(settings, kiosk_config))
        print(apps_line(["кіоск / kiosk", "робоче місце / clerk desk"]), flush=True)

    if with_apps and has_screen():
        threading.Thread(target=start, daemon=True).start()
    elif with_apps:
        print(
            apps_line(
                [],
                "екрана немає / no screen (на комп'ютері з екраном / on a computer with a "
                f"screen: cherha-kiosk --config {kiosk_config} --windowed; cherha-clerk "
                f"--server {settings.base_url})",
            ),
            flush=True,
        )
    else:
        print(apps_line([], "--no-apps"), flush=True)
    try:
        return _serve(settings)
    finally:
        for app in apps:
            app.terminate()


def main(argv: Sequence[str] | None = None) -> None:
    try:
        sys.exit(run(argv))
    except DomainError as exc:
        print(f"Помилка: {exc.message_uk}\nError: {exc.message_en}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
