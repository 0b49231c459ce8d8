"""``klingkit account``, ``models``, ``cost`` and ``auth``."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import Any

import click

from ._exit import CLIError, ExitCode
from ._help import examples
from ._ops_options import ops_option
from ._session import REGION_CHOICES, Session, session_options


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _ms(value: Any) -> str:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc).strftime("%Y-%m-%d")
    except (TypeError, ValueError, OverflowError, OSError):
        return str(value) if value is not None else "-"


def _packs(result: Any) -> list[Any]:
    for name in ("packs", "resource_packs", "resource_pack_subscribe_infos", "items"):
        found = _get(result, name)
        if found is not None:
            return list(found)
    data = _get(result, "data")
    if data is not None:
        return _packs(data)
    return list(result) if isinstance(result, list) else []


@click.command(epilog=examples("klingkit account", "klingkit account --json"))
@session_options
def account(session: Session) -> None:
    """Resource packs, balances and remaining units (GET /account/costs, a free call)."""
    result = session.client().account.costs()
    packs = _packs(result)
    rows = []
    for p in packs:
        raw = _get(p, "raw") if not isinstance(p, dict) else None
        src = raw if isinstance(raw, dict) and raw else p
        rows.append(
            {
                "name": _get(src, "resource_pack_name") or _get(p, "name"),
                "type": _get(src, "resource_pack_type") or _get(p, "type"),
                "total": _get(src, "total_quantity", _get(p, "total")),
                "remaining": _get(src, "remaining_quantity", _get(p, "remaining")),
                "status": _get(src, "status") or _get(p, "status"),
                "expires": _get(src, "invalid_time") or _get(p, "invalid_time"),
            }
        )
    lines = [
        f"{r['name']}: {r['remaining']} of {r['total']} units left, {r['status']}, expires {_ms(r['expires'])}"
        for r in rows
    ]
    session.ui.result({"packs": rows}, lines or ["no resource packs on this account"])


@click.command(epilog=examples("klingkit models", "klingkit models --kind image", "klingkit models --json"))
@ops_option("models", "kind", "--kind", take_default=True)
@session_options(network=False)
def models(session: Session, kind: str) -> None:
    """What each model supports (modes, durations, camera, sound), costs and how long its default request
    typically takes (``typical_seconds``: [min, max]), from the catalog."""
    from klingkit import catalog

    video: list[dict[str, Any]] = []
    lines: list[str] = []
    if kind in ("video", "all"):
        lines.append(
            "Video models (units per second of output; 1 video unit = ${:.2f}):".format(
                catalog.USD_PER_UNIT["video"]
            )
        )
        for m in catalog.VIDEO_MODELS:
            uses = [n for n, ok in (("text", m.text_to_video), ("image", m.image_to_video)) if ok]
            camera = sorted({f"{md} {d}s" for md, d in (*m.camera_t2v, *m.camera_i2v)})
            entry = {
                "name": m.name,
                "inputs": uses,
                "modes": list(m.modes),
                "durations": list(m.durations),
                "camera": {
                    "text_to_video": [list(x) for x in m.camera_t2v],
                    "image_to_video": [list(x) for x in m.camera_i2v],
                },
                "sound_modes": list(m.sound_modes),
                "multi_shot": m.multi_shot,
                "price_per_second": m.price,
                "new_name": m.new_name,
                "typical_seconds": list(catalog.typical_seconds("text2video", model=m.name)),
            }
            video.append(entry)
            durs = (
                f"{m.durations[0]}-{m.durations[-1]}"
                if len(m.durations) > 2
                else "/".join(map(str, m.durations))
            )
            price = ", ".join(f"{md} {rate:g}" for md, rate in m.price["silent"].items())
            extras = []
            if camera:
                extras.append("camera " + "/".join(camera))
            if m.sound_modes:
                extras.append("sound " + "/".join(m.sound_modes))
            if m.multi_shot:
                extras.append("multi-shot")
            lines.append(
                f"  {m.name:<18} {'+'.join(uses):<10} modes {'/'.join(m.modes):<10} {durs:>5} s  "
                f"[{price}]  {', '.join(extras)}"
            )
        for n in catalog.NEW_VIDEO_MODELS:
            video.append(
                {
                    "name": n.name,
                    "route": "2026",
                    "resolutions": list(n.resolutions),
                    "durations": list(n.durations),
                    "audio": list(n.audio),
                    "prices_like": n.price_row,
                    "typical_seconds": list(catalog.typical_seconds("text-to-video", model=n.name)),
                }
            )
            priced = f", priced like {n.price_row}" if n.price_row != n.name else ""
            lines.append(f"  {n.name:<18} 2026 route, {'/'.join(n.resolutions)}{priced}")
        for o in catalog.OMNI_VIDEO_MODELS:
            price = ", ".join(f"{md} {rate:g}" for md, rate in o.price["silent"].items())
            video.append(
                {
                    "name": o.name,
                    "route": "omni-video",
                    "new_name": o.new_name,
                    "typical_seconds": list(catalog.typical_seconds("omni-video", model=o.name)),
                    "modes": list(o.modes),
                    "durations": list(o.durations),
                    "sound_modes": list(o.sound_modes),
                    "price_per_second": o.price,
                }
            )
            also = f" (2026 route: {o.new_name})" if o.new_name else ""
            durs = f"{o.durations[0]}-{o.durations[-1]}"
            lines.append(
                f"  {o.name:<18} omni-video modes {'/'.join(o.modes):<10} {durs:>5} s  [{price}]{also}"
            )
        for k in catalog.kling4.MODELS.values():
            video.append(
                {
                    "name": k.name,
                    "route": "2026",
                    "resolutions": list(k.resolutions),
                    "durations": list(range(k.durations[0], k.durations[1] + 1)),
                    "usd_per_second": k.usd_per_second,
                    "typical_seconds": list(catalog.typical_seconds("text-to-video", model=k.name)),
                }
            )
            usd = ", ".join(f"{r} ${p:g}" for r, p in k.usd_per_second.items())
            lines.append(
                f"  {k.name:<18} 2026 route, {'/'.join(k.resolutions)}, "
                f"{k.durations[0]}-{k.durations[1]} s  [{usd} per second]"
            )
    image: list[dict[str, Any]] = []
    if kind in ("image", "all"):
        lines.append(f"Image models (units per image; 1 image unit = ${catalog.USD_PER_UNIT['image']:.4f}):")
        for im in (*catalog.IMAGE_MODELS, *catalog.OMNI_IMAGE_MODELS):
            image.append(
                {
                    "name": im.name,
                    "resolutions": list(im.resolutions),
                    "aspect_ratios": list(im.aspect_ratios),
                    "price_text": im.price_t2i,
                    "price_image": im.price_i2i,
                    "typical_seconds": list(catalog.typical_seconds("images/generations", model=im.name)),
                }
            )
            lines.append(
                f"  {im.name:<18} {'/'.join(im.resolutions):<9} text {im.price_t2i:g}, with image {im.price_i2i:g}"
            )
        for t in catalog.TRYON_MODELS:
            typical = list(catalog.typical_seconds("kolors-virtual-try-on", model=t))
            # The catalog's price of one try-on (its two inputs only need to be there to be priced).
            one = catalog.price(
                "kolors-virtual-try-on", {"model_name": t, "human_image": "-", "cloth_image": "-"}
            )
            image.append(
                {
                    "name": t,
                    "route": "kolors-virtual-try-on",
                    "price_image": one.units,
                    "typical_seconds": typical,
                }
            )
            lines.append(f"  {t:<18} try-on    {one.units:g} try-on unit{'s' * (one.units != 1)} per image")
        for name in catalog.image4.MODELS:  # Image 4.0 / Long Image 4.0 (shapes M, route and price L)
            image.append({"name": name, "route": "2026", "resolutions": list(catalog.image4.RESOLUTIONS),
                          "units_per_image": catalog.image4.UNITS_PER_IMAGE, "confidence": "M/L",
                          "typical_seconds": list(catalog.typical_seconds("omni-image-new", model=name))})  # fmt: skip
            per_image = "/".join(f"{u:g}" for u in catalog.image4.UNITS_PER_IMAGE.values())
            lines.append(f"  {name:<18} 2026 route, {'/'.join(catalog.image4.UNITS_PER_IMAGE)}, "
                         f"about {per_image} units an image (approximate)")  # fmt: skip
    routes = [
        {"feature": e.feature, "path": e.path + ("/{model}" if e.model_in_path else ""), "family": e.family,
         "pack": e.pack, "output": e.output}
        for e in catalog.ENDPOINTS.values()
    ]  # fmt: skip
    if kind == "all":
        lines.append("Routes (feature  path):")
        lines.extend(f"  {r['feature']:<22} {r['path']}" for r in routes)
    del catalog
    session.ui.result({"video": video, "image": image, "routes": routes}, lines)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
    epilog=examples(
        "klingkit cost video -d 10 -m pro --model kling-v3",
        'klingkit cost image "a poster" -n 4 --resolution 2k',
        "klingkit cost video -d 10 -m pro --sound --json",
    ),
)
@click.argument("command", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def cost(command: str | None, args: tuple[str, ...]) -> None:
    """Price a generation without sending it: `klingkit cost COMMAND [ARGS]`.

    COMMAND is video, image, extend, lipsync, effect, tryon or audio, with the same options; this is
    the same as adding --dry-run; no prompt is needed to price a video.
    """
    from . import generate, remix

    commands: dict[str, click.Command] = {
        "video": generate.video,
        "image": generate.image,
        "extend": remix.extend,
        "lipsync": remix.lipsync,
        "effect": remix.effect,
        "tryon": remix.tryon,
        "audio": remix.audio,
    }
    if command in (None, "-h", "--help") or command not in commands:
        click.echo(click.get_current_context().get_help())
        if command not in (None, "-h", "--help"):
            raise click.UsageError(f"cost: unknown command {command!r}; choose one of {', '.join(commands)}")
        return
    extra = list(args)
    if "--help" not in extra and "-h" not in extra:
        extra.append("--dry-run")
    if command == "audio" and extra and extra[0] in ("text", "video", "tts"):
        extra = [extra[0], *extra[1:]]
    ctx = click.get_current_context()
    # A child of this context, so options given before `cost` (`klingkit --json cost ...`) still count.
    with commands[command].make_context(f"cost {command}", extra, parent=ctx) as sub:
        commands[command].invoke(sub)


@click.group(
    epilog=examples("klingkit auth status", "klingkit auth test", "klingkit auth set --region global")
)
def auth() -> None:
    """Store, test and show credentials (secrets are never taken on the command line)."""


def _secret(label: str) -> str:
    """A secret from a hidden prompt, or the next line of a pipe (no echo warning, never an argument)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return str(click.prompt(label, hide_input=True, err=True)).strip()


@auth.command("set", epilog=examples("klingkit auth set", "klingkit auth set --ak-sk --region cn"))
@click.option("--ak-sk", is_flag=True, help="Store an access key + secret key pair instead of an API key.")
@click.option("--region", "region_name", type=click.Choice(REGION_CHOICES), help="Also store the region.")
@click.option("--base-url", "url", metavar="URL", help="Also store a base URL.")
@session_options(network=False)
def auth_set(session: Session, ak_sk: bool, region_name: str | None, url: str | None) -> None:
    """Store credentials in the config file (mode 600), asked for with a hidden prompt."""
    from klingkit import config as _config

    if ak_sk:
        access_key = click.prompt("Access key", err=True).strip()
        secret_key = _secret("Secret key")
        path = _config.save_credentials(
            access_key=access_key, secret_key=secret_key, region=region_name, base_url=url
        )
        kind = "access key + secret key"
    else:
        api_key = _secret("API key")
        if not api_key:
            raise CLIError("no API key given", exit_code=ExitCode.AUTH)
        path = _config.save_credentials(api_key=api_key, region=region_name, base_url=url)
        kind = "API key"
    session.ui.result(
        {"stored": kind, "path": str(path)},
        [f"Stored the {kind} in {path} (mode 600). Check it: klingkit auth test"],
    )


@auth.command("status", epilog=examples("klingkit auth status", "klingkit auth status --json"))
@click.option("--base-url", "url", metavar="URL", help="Base URL to report instead of the configured one.")
@click.option(
    "--region",
    "region_name",
    type=click.Choice(REGION_CHOICES),
    help="Region to report instead of the configured one.",
)
@session_options(network=False)
def auth_status(session: Session, url: str | None, region_name: str | None) -> None:
    """Which credential source and base URL would be used (never the secret)."""
    from klingkit import config as _config

    source = _config.credentials_source()
    resolved, name = _config.resolve_base_url(url, region_name, file_data=_config.load_config_file())
    payload = {
        "credentials_source": source,
        "base_url": resolved,
        "region": name,
        "config_file": str(_config.config_path()),
        "configured": source is not None,
    }
    lines = [
        f"Credentials: {source or 'none found (set KLING_API_KEY or run `klingkit auth set`)'}",
        f"Base URL:    {resolved}" + (f" (region {name})" if name else ""),
        f"Config file: {payload['config_file']}",
    ]
    session.ui.result(payload, lines)


@auth.command("test", epilog=examples("klingkit auth test", "klingkit --sandbox auth test"))
@session_options
def auth_test(session: Session) -> None:
    """Prove the credentials and region work with a free call (GET /account/costs)."""
    from klingkit import config as _config

    client = session.client()
    client.account.costs()
    source = "embedded sandbox" if session.sandbox else _config.credentials_source()
    url = session.connection_base_url()
    session.ui.result(
        {"credentials_source": source, "base_url": url},
        [f"OK: credentials from {source} work against {url}."],
    )
